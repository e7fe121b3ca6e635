// Requests of the queue, load and statistics commands, and the decoding of their replies and of
// dumped messages as the module builds them.
#include "queue_proto.hpp"

#include <cerrno>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>

#include <gtest/gtest.h>

#include "netlink_builders.hpp"
#include "pcwq_genl.h"
#include "pcwq_proto.hpp"

namespace wqctl {
namespace {

using test::errnum_of;
using test::ok;

constexpr int fake_family = 0x1d;

// ---- requests -------------------------------------------------------------------------------

const genlmsghdr& genl_header(const nl::Message& msg) {
  return *static_cast<const genlmsghdr*>(nlmsg_data(nlmsg_hdr(msg.get())));
}

/// Types of the attributes of msg, in order.
std::vector<int> attr_types(const nl::Message& msg) {
  const genlmsghdr& genl = genl_header(msg);
  int remaining = genlmsg_attrlen(&genl, 0);
  std::vector<int> types;
  for (const nlattr* attr = genlmsg_attrdata(&genl, 0); nla_ok(attr, remaining) != 0;
       attr = nla_next(attr, &remaining)) {
    types.push_back(nla_type(attr));
  }
  return types;
}

/// Payload length of attribute type of msg.
int attr_len(const nl::Message& msg, int type) {
  const genlmsghdr& genl = genl_header(msg);
  const nlattr* attr = nla_find(genlmsg_attrdata(&genl, 0), genlmsg_attrlen(&genl, 0), type);
  return attr == nullptr ? -1 : nla_len(attr);
}

nl::Attrs attrs_of(const nl::Message& msg) {
  return nl::Attrs::parse_genl(test::bytes_of(msg.get()), PCWQ_A_MAX);
}

void expect_header(const nl::Message& msg, std::uint8_t cmd, int flags) {
  EXPECT_EQ(nlmsg_hdr(msg.get())->nlmsg_type, fake_family);
  EXPECT_EQ(nlmsg_hdr(msg.get())->nlmsg_flags, flags);
  EXPECT_EQ(genl_header(msg).cmd, cmd);
  EXPECT_EQ(genl_header(msg).version, PCWQ_GENL_VERSION);
}

TEST(EncodeQueueAdd, EveryAttribute) {
  nl::Message msg{fake_family, PCWQ_CMD_QUEUE_ADD, PCWQ_GENL_VERSION};
  encode_queue_add(msg, {.name = "q1",
                         .flags = PCWQ_QUEUE_F_RESCUER | PCWQ_QUEUE_F_HIGHPRI | PCWQ_QUEUE_F_STEAL,
                         .max_active = 4,
                         .capacity = 0,
                         .rate = 1000000,
                         .burst = 0,
                         .max_wait_ms = 3600000,
                         .work_timeout_ms = 200,
                         .cpus = "0-3,6"});
  expect_header(msg, PCWQ_CMD_QUEUE_ADD, NLM_F_REQUEST | NLM_F_ACK);
  EXPECT_EQ(attr_types(msg),
            (std::vector<int>{PCWQ_A_QUEUE_NAME, PCWQ_A_QUEUE_FLAGS, PCWQ_A_QUEUE_MAX_ACTIVE,
                              PCWQ_A_QUEUE_CAPACITY, PCWQ_A_QUEUE_RATE, PCWQ_A_QUEUE_BURST,
                              PCWQ_A_QUEUE_MAX_WAIT_MS, PCWQ_A_QUEUE_WORK_TIMEOUT_MS,
                              PCWQ_A_QUEUE_CPUS}));
  const nl::Attrs attrs = attrs_of(msg);
  EXPECT_EQ(attrs.str(PCWQ_A_QUEUE_NAME), "q1");
  EXPECT_EQ(attr_len(msg, PCWQ_A_QUEUE_NAME), 3);  // NUL-terminated
  EXPECT_EQ(attrs.u32(PCWQ_A_QUEUE_FLAGS), 11U);
  EXPECT_EQ(attrs.u32(PCWQ_A_QUEUE_MAX_ACTIVE), 4U);
  EXPECT_EQ(attrs.u32(PCWQ_A_QUEUE_CAPACITY), 0U);
  EXPECT_EQ(attrs.u32(PCWQ_A_QUEUE_WORK_TIMEOUT_MS), 200U);
  EXPECT_EQ(attr_len(msg, PCWQ_A_QUEUE_WORK_TIMEOUT_MS), 4);
  EXPECT_EQ(attrs.str(PCWQ_A_QUEUE_CPUS), "0-3,6");
  EXPECT_EQ(attr_len(msg, PCWQ_A_QUEUE_CPUS), 6);  // NUL-terminated
}

TEST(EncodeQueueAdd, LimitsAreU32s) {
  nl::Message msg{fake_family, PCWQ_CMD_QUEUE_ADD, PCWQ_GENL_VERSION};
  encode_queue_add(msg, {.name = "q1",
                         .flags = 0,
                         .max_active = std::nullopt,
                         .capacity = std::nullopt,
                         .rate = 1000000,
                         .burst = 0,
                         .max_wait_ms = 3600000,
                         .work_timeout_ms = std::nullopt,
                         .cpus = std::nullopt});
  EXPECT_EQ(attr_types(msg), (std::vector<int>{PCWQ_A_QUEUE_NAME, PCWQ_A_QUEUE_RATE,
                                               PCWQ_A_QUEUE_BURST, PCWQ_A_QUEUE_MAX_WAIT_MS}));
  const nl::Attrs attrs = attrs_of(msg);
  EXPECT_EQ((std::vector{attrs.u32(PCWQ_A_QUEUE_RATE), attrs.u32(PCWQ_A_QUEUE_BURST),
                         attrs.u32(PCWQ_A_QUEUE_MAX_WAIT_MS)}),
            (std::vector<std::optional<std::uint32_t>>{1000000U, 0U, 3600000U}));
  EXPECT_EQ((std::vector{attr_len(msg, PCWQ_A_QUEUE_RATE), attr_len(msg, PCWQ_A_QUEUE_BURST),
                         attr_len(msg, PCWQ_A_QUEUE_MAX_WAIT_MS)}),
            (std::vector{4, 4, 4}));
}

TEST(EncodeQueueAdd, OnlyTheNameByDefault) {
  nl::Message msg{fake_family, PCWQ_CMD_QUEUE_ADD, PCWQ_GENL_VERSION};
  encode_queue_add(msg, {.name = "a-name-of-31-characters-------.",
                         .flags = 0,
                         .max_active = std::nullopt,
                         .capacity = std::nullopt,
                         .rate = std::nullopt,
                         .burst = std::nullopt,
                         .max_wait_ms = std::nullopt,
                         .work_timeout_ms = std::nullopt,
                         .cpus = std::nullopt});
  EXPECT_EQ(attr_types(msg), (std::vector<int>{PCWQ_A_QUEUE_NAME}));
  EXPECT_EQ(attrs_of(msg).str(PCWQ_A_QUEUE_NAME), "a-name-of-31-characters-------.");
  EXPECT_EQ(attr_len(msg, PCWQ_A_QUEUE_NAME), 32);
}

TEST(EncodeQueueSet, NameAndTheLimitsGiven) {
  nl::Message msg{fake_family, PCWQ_CMD_QUEUE_SET, PCWQ_GENL_VERSION};
  encode_queue_set(msg, {.name = "q1",
                         .capacity = 0,
                         .rate = 100,
                         .burst = 1000000,
                         .max_wait_ms = 3600000,
                         .work_timeout_ms = 3600000});
  expect_header(msg, PCWQ_CMD_QUEUE_SET, NLM_F_REQUEST | NLM_F_ACK);
  EXPECT_EQ(attr_types(msg),
            (std::vector<int>{PCWQ_A_QUEUE_NAME, PCWQ_A_QUEUE_CAPACITY, PCWQ_A_QUEUE_RATE,
                              PCWQ_A_QUEUE_BURST, PCWQ_A_QUEUE_MAX_WAIT_MS,
                              PCWQ_A_QUEUE_WORK_TIMEOUT_MS}));
  const nl::Attrs attrs = attrs_of(msg);
  EXPECT_EQ(attrs.str(PCWQ_A_QUEUE_NAME), "q1");
  EXPECT_EQ(attrs.u32(PCWQ_A_QUEUE_CAPACITY), 0U);
  EXPECT_EQ(attrs.u32(PCWQ_A_QUEUE_RATE), 100U);
  EXPECT_EQ(attrs.u32(PCWQ_A_QUEUE_BURST), 1000000U);
  EXPECT_EQ(attrs.u32(PCWQ_A_QUEUE_MAX_WAIT_MS), 3600000U);
  EXPECT_EQ(attrs.u32(PCWQ_A_QUEUE_WORK_TIMEOUT_MS), 3600000U);
}

TEST(EncodeQueueSet, WorkTimeoutAlone) {
  nl::Message msg{fake_family, PCWQ_CMD_QUEUE_SET, PCWQ_GENL_VERSION};
  QueueLimits limits{.name = "q1",
                     .capacity = std::nullopt,
                     .rate = std::nullopt,
                     .burst = std::nullopt,
                     .max_wait_ms = std::nullopt,
                     .work_timeout_ms = 0};
  EXPECT_FALSE(limits.empty());
  encode_queue_set(msg, limits);
  EXPECT_EQ(attr_types(msg), (std::vector<int>{PCWQ_A_QUEUE_NAME, PCWQ_A_QUEUE_WORK_TIMEOUT_MS}));
  EXPECT_EQ(attrs_of(msg).u32(PCWQ_A_QUEUE_WORK_TIMEOUT_MS), 0U);
  limits.work_timeout_ms.reset();
  EXPECT_TRUE(limits.empty());
}

TEST(EncodeQueueSet, OnlyWhatIsGiven) {
  nl::Message msg{fake_family, PCWQ_CMD_QUEUE_SET, PCWQ_GENL_VERSION};
  QueueLimits limits{.name = "q1",
                     .capacity = std::nullopt,
                     .rate = std::nullopt,
                     .burst = std::nullopt,
                     .max_wait_ms = 0,
                     .work_timeout_ms = std::nullopt};
  EXPECT_FALSE(limits.empty());
  encode_queue_set(msg, limits);
  EXPECT_EQ(attr_types(msg), (std::vector<int>{PCWQ_A_QUEUE_NAME, PCWQ_A_QUEUE_MAX_WAIT_MS}));
  // nlmsghdr (16) + genlmsghdr (4), "q1\0" in 8 bytes, then the u32.
  EXPECT_EQ(msg.attr_at(28), PCWQ_A_QUEUE_MAX_WAIT_MS);
  limits.max_wait_ms.reset();
  EXPECT_TRUE(limits.empty());
}

TEST(AttrName, NamesTheQueueLimitOptions) {
  EXPECT_EQ(attr_name(PCWQ_A_QUEUE_CAPACITY), "--capacity");
  EXPECT_EQ(attr_name(PCWQ_A_QUEUE_RATE), "--rate");
  EXPECT_EQ(attr_name(PCWQ_A_QUEUE_BURST), "--burst");
  EXPECT_EQ(attr_name(PCWQ_A_QUEUE_MAX_WAIT_MS), "--max-wait-ms");
  EXPECT_EQ(attr_name(PCWQ_A_QUEUE_WORK_TIMEOUT_MS), "--work-timeout-ms");
  EXPECT_EQ(attr_name(PCWQ_A_QUEUE_CPUS), "--cpus");
}

TEST(EncodeQueueName, NameAlone) {
  for (const std::uint8_t cmd : {PCWQ_CMD_QUEUE_DEL, PCWQ_CMD_FLUSH, PCWQ_CMD_UNPLUG}) {
    nl::Message msg{fake_family, cmd, PCWQ_GENL_VERSION};
    encode_queue_name(msg, "q1");
    expect_header(msg, cmd, NLM_F_REQUEST | NLM_F_ACK);
    EXPECT_EQ(attr_types(msg), (std::vector<int>{PCWQ_A_QUEUE_NAME}));
    EXPECT_EQ(attrs_of(msg).str(PCWQ_A_QUEUE_NAME), "q1");
  }
}

TEST(EncodeLoad, EveryAttribute) {
  nl::Message msg{fake_family, PCWQ_CMD_LOAD, PCWQ_GENL_VERSION};
  encode_load(msg, {.name = "q1",
                    .count = 100,
                    .cpu = 0,
                    .spin_us = 1000000,
                    .sleep_ms = 60000,
                    .delay_ms = 3600000});
  expect_header(msg, PCWQ_CMD_LOAD, NLM_F_REQUEST | NLM_F_ACK);
  EXPECT_EQ(attr_types(msg),
            (std::vector<int>{PCWQ_A_QUEUE_NAME, PCWQ_A_LOAD_COUNT, PCWQ_A_LOAD_CPU,
                              PCWQ_A_LOAD_SPIN_US, PCWQ_A_LOAD_SLEEP_MS, PCWQ_A_LOAD_DELAY_MS}));
  const nl::Attrs attrs = attrs_of(msg);
  EXPECT_EQ(attrs.str(PCWQ_A_QUEUE_NAME), "q1");
  EXPECT_EQ(attrs.u32(PCWQ_A_LOAD_COUNT), 100U);
  EXPECT_EQ(attrs.u32(PCWQ_A_LOAD_CPU), 0U);
  EXPECT_EQ(attrs.u32(PCWQ_A_LOAD_SPIN_US), 1000000U);
  EXPECT_EQ(attrs.u32(PCWQ_A_LOAD_SLEEP_MS), 60000U);
  EXPECT_EQ(attrs.u32(PCWQ_A_LOAD_DELAY_MS), 3600000U);
}

TEST(EncodeLoad, DefaultsAreLeftToTheModule) {
  nl::Message msg{fake_family, PCWQ_CMD_LOAD, PCWQ_GENL_VERSION};
  LoadSpec spec;
  spec.name = "q1";
  encode_load(msg, spec);
  EXPECT_EQ(attr_types(msg), (std::vector<int>{PCWQ_A_QUEUE_NAME}));
}

TEST(EncodeLoad, AttributeOffsetsNameTheOptions) {
  nl::Message msg{fake_family, PCWQ_CMD_LOAD, PCWQ_GENL_VERSION};
  LoadSpec spec;
  spec.name = "q1";
  spec.count = 0;
  spec.cpu = 3;
  encode_load(msg, spec);
  // nlmsghdr (16) + genlmsghdr (4), "q1\0" in 8 bytes, then 8 bytes per u32.
  EXPECT_EQ(msg.attr_at(20), PCWQ_A_QUEUE_NAME);
  EXPECT_EQ(msg.attr_at(28), PCWQ_A_LOAD_COUNT);
  EXPECT_EQ(msg.attr_at(36), PCWQ_A_LOAD_CPU);
  EXPECT_EQ(attr_name(PCWQ_A_LOAD_COUNT), "--count");
  EXPECT_EQ(attr_name(PCWQ_A_LOAD_CPU), "--cpu");
  EXPECT_EQ(attr_name(PCWQ_A_QUEUE_MAX_ACTIVE), "--max-active");
  EXPECT_EQ(attr_name(PCWQ_A_QUEUE_NAME), std::nullopt);
}

TEST(EncodeDrain, PlugIsAFlag) {
  nl::Message msg{fake_family, PCWQ_CMD_DRAIN, PCWQ_GENL_VERSION};
  encode_drain(msg, "q1", true);
  expect_header(msg, PCWQ_CMD_DRAIN, NLM_F_REQUEST | NLM_F_ACK);
  EXPECT_EQ(attr_types(msg), (std::vector<int>{PCWQ_A_QUEUE_NAME, PCWQ_A_PLUG}));
  EXPECT_EQ(attr_len(msg, PCWQ_A_PLUG), 0);
}

TEST(EncodeDrain, WithoutPlug) {
  nl::Message msg{fake_family, PCWQ_CMD_DRAIN, PCWQ_GENL_VERSION};
  encode_drain(msg, "q1", false);
  EXPECT_EQ(attr_types(msg), (std::vector<int>{PCWQ_A_QUEUE_NAME}));
}

TEST(EncodeStatsGet, IsADumpWithAnOptionalCpu) {
  nl::Message all{fake_family, PCWQ_CMD_STATS_GET, PCWQ_GENL_VERSION, nl::Message::Kind::dump};
  encode_stats_get(all, std::nullopt);
  expect_header(all, PCWQ_CMD_STATS_GET, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP);
  EXPECT_TRUE(attr_types(all).empty());

  nl::Message one{fake_family, PCWQ_CMD_STATS_GET, PCWQ_GENL_VERSION, nl::Message::Kind::dump};
  encode_stats_get(one, 2);
  EXPECT_EQ(attr_types(one), (std::vector<int>{PCWQ_A_STATS_CPU}));
  EXPECT_EQ(attrs_of(one).u32(PCWQ_A_STATS_CPU), 2U);
}

// ---- replies --------------------------------------------------------------------------------

/// A message as the module sends it: genl header, then attributes added by the test.
test::MsgPtr message(std::uint8_t cmd, int flags = 0) {
  test::MsgPtr msg{nlmsg_alloc()};
  EXPECT_NE(genlmsg_put(msg.get(), 0, 1, fake_family, 0, flags, cmd, PCWQ_GENL_VERSION), nullptr);
  return msg;
}

TEST(DecodeLoad, Counts) {
  const auto msg = message(PCWQ_CMD_LOAD);
  ok(nla_put_u32(msg.get(), PCWQ_A_LOAD_ACCEPTED, 10));
  ok(nla_put_u32(msg.get(), PCWQ_A_LOAD_REFUSED, 90));
  ok(nla_put_u32(msg.get(), PCWQ_A_MAX + 1, 1));
  EXPECT_EQ(decode_load(nl::Attrs::parse_genl(msg.get(), PCWQ_A_MAX)),
            (LoadResult{.accepted = 10, .refused = 90}));
}

TEST(DecodeLoad, MissingCountIsAProtocolError) {
  const auto msg = message(PCWQ_CMD_LOAD);
  ok(nla_put_u32(msg.get(), PCWQ_A_LOAD_ACCEPTED, 10));
  EXPECT_EQ(errnum_of([&] { decode_load(nl::Attrs::parse_genl(msg.get(), PCWQ_A_MAX)); }), EPROTO);
}

TEST(DecodeDrain, Waited) {
  for (const std::uint32_t waited : {0U, 1U}) {
    const auto msg = message(PCWQ_CMD_DRAIN);
    ok(nla_put_u32(msg.get(), PCWQ_A_DRAIN_WAITED, waited));
    EXPECT_EQ(decode_drain(nl::Attrs::parse_genl(msg.get(), PCWQ_A_MAX)), waited == 1);
  }
  const auto empty = message(PCWQ_CMD_DRAIN);
  EXPECT_EQ(errnum_of([&] { decode_drain(nl::Attrs::parse_genl(empty.get(), PCWQ_A_MAX)); }),
            EPROTO);
}

// ---- dumped messages ------------------------------------------------------------------------

/// The module that sends a message.
enum class Module {
  current,
  newer,  ///< adds attributes unknown to this wqctl, at every level
  older,  ///< lacks what was added later: counters mayday, rescued, stalls, throttled, stolen,
          ///< aged, overruns; histograms; the queues' rate, burst, max_wait_ms,
          ///< work_timeout_ms; load averages
};

/// Nests as the kernel starts them: with NLA_F_NESTED.
void nest(nl_msg* msg, int type, const std::function<void()>& fill) {
  nlattr* start = nla_nest_start(msg, type | NLA_F_NESTED);
  ASSERT_NE(start, nullptr);
  fill();
  ASSERT_EQ(nla_nest_end(msg, start), 0);
}

void put_counters(nl_msg* msg, int type, const Counters& counters, Module module) {
  nest(msg, type, [&] {
    // nla_put_u64_64bit() may put a pad attribute before a u64.
    ok(nla_put(msg, PCWQ_COUNTER_A_PAD, 0, nullptr));
    ok(nla_put_u64(msg, PCWQ_COUNTER_A_SUBMITTED, counters.submitted));
    ok(nla_put_u64(msg, PCWQ_COUNTER_A_COMPLETED, counters.completed));
    ok(nla_put_u64(msg, PCWQ_COUNTER_A_CANCELLED, counters.cancelled));
    ok(nla_put_u64(msg, PCWQ_COUNTER_A_REJECTED, counters.rejected));
    if (module == Module::newer) {
      ok(nla_put_u32(msg, PCWQ_COUNTER_A_MAX + 1, 7));
    }
    ok(nla_put_u64(msg, PCWQ_COUNTER_A_UNSCHEDULED, counters.unscheduled));
    if (module != Module::older) {
      ok(nla_put(msg, PCWQ_COUNTER_A_PAD, 0, nullptr));
      ok(nla_put_u64(msg, PCWQ_COUNTER_A_MAYDAY, counters.mayday));
      ok(nla_put_u64(msg, PCWQ_COUNTER_A_RESCUED, counters.rescued));
      ok(nla_put_u64(msg, PCWQ_COUNTER_A_STALLS, counters.stalls));
      ok(nla_put_u64(msg, PCWQ_COUNTER_A_THROTTLED, counters.throttled));
      ok(nla_put(msg, PCWQ_COUNTER_A_PAD, 0, nullptr));
      ok(nla_put_u64(msg, PCWQ_COUNTER_A_STOLEN, counters.stolen));
      ok(nla_put_u64(msg, PCWQ_COUNTER_A_AGED, counters.aged));
      ok(nla_put(msg, PCWQ_COUNTER_A_PAD, 0, nullptr));
      ok(nla_put_u64(msg, PCWQ_COUNTER_A_OVERRUNS, counters.overruns));
    }
  });
}

void put_load(nl_msg* msg, int type, const std::optional<LoadAvg>& load, Module module) {
  if (module == Module::older || !load) {
    return;
  }
  nest(msg, type, [&] {
    ok(nla_put_u32(msg, PCWQ_LOAD_A_AVG10, load->avg10));
    ok(nla_put_u32(msg, PCWQ_LOAD_A_AVG1, load->avg1));
    if (module == Module::newer) {
      ok(nla_put_u64(msg, PCWQ_LOAD_A_MAX + 1, 7));
    }
    ok(nla_put_u32(msg, PCWQ_LOAD_A_AVG5, load->avg5));
    ok(nla_put_u32(msg, PCWQ_LOAD_A_AVG15, load->avg15));
  });
}

void put_hist(nl_msg* msg, int type, const Histogram& h, Module module) {
  if (module == Module::older) {
    return;
  }
  nest(msg, type, [&] {
    ok(nla_put(msg, PCWQ_HIST_A_PAD, 0, nullptr));
    ok(nla_put(msg, PCWQ_HIST_A_BUCKETS, sizeof(h.buckets), h.buckets.data()));
    ok(nla_put_u64(msg, PCWQ_HIST_A_SUM_NS, h.sum_ns));
    if (module == Module::newer) {
      ok(nla_put_u32(msg, PCWQ_HIST_A_MAX + 1, 7));
    }
    ok(nla_put_u64(msg, PCWQ_HIST_A_MAX_NS, h.max_ns));
  });
}

/// A histogram with counts in a few buckets, the last one included.
Histogram histogram(std::uint64_t seed) {
  Histogram h;
  h.buckets.at(0) = seed;
  h.buckets.at(5) = seed * 3;
  h.buckets.at(PCWQ_HIST_BUCKETS - 1) = 1ULL << 35U;
  h.sum_ns = seed * 1000;
  h.max_ns = 1ULL << 50U;
  return h;
}

void put_pool(nl_msg* msg, const Pool& pool, Module module) {
  nest(msg, PCWQ_A_POOL, [&] {
    ok(nla_put_u32(msg, PCWQ_POOL_A_CPU, pool.cpu));
    ok(nla_put_u32(msg, PCWQ_POOL_A_HIGHPRI, pool.highpri ? 1 : 0));
    ok(nla_put_u32(msg, PCWQ_POOL_A_ONLINE, pool.online ? 1 : 0));
    ok(nla_put_u32(msg, PCWQ_POOL_A_WORKERS, pool.workers));
    ok(nla_put_u32(msg, PCWQ_POOL_A_IDLE, pool.idle));
    ok(nla_put_u32(msg, PCWQ_POOL_A_PENDING, pool.pending));
    if (module == Module::newer) {
      ok(nla_put_string(msg, PCWQ_POOL_A_MAX + 3, "future"));
    }
    put_counters(msg, PCWQ_POOL_A_COUNTERS, pool.counters, module);
    put_hist(msg, PCWQ_POOL_A_WAIT, pool.wait, module);
    put_hist(msg, PCWQ_POOL_A_RUN, pool.run, module);
    put_load(msg, PCWQ_POOL_A_LOAD, pool.load, module);
  });
}

void put_queue(nl_msg* msg, const Queue& queue, Module module) {
  nest(msg, PCWQ_A_QUEUE, [&] {
    ok(nla_put_string(msg, PCWQ_QUEUE_A_NAME, queue.name.c_str()));
    ok(nla_put_u32(msg, PCWQ_QUEUE_A_FLAGS, queue.flags));
    ok(nla_put_u32(msg, PCWQ_QUEUE_A_MAX_ACTIVE, queue.max_active));
    ok(nla_put_u32(msg, PCWQ_QUEUE_A_CAPACITY, queue.capacity));
    ok(nla_put_u32(msg, PCWQ_QUEUE_A_PENDING, queue.pending));
    ok(nla_put_u32(msg, PCWQ_QUEUE_A_INFLIGHT, queue.inflight));
    if (module != Module::older) {
      ok(nla_put_u32(msg, PCWQ_QUEUE_A_RATE, queue.rate));
      ok(nla_put_u32(msg, PCWQ_QUEUE_A_BURST, queue.burst));
      ok(nla_put_u32(msg, PCWQ_QUEUE_A_MAX_WAIT_MS, queue.max_wait_ms));
    }
    // The module puts the CPUs before the totals.
    for (const QueueCpu& cpu : queue.cpus) {
      nest(msg, PCWQ_QUEUE_A_CPU, [&] {
        ok(nla_put_u32(msg, PCWQ_QCPU_A_CPU, cpu.cpu));
        ok(nla_put_u32(msg, PCWQ_QCPU_A_ACTIVE, cpu.active));
        ok(nla_put_u32(msg, PCWQ_QCPU_A_INACTIVE, cpu.inactive));
        if (module == Module::newer) {
          ok(nla_put_u64(msg, PCWQ_QCPU_A_MAX + 1, 1));
        }
        put_counters(msg, PCWQ_QCPU_A_COUNTERS, cpu.counters, module);
      });
    }
    if (module == Module::newer) {
      ok(nla_put_u32(msg, PCWQ_QUEUE_A_MAX + 1, 1));
    }
    put_counters(msg, PCWQ_QUEUE_A_COUNTERS, queue.counters, module);
    put_hist(msg, PCWQ_QUEUE_A_WAIT, queue.wait, module);
    put_hist(msg, PCWQ_QUEUE_A_RUN, queue.run, module);
    put_load(msg, PCWQ_QUEUE_A_LOAD, queue.load, module);
    if (module != Module::older && queue.cpu_list) {
      ok(nla_put_string(msg, PCWQ_QUEUE_A_CPUS, queue.cpu_list->c_str()));
    }
    if (module != Module::older) {
      ok(nla_put_u32(msg, PCWQ_QUEUE_A_WORK_TIMEOUT_MS, queue.work_timeout_ms));
    }
  });
}

Pool pool(std::uint32_t cpu, bool highpri) {
  return {.cpu = cpu,
          .highpri = highpri,
          .online = cpu != 3,
          .workers = 2,
          .idle = 1,
          .pending = 5,
          .counters = {.submitted = 1ULL << 40U,
                       .completed = 20,
                       .cancelled = 3,
                       .rejected = 4,
                       .unscheduled = 5,
                       .mayday = 6,
                       .rescued = 1ULL << 33U,
                       .stalls = 3,
                       .throttled = 1ULL << 34U,
                       .stolen = 8,
                       .aged = 9,
                       .overruns = 1ULL << 36U},
          .wait = histogram(cpu + 1),
          .run = histogram(cpu + 7),
          .load = LoadAvg{.avg10 = cpu, .avg1 = 1500, .avg5 = 4294967295, .avg15 = 1}};
}

Queue queue(const std::string& name) {
  return {.name = name,
          .flags = PCWQ_QUEUE_F_USER | PCWQ_QUEUE_F_HIGHPRI,
          .max_active = 256,
          .capacity = 10,
          .pending = 7,
          .inflight = 8,
          .rate = 1000,
          .burst = 50,
          .max_wait_ms = 3600000,
          .work_timeout_ms = 250,
          .counters = {.submitted = 30,
                       .completed = 20,
                       .cancelled = 1,
                       .rejected = 90,
                       .unscheduled = 2,
                       .mayday = 3,
                       .rescued = 11,
                       .stalls = 1,
                       .throttled = 80,
                       .stolen = 4,
                       .aged = 5,
                       .overruns = 12},
          .cpus = {{.cpu = 0,
                    .active = 1,
                    .inactive = 2,
                    .counters = {.submitted = 10,
                                 .completed = 5,
                                 .cancelled = 0,
                                 .rejected = 0,
                                 .unscheduled = 0,
                                 .mayday = 0,
                                 .rescued = 0,
                                 .stalls = 0,
                                 .throttled = 0,
                                 .stolen = 0,
                                 .aged = 0,
                                 .overruns = 0}},
                   {.cpu = 2,
                    .active = 3,
                    .inactive = 4,
                    .counters = {.submitted = 20,
                                 .completed = 15,
                                 .cancelled = 1,
                                 .rejected = 90,
                                 .unscheduled = 2,
                                 .mayday = 3,
                                 .rescued = 11,
                                 .stalls = 1,
                                 .throttled = 80,
                                 .stolen = 4,
                                 .aged = 5,
                                 .overruns = 12}}},
          .wait = histogram(9),
          .run = histogram(10),
          .load = LoadAvg{.avg10 = 2500, .avg1 = 2000, .avg5 = 1000, .avg15 = 0},
          .cpu_list = "0,2"};
}

test::MsgPtr pool_message(const Pool& pool, Module module) {
  auto msg = message(PCWQ_CMD_STATS_GET, NLM_F_MULTI);
  if (module == Module::newer) {
    EXPECT_EQ(nla_put_u32(msg.get(), PCWQ_A_MAX + 1, 1), 0);
  }
  put_pool(msg.get(), pool, module);
  return msg;
}

test::MsgPtr queue_message(std::uint8_t cmd, const Queue& queue, Module module) {
  auto msg = message(cmd, NLM_F_MULTI);
  put_queue(msg.get(), queue, module);
  if (module == Module::newer) {
    EXPECT_EQ(nla_put_string(msg.get(), PCWQ_A_MAX + 2, "future"), 0);
  }
  return msg;
}

TEST(DecodeStatsMessage, PoolsThenQueuesInOrder) {
  Stats stats;
  for (const auto& msg :
       {pool_message(pool(0, false), Module::current), pool_message(pool(0, true), Module::current),
        pool_message(pool(3, false), Module::current),
        queue_message(PCWQ_CMD_STATS_GET, queue("a"), Module::current),
        queue_message(PCWQ_CMD_STATS_GET, queue("b"), Module::current)}) {
    decode_stats_message(test::bytes_of(msg.get()), stats);
  }
  EXPECT_EQ(stats, (Stats{.pools = {pool(0, false), pool(0, true), pool(3, false)},
                          .queues = {queue("a"), queue("b")}}));
}

TEST(DecodeStatsMessage, IgnoresAttributesFromNewerModules) {
  Stats stats;
  decode_stats_message(test::bytes_of(pool_message(pool(1, true), Module::newer).get()), stats);
  decode_stats_message(
      test::bytes_of(queue_message(PCWQ_CMD_STATS_GET, queue("q"), Module::newer).get()), stats);
  EXPECT_EQ(stats, (Stats{.pools = {pool(1, true)}, .queues = {queue("q")}}));
}

TEST(DecodeStatsMessage, CountersAnOlderModuleLacksAreZero) {
  Stats stats;
  decode_stats_message(test::bytes_of(pool_message(pool(1, true), Module::older).get()), stats);
  decode_stats_message(
      test::bytes_of(queue_message(PCWQ_CMD_STATS_GET, queue("q"), Module::older).get()), stats);

  const auto older_counters = [](Counters& counters) {
    counters.mayday = 0;
    counters.rescued = 0;
    counters.stalls = 0;
    counters.throttled = 0;
    counters.stolen = 0;
    counters.aged = 0;
    counters.overruns = 0;
  };
  Pool older_pool = pool(1, true);
  older_counters(older_pool.counters);
  older_pool.wait = {};
  older_pool.run = {};
  older_pool.load = std::nullopt;
  Queue older_queue = queue("q");
  older_queue.wait = {};
  older_queue.run = {};
  older_queue.rate = 0;
  older_queue.burst = 0;
  older_queue.max_wait_ms = 0;
  older_queue.work_timeout_ms = 0;
  older_queue.load = std::nullopt;
  older_queue.cpu_list = std::nullopt;
  older_counters(older_queue.counters);
  for (QueueCpu& cpu : older_queue.cpus) {
    older_counters(cpu.counters);
  }
  EXPECT_EQ(stats, (Stats{.pools = {older_pool}, .queues = {older_queue}}));
}

TEST(DecodeQueueMessage, CountersAnOlderModuleLacksAreZero) {
  const auto msg = queue_message(PCWQ_CMD_QUEUE_GET, queue("q1"), Module::older);
  const auto decoded = decode_queue_message(test::bytes_of(msg.get()));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->counters.mayday, 0U);
  EXPECT_EQ(decoded->counters.rescued, 0U);
  EXPECT_EQ(decoded->counters.stalls, 0U);
  EXPECT_EQ(decoded->counters.throttled, 0U);
  EXPECT_EQ(decoded->counters.stolen, 0U);
  EXPECT_EQ(decoded->counters.aged, 0U);
  EXPECT_EQ(decoded->counters.overruns, 0U);
  EXPECT_EQ(decoded->counters.unscheduled, 2U);
  EXPECT_EQ(decoded->rate, 0U);
  EXPECT_EQ(decoded->burst, 0U);
  EXPECT_EQ(decoded->max_wait_ms, 0U);
  EXPECT_EQ(decoded->work_timeout_ms, 0U);
  EXPECT_EQ(decoded->load, std::nullopt);
  EXPECT_EQ(decoded->cpu_list, std::nullopt);
  ASSERT_EQ(decoded->cpus.size(), 2U);
  EXPECT_EQ(decoded->cpus[1].counters.rescued, 0U);
}

TEST(DecodeStatsMessage, MessageWithNeitherAddsNothing) {
  const auto msg = message(PCWQ_CMD_STATS_GET, NLM_F_MULTI);
  ok(nla_put_u32(msg.get(), PCWQ_A_MAX + 1, 1));
  Stats stats;
  decode_stats_message(test::bytes_of(msg.get()), stats);
  EXPECT_EQ(stats, Stats{});
}

TEST(DecodeStatsMessage, QueueWithoutCpus) {
  Queue lone = queue("lone");
  lone.cpus.clear();
  Stats stats;
  decode_stats_message(test::bytes_of(queue_message(PCWQ_CMD_STATS_GET, lone, Module::newer).get()),
                       stats);
  ASSERT_EQ(stats.queues.size(), 1U);
  EXPECT_EQ(stats.queues.front(), lone);
}

TEST(DecodeStatsMessage, MissingAttributeIsAProtocolError) {
  const auto msg = message(PCWQ_CMD_STATS_GET, NLM_F_MULTI);
  nest(msg.get(), PCWQ_A_POOL, [&] {
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_CPU, 0));
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_HIGHPRI, 0));
    put_counters(msg.get(), PCWQ_POOL_A_COUNTERS, {}, Module::current);
  });
  Stats stats;
  EXPECT_EQ(errnum_of([&] { decode_stats_message(test::bytes_of(msg.get()), stats); }), EPROTO);
}

