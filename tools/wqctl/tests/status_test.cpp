#include <gtest/gtest.h>

#include "pcwq_genl.h"
#include "status_output.hpp"

namespace wqctl {
namespace {

Status status() { return {.version = "0.1.0", .online_cpus = 4, .possible_cpus = 8}; }

Config config(std::uint32_t watchdog_thresh, std::uint32_t panic_on_stall,
              std::uint32_t panic_on_stall_time) {
  const auto key = [](std::string_view name) { return find_config_key(name); };
  return {{key("watchdog_thresh"), watchdog_thresh},
          {key("panic_on_stall"), panic_on_stall},
          {key("panic_on_stall_time"), panic_on_stall_time},
          {key("rescuer_mode"), PCWQ_RESCUER_ONE},
          {key("rescuer_batch"), 16},
          {key("mayday_timeout_ms"), 10}};
}

Pool pool(std::uint32_t cpu, bool highpri, bool online, std::uint64_t base) {
  Pool result;
  result.cpu = cpu;
  result.highpri = highpri;
  result.online = online;
  result.workers = 3;
  result.idle = 2;
  result.pending = 5;
  result.counters = {.submitted = base,
                     .completed = base - 10,
                     .cancelled = 1000,
                     .rejected = 2,
                     .unscheduled = 1000,
                     .mayday = 1,
                     .rescued = 4,
                     .stalls = 0,
                     .throttled = base / 100,
                     .stolen = 7,
                     .aged = 1,
                     .overruns = base / 50};
  return result;
}

Queue queue(const std::string& name, std::uint32_t flags) {
  Queue result;
  result.name = name;
  result.flags = flags;
  return result;
}

Stats stats() {
  return {.pools = {pool(0, false, true, 100), pool(0, true, true, 200), pool(1, false, false, 300),
                    pool(1, true, false, 400)},
          .queues = {queue("pcwq_system", 0), queue("q1", PCWQ_QUEUE_F_USER | PCWQ_QUEUE_F_RESCUER),
                     queue("q2", PCWQ_QUEUE_F_USER)}};
}

TEST(StatusSummary, Text) {
  EXPECT_EQ(
      render(status_summary(status(), config(30, 0, 0), stats()), Format::text, Layout::key_value),
      "module:              pcwq\n"
      "version:             0.1.0\n"
      "health:              ok\n"
      "online_cpus:         4\n"
      "possible_cpus:       8\n"
      "queues:              3\n"
      "user_queues:         2\n"
      "pools_online:        2\n"
      "pools:               4\n"
      "workers:             12\n"
      "workers_idle:        8\n"
      "pending:             20\n"
      "submitted:           1000\n"
      "completed:           960\n"
      "rejected:            8\n"
      "stalls:              0\n"
      "mayday:              4\n"
      "rescued:             16\n"
      "throttled:           10\n"
      "stolen:              28\n"
      "aged:                4\n"
      "overruns:            20\n"
      "watchdog_thresh:     30 s\n"
      "panic_on_stall:      off\n"
      "panic_on_stall_time: off\n");
}

TEST(StatusSummary, Json) {
  EXPECT_EQ(
      render(status_summary(status(), config(30, 0, 0), stats()), Format::json, Layout::key_value),
      R"({"module":"pcwq","version":"0.1.0","health":"ok","online_cpus":4,)"
      R"("possible_cpus":8,"queues":3,"user_queues":2,"pools_online":2,"pools":4,)"
      R"("workers":12,"workers_idle":8,"pending":20,"submitted":1000,"completed":960,)"
      R"("rejected":8,"stalls":0,"mayday":4,"rescued":16,"throttled":10,"stolen":28,"aged":4,)"
      R"("overruns":20,"watchdog_thresh":30,)"
      R"("panic_on_stall":0,"panic_on_stall_time":0})"
      "\n");
}

TEST(StatusSummary, StalledWithThePanicSettingsOn) {
  Stats stalled = stats();
  stalled.pools[3].counters.stalls = 1;
  const Record record = status_summary(status(), config(0, 3, 120), stalled);
  const std::string text = render(record, Format::text, Layout::key_value);
  EXPECT_NE(text.find("health:              stalled\n"), std::string::npos) << text;
  EXPECT_NE(text.find("stalls:              1\n"), std::string::npos) << text;
  EXPECT_TRUE(
      text.ends_with("watchdog_thresh:     off\n"
                     "panic_on_stall:      3\n"
                     "panic_on_stall_time: 120 s\n"))
      << text;
  const std::string json = render(record, Format::json, Layout::key_value);
  EXPECT_NE(json.find(R"("health":"stalled")"), std::string::npos) << json;
  EXPECT_TRUE(json.ends_with(
      R"("stalls":1,"mayday":4,"rescued":16,"throttled":10,"stolen":28,"aged":4,)"
      R"("overruns":20,"watchdog_thresh":0,"panic_on_stall":3,"panic_on_stall_time":120})"
      "\n"))
      << json;
}

TEST(StatusSummary, NoPoolsNoQueuesNoSettings) {
  EXPECT_EQ(render(status_summary(status(), {}, {}), Format::json, Layout::key_value),
            R"({"module":"pcwq","version":"0.1.0","health":"ok","online_cpus":4,)"
            R"("possible_cpus":8,"queues":0,"user_queues":0,"pools_online":0,"pools":0,)"
            R"("workers":0,"workers_idle":0,"pending":0,"submitted":0,"completed":0,)"
            R"("rejected":0,"stalls":0,"mayday":0,"rescued":0,"throttled":0,"stolen":0,"aged":0,)"
            R"("overruns":0})"
            "\n");
}

TEST(StatusSummary, CountersBeyond32Bits) {
  Stats big = stats();
  big.pools.resize(1);
  big.pools[0].counters.submitted = 1ULL << 40;
  const std::string json =
      render(status_summary(status(), {}, big), Format::json, Layout::key_value);
  EXPECT_NE(json.find(R"("submitted":1099511627776,)"), std::string::npos) << json;
}

}  // namespace
}  // namespace wqctl
