// The queue, load and statistics messages of the pcwq family: plain structs, the encoding of
// the requests and the decoding of the replies and dumped messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hist.hpp"
#include "netlink.hpp"

namespace wqctl {

/// Longest queue name, in bytes, without its NUL.
constexpr std::size_t max_queue_name = 31;

/// Counters of a pool, of a queue or of one CPU of a queue (PCWQ_COUNTER_A_*).
struct Counters {
  std::uint64_t submitted = 0;
  std::uint64_t completed = 0;
  std::uint64_t cancelled = 0;
  std::uint64_t rejected = 0;
  std::uint64_t unscheduled = 0;
  std::uint64_t mayday = 0;     ///< calls for the rescuers by starved pools; 0 from older modules
  std::uint64_t rescued = 0;    ///< items run by a rescuer; 0 from older modules
  std::uint64_t stalls = 0;     ///< stall reports of the watchdog; 0 from older modules
  std::uint64_t throttled = 0;  ///< submissions refused by the rate limit; 0 from older modules
  std::uint64_t stolen = 0;     ///< items taken from another CPU's pool; 0 from older modules
  std::uint64_t aged = 0;       ///< items served first past max_wait; 0 from older modules
  std::uint64_t overruns = 0;   ///< items that ran past the work timeout; 0 from older modules

  friend bool operator==(const Counters&, const Counters&) = default;
};

/// Load averages of a pending length (PCWQ_LOAD_A_*), in units of 1/PCWQ_LOAD_SCALE item.
struct LoadAvg {
  std::uint32_t avg10 = 0;  ///< over 10 seconds
  std::uint32_t avg1 = 0;   ///< over 1 minute
  std::uint32_t avg5 = 0;   ///< over 5 minutes
  std::uint32_t avg15 = 0;  ///< over 15 minutes

  friend bool operator==(const LoadAvg&, const LoadAvg&) = default;
};

/// One CPU of a queue (PCWQ_QCPU_A_*).
struct QueueCpu {
  std::uint32_t cpu = 0;
  std::uint32_t active = 0;    ///< items holding a max_active slot
  std::uint32_t inactive = 0;  ///< items waiting for a slot
  Counters counters;

  friend bool operator==(const QueueCpu&, const QueueCpu&) = default;
};

/// A queue (PCWQ_QUEUE_A_*).
struct Queue {
  std::string name;
  std::uint32_t flags = 0;  ///< PCWQ_QUEUE_F_*
  std::uint32_t max_active = 0;
  std::uint32_t capacity = 0;  ///< 0: unlimited
  std::uint32_t pending = 0;
  std::uint32_t inflight = 0;
  std::uint32_t rate = 0;             ///< items per second, 0: no limit; 0 from older modules
  std::uint32_t burst = 0;            ///< token bucket size; 0 from older modules
  std::uint32_t max_wait_ms = 0;      ///< aging deadline, 0: off; 0 from older modules
  std::uint32_t work_timeout_ms = 0;  ///< run-time limit of an item, 0: off; 0 from older modules
  Counters counters;                  ///< totals over the CPUs
  std::vector<QueueCpu> cpus;         ///< in the kernel's order
  Histogram wait;                     ///< from submission to start, over the CPUs
  Histogram run;                      ///< of the handlers, over the CPUs
  std::optional<LoadAvg> load;  ///< of the items queued or delayed; nullopt from older modules
  /// The CPUs the queue runs on, in the kernel's cpulist format ("0-3,6"); nullopt from older
  /// modules, which run every queue on every CPU.
  std::optional<std::string> cpu_list;

  friend bool operator==(const Queue&, const Queue&) = default;
};

/// A worker pool (PCWQ_POOL_A_*).
struct Pool {
  std::uint32_t cpu = 0;
  bool highpri = false;
  bool online = false;
  std::uint32_t workers = 0;
  std::uint32_t idle = 0;
  std::uint32_t pending = 0;
  Counters counters;
  Histogram wait;               ///< from submission to start
  Histogram run;                ///< of the handlers
  std::optional<LoadAvg> load;  ///< of the items ready on the worklist; nullopt from older modules

  friend bool operator==(const Pool&, const Pool&) = default;
};

/// A STATS_GET dump: pools, then queues, in the kernel's order.
struct Stats {
  std::vector<Pool> pools;
  std::vector<Queue> queues;

