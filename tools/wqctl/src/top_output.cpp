#include "top_output.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "json_text.hpp"
#include "load_avg.hpp"
#include "table.hpp"

namespace wqctl {
namespace {

using Json = nlohmann::ordered_json;

/// What the value of a column counts.
enum class Unit : std::uint8_t {
  count,
  duration,  ///< microseconds, shown with a unit in text
  load,      ///< 1/PCWQ_LOAD_SCALE item: two decimals in text, a number of items in JSON
};

/// A column of the table and a key of the JSON objects, for a CPU and for the totals.
struct Column {
  std::string_view header;  ///< in the text
  std::string_view key;     ///< in JSON
  /// nullopt: nothing to show ("-" in text, null in JSON).
  std::optional<std::uint64_t> (*value)(const TopCounts&);
  Unit unit = Unit::count;

  [[nodiscard]] std::string text(const TopCounts& counts) const {
    const auto v = value(counts);
    if (!v) {
      return "-";
    }
    switch (unit) {
      case Unit::duration:
        return duration_text(*v);
      case Unit::load:
        return load_text(*v);
      case Unit::count:
        break;
    }
    return std::to_string(*v);
  }

  [[nodiscard]] Json json(const TopCounts& counts) const {
    const auto v = value(counts);
    if (!v) {
      return nullptr;
    }
    return unit == Unit::load ? Json(load_items(*v)) : Json(*v);
  }
};

/// A percentile of an optional set of them.
template <std::uint64_t Percentiles::*Member>
std::optional<std::uint64_t> pick(const std::optional<Percentiles>& p) {
  return p ? std::optional{(*p).*Member} : std::nullopt;
}

constexpr std::array columns{
    Column{"workers", "workers", [](const TopCounts& c) { return std::optional{c.workers}; }},
    Column{"idle", "idle", [](const TopCounts& c) { return std::optional{c.idle}; }},
    Column{"running", "running", [](const TopCounts& c) { return std::optional{c.running()}; }},
    Column{"pending", "pending", [](const TopCounts& c) { return std::optional{c.pending}; }},
    Column{"load10", "load10", [](const TopCounts& c) { return c.load10; }, Unit::load},
    Column{"load1", "load1", [](const TopCounts& c) { return c.load1; }, Unit::load},
    Column{"completed/s", "completed_per_sec",
           [](const TopCounts& c) { return std::optional{c.completed_per_sec}; }},
    Column{"submitted/s", "submitted_per_sec",
           [](const TopCounts& c) { return std::optional{c.submitted_per_sec}; }},
    Column{"throttled/s", "throttled_per_sec",
           [](const TopCounts& c) { return std::optional{c.throttled_per_sec}; }},
    Column{"stolen/s", "stolen_per_sec",
           [](const TopCounts& c) { return std::optional{c.stolen_per_sec}; }},
    Column{"wait_p50", "wait_p50_us",
           [](const TopCounts& c) { return pick<&Percentiles::p50_us>(c.wait); }, Unit::duration},
    Column{"wait_p99", "wait_p99_us",
           [](const TopCounts& c) { return pick<&Percentiles::p99_us>(c.wait); }, Unit::duration},
    Column{"run_p50", "run_p50_us",
           [](const TopCounts& c) { return pick<&Percentiles::p50_us>(c.run); }, Unit::duration},
    Column{"run_p99", "run_p99_us",
           [](const TopCounts& c) { return pick<&Percentiles::p99_us>(c.run); }, Unit::duration},
    Column{"rejected", "rejected", [](const TopCounts& c) { return std::optional{c.rejected}; }},
    Column{"stalls", "stalls", [](const TopCounts& c) { return std::optional{c.stalls}; }},
    Column{"mayday", "mayday", [](const TopCounts& c) { return std::optional{c.mayday}; }},
    Column{"rescued", "rescued", [](const TopCounts& c) { return std::optional{c.rescued}; }},
    Column{"overruns", "overruns", [](const TopCounts& c) { return std::optional{c.overruns}; }},
};

/// How much a counter grew; 0 when it went backwards.
std::uint64_t growth(std::uint64_t before, std::uint64_t after) {
  return after >= before ? after - before : 0;
}

/// Some pools summed, with the growth of the counters that are shown as rates.
struct PoolSum {
  bool online = false;
  std::uint64_t completed = 0;
  std::uint64_t submitted = 0;
  std::uint64_t throttled = 0;
  std::uint64_t stolen = 0;
  Histogram wait;    ///< of the interval
  Histogram run;     ///< of the interval
  TopCounts counts;  ///< without the rates and percentiles