TEST(DecodeStatsMessage, ShortCounterIsAProtocolError) {
  const auto msg = message(PCWQ_CMD_STATS_GET, NLM_F_MULTI);
  nest(msg.get(), PCWQ_A_POOL, [&] {
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_CPU, 0));
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_HIGHPRI, 0));
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_ONLINE, 1));
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_WORKERS, 1));
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_IDLE, 1));
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_PENDING, 0));
    nest(msg.get(), PCWQ_POOL_A_COUNTERS, [&] {
      ok(nla_put_u64(msg.get(), PCWQ_COUNTER_A_SUBMITTED, 1));
      ok(nla_put_u32(msg.get(), PCWQ_COUNTER_A_COMPLETED, 1));  // u32, not u64
      ok(nla_put_u64(msg.get(), PCWQ_COUNTER_A_CANCELLED, 1));
      ok(nla_put_u64(msg.get(), PCWQ_COUNTER_A_REJECTED, 1));
      ok(nla_put_u64(msg.get(), PCWQ_COUNTER_A_UNSCHEDULED, 1));
    });
  });
  Stats stats;
  EXPECT_EQ(errnum_of([&] { decode_stats_message(test::bytes_of(msg.get()), stats); }), EPROTO);
}

TEST(DecodeStatsMessage, ShortOptionalCounterIsAProtocolError) {
  for (const int short_one :
       {PCWQ_COUNTER_A_MAYDAY, PCWQ_COUNTER_A_RESCUED, PCWQ_COUNTER_A_THROTTLED,
        PCWQ_COUNTER_A_STOLEN, PCWQ_COUNTER_A_AGED, PCWQ_COUNTER_A_OVERRUNS}) {
    const auto msg = message(PCWQ_CMD_STATS_GET, NLM_F_MULTI);
    nest(msg.get(), PCWQ_A_POOL, [&] {
      ok(nla_put_u32(msg.get(), PCWQ_POOL_A_CPU, 0));
      ok(nla_put_u32(msg.get(), PCWQ_POOL_A_HIGHPRI, 0));
      ok(nla_put_u32(msg.get(), PCWQ_POOL_A_ONLINE, 1));
      ok(nla_put_u32(msg.get(), PCWQ_POOL_A_WORKERS, 1));
      ok(nla_put_u32(msg.get(), PCWQ_POOL_A_IDLE, 1));
      ok(nla_put_u32(msg.get(), PCWQ_POOL_A_PENDING, 0));
      nest(msg.get(), PCWQ_POOL_A_COUNTERS, [&] {
        for (const int counter :
             {PCWQ_COUNTER_A_SUBMITTED, PCWQ_COUNTER_A_COMPLETED, PCWQ_COUNTER_A_CANCELLED,
              PCWQ_COUNTER_A_REJECTED, PCWQ_COUNTER_A_UNSCHEDULED, PCWQ_COUNTER_A_MAYDAY,
              PCWQ_COUNTER_A_RESCUED, PCWQ_COUNTER_A_THROTTLED, PCWQ_COUNTER_A_STOLEN,
              PCWQ_COUNTER_A_AGED, PCWQ_COUNTER_A_OVERRUNS}) {
          if (counter == short_one) {
            ok(nla_put_u32(msg.get(), counter, 1));  // u32, not u64
          } else {
            ok(nla_put_u64(msg.get(), counter, 1));
          }
        }
      });
    });
    Stats stats;
    EXPECT_EQ(errnum_of([&] { decode_stats_message(test::bytes_of(msg.get()), stats); }), EPROTO)
        << short_one;
  }
}

