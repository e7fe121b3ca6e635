#include "queue_output.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "load_avg.hpp"
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
          .stalls = 6,
          .throttled = 7,
          .stolen = base / 4,
          .aged = 9,
          .overruns = base / 8};
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
       .flags = PCWQ_QUEUE_F_USER | PCWQ_QUEUE_F_HIGHPRI | PCWQ_QUEUE_F_STEAL,
       .max_active = 4,
       .capacity = 0,
       .pending = 12,
       .inflight = 3,
       .rate = 500,
       .burst = 1000000,
       .max_wait_ms = 250,
       .work_timeout_ms = 200,
       .counters = counters(20000),
       .cpus = {{.cpu = 0, .active = 1, .inactive = 2, .counters = counters(10000)},
                {.cpu = 1, .active = 0, .inactive = 0, .counters = counters(10000)}},
       .wait = {},
       .run = latency(),
       .load = LoadAvg{.avg10 = 1234, .avg1 = 500, .avg5 = 5, .avg15 = 4},
       .cpu_list = "0-1,3"},
      {.name = "system_longer_name",
       .flags = 0,
       .max_active = 256,
       .capacity = 100,
       .pending = 0,
       .inflight = 0,
       .rate = 0,
       .burst = 0,
       .max_wait_ms = 0,
       .work_timeout_ms = 0,
       .counters = counters(1),
       .cpus = {},
       .wait = {},
       .run = {},
       .load = std::nullopt,
       .cpu_list = std::nullopt},
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
                     .run = {},
                     .load = LoadAvg{.avg10 = 0, .avg1 = 999, .avg5 = 1000, .avg15 = 4294967295}},
                    {.cpu = 0,
                     .highpri = true,
                     .online = false,
                     .workers = 10,
                     .idle = 10,
                     .pending = 300,
                     .counters = counters(18446744073709551615ULL),
                     .wait = {},
                     .run = {},
                     .load = std::nullopt}},
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
            "name                flags               max_active  capacity  rate  burst    "
            "max_wait_ms  work_timeout_ms  pending  inflight  cpus\n"
            "q1                  user,highpri,steal  4           -         500   1000000  "
            "250          200              12       3         0-1,3\n"
            "system_longer_name  -                   256         100       -     -        "
            "-            -                0        0         all\n");
}

TEST(QueueList, NoYieldFlag) {
  std::vector<Queue> list = {queues().at(1)};
  list.at(0).name = "ny";
  list.at(0).flags = PCWQ_QUEUE_F_USER | PCWQ_QUEUE_F_NO_YIELD;
  EXPECT_EQ(render_queues(list, Format::text),
            "name  flags          max_active  capacity  rate  burst  max_wait_ms  work_timeout_ms  "
            "pending  inflight  cpus\n"
            "ny    user,no_yield  256         100       -     -      -            -                "
            "0        0         all\n");
  const nlohmann::json json = nlohmann::json::parse(render_queues(list, Format::json));
  EXPECT_EQ(json.at("queues").at(0).at("flags"), nlohmann::json({"user", "no_yield"}));
}

TEST(QueueList, EmptyText) {
  EXPECT_EQ(
      render_queues({}, Format::text),
      "name  flags  max_active  capacity  rate  burst  max_wait_ms  work_timeout_ms  pending  "
      "inflight  cpus\n");
}

TEST(QueueList, Json) {
  EXPECT_EQ(render_queues(queues(), Format::json),
            R"({"queues":[{"name":"q1","flags":["user","highpri","steal"],"max_active":4,)"
            R"("capacity":0,"pending":12,"inflight":3,"rate":500,"burst":1000000,)"
            R"("max_wait_ms":250,"work_timeout_ms":200,"cpus":"0-1,3"},)"
            R"({"name":"system_longer_name","flags":[],)"
            R"("max_active":256,"capacity":100,"pending":0,"inflight":0,"rate":0,"burst":0,)"
            R"("max_wait_ms":0,"work_timeout_ms":0,"cpus":null}]})"
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
            "      \"inflight\": 0,\n"
            "      \"rate\": 0,\n"
            "      \"burst\": 0,\n"
            "      \"max_wait_ms\": 0,\n"
            "      \"work_timeout_ms\": 0,\n"
            "      \"cpus\": null\n"
            "    }\n"
            "  ]\n"
            "}\n");
}

