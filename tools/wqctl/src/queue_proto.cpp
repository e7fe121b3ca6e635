#include "queue_proto.hpp"

#include <array>
#include <iomanip>
#include <sstream>
#include <string_view>
#include <utility>

#include "pcwq_genl.h"

namespace wqctl {
namespace {

struct FlagName {
  std::uint32_t bit;
  std::string_view name;
};

/// In the order they are shown.
constexpr std::array flag_names{
    FlagName{PCWQ_QUEUE_F_SYSTEM, "system"},   FlagName{PCWQ_QUEUE_F_USER, "user"},
    FlagName{PCWQ_QUEUE_F_RESCUER, "rescuer"}, FlagName{PCWQ_QUEUE_F_HIGHPRI, "highpri"},
    FlagName{PCWQ_QUEUE_F_STEAL, "steal"},     FlagName{PCWQ_QUEUE_F_NO_YIELD, "no_yield"},
};

template <typename T>
T required(std::optional<T> value, const char* what) {
  if (!value) {
    throw nl::protocol_error(std::string("dump lacks ") + what);
  }
  return *std::move(value);
}

void put_optional(nl::Message& msg, int type, std::optional<std::uint32_t> value) {
  if (value) {
    msg.put_u32(type, *value);
  }
}

/// The limits that QUEUE_ADD (a QueueSpec) and QUEUE_SET (QueueLimits) share, those given.
template <typename Limits>
void put_limits(nl::Message& msg, const Limits& limits) {
  put_optional(msg, PCWQ_A_QUEUE_CAPACITY, limits.capacity);
  put_optional(msg, PCWQ_A_QUEUE_RATE, limits.rate);
  put_optional(msg, PCWQ_A_QUEUE_BURST, limits.burst);
  put_optional(msg, PCWQ_A_QUEUE_MAX_WAIT_MS, limits.max_wait_ms);
  put_optional(msg, PCWQ_A_QUEUE_WORK_TIMEOUT_MS, limits.work_timeout_ms);
}

/// The counters added after the first ones are optional: modules before them do not send them.
Counters decode_counters(const nl::Attrs& parent, int type) {
  const nl::Attrs attrs = required(parent.nested(type, PCWQ_COUNTER_A_MAX), "counters");
  return {
      .submitted = required(attrs.u64(PCWQ_COUNTER_A_SUBMITTED), "submitted counter"),
      .completed = required(attrs.u64(PCWQ_COUNTER_A_COMPLETED), "completed counter"),
      .cancelled = required(attrs.u64(PCWQ_COUNTER_A_CANCELLED), "cancelled counter"),
      .rejected = required(attrs.u64(PCWQ_COUNTER_A_REJECTED), "rejected counter"),
      .unscheduled = required(attrs.u64(PCWQ_COUNTER_A_UNSCHEDULED), "unscheduled counter"),
      .mayday = attrs.u64(PCWQ_COUNTER_A_MAYDAY).value_or(0),
      .rescued = attrs.u64(PCWQ_COUNTER_A_RESCUED).value_or(0),
      .stalls = attrs.u64(PCWQ_COUNTER_A_STALLS).value_or(0),
      .throttled = attrs.u64(PCWQ_COUNTER_A_THROTTLED).value_or(0),
      .stolen = attrs.u64(PCWQ_COUNTER_A_STOLEN).value_or(0),
      .aged = attrs.u64(PCWQ_COUNTER_A_AGED).value_or(0),
      .overruns = attrs.u64(PCWQ_COUNTER_A_OVERRUNS).value_or(0),
  };
}

/// Load averages are optional: modules before them do not send the nest.  An average missing
/// from the nest counts as 0.
std::optional<LoadAvg> decode_load_avg(const nl::Attrs& parent, int type) {
  const auto attrs = parent.nested(type, PCWQ_LOAD_A_MAX);
  if (!attrs) {
    return std::nullopt;
  }
  return LoadAvg{
      .avg10 = attrs->u32(PCWQ_LOAD_A_AVG10).value_or(0),
      .avg1 = attrs->u32(PCWQ_LOAD_A_AVG1).value_or(0),
      .avg5 = attrs->u32(PCWQ_LOAD_A_AVG5).value_or(0),
      .avg15 = attrs->u32(PCWQ_LOAD_A_AVG15).value_or(0),
  };
}

QueueCpu decode_queue_cpu(const nl::Attrs& attrs) {
  return {
      .cpu = required(attrs.u32(PCWQ_QCPU_A_CPU), "the CPU of a queue"),
      .active = required(attrs.u32(PCWQ_QCPU_A_ACTIVE), "a queue's active items"),
      .inactive = required(attrs.u32(PCWQ_QCPU_A_INACTIVE), "a queue's inactive items"),
      .counters = decode_counters(attrs, PCWQ_QCPU_A_COUNTERS),
  };
}

Queue decode_queue(const nl::Attrs& attrs) {
  Queue queue{
      .name = required(attrs.str(PCWQ_QUEUE_A_NAME), "a queue's name"),
      .flags = required(attrs.u32(PCWQ_QUEUE_A_FLAGS), "a queue's flags"),
      .max_active = required(attrs.u32(PCWQ_QUEUE_A_MAX_ACTIVE), "a queue's max_active"),
      .capacity = required(attrs.u32(PCWQ_QUEUE_A_CAPACITY), "a queue's capacity"),
      .pending = required(attrs.u32(PCWQ_QUEUE_A_PENDING), "a queue's pending items"),
      .inflight = required(attrs.u32(PCWQ_QUEUE_A_INFLIGHT), "a queue's inflight items"),
      .rate = attrs.u32(PCWQ_QUEUE_A_RATE).value_or(0),
      .burst = attrs.u32(PCWQ_QUEUE_A_BURST).value_or(0),
      .max_wait_ms = attrs.u32(PCWQ_QUEUE_A_MAX_WAIT_MS).value_or(0),
      .work_timeout_ms = attrs.u32(PCWQ_QUEUE_A_WORK_TIMEOUT_MS).value_or(0),
      .counters = decode_counters(attrs, PCWQ_QUEUE_A_COUNTERS),
      .cpus = {},
      .wait = decode_histogram(attrs, PCWQ_QUEUE_A_WAIT),
      .run = decode_histogram(attrs, PCWQ_QUEUE_A_RUN),
      .load = decode_load_avg(attrs, PCWQ_QUEUE_A_LOAD),
      .cpu_list = attrs.str(PCWQ_QUEUE_A_CPUS),
  };
  for (const nl::Attrs& cpu : attrs.nested_all(PCWQ_QUEUE_A_CPU, PCWQ_QCPU_A_MAX)) {
    queue.cpus.push_back(decode_queue_cpu(cpu));
  }
  return queue;
}

Pool decode_pool(const nl::Attrs& attrs) {
  return {
      .cpu = required(attrs.u32(PCWQ_POOL_A_CPU), "the CPU of a pool"),
      .highpri = required(attrs.u32(PCWQ_POOL_A_HIGHPRI), "a pool's priority") != 0,
      .online = required(attrs.u32(PCWQ_POOL_A_ONLINE), "a pool's online state") != 0,
      .workers = required(attrs.u32(PCWQ_POOL_A_WORKERS), "a pool's workers"),
      .idle = required(attrs.u32(PCWQ_POOL_A_IDLE), "a pool's idle workers"),
      .pending = required(attrs.u32(PCWQ_POOL_A_PENDING), "a pool's pending items"),
      .counters = decode_counters(attrs, PCWQ_POOL_A_COUNTERS),
      .wait = decode_histogram(attrs, PCWQ_POOL_A_WAIT),
      .run = decode_histogram(attrs, PCWQ_POOL_A_RUN),
      .load = decode_load_avg(attrs, PCWQ_POOL_A_LOAD),
  };
}

std::string hex(std::uint32_t value) {
  std::ostringstream text;
  text << "0x" << std::hex << value;
  return text.str();
}

}  // namespace

std::vector<std::string> queue_flag_names(std::uint32_t flags) {
  std::vector<std::string> names;
  for (const auto& [bit, name] : flag_names) {
    if ((flags & bit) != 0) {
      names.emplace_back(name);
      flags &= ~bit;
    }
  }
  if (flags != 0) {
    names.push_back(hex(flags));
  }
  return names;
}

void encode_queue_add(nl::Message& msg, const QueueSpec& spec) {
  msg.put_string(PCWQ_A_QUEUE_NAME, spec.name);
  if (spec.flags != 0) {
    msg.put_u32(PCWQ_A_QUEUE_FLAGS, spec.flags);
  }
  put_optional(msg, PCWQ_A_QUEUE_MAX_ACTIVE, spec.max_active);
  put_limits(msg, spec);
  if (spec.cpus) {
    msg.put_string(PCWQ_A_QUEUE_CPUS, *spec.cpus);
  }
}

void encode_queue_set(nl::Message& msg, const QueueLimits& limits) {
  msg.put_string(PCWQ_A_QUEUE_NAME, limits.name);
  put_limits(msg, limits);
}

void encode_queue_name(nl::Message& msg, const std::string& name) {
  msg.put_string(PCWQ_A_QUEUE_NAME, name);
}

void encode_load(nl::Message& msg, const LoadSpec& spec) {
  msg.put_string(PCWQ_A_QUEUE_NAME, spec.name);
  put_optional(msg, PCWQ_A_LOAD_COUNT, spec.count);
  put_optional(msg, PCWQ_A_LOAD_CPU, spec.cpu);
  put_optional(msg, PCWQ_A_LOAD_SPIN_US, spec.spin_us);
  put_optional(msg, PCWQ_A_LOAD_SLEEP_MS, spec.sleep_ms);
  put_optional(msg, PCWQ_A_LOAD_DELAY_MS, spec.delay_ms);
}

void encode_drain(nl::Message& msg, const std::string& name, bool plug) {
  msg.put_string(PCWQ_A_QUEUE_NAME, name);
  if (plug) {
    msg.put_flag(PCWQ_A_PLUG);
  }
}

void encode_stats_get(nl::Message& msg, std::optional<std::uint32_t> cpu) {
  put_optional(msg, PCWQ_A_STATS_CPU, cpu);
}

LoadResult decode_load(const nl::Attrs& attrs) {
  const auto field = [&](int type, const char* what) {
    const auto value = attrs.u32(type);
    if (!value) {
      throw nl::protocol_error(std::string("reply lacks the ") + what + " count");
    }
    return *value;
  };
  return {.accepted = field(PCWQ_A_LOAD_ACCEPTED, "accepted"),
          .refused = field(PCWQ_A_LOAD_REFUSED, "refused")};
}

bool decode_drain(const nl::Attrs& attrs) {
  const auto waited = attrs.u32(PCWQ_A_DRAIN_WAITED);
  if (!waited) {
    throw nl::protocol_error("reply lacks whether the drain waited");
  }
  return *waited != 0;
}

std::optional<Queue> decode_queue_message(std::span<const std::byte> msg) {
  const auto queue = nl::Attrs::parse_genl(msg, PCWQ_A_MAX).nested(PCWQ_A_QUEUE, PCWQ_QUEUE_A_MAX);
  if (!queue) {
    return std::nullopt;
  }
  return decode_queue(*queue);
}

void decode_stats_message(std::span<const std::byte> msg, Stats& stats) {
  const nl::Attrs attrs = nl::Attrs::parse_genl(msg, PCWQ_A_MAX);
  if (const auto pool = attrs.nested(PCWQ_A_POOL, PCWQ_POOL_A_MAX)) {
    stats.pools.push_back(decode_pool(*pool));
  }
  if (const auto queue = attrs.nested(PCWQ_A_QUEUE, PCWQ_QUEUE_A_MAX)) {
    stats.queues.push_back(decode_queue(*queue));
  }
}

}  // namespace wqctl