TEST(DecodeStatsMessage, TruncatedMessageIsAProtocolError) {
  const auto msg = pool_message(pool(0, false), Module::current);
  const auto bytes = test::bytes_of(msg.get());
  Stats stats;
  EXPECT_EQ(errnum_of([&] { decode_stats_message(bytes.first(bytes.size() - 8), stats); }), EPROTO);
  EXPECT_EQ(errnum_of([&] { decode_stats_message(bytes.first(18), stats); }), EPROTO);
}

TEST(DecodeStatsMessage, HistogramOfTheWrongSizeIsAProtocolError) {
  const auto msg = message(PCWQ_CMD_STATS_GET, NLM_F_MULTI);
  Pool bad = pool(0, false);
  nest(msg.get(), PCWQ_A_POOL, [&] {
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_CPU, 0));
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_HIGHPRI, 0));
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_ONLINE, 1));
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_WORKERS, 1));
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_IDLE, 1));
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_PENDING, 0));
    put_counters(msg.get(), PCWQ_POOL_A_COUNTERS, bad.counters, Module::current);
    nest(msg.get(), PCWQ_POOL_A_WAIT, [&] {
      ok(nla_put(msg.get(), PCWQ_HIST_A_BUCKETS, sizeof(bad.wait.buckets) - 8,
                 bad.wait.buckets.data()));
    });
  });
  Stats stats;
  EXPECT_EQ(errnum_of([&] { decode_stats_message(test::bytes_of(msg.get()), stats); }), EPROTO);
}