  void add(const Pool& pool, const Pool* earlier) {
    online = online || pool.online;
    if (earlier != nullptr) {
      completed += growth(earlier->counters.completed, pool.counters.completed);
      submitted += growth(earlier->counters.submitted, pool.counters.submitted);
      throttled += growth(earlier->counters.throttled, pool.counters.throttled);
      stolen += growth(earlier->counters.stolen, pool.counters.stolen);
      wait = histogram_sum(wait, histogram_delta(pool.wait, earlier->wait));
      run = histogram_sum(run, histogram_delta(pool.run, earlier->run));
    }
    counts.workers += pool.workers;
    counts.idle += pool.idle;
    counts.pending += pool.pending;
    if (pool.load) {
      counts.load10 = counts.load10.value_or(0) + pool.load->avg10;
      counts.load1 = counts.load1.value_or(0) + pool.load->avg1;
    }
    counts.rejected += pool.counters.rejected;
    counts.stalls += pool.counters.stalls;
    counts.mayday += pool.counters.mayday;
    counts.rescued += pool.counters.rescued;
    counts.overruns += pool.counters.overruns;
  }

  [[nodiscard]] TopCounts with_rates(std::chrono::milliseconds interval) const {
    TopCounts result = counts;
    result.completed_per_sec = per_second(completed, interval);
    result.submitted_per_sec = per_second(submitted, interval);
    result.throttled_per_sec = per_second(throttled, interval);
    result.stolen_per_sec = per_second(stolen, interval);
    result.wait = percentiles(wait);
    result.run = percentiles(run);
    return result;
  }
};

const Pool* find_pool(const std::vector<Pool>& pools, const Pool& like) {
  const auto found = std::ranges::find_if(pools, [&like](const Pool& pool) {
    return pool.cpu == like.cpu && pool.highpri == like.highpri;
  });
  return found == pools.end() ? nullptr : &*found;
}

Json counts_json(Json object, const TopCounts& counts) {
  for (const Column& column : columns) {
    object[std::string(column.key)] = column.json(counts);
  }
  return object;
}

std::string render_json(const TopFrame& frame, Format format) {
  auto cpus = Json::array();
  for (const TopCpu& cpu : frame.cpus) {
    cpus.push_back(counts_json({{"cpu", cpu.cpu}, {"online", cpu.online}}, cpu.counts));
  }
  const Json totals = counts_json(
      {{"cpus", frame.cpus.size()}, {"online_cpus", frame.online_cpus()}}, frame.totals);
  return json_text({{"time_ms", frame.time_ms},
                    {"interval_ms", frame.interval_ms},
                    {"cpus", std::move(cpus)},
                    {"totals", totals}},
                   format);
}

std::string render_text(const TopFrame& frame) {
  std::string totals = "cpus " + std::to_string(frame.online_cpus()) + "/" +
                       std::to_string(frame.cpus.size()) + " online";
  std::vector<std::string> header{"cpu", "online"};
  for (const Column& column : columns) {
    totals += "  " + std::string(column.header) + " " + column.text(frame.totals);
    header.emplace_back(column.header);
  }
  Table table{std::move(header)};
  for (const TopCpu& cpu : frame.cpus) {
    std::vector<std::string> cells{std::to_string(cpu.cpu), cpu.online ? "yes" : "no"};
    for (const Column& column : columns) {
      cells.push_back(column.text(cpu.counts));
    }
    table.add_row(std::move(cells));
  }
  return totals + "\n\n" + table.render();
}

}  // namespace

std::uint32_t TopFrame::online_cpus() const {
  return static_cast<std::uint32_t>(std::ranges::count_if(cpus, &TopCpu::online));
}

std::uint64_t per_second(std::uint64_t count, std::chrono::milliseconds interval) {
  if (interval.count() <= 0) {
    return 0;
  }
  constexpr std::uint64_t ms_per_s = 1000;
  const auto ms = static_cast<std::uint64_t>(interval.count());
  // count * 1000 / ms in two parts, so that the product cannot overflow.
  const std::uint64_t whole = count / ms;
  const std::uint64_t fraction = (count % ms * ms_per_s + ms / 2) / ms;  // up to 1000
  constexpr auto max = std::numeric_limits<std::uint64_t>::max();
  if (whole > (max - fraction) / ms_per_s) {
    return max;
  }
  return whole * ms_per_s + fraction;
}

TopFrame top_frame(const Stats& before, const Stats& after, std::chrono::milliseconds interval,
                   std::uint64_t time_ms) {
  std::map<std::uint32_t, PoolSum> by_cpu;
  PoolSum all;
  for (const Pool& pool : after.pools) {
    const Pool* earlier = find_pool(before.pools, pool);
    by_cpu[pool.cpu].add(pool, earlier);
    all.add(pool, earlier);
  }
  TopFrame frame{
      .time_ms = time_ms,
      .interval_ms = static_cast<std::uint64_t>(std::max<std::int64_t>(interval.count(), 0)),
      .cpus = {},
      .totals = all.with_rates(interval)};
  for (const auto& [cpu, sum] : by_cpu) {
    frame.cpus.push_back({.cpu = cpu, .online = sum.online, .counts = sum.with_rates(interval)});
  }
  return frame;
}

std::string render_top(const TopFrame& frame, Format format) {
  return format == Format::text ? render_text(frame) : render_json(frame, format);
}

}  // namespace wqctl