TEST(StatsOutput, Text) {
  EXPECT_EQ(
      render_stats(stats(), Format::text, false),
      "cpu  pri     online  workers  idle  pending  submitted             completed             "
      "cancelled  rejected  unscheduled  mayday  rescued              stalls  throttled  "
      "stolen               aged  overruns\n"
      "0    normal  yes     2        1     0        10                    9                     "
      "2          3         4            5       5                    6       7          "
      "2                    9     1\n"
      "0    high    no      10       10    300      18446744073709551615  18446744073709551614  "
      "2          3         4            5       9223372036854775807  6       7          "
      "4611686018427387903  9     2305843009213693951\n"
      "\n"
      "cpu  pri     started  wait_p50  wait_p90  wait_p99  wait_max  run_p50  run_p90  run_p99  run"
      "_max\n"
      "0    normal  100      1us       16us      1.0ms     600ms     -        -        -        -\n"
      "0    high    0        -         -         -         -         -        -        -        -\n"
      "\n"
      "cpu  pri     avg10  avg1  avg5  avg15\n"
      "0    normal  0.00   1.00  1.00  4294967.30\n"
      "0    high    -      -     -     -\n"
      "\n"
      "name                submitted  completed  cancelled  rejected  unscheduled  mayday  rescued "
      " stalls  throttled  stolen  aged  overruns  pending  inflight\n"
      "q1                  20000      19999      2          3         4            5       10000   "
      " 6       7          5000    9     2500      12       3\n"
      "system_longer_name  1          0          2          3         4            5       0       "
      " 6       7          0       9     0         0        0\n"
      "\n"
      "name                started  wait_p50  wait_p90  wait_p99  wait_max  run_p50  run_p90  run_p"
      "99  run_max\n"
      "q1                  0        -         -         -         -         1us      16us     1.0ms"
      "    600ms\n"
      "system_longer_name  0        -         -         -         -         -        -        -    "
      "    -\n"
      "\n"
      "name                avg10  avg1  avg5  avg15\n"
      "q1                  1.23   0.50  0.01  0.00\n"
      "system_longer_name  -      -     -     -\n");
}

TEST(StatsOutput, TextPerCpu) {
  const Stats narrowed{.pools = {}, .queues = queues()};
  EXPECT_EQ(
      render_stats(narrowed, Format::text, true),
      "cpu  pri  online  workers  idle  pending  submitted  completed  cancelled  rejected  unsched"
      "uled  mayday  rescued  stalls  throttled  stolen  aged  overruns\n"
      "\n"
      "cpu  pri  started  wait_p50  wait_p90  wait_p99  wait_max  run_p50  run_p90  run_p99  run_ma"
      "x\n"
      "\n"
      "cpu  pri  avg10  avg1  avg5  avg15\n"
      "\n"
      "name                submitted  completed  cancelled  rejected  unscheduled  mayday  rescued "
      " stalls  throttled  stolen  aged  overruns  pending  inflight\n"
      "q1                  20000      19999      2          3         4            5       10000   "
      " 6       7          5000    9     2500      12       3\n"
      "system_longer_name  1          0          2          3         4            5       0       "
      " 6       7          0       9     0         0        0\n"
      "\n"
      "name                started  wait_p50  wait_p90  wait_p99  wait_max  run_p50  run_p90  run_p"
      "99  run_max\n"
      "q1                  0        -         -         -         -         1us      16us     1.0ms"
      "    600ms\n"
      "system_longer_name  0        -         -         -         -         -        -        -    "
      "    -\n"
      "\n"
      "name                avg10  avg1  avg5  avg15\n"
      "q1                  1.23   0.50  0.01  0.00\n"
      "system_longer_name  -      -     -     -\n"
      "\n"
      "queue  cpu  active  inactive  submitted  completed  cancelled  rejected  unscheduled  mayday"
      "  rescued  stalls  throttled  stolen  aged  overruns\n"
      "q1     0    1       2         10000      9999       2          3         4            5     "
      "  5000     6       7          2500    9     1250\n"
      "q1     1    0       0         10000      9999       2          3         4            5     "
      "  5000     6       7          2500    9     1250\n");
}

TEST(StatsOutput, Json) {
  Stats one = stats();
  one.pools.resize(1);
  one.queues.resize(1);
  one.queues.front().cpus.resize(1);
  EXPECT_EQ(render_stats(one, Format::json, false),
            R"({"pools":[{"cpu":0,"highpri":false,"online":true,"workers":2,"idle":1,"pending":0,)"
            R"("submitted":10,"completed":9,"cancelled":2,"rejected":3,"unscheduled":4,)"
            R"("mayday":5,"rescued":5,"stalls":6,"throttled":7,"stolen":2,"aged":9,"overruns":1,)"
            R"("wait_us":{"count":100,"p50":1,"p90":16,"p99":1024,"max":600000,"mean":1000},)"
            R"("run_us":{"count":0,"p50":0,"p90":0,"p99":0,"max":0,"mean":0},)"
            R"("load":{"avg10":0.0,"avg1":0.999,"avg5":1.0,"avg15":4294967.295}}],)"
            R"("queues":[{"name":"q1","flags":["user","highpri","steal"],"max_active":4,)"
            R"("capacity":0,)"
            R"("pending":12,"inflight":3,"submitted":20000,"completed":19999,"cancelled":2,)"
            R"("rejected":3,"unscheduled":4,"mayday":5,"rescued":10000,"stalls":6,)"
            R"("throttled":7,"stolen":5000,"aged":9,"overruns":2500,"rate":500,"burst":1000000,)"
            R"("max_wait_ms":250,"work_timeout_ms":200,)"
            R"("wait_us":{"count":0,"p50":0,"p90":0,"p99":0,"max":0,"mean":0},)"
            R"("run_us":{"count":100,"p50":1,"p90":16,"p99":1024,"max":600000,"mean":1000},)"
            R"("load":{"avg10":1.234,"avg1":0.5,"avg5":0.005,"avg15":0.004},)"
            R"("cpus":[{"cpu":0,"active":1,"inactive":2,)"
            R"("submitted":10000,"completed":9999,"cancelled":2,"rejected":3,"unscheduled":4,)"
            R"("mayday":5,"rescued":5000,"stalls":6,"throttled":7,"stolen":2500,"aged":9,)"
            R"("overruns":1250}],)"
            R"("cpu_list":"0-1,3"}]})"
            "\n");
}