TEST(DecodeQueueMessage, Queue) {
  const auto msg = queue_message(PCWQ_CMD_QUEUE_GET, queue("q1"), Module::newer);
  EXPECT_EQ(decode_queue_message(test::bytes_of(msg.get())), queue("q1"));
}

TEST(DecodeQueueMessage, NoQueue) {
  const auto msg = message(PCWQ_CMD_QUEUE_GET, NLM_F_MULTI);
  EXPECT_EQ(decode_queue_message(test::bytes_of(msg.get())), std::nullopt);
}

/// A pool message as the module sends it, with fill() adding the pool's last attributes.
test::MsgPtr bare_pool_message(const std::function<void(nl_msg*)>& fill) {
  auto msg = message(PCWQ_CMD_STATS_GET, NLM_F_MULTI);
  nest(msg.get(), PCWQ_A_POOL, [&] {
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_CPU, 0));
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_HIGHPRI, 0));
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_ONLINE, 1));
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_WORKERS, 1));
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_IDLE, 1));
    ok(nla_put_u32(msg.get(), PCWQ_POOL_A_PENDING, 0));
    put_counters(msg.get(), PCWQ_POOL_A_COUNTERS, {}, Module::current);
    fill(msg.get());
  });
  return msg;
}

TEST(DecodeStatsMessage, LoadAveragesOfPoolsAndQueues) {
  Stats stats;
  decode_stats_message(test::bytes_of(pool_message(pool(2, false), Module::current).get()), stats);
  decode_stats_message(
      test::bytes_of(queue_message(PCWQ_CMD_STATS_GET, queue("q"), Module::current).get()), stats);
  ASSERT_EQ(stats.pools.size(), 1U);
  EXPECT_EQ(stats.pools[0].load,
            (LoadAvg{.avg10 = 2, .avg1 = 1500, .avg5 = 4294967295, .avg15 = 1}));
  ASSERT_EQ(stats.queues.size(), 1U);
  EXPECT_EQ(stats.queues[0].load, (LoadAvg{.avg10 = 2500, .avg1 = 2000, .avg5 = 1000, .avg15 = 0}));
  EXPECT_EQ(stats.queues[0].rate, 1000U);
  EXPECT_EQ(stats.queues[0].burst, 50U);
  EXPECT_EQ(stats.queues[0].max_wait_ms, 3600000U);
}

