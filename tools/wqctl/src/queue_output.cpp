#include "queue_output.hpp"

#include <cstdint>

#include <nlohmann/json.hpp>

#include "json_text.hpp"
#include "load_avg.hpp"
#include "table.hpp"

namespace wqctl {
namespace {

using Json = nlohmann::ordered_json;

std::string join(const std::vector<std::string>& words, const std::string& separator) {
  std::string text;
  for (const std::string& word : words) {
    text += (text.empty() ? "" : separator) + word;
  }
  return text;
}

std::string flags_text(std::uint32_t flags) {
  const std::string names = join(queue_flag_names(flags), ",");
  return names.empty() ? "-" : names;
}

/// A limit where 0 means none: capacity, rate, burst, max_wait_ms, work_timeout_ms.
std::string limit_text(std::uint32_t limit) { return limit == 0 ? "-" : std::to_string(limit); }

std::vector<std::string> counter_header() {
  return {"submitted", "completed", "cancelled", "rejected", "unscheduled", "mayday",
          "rescued",   "stalls",    "throttled", "stolen",   "aged",        "overruns"};
}

std::vector<std::string> counter_cells(const Counters& counters) {
  return {std::to_string(counters.submitted),   std::to_string(counters.completed),
          std::to_string(counters.cancelled),   std::to_string(counters.rejected),
          std::to_string(counters.unscheduled), std::to_string(counters.mayday),
          std::to_string(counters.rescued),     std::to_string(counters.stalls),
          std::to_string(counters.throttled),   std::to_string(counters.stolen),
          std::to_string(counters.aged),        std::to_string(counters.overruns)};
}

/// The averages in items, 10 s first; null when the module sent none.
Json load_json(const std::optional<LoadAvg>& load) {
  if (!load) {
    return nullptr;
  }
  return {{"avg10", load_items(load->avg10)},
          {"avg1", load_items(load->avg1)},
          {"avg5", load_items(load->avg5)},
          {"avg15", load_items(load->avg15)}};
}

std::vector<std::string> load_header() { return {"avg10", "avg1", "avg5", "avg15"}; }

/// As /proc/loadavg shows them, two decimals; "-" for each column when the module sent none.
std::vector<std::string> load_cells(const std::optional<LoadAvg>& load) {
  if (!load) {
    return {"-", "-", "-", "-"};
  }
  return {load_text(load->avg10), load_text(load->avg1), load_text(load->avg5),
          load_text(load->avg15)};
}

/// cells followed by more.
std::vector<std::string> concat(std::vector<std::string> cells,
                                const std::vector<std::string>& more) {
  cells.insert(cells.end(), more.begin(), more.end());
  return cells;
}

/// A histogram's percentiles, in microseconds; zeros with count 0 when it counted nothing.
Json percentiles_json(const Histogram& h) {
  const Percentiles p = percentiles(h).value_or(Percentiles{});
  return {{"count", p.count}, {"p50", p.p50_us}, {"p90", p.p90_us},
          {"p99", p.p99_us},  {"max", p.max_us}, {"mean", p.mean_us}};
}

void add_latency(Json& object, const Histogram& wait, const Histogram& run) {
  object["wait_us"] = percentiles_json(wait);
  object["run_us"] = percentiles_json(run);
}

std::vector<std::string> latency_header() {
  return {"started", "wait_p50", "wait_p90", "wait_p99", "wait_max",
          "run_p50", "run_p90",  "run_p99",  "run_max"};
}

/// "-" for each column when nothing was counted.
std::vector<std::string> latency_cells(const Histogram& wait, const Histogram& run) {
  std::vector<std::string> cells{std::to_string(wait.count())};
  for (const Histogram* h : {&wait, &run}) {
    if (const auto p = percentiles(*h)) {
      for (const std::uint64_t us : {p->p50_us, p->p90_us, p->p99_us, p->max_us}) {
        cells.push_back(duration_text(us));
      }
    } else {
      cells.insert(cells.end(), 4, "-");
    }
  }
  return cells;
}

void add_counters(Json& object, const Counters& counters) {
  object["submitted"] = counters.submitted;
  object["completed"] = counters.completed;
  object["cancelled"] = counters.cancelled;
  object["rejected"] = counters.rejected;
  object["unscheduled"] = counters.unscheduled;
  object["mayday"] = counters.mayday;
  object["rescued"] = counters.rescued;
  object["stalls"] = counters.stalls;
  object["throttled"] = counters.throttled;
  object["stolen"] = counters.stolen;
  object["aged"] = counters.aged;
  object["overruns"] = counters.overruns;
}

/// The keys every queue had before the limits were added, in their order.
Json queue_base_json(const Queue& queue) {
  return {
      {"name", queue.name},
      {"flags", queue_flag_names(queue.flags)},
      {"max_active", queue.max_active},
      {"capacity", queue.capacity},
      {"pending", queue.pending},
      {"inflight", queue.inflight},
  };
}

/// Added after the other keys, so that those keep their order.
void add_limits(Json& object, const Queue& queue) {
  object["rate"] = queue.rate;
  object["burst"] = queue.burst;
  object["max_wait_ms"] = queue.max_wait_ms;
  object["work_timeout_ms"] = queue.work_timeout_ms;
}

/// The CPU list, null when the module sent none (older modules: every CPU).
Json cpu_list_json(const Queue& queue) {
  if (!queue.cpu_list) {
    return nullptr;
  }
  return *queue.cpu_list;
}

/// A queue without its counters, as "queue list" shows it.
Json queue_json(const Queue& queue) {
  Json object = queue_base_json(queue);
  add_limits(object, queue);
  object["cpus"] = cpu_list_json(queue);
  return object;
}

Json queue_stats_json(const Queue& queue) {
  Json object = queue_base_json(queue);
  add_counters(object, queue.counters);
  add_limits(object, queue);
  add_latency(object, queue.wait, queue.run);
  object["load"] = load_json(queue.load);
  auto cpus = Json::array();
  for (const QueueCpu& cpu : queue.cpus) {
    Json entry = {{"cpu", cpu.cpu}, {"active", cpu.active}, {"inactive", cpu.inactive}};
    add_counters(entry, cpu.counters);
    cpus.push_back(std::move(entry));
  }
  object["cpus"] = std::move(cpus);
  // "cpus" is taken by the per-CPU entries since before CPU lists.
  object["cpu_list"] = cpu_list_json(queue);
  return object;
}

Json pool_json(const Pool& pool) {
  Json object = {
      {"cpu", pool.cpu},         {"highpri", pool.highpri}, {"online", pool.online},
      {"workers", pool.workers}, {"idle", pool.idle},       {"pending", pool.pending},
  };
  add_counters(object, pool.counters);
  add_latency(object, pool.wait, pool.run);
  object["load"] = load_json(pool.load);
  return object;
}

std::string pools_table(const std::vector<Pool>& pools) {
  Table table{concat({"cpu", "pri", "online", "workers", "idle", "pending"}, counter_header())};
  for (const Pool& pool : pools) {
    table.add_row(concat(
        {std::to_string(pool.cpu), pool.highpri ? "high" : "normal", pool.online ? "yes" : "no",
         std::to_string(pool.workers), std::to_string(pool.idle), std::to_string(pool.pending)},
        counter_cells(pool.counters)));
  }
  return table.render();
}

/// Wait (submission to start) and run time of the items of each pool, by percentile.
std::string pools_latency_table(const std::vector<Pool>& pools) {
  Table table{concat({"cpu", "pri"}, latency_header())};
  for (const Pool& pool : pools) {
    table.add_row(concat({std::to_string(pool.cpu), pool.highpri ? "high" : "normal"},
                         latency_cells(pool.wait, pool.run)));
  }
  return table.render();
}

/// Load averages of the items ready on each pool's worklist.
std::string pools_load_table(const std::vector<Pool>& pools) {
  Table table{concat({"cpu", "pri"}, load_header())};
  for (const Pool& pool : pools) {
    table.add_row(concat({std::to_string(pool.cpu), pool.highpri ? "high" : "normal"},
                         load_cells(pool.load)));
  }
  return table.render();
}

/// Load averages of the items queued or delayed on each queue.
std::string queues_load_table(const std::vector<Queue>& queues) {
  Table table{concat({"name"}, load_header())};
  for (const Queue& queue : queues) {
    table.add_row(concat({queue.name}, load_cells(queue.load)));
  }
  return table.render();
}

std::string queues_latency_table(const std::vector<Queue>& queues) {
  Table table{concat({"name"}, latency_header())};
  for (const Queue& queue : queues) {
    table.add_row(concat({queue.name}, latency_cells(queue.wait, queue.run)));
  }
  return table.render();
}

std::string queues_table(const std::vector<Queue>& queues) {
  Table table{concat(concat({"name"}, counter_header()), {"pending", "inflight"})};
  for (const Queue& queue : queues) {
    table.add_row(concat(concat({queue.name}, counter_cells(queue.counters)),
                         {std::to_string(queue.pending), std::to_string(queue.inflight)}));
  }
  return table.render();
}

std::string queue_cpus_table(const std::vector<Queue>& queues) {
  Table table{concat({"queue", "cpu", "active", "inactive"}, counter_header())};
  for (const Queue& queue : queues) {
    for (const QueueCpu& cpu : queue.cpus) {
      table.add_row(concat({queue.name, std::to_string(cpu.cpu), std::to_string(cpu.active),
                            std::to_string(cpu.inactive)},
                           counter_cells(cpu.counters)));
    }
  }
  return table.render();
}

}  // namespace

std::string render_queues(const std::vector<Queue>& queues, Format format) {
  if (format != Format::text) {
    auto list = Json::array();
    for (const Queue& queue : queues) {
      list.push_back(queue_json(queue));
    }
    return json_text({{"queues", std::move(list)}}, format);
  }
  Table table{{"name", "flags", "max_active", "capacity", "rate", "burst", "max_wait_ms",
               "work_timeout_ms", "pending", "inflight", "cpus"}};
  for (const Queue& queue : queues) {
    table.add_row({queue.name, flags_text(queue.flags), std::to_string(queue.max_active),
                   limit_text(queue.capacity), limit_text(queue.rate), limit_text(queue.burst),
                   limit_text(queue.max_wait_ms), limit_text(queue.work_timeout_ms),
                   std::to_string(queue.pending), std::to_string(queue.inflight),
                   queue.cpu_list.value_or("all")});
  }
  return table.render();
}

std::string render_stats(const Stats& stats, Format format, bool per_cpu) {
  if (format != Format::text) {
    auto pools = Json::array();
    for (const Pool& pool : stats.pools) {
      pools.push_back(pool_json(pool));
    }
    auto queues = Json::array();
    for (const Queue& queue : stats.queues) {
      queues.push_back(queue_stats_json(queue));
    }
    return json_text({{"pools", std::move(pools)}, {"queues", std::move(queues)}}, format);
  }
  std::string text = pools_table(stats.pools) + "\n" + pools_latency_table(stats.pools) + "\n" +
                     pools_load_table(stats.pools) + "\n" + queues_table(stats.queues) + "\n" +
                     queues_latency_table(stats.queues) + "\n" + queues_load_table(stats.queues);
  if (per_cpu) {
    text += "\n" + queue_cpus_table(stats.queues);
  }
  return text;
}

std::string render_load(const LoadResult& result, Format format) {
  if (format != Format::text) {
    return json_text({{"accepted", result.accepted}, {"refused", result.refused}}, format);
  }
  return "accepted " + std::to_string(result.accepted) + ", refused " +
         std::to_string(result.refused) + "\n";
}

std::string render_drain(bool waited, Format format) {
  if (format != Format::text) {
    return json_text({{"waited", waited}}, format);
  }
  return waited ? "drained (waited)\n" : "drained (was empty)\n";
}

}  // namespace wqctl
