#include "queue_output.hpp"

#include <gtest/gtest.h>

#include "pcwq_genl.h"
#include "table.hpp"

namespace wqctl {
namespace {

Counters counters(std::uint64_t base) {
  return {.submitted = base,
          .completed = base - 1,
          .cancelled = 2,
          .rejected = 3,
          .unscheduled = 4,
          .mayday = 5,
          .rescued = base / 2,
          .stalls = 6};
}

/// 100 durations: p50 1 us, p90 16 us, p99 1024 us, the longest 600 ms, mean 1 ms.
Histogram latency() {
  Histogram h;
  h.buckets.at(0) = 50;
  h.buckets.at(4) = 40;
  h.buckets.at(10) = 9;
  h.buckets.at(20) = 1;
  h.sum_ns = 100'000'000;
  h.max_ns = 600'000'000;
  return h;
}

std::vector<Queue> queues() {
  return {
      {.name = "q1",
       .flags = PCWQ_QUEUE_F_USER | PCWQ_QUEUE_F_HIGHPRI,
       .max_active = 4,
       .capacity = 0,
       .pending = 12,
       .inflight = 3,
       .counters = counters(20000),
       .cpus = {{.cpu = 0, .active = 1, .inactive = 2, .counters = counters(10000)},
                {.cpu = 1, .active = 0, .inactive = 0, .counters = counters(10000)}},
       .wait = {},
       .run = latency()},
      {.name = "system_longer_name",
       .flags = 0,
       .max_active = 256,
       .capacity = 100,
       .pending = 0,
       .inflight = 0,
       .counters = counters(1),
       .cpus = {},
       .wait = {},
       .run = {}},
  };
}

Stats stats() {
  return {.pools = {{.cpu = 0,
                     .highpri = false,
                     .online = true,
                     .workers = 2,
                     .idle = 1,
                     .pending = 0,
                     .counters = counters(10),
                     .wait = latency(),
                     .run = {}},
                    {.cpu = 0,
                     .highpri = true,
                     .online = false,
                     .workers = 10,
                     .idle = 10,
                     .pending = 300,
                     .counters = counters(18446744073709551615ULL),
                     .wait = {},
                     .run = {}}},
          .queues = queues()};
}

TEST(Table, AlignsColumnsWithoutTrailingBlanks) {
  Table table{{"a", "bbb", "c"}};
  table.add_row({"long", "1", ""});
  table.add_row({"x", "22", "3"});
  EXPECT_EQ(table.render(),
            "a     bbb  c\n"
            "long  1\n"
            "x     22   3\n");
}

TEST(Table, RowOfTheWrongSize) {
  Table table{{"a", "b"}};
  EXPECT_THROW(table.add_row({"1"}), std::logic_error);
}

TEST(QueueList, Text) {
  EXPECT_EQ(render_queues(queues(), Format::text),
            "name                flags         max_active  capacity  pending  inflight\n"
            "q1                  user,highpri  4           -         12       3\n"
            "system_longer_name  -             256         100       0        0\n");
}

TEST(QueueList, EmptyText) {
  EXPECT_EQ(render_queues({}, Format::text),
            "name  flags  max_active  capacity  pending  inflight\n");
}

TEST(QueueList, Json) {
  EXPECT_EQ(render_queues(queues(), Format::json),
            R"({"queues":[{"name":"q1","flags":["user","highpri"],"max_active":4,"capacity":0,)"
            R"("pending":12,"inflight":3},{"name":"system_longer_name","flags":[],)"
            R"("max_active":256,"capacity":100,"pending":0,"inflight":0}]})"
            "\n");
  EXPECT_EQ(render_queues({}, Format::json), "{\"queues\":[]}\n");
}

TEST(QueueList, PrettyJson) {
  EXPECT_EQ(render_queues({queues().back()}, Format::json_pretty),
            "{\n"
            "  \"queues\": [\n"
            "    {\n"
            "      \"name\": \"system_longer_name\",\n"
            "      \"flags\": [],\n"
            "      \"max_active\": 256,\n"
            "      \"capacity\": 100,\n"
            "      \"pending\": 0,\n"
            "      \"inflight\": 0\n"
            "    }\n"
            "  ]\n"
            "}\n");
}

TEST(StatsOutput, Text) {
  EXPECT_EQ(
      render_stats(stats(), Format::text, false),
      "cpu  pri     online  workers  idle  pending  submitted             completed        "
      "     cancelled  rejected  unscheduled  mayday  rescued              stalls\n"
      "0    normal  yes     2        1     0        10                    9                "
      "     2          3         4            5       5                    6\n"
      "0    high    no      10       10    300      18446744073709551615  1844674407370955"
      "1614  2          3         4            5       9223372036854775807  6\n"
      "\n"
      "cpu  pri     started  wait_p50  wait_p90  wait_p99  wait_max  run_p50  run_p90  "
      "run_p99  run_max\n"
      "0    normal  100      1us       16us      1.0ms     600ms     -        -        "
      "-        -\n"
      "0    high    0        -         -         -         -         -        -        "
      "-        -\n"
      "\n"
      "name                submitted  completed  cancelled  rejected  unscheduled  mayday  "
      "rescued  stalls  pending  inflight\n"
      "q1                  20000      19999      2          3         4            5       "
      "10000    6       12       3\n"
      "system_longer_name  1          0          2          3         4            5       "
      "0        6       0        0\n"
      "\n"
      "name                started  wait_p50  wait_p90  wait_p99  wait_max  run_p50  run_p90  "
      "run_p99  run_max\n"
      "q1                  0        -         -         -         -         1us      16us     "
      "1.0ms    600ms\n"
      "system_longer_name  0        -         -         -         -         -        -        "
      "-        -\n");
}

TEST(StatsOutput, TextPerCpu) {
  const Stats narrowed{.pools = {}, .queues = queues()};
  EXPECT_EQ(
      render_stats(narrowed, Format::text, true),
      "cpu  pri  online  workers  idle  pending  submitted  completed  cancelled  rejected  "
      "unscheduled  mayday  rescued  stalls\n"
      "\n"
      "cpu  pri  started  wait_p50  wait_p90  wait_p99  wait_max  run_p50  run_p90  run_p99  "
      "run_max\n"
      "\n"
      "name                submitted  completed  cancelled  rejected  unscheduled  mayday  "
      "rescued  stalls  pending  inflight\n"
      "q1                  20000      19999      2          3         4            5       "
      "10000    6       12       3\n"
      "system_longer_name  1          0          2          3         4            5       "
      "0        6       0        0\n"
      "\n"
      "name                started  wait_p50  wait_p90  wait_p99  wait_max  run_p50  run_p90  "
      "run_p99  run_max\n"
      "q1                  0        -         -         -         -         1us      16us     "
      "1.0ms    600ms\n"
      "system_longer_name  0        -         -         -         -         -        -        "
      "-        -\n"
      "\n"
      "queue  cpu  active  inactive  submitted  completed  cancelled  rejected  unscheduled  "
      "mayday  rescued  stalls\n"
      "q1     0    1       2         10000      9999       2          3         4            "
      "5       5000     6\n"
      "q1     1    0       0         10000      9999       2          3         4            "
      "5       5000     6\n");
}

TEST(StatsOutput, Json) {
  Stats one = stats();
  one.pools.resize(1);
  one.queues.resize(1);
  one.queues.front().cpus.resize(1);
  EXPECT_EQ(render_stats(one, Format::json, false),
            R"({"pools":[{"cpu":0,"highpri":false,"online":true,"workers":2,"idle":1,"pending":0,)"
            R"("submitted":10,"completed":9,"cancelled":2,"rejected":3,"unscheduled":4,)"
            R"("mayday":5,"rescued":5,"stalls":6,)"
            R"("wait_us":{"count":100,"p50":1,"p90":16,"p99":1024,"max":600000,"mean":1000},)"
            R"("run_us":{"count":0,"p50":0,"p90":0,"p99":0,"max":0,"mean":0}}],)"
            R"("queues":[{"name":"q1","flags":["user","highpri"],"max_active":4,"capacity":0,)"
            R"("pending":12,"inflight":3,"submitted":20000,"completed":19999,"cancelled":2,)"
            R"("rejected":3,"unscheduled":4,"mayday":5,"rescued":10000,"stalls":6,)"
            R"("wait_us":{"count":0,"p50":0,"p90":0,"p99":0,"max":0,"mean":0},)"
            R"("run_us":{"count":100,"p50":1,"p90":16,"p99":1024,"max":600000,"mean":1000},)"
            R"("cpus":[{"cpu":0,"active":1,"inactive":2,)"
            R"("submitted":10000,"completed":9999,"cancelled":2,"rejected":3,"unscheduled":4,)"
            R"("mayday":5,"rescued":5000,"stalls":6}]}]})"
            "\n");
}

TEST(StatsOutput, JsonCountersAreAlwaysThere) {
  Stats zero{.pools = {stats().pools.front()}, .queues = {}};
  zero.pools.front().counters = {};
  zero.pools.front().wait = {};
  EXPECT_EQ(render_stats(zero, Format::json, false),
            R"({"pools":[{"cpu":0,"highpri":false,"online":true,"workers":2,"idle":1,"pending":0,)"
            R"("submitted":0,"completed":0,"cancelled":0,"rejected":0,"unscheduled":0,)"
            R"("mayday":0,"rescued":0,"stalls":0,)"
            R"("wait_us":{"count":0,"p50":0,"p90":0,"p99":0,"max":0,"mean":0},)"
            R"("run_us":{"count":0,"p50":0,"p90":0,"p99":0,"max":0,"mean":0}}],"queues":[]})"
            "\n");
}

TEST(StatsOutput, JsonKeepsLargeCountersExact) {
  Stats one = stats();
  one.pools.erase(one.pools.begin());
  one.queues.clear();
  EXPECT_EQ(render_stats(one, Format::json, false),
            R"({"pools":[{"cpu":0,"highpri":true,"online":false,"workers":10,"idle":10,)"
            R"("pending":300,"submitted":18446744073709551615,"completed":18446744073709551614,)"
            R"("cancelled":2,"rejected":3,"unscheduled":4,"mayday":5,)"
            R"("rescued":9223372036854775807,"stalls":6,)"
            R"("wait_us":{"count":0,"p50":0,"p90":0,"p99":0,"max":0,"mean":0},)"
            R"("run_us":{"count":0,"p50":0,"p90":0,"p99":0,"max":0,"mean":0}}],"queues":[]})"
            "\n");
}

TEST(StatsOutput, EmptyJson) {
  EXPECT_EQ(render_stats({}, Format::json, true), "{\"pools\":[],\"queues\":[]}\n");
}

TEST(LoadOutput, TextAndJson) {
  const LoadResult result{.accepted = 100, .refused = 0};
  EXPECT_EQ(render_load(result, Format::text), "accepted 100, refused 0\n");
  EXPECT_EQ(render_load(result, Format::json), "{\"accepted\":100,\"refused\":0}\n");
  EXPECT_EQ(render_load({.accepted = 10, .refused = 90}, Format::json_pretty),
            "{\n  \"accepted\": 10,\n  \"refused\": 90\n}\n");
}

TEST(DrainOutput, TextAndJson) {
  EXPECT_EQ(render_drain(true, Format::text), "drained (waited)\n");
  EXPECT_EQ(render_drain(false, Format::text), "drained (was empty)\n");
  EXPECT_EQ(render_drain(true, Format::json), "{\"waited\":true}\n");
  EXPECT_EQ(render_drain(false, Format::json), "{\"waited\":false}\n");
}

TEST(QueueOutput, NamesThatAreNotUtf8) {
  Queue odd = queues().back();
  odd.name = "q\xff";
  EXPECT_EQ(render_queues({odd}, Format::json),
            "{\"queues\":[{\"name\":\"q\xef\xbf\xbd\",\"flags\":[],\"max_active\":256,"
            "\"capacity\":100,\"pending\":0,\"inflight\":0}]}\n");
}

}  // namespace
}  // namespace wqctl