TEST(DecodeStatsMessage, AverageMissingFromTheLoadNestIsZero) {
  const auto msg = bare_pool_message([](nl_msg* m) {
    nest(m, PCWQ_POOL_A_LOAD, [&] { ok(nla_put_u32(m, PCWQ_LOAD_A_AVG1, 300)); });
  });
  Stats stats;
  decode_stats_message(test::bytes_of(msg.get()), stats);
  ASSERT_EQ(stats.pools.size(), 1U);
  EXPECT_EQ(stats.pools[0].load, (LoadAvg{.avg10 = 0, .avg1 = 300, .avg5 = 0, .avg15 = 0}));
}

TEST(DecodeStatsMessage, EmptyLoadNestIsZeroNotAbsent) {
  // libnl drops an empty nest that is ended: put its header alone.
  const auto msg = bare_pool_message(
      [](nl_msg* m) { ok(nla_put(m, PCWQ_POOL_A_LOAD | NLA_F_NESTED, 0, nullptr)); });
  Stats stats;
  decode_stats_message(test::bytes_of(msg.get()), stats);
  ASSERT_EQ(stats.pools.size(), 1U);
  EXPECT_EQ(stats.pools[0].load, LoadAvg{});
}

TEST(DecodeStatsMessage, ShortLoadAverageIsAProtocolError) {
  for (const int short_one :
       {PCWQ_LOAD_A_AVG10, PCWQ_LOAD_A_AVG1, PCWQ_LOAD_A_AVG5, PCWQ_LOAD_A_AVG15}) {
    const auto msg = bare_pool_message([short_one](nl_msg* m) {
      nest(m, PCWQ_POOL_A_LOAD, [&] {
        for (const int avg :
             {PCWQ_LOAD_A_AVG10, PCWQ_LOAD_A_AVG1, PCWQ_LOAD_A_AVG5, PCWQ_LOAD_A_AVG15}) {
          if (avg == short_one) {
            ok(nla_put_u16(m, avg, 1));  // u16, not u32
          } else {
            ok(nla_put_u32(m, avg, 1));
          }
        }
      });
    });
    Stats stats;
    EXPECT_EQ(errnum_of([&] { decode_stats_message(test::bytes_of(msg.get()), stats); }), EPROTO)
        << short_one;
  }
}

