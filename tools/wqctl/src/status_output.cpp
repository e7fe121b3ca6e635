#include "status_output.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pcwq_genl.h"

namespace wqctl {
namespace {

std::optional<std::uint32_t> setting(const Config& config, std::string_view name) {
  const auto found =
      std::ranges::find_if(config, [name](const Setting& each) { return each.key->name == name; });
  if (found == config.end()) {
    return std::nullopt;
  }
  return found->value;
}

/// Adds the setting name, shown as "off" when 0 and otherwise followed by unit when there is one.
void add_setting(Record& record, const Config& config, std::string_view name,
                 std::string_view unit) {
  const auto value = setting(config, name);
  if (!value) {
    return;
  }
  std::string text = "off";
  if (*value != 0) {
    text = std::to_string(*value) + (unit.empty() ? "" : " " + std::string(unit));
  }
  record.push_back({std::string(name), *value, std::move(text)});
}

/// What the pools add up to.
struct PoolTotals {
  std::uint32_t online = 0;
  std::uint64_t workers = 0;
  std::uint64_t idle = 0;
  std::uint64_t pending = 0;
  Counters counters;
};

PoolTotals pool_totals(const std::vector<Pool>& pools) {
  PoolTotals totals;
  for (const Pool& pool : pools) {
    totals.online += pool.online ? 1 : 0;
    totals.workers += pool.workers;
    totals.idle += pool.idle;
    totals.pending += pool.pending;
    totals.counters.submitted += pool.counters.submitted;
    totals.counters.completed += pool.counters.completed;
    totals.counters.rejected += pool.counters.rejected;
    totals.counters.stalls += pool.counters.stalls;
    totals.counters.mayday += pool.counters.mayday;
    totals.counters.rescued += pool.counters.rescued;
    totals.counters.throttled += pool.counters.throttled;
    totals.counters.stolen += pool.counters.stolen;
    totals.counters.aged += pool.counters.aged;
    totals.counters.overruns += pool.counters.overruns;
  }
  return totals;
}

std::uint32_t count(std::size_t size) { return static_cast<std::uint32_t>(size); }

}  // namespace

Record status_summary(const Status& status, const Config& config, const Stats& stats) {
  const PoolTotals totals = pool_totals(stats.pools);
  const auto user_queues = std::ranges::count_if(
      stats.queues, [](const Queue& queue) { return (queue.flags & PCWQ_QUEUE_F_USER) != 0; });

  Record record = to_record(status);
  // The verdict right below the version, where it is seen first.
  const auto version = std::ranges::find(record, "version", &Field::name);
  record.insert(std::next(version),
                {"health", std::string(totals.counters.stalls > 0 ? health_stalled : health_ok)});
  record.push_back({"queues", count(stats.queues.size())});
  record.push_back({"user_queues", count(static_cast<std::size_t>(user_queues))});
  record.push_back({"pools_online", totals.online});
  record.push_back({"pools", count(stats.pools.size())});
  record.push_back({"workers", totals.workers});
  record.push_back({"workers_idle", totals.idle});
  record.push_back({"pending", totals.pending});
  record.push_back({"submitted", totals.counters.submitted});
  record.push_back({"completed", totals.counters.completed});
  record.push_back({"rejected", totals.counters.rejected});
  record.push_back({"stalls", totals.counters.stalls});
  record.push_back({"mayday", totals.counters.mayday});
  record.push_back({"rescued", totals.counters.rescued});
  record.push_back({"throttled", totals.counters.throttled});
  record.push_back({"stolen", totals.counters.stolen});
  record.push_back({"aged", totals.counters.aged});
  record.push_back({"overruns", totals.counters.overruns});
  add_setting(record, config, "watchdog_thresh", "s");
  add_setting(record, config, "panic_on_stall", "");
  add_setting(record, config, "panic_on_stall_time", "s");
  return record;
}

}  // namespace wqctl