TEST(StatsOutput, JsonCountersAreAlwaysThere) {
  Stats zero{.pools = {stats().pools.front()}, .queues = {}};
  zero.pools.front().counters = {};
  zero.pools.front().wait = {};
  zero.pools.front().load = std::nullopt;
  EXPECT_EQ(render_stats(zero, Format::json, false),
            R"({"pools":[{"cpu":0,"highpri":false,"online":true,"workers":2,"idle":1,"pending":0,)"
            R"("submitted":0,"completed":0,"cancelled":0,"rejected":0,"unscheduled":0,)"
            R"("mayday":0,"rescued":0,"stalls":0,"throttled":0,"stolen":0,"aged":0,"overruns":0,)"
            R"("wait_us":{"count":0,"p50":0,"p90":0,"p99":0,"max":0,"mean":0},)"
            R"("run_us":{"count":0,"p50":0,"p90":0,"p99":0,"max":0,"mean":0},"load":null}],)"
            R"("queues":[]})"
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
            R"("rescued":9223372036854775807,"stalls":6,"throttled":7,)"
            R"("stolen":4611686018427387903,"aged":9,"overruns":2305843009213693951,)"
            R"("wait_us":{"count":0,"p50":0,"p90":0,"p99":0,"max":0,"mean":0},)"
            R"("run_us":{"count":0,"p50":0,"p90":0,"p99":0,"max":0,"mean":0},"load":null}],)"
            R"("queues":[]})"
            "\n");
}

TEST(StatsOutput, EmptyJson) {
  EXPECT_EQ(render_stats({}, Format::json, true), "{\"pools\":[],\"queues\":[]}\n");
}

TEST(StatsOutput, JsonKeysOfEarlierVersionsKeepTheirOrder) {
  // The VM tests match these runs of keys.
  Stats one = stats();
  one.queues.resize(1);
  const std::string json = render_stats(one, Format::json, false);
  EXPECT_NE(json.find(R"("capacity":0,"pending":12,"inflight":3,"submitted":20000,)"
                      R"("completed":19999,"cancelled":2,"rejected":3)"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"({"cpu":0,"highpri":false,"online":true,"workers":2,)"), std::string::npos)
      << json;
}

TEST(StatsOutput, LoadAveragesRoundedToTwoDecimals) {
  EXPECT_EQ(load_text(0), "0.00");
  EXPECT_EQ(load_text(4), "0.00");
  EXPECT_EQ(load_text(5), "0.01");
  EXPECT_EQ(load_text(94), "0.09");
  EXPECT_EQ(load_text(95), "0.10");
  EXPECT_EQ(load_text(1234), "1.23");
  EXPECT_EQ(load_text(1995), "2.00");
  EXPECT_EQ(load_text(4294967295), "4294967.30");
  EXPECT_EQ(load_text(4ULL * 4294967295), "17179869.18");
  EXPECT_DOUBLE_EQ(load_items(1234), 1.234);
  EXPECT_DOUBLE_EQ(load_items(0), 0.0);
}

TEST(StatsOutput, JsonLoadIsNullWhenTheModuleSentNone) {
  Stats older = stats();
  older.queues.resize(1);
  older.queues.front().load = std::nullopt;
  const auto doc = nlohmann::json::parse(render_stats(older, Format::json, false));
  EXPECT_TRUE(doc["pools"][0]["load"].is_object());
  EXPECT_DOUBLE_EQ(doc["pools"][0]["load"]["avg1"].get<double>(), 0.999);
  EXPECT_TRUE(doc["pools"][1].contains("load"));
  EXPECT_TRUE(doc["pools"][1]["load"].is_null());
  EXPECT_TRUE(doc["queues"][0]["load"].is_null());
}

TEST(StatsOutput, JsonHasTheNewCountersAtEveryLevel) {
  const auto doc = nlohmann::json::parse(render_stats(stats(), Format::json, false));
  for (const auto& object : {doc["pools"][0], doc["queues"][0], doc["queues"][0]["cpus"][0]}) {
    EXPECT_EQ(object["throttled"], 7U);
    EXPECT_TRUE(object["stolen"].is_number_unsigned());
    EXPECT_EQ(object["aged"], 9U);
  }
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
            "\"capacity\":100,\"pending\":0,\"inflight\":0,\"rate\":0,\"burst\":0,"
            "\"max_wait_ms\":0,\"work_timeout_ms\":0,\"cpus\":null}]}\n");
}

}  // namespace
}  // namespace wqctl
