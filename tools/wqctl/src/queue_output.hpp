// Presentation of queues, statistics and the replies of load and drain: aligned tables or JSON.
#pragma once

#include <string>
#include <vector>

#include "output.hpp"
#include "queue_proto.hpp"

namespace wqctl {

/// "queue list": name, flags, max_active, capacity, rate, burst, max_wait_ms, work_timeout_ms,
/// pending, inflight, cpus.  Text shows "-" for a capacity, rate, burst, max_wait_ms or
/// work_timeout_ms of 0 (none); JSON the numbers.
std::string render_queues(const std::vector<Queue>& queues, Format format);

/// "stats": tables of the pools' counters, latencies and load averages, the same of the queues,
/// then, when per_cpu, one of the queues' CPUs.  Load averages are in items with two decimals
/// ("-" when the module sent none).  JSON always has the CPUs; each pool and queue has
/// "load": {"avg10": X, "avg1": X, "avg5": X, "avg15": X} in items (raw / PCWQ_LOAD_SCALE), or
/// "load": null when the module sent none.
std::string render_stats(const Stats& stats, Format format, bool per_cpu);

/// "load": "accepted N, refused M".
std::string render_load(const LoadResult& result, Format format);

/// "drain": "drained (waited)" or "drained (was empty)".
std::string render_drain(bool waited, Format format);

}  // namespace wqctl