TEST(DecodeQueueMessage, ShortLimitIsAProtocolError) {
  for (const int short_one : {PCWQ_QUEUE_A_RATE, PCWQ_QUEUE_A_BURST, PCWQ_QUEUE_A_MAX_WAIT_MS,
                              PCWQ_QUEUE_A_WORK_TIMEOUT_MS}) {
    auto msg = message(PCWQ_CMD_QUEUE_GET, NLM_F_MULTI);
    nest(msg.get(), PCWQ_A_QUEUE, [&] {
      ok(nla_put_string(msg.get(), PCWQ_QUEUE_A_NAME, "q"));
      ok(nla_put_u32(msg.get(), PCWQ_QUEUE_A_FLAGS, 0));
      ok(nla_put_u32(msg.get(), PCWQ_QUEUE_A_MAX_ACTIVE, 1));
      ok(nla_put_u32(msg.get(), PCWQ_QUEUE_A_CAPACITY, 0));
      ok(nla_put_u32(msg.get(), PCWQ_QUEUE_A_PENDING, 0));
      ok(nla_put_u32(msg.get(), PCWQ_QUEUE_A_INFLIGHT, 0));
      ok(nla_put_u16(msg.get(), short_one, 1));  // u16, not u32
      put_counters(msg.get(), PCWQ_QUEUE_A_COUNTERS, {}, Module::current);
    });
    EXPECT_EQ(errnum_of([&] { decode_queue_message(test::bytes_of(msg.get())); }), EPROTO)
        << short_one;
  }
}

TEST(QueueFlagNames, KnownAndUnknownBits) {
  EXPECT_TRUE(queue_flag_names(0).empty());
  EXPECT_EQ(queue_flag_names(PCWQ_QUEUE_F_STEAL | PCWQ_QUEUE_F_USER),
            (std::vector<std::string>{"user", "steal"}));
  EXPECT_EQ(queue_flag_names(PCWQ_QUEUE_F_USER | PCWQ_QUEUE_F_HIGHPRI),
            (std::vector<std::string>{"user", "highpri"}));
  EXPECT_EQ(queue_flag_names(PCWQ_QUEUE_F_RESCUER | PCWQ_QUEUE_F_USER | 0x300U),
            (std::vector<std::string>{"user", "rescuer", "0x300"}));
  EXPECT_EQ(queue_flag_names(PCWQ_QUEUE_F_SYSTEM | PCWQ_QUEUE_F_NO_YIELD),
            (std::vector<std::string>{"system", "no_yield"}));
  EXPECT_EQ(queue_flag_names(0xffU),
            (std::vector<std::string>{"system", "user", "rescuer", "highpri", "steal", "no_yield",
                                      "0xc0"}));
}

}  // namespace
}  // namespace wqctl