  friend bool operator==(const Stats&, const Stats&) = default;
};

/// Largest PCWQ_A_QUEUE_RATE and PCWQ_A_QUEUE_BURST the module takes.
constexpr std::uint32_t max_queue_rate = 1000000;
/// Largest PCWQ_A_QUEUE_MAX_WAIT_MS the module takes.
constexpr std::uint32_t max_queue_wait_ms = 3600000;
/// Largest PCWQ_A_QUEUE_WORK_TIMEOUT_MS the module takes.
constexpr std::uint32_t max_queue_work_timeout_ms = 3600000;
/// Longest PCWQ_A_QUEUE_CPUS the module takes, in bytes without the NUL.
constexpr std::size_t max_queue_cpus_len = 1023;

/// A QUEUE_ADD request.
struct QueueSpec {
  std::string name;
  std::uint32_t flags = 0;  ///< PCWQ_QUEUE_F_RESCUER, _HIGHPRI, _STEAL, _NO_YIELD
  std::optional<std::uint32_t> max_active;
  std::optional<std::uint32_t> capacity;
  std::optional<std::uint32_t> rate;
  std::optional<std::uint32_t> burst;
  std::optional<std::uint32_t> max_wait_ms;
  std::optional<std::uint32_t> work_timeout_ms;
  std::optional<std::string> cpus;  ///< cpulist ("0-3,6"); nullopt: every CPU
};

/// A QUEUE_SET request: the limits given change, all or nothing; the others stay.
struct QueueLimits {
  std::string name;
  std::optional<std::uint32_t> capacity;
  std::optional<std::uint32_t> rate;
  std::optional<std::uint32_t> burst;
  std::optional<std::uint32_t> max_wait_ms;
  std::optional<std::uint32_t> work_timeout_ms;

  /// Nothing to change (the module refuses that).
  [[nodiscard]] bool empty() const {
    return !capacity && !rate && !burst && !max_wait_ms && !work_timeout_ms;
  }
};

/// A LOAD request; what is not given is left to the kernel's defaults.
struct LoadSpec {
  std::string name;
  std::optional<std::uint32_t> count;
  std::optional<std::uint32_t> cpu;  ///< nullopt: spread over the online CPUs
  std::optional<std::uint32_t> spin_us;
  std::optional<std::uint32_t> sleep_ms;
  std::optional<std::uint32_t> delay_ms;
};

/// Reply to LOAD.
struct LoadResult {
  std::uint32_t accepted = 0;
  std::uint32_t refused = 0;

  friend bool operator==(const LoadResult&, const LoadResult&) = default;
};

/// Names of the PCWQ_QUEUE_F_* bits set in flags: "system", "user", "rescuer", "highpri",
/// "steal", "no_yield", and "0x..." for the bits this wqctl does not know.
std::vector<std::string> queue_flag_names(std::uint32_t flags);

/// Adds the attributes of a QUEUE_ADD request: only those given.
void encode_queue_add(nl::Message& msg, const QueueSpec& spec);
/// Adds the attributes of a QUEUE_SET request: the name and the limits given.
void encode_queue_set(nl::Message& msg, const QueueLimits& limits);
/// Adds the queue name of QUEUE_DEL, FLUSH and UNPLUG requests.
void encode_queue_name(nl::Message& msg, const std::string& name);
/// Adds the attributes of a LOAD request: only those given.
void encode_load(nl::Message& msg, const LoadSpec& spec);
/// Adds the attributes of a DRAIN request.
void encode_drain(nl::Message& msg, const std::string& name, bool plug);
/// Adds the attributes of a STATS_GET dump request.
void encode_stats_get(nl::Message& msg, std::optional<std::uint32_t> cpu);

/// Decodes a LOAD reply.  Throws OpError (EPROTO) when an attribute is missing.
LoadResult decode_load(const nl::Attrs& attrs);
/// Decodes a DRAIN reply: whether the drain had to wait.
bool decode_drain(const nl::Attrs& attrs);

/// Decodes one message of a QUEUE_GET dump, from its nlmsghdr on; nullopt when it carries no
/// queue.  Unknown attributes are ignored; throws OpError (EPROTO) when one of the queue's
/// attributes is missing or the message is malformed.
std::optional<Queue> decode_queue_message(std::span<const std::byte> msg);
/// Decodes one message of a STATS_GET dump and adds the pool or queue it carries to stats
/// (nothing when it carries neither).  Throws as decode_queue_message().
void decode_stats_message(std::span<const std::byte> msg, Stats& stats);

}  // namespace wqctl
