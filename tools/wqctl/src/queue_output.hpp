// Presentation of queues, statistics and the replies of load and drain: aligned tables or JSON.
#pragma once

#include <string>
#include <vector>

#include "output.hpp"
#include "queue_proto.hpp"

namespace wqctl {

/// "queue list": name, flags, max_active, capacity, pending, inflight.
std::string render_queues(const std::vector<Queue>& queues, Format format);

/// "stats": a table of pools, then one of queues, then, when per_cpu, one of the queues' CPUs.
/// JSON always has the CPUs.
std::string render_stats(const Stats& stats, Format format, bool per_cpu);

/// "load": "accepted N, refused M".
std::string render_load(const LoadResult& result, Format format);

/// "drain": "drained (waited)" or "drained (was empty)".
std::string render_drain(bool waited, Format format);

}  // namespace wqctl
