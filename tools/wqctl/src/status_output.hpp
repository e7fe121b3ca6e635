// Presentation of "status": a one-screen health summary of the module.
#pragma once

#include <string_view>

#include "config_keys.hpp"
#include "output.hpp"
#include "pcwq_proto.hpp"
#include "queue_proto.hpp"

namespace wqctl {

/// The verdict when no pool reported a stall since the module was loaded or its counters reset.
constexpr std::string_view health_ok = "ok";
/// The verdict when a pool did (stalls > 0).
constexpr std::string_view health_stalled = "stalled";

/// The summary: module, version, health, CPUs, queues (with those created by wqctl), pools,
/// workers, pending items, the pools' counters summed (submitted, completed, rejected, stalls,
/// mayday, rescued, throttled, stolen, aged, overruns), and the panic settings.  Text shows
/// the settings with their unit, and "off" for 0; JSON has the raw numbers.  The queues are
/// those of stats; the settings missing from config are left out.
Record status_summary(const Status& status, const Config& config, const Stats& stats);

}  // namespace wqctl
