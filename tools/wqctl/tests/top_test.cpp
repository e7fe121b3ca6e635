#include "top.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "run_wqctl.hpp"
#include "top_output.hpp"

namespace wqctl {
namespace {

using std::chrono::milliseconds;

Pool pool(std::uint32_t cpu, bool highpri, std::uint64_t submitted, std::uint64_t completed) {
  Pool result;
  result.cpu = cpu;
  result.highpri = highpri;
  result.online = true;
  result.workers = 2;
  result.idle = 2;
  result.counters.submitted = submitted;
  result.counters.completed = completed;
  return result;
}

Stats before() {
  Pool cpu1 = pool(1, false, 1000, 1000);
  cpu1.counters.stolen = 100;
  return {.pools = {pool(0, false, 110, 100), pool(0, true, 50, 50), cpu1, pool(1, true, 0, 0)},
          .queues = {}};
}

/// Two seconds after before(): CPU 0 busy, CPU 1 offline and its normal pool's counters reset.
/// The pools come in another order, high priority first.  Only CPU 0's pools have load averages.
Stats after() {
  Pool cpu0 = pool(0, false, 2120, 2100);
  cpu0.workers = 4;
  cpu0.idle = 1;
  cpu0.pending = 7;
  cpu0.counters.rejected = 5;
  cpu0.counters.stalls = 1;
  cpu0.counters.mayday = 2;
  cpu0.counters.rescued = 3;
  cpu0.counters.throttled = 40;
  cpu0.counters.stolen = 6;
  cpu0.counters.overruns = 4;
  cpu0.load = LoadAvg{.avg10 = 1500, .avg1 = 250, .avg5 = 7, .avg15 = 8};
  // 10 waits of 8 to 15 us, 10 runs of 512 to 900 us.
  cpu0.wait.buckets.at(4) = 10;
  cpu0.wait.max_ns = 15'000;
  cpu0.run.buckets.at(10) = 10;
  cpu0.run.max_ns = 900'000;
  Pool cpu0_high = pool(0, true, 53, 53);
  cpu0_high.wait.buckets.at(0) = 10;  // 10 waits under 1 us
  cpu0_high.pending = 1;
  cpu0_high.load = LoadAvg{.avg10 = 500, .avg1 = 0, .avg5 = 0, .avg15 = 0};
  Pool cpu1 = pool(1, false, 12, 10);
  cpu1.online = false;
  cpu1.workers = 1;
  cpu1.idle = 1;
  Pool cpu1_high = pool(1, true, 4, 4);
  cpu1_high.online = false;
  cpu1_high.workers = 1;
  cpu1_high.idle = 1;
  cpu1_high.counters.rescued = 10;
  cpu1_high.counters.overruns = 1;
  return {.pools = {cpu0_high, cpu1_high, cpu0, cpu1}, .queues = {}};
}

constexpr std::uint64_t time_ms = 1700000000123;

TopFrame frame() { return top_frame(before(), after(), milliseconds(2000), time_ms); }

TEST(TopRate, PerSecondRoundedToTheNearest) {
  EXPECT_EQ(per_second(1000, milliseconds(1000)), 1000U);
  EXPECT_EQ(per_second(3, milliseconds(2000)), 2U);  // 1.5
  EXPECT_EQ(per_second(1, milliseconds(3000)), 0U);  // 0.33
  EXPECT_EQ(per_second(2, milliseconds(3000)), 1U);  // 0.67
  EXPECT_EQ(per_second(1000, milliseconds(1003)), 997U);
  EXPECT_EQ(per_second(7, milliseconds(500)), 14U);
  EXPECT_EQ(per_second(0, milliseconds(1000)), 0U);
}

TEST(TopRate, NoIntervalNoRate) {
  EXPECT_EQ(per_second(100, milliseconds(0)), 0U);
  EXPECT_EQ(per_second(100, milliseconds(-5)), 0U);
}

TEST(TopRate, HugeCountsSaturate) {
  constexpr auto max = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(per_second(max, milliseconds(1)), max);
  EXPECT_EQ(per_second(max / 999, milliseconds(1)), max);
  EXPECT_EQ(per_second(max, milliseconds(1000)), max);
  EXPECT_EQ(per_second(max, milliseconds(2000)), max / 2 + 1);  // x.5 rounds up
  EXPECT_EQ(per_second(max / 1000, milliseconds(1)), max / 1000 * 1000);
}

TEST(TopFrame, MergesThePoolsOfEachCpu) {
  const TopFrame result = frame();
  EXPECT_EQ(result.time_ms, time_ms);
  EXPECT_EQ(result.interval_ms, 2000U);
  ASSERT_EQ(result.cpus.size(), 2U);
  // CPU 0: completed 2000 + 3 and submitted 2010 + 3 in 2 s.
  EXPECT_EQ(result.cpus[0], (TopCpu{.cpu = 0,
                                    .online = true,
                                    .counts = {.workers = 6,
                                               .idle = 3,
                                               .pending = 8,
                                               .load10 = 2000,
                                               .load1 = 250,
                                               .completed_per_sec = 1002,
                                               .submitted_per_sec = 1007,
                                               .throttled_per_sec = 20,
                                               .stolen_per_sec = 3,
                                               .rejected = 5,
                                               .stalls = 1,
                                               .mayday = 2,
                                               .rescued = 3,
                                               .overruns = 4,
                                               .wait = Percentiles{.count = 20,
                                                                   .p50_us = 1,
                                                                   .p90_us = 15,
                                                                   .p99_us = 15,
                                                                   .max_us = 15,
                                                                   .mean_us = 0},
                                               .run = Percentiles{.count = 10,
                                                                  .p50_us = 900,
                                                                  .p90_us = 900,
                                                                  .p99_us = 900,
                                                                  .max_us = 900,
                                                                  .mean_us = 0}}}));
  EXPECT_EQ(result.cpus[0].counts.running(), 3U);
  // CPU 1: the normal pool went backwards (reset) and counts 0, the high one 4 in 2 s.
  EXPECT_EQ(result.cpus[1], (TopCpu{.cpu = 1,
                                    .online = false,
                                    .counts = {.workers = 2,
                                               .idle = 2,
                                               .pending = 0,
                                               .load10 = std::nullopt,
                                               .load1 = std::nullopt,
                                               .completed_per_sec = 2,
                                               .submitted_per_sec = 2,
                                               .throttled_per_sec = 0,
                                               .stolen_per_sec = 0,
                                               .rejected = 0,
                                               .stalls = 0,
                                               .mayday = 0,
                                               .rescued = 10,
                                               .overruns = 1,
                                               .wait = std::nullopt,
                                               .run = std::nullopt}}));
  EXPECT_EQ(result.cpus[1].counts.running(), 0U);
  EXPECT_EQ(result.online_cpus(), 1U);
}

TEST(TopFrame, TotalsFromTheSummedCounts) {
  // completed 2007 and submitted 2017 in 2 s: 1003.5 and 1008.5, rounded up.
  EXPECT_EQ(frame().totals, (TopCounts{.workers = 8,
                                       .idle = 5,
                                       .pending = 8,
                                       .load10 = 2000,
                                       .load1 = 250,
                                       .completed_per_sec = 1004,
                                       .submitted_per_sec = 1009,
                                       .throttled_per_sec = 20,
                                       .stolen_per_sec = 3,
                                       .rejected = 5,
                                       .stalls = 1,
                                       .mayday = 2,
                                       .rescued = 13,
                                       .overruns = 5,
                                       .wait = frame().cpus[0].counts.wait,
                                       .run = frame().cpus[0].counts.run}));
}

TEST(TopFrame, ResetCountersGiveNoRateNotAHugeOne) {
  Stats reset = before();
  for (Pool& each : reset.pools) {
    each.counters = {};
  }
  const TopFrame result = top_frame(before(), reset, milliseconds(1000), time_ms);
  for (const TopCpu& cpu : result.cpus) {
    const TopCounts& c = cpu.counts;
    EXPECT_EQ((std::array{c.completed_per_sec, c.submitted_per_sec, c.throttled_per_sec,
                          c.stolen_per_sec}),
              (std::array<std::uint64_t, 4>{}))
        << cpu.cpu;
  }
  EXPECT_EQ(result.totals.completed_per_sec, 0U);
  EXPECT_EQ(result.totals.submitted_per_sec, 0U);
}

TEST(TopFrame, PercentilesOfTheIntervalOnly) {
  Stats earlier = after();
  Stats later = after();
  for (Pool& each : later.pools) {
    if (each.cpu == 0 && !each.highpri) {
      each.run.buckets.at(2) += 10;  // 10 runs of 2 to 4 us since
    }
  }
  const TopFrame result = top_frame(earlier, later, milliseconds(1000), time_ms);
  ASSERT_TRUE(result.cpus[0].counts.run);
  EXPECT_EQ(result.cpus[0].counts.run->count, 10U);
  EXPECT_EQ(result.cpus[0].counts.run->p99_us, 4U);
  EXPECT_EQ(result.cpus[0].counts.wait, std::nullopt);
}

TEST(TopFrame, CpusThatComeAndGo) {
  Stats earlier = before();
  earlier.pools.erase(earlier.pools.begin() + 2, earlier.pools.end());  // only CPU 0
  Stats later = before();
  later.pools.erase(later.pools.begin(), later.pools.begin() + 2);  // only CPU 1
  const TopFrame result = top_frame(earlier, later, milliseconds(1000), time_ms);
  ASSERT_EQ(result.cpus.size(), 1U);
  EXPECT_EQ(result.cpus[0].cpu, 1U);
  EXPECT_EQ(result.cpus[0].counts.completed_per_sec, 0U);  // nothing to compare with
  EXPECT_EQ(result.totals.workers, 4U);
  EXPECT_EQ(top_frame({}, {}, milliseconds(1000), time_ms).cpus.size(), 0U);
}

TEST(TopFrame, MoreIdleThanWorkersIsNotRunningBackwards) {
  TopCounts counts;
  counts.workers = 1;
  counts.idle = 2;
  EXPECT_EQ(counts.running(), 0U);
}

TEST(TopFrame, NegativeIntervalIsNone) {
  const TopFrame result = top_frame(before(), after(), milliseconds(-1), time_ms);
  EXPECT_EQ(result.interval_ms, 0U);
  EXPECT_EQ(result.totals.completed_per_sec, 0U);
}

TEST(TopOutput, Text) {
  EXPECT_EQ(render_top(frame(), Format::text),
            "cpus 1/2 online  workers 8  idle 5  running 3  pending 8  load10 2.00  load1 0.25  "
            "completed/s 1004  submitted/s 1009  throttled/s 20  stolen/s 3  wait_p50 1us  "
            "wait_p99 15us  run_p50 900us  run_p99 900us  rejected 5  stalls 1  mayday 2  "
            "rescued 13  overruns 5\n"
            "\n"
            "cpu  online  workers  idle  running  pending  load10  load1  completed/s  "
            "submitted/s  throttled/s  stolen/s  wait_p50  wait_p99  run_p50  run_p99  rejected  "
            "stalls  mayday  rescued  overruns\n"
            "0    yes     6        3     3        8        2.00    0.25   1002         "
            "1007         20           3         1us       15us      900us    900us    5         "
            "1       2       3        4\n"
            "1    no      2        2     0        0        -       -      2            "
            "2            0            0         -         -         -        -        0         "
            "0       0       10       1\n");
}

TEST(TopOutput, TextWithoutPools) {
  EXPECT_EQ(render_top(top_frame({}, {}, milliseconds(1000), time_ms), Format::text),
            "cpus 0/0 online  workers 0  idle 0  running 0  pending 0  load10 -  load1 -  "
            "completed/s 0  submitted/s 0  throttled/s 0  stolen/s 0  wait_p50 -  wait_p99 -  "
            "run_p50 -  run_p99 -  rejected 0  stalls 0  mayday 0  rescued 0  overruns 0\n"
            "\n"
            "cpu  online  workers  idle  running  pending  load10  load1  completed/s  "
            "submitted/s  throttled/s  stolen/s  wait_p50  wait_p99  run_p50  run_p99  rejected  "
            "stalls  mayday  rescued  overruns\n");
}

TEST(TopOutput, Json) {
  EXPECT_EQ(render_top(frame(), Format::json),
            R"({"time_ms":1700000000123,"interval_ms":2000,"cpus":[)"
            R"({"cpu":0,"online":true,"workers":6,"idle":3,"running":3,"pending":8,)"
            R"("load10":2.0,"load1":0.25,)"
            R"("completed_per_sec":1002,"submitted_per_sec":1007,)"
            R"("throttled_per_sec":20,"stolen_per_sec":3,"wait_p50_us":1,)"
            R"("wait_p99_us":15,"run_p50_us":900,"run_p99_us":900,"rejected":5,"stalls":1,)"
            R"("mayday":2,"rescued":3,"overruns":4},)"
            R"({"cpu":1,"online":false,"workers":2,"idle":2,"running":0,"pending":0,)"
            R"("load10":null,"load1":null,)"
            R"("completed_per_sec":2,"submitted_per_sec":2,)"
            R"("throttled_per_sec":0,"stolen_per_sec":0,"wait_p50_us":null,)"
            R"("wait_p99_us":null,"run_p50_us":null,"run_p99_us":null,"rejected":0,"stalls":0,)"
            R"("mayday":0,"rescued":10,"overruns":1}],)"
            R"("totals":{"cpus":2,"online_cpus":1,"workers":8,"idle":5,"running":3,"pending":8,)"
            R"("load10":2.0,"load1":0.25,)"
            R"("completed_per_sec":1004,"submitted_per_sec":1009,)"
            R"("throttled_per_sec":20,"stolen_per_sec":3,"wait_p50_us":1,)"
            R"("wait_p99_us":15,"run_p50_us":900,"run_p99_us":900,"rejected":5,"stalls":1,)"
            R"("mayday":2,"rescued":13,"overruns":5}})"
            "\n");
}

TEST(TopOutput, JsonIsOneLinePerFrame) {
  const std::string json = render_top(frame(), Format::json);
  EXPECT_EQ(json.find('\n'), json.size() - 1);
  EXPECT_EQ(render_top(top_frame({}, {}, milliseconds(1000), 5), Format::json),
            R"({"time_ms":5,"interval_ms":1000,"cpus":[],"totals":{"cpus":0,"online_cpus":0,)"
            R"("workers":0,"idle":0,"running":0,"pending":0,"load10":null,"load1":null,)"
            R"("completed_per_sec":0,"submitted_per_sec":0,"throttled_per_sec":0,)"
            R"("stolen_per_sec":0,"wait_p50_us":null,"wait_p99_us":null,"run_p50_us":null,)"
            R"("run_p99_us":null,"rejected":0,"stalls":0,"mayday":0,"rescued":0,)"
            R"("overruns":0}})"
            "\n");
}

TEST(TopFrame, LoadsOfTheLaterSampleSummedOverTheCpusPools) {
  Stats later = after();
  for (Pool& each : later.pools) {
    if (each.cpu == 1 && each.highpri) {
      each.load = LoadAvg{.avg10 = 4294967295, .avg1 = 4294967295, .avg5 = 0, .avg15 = 0};
    }
  }
  const TopFrame result = top_frame(before(), later, milliseconds(1000), time_ms);
  using Loads = std::pair<std::optional<std::uint64_t>, std::optional<std::uint64_t>>;
  EXPECT_EQ(Loads(result.cpus[1].counts.load10, result.cpus[1].counts.load1),
            Loads(4294967295U, 4294967295U));
  EXPECT_EQ(Loads(result.totals.load10, result.totals.load1), Loads(4294969295ULL, 4294967545ULL));
  const auto doc = nlohmann::json::parse(render_top(result, Format::json));
  EXPECT_DOUBLE_EQ(doc["totals"]["load10"].get<double>(), 4294969.295);
}

/// Statistics of one pool whose counters grow by 10 at each sample.
class GrowingStats {
 public:
  Stats operator()() {
    count_ += 10;
    return {.pools = {pool(0, false, count_, count_)}, .queues = {}};
  }

 private:
  std::uint64_t count_ = 0;
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    result.push_back(line);
  }
  return result;
}

/// A frame of GrowingStats, 10 items more in 20 ms or more.
void expect_growing_frame(const std::string& line) {
  const auto frame = nlohmann::json::parse(line);
  EXPECT_GE(frame.at("interval_ms").get<std::uint64_t>(), 20U) << line;
  EXPECT_GT(frame.at("time_ms").get<std::uint64_t>(), 0U) << line;
  const auto rate = frame.at("cpus").at(0).at("completed_per_sec").get<std::uint64_t>();
  EXPECT_GT(rate, 0U) << line;
  EXPECT_LE(rate, 500U) << line;
  EXPECT_EQ(frame.at("totals").at("completed_per_sec"), rate) << line;
}

TEST(TopRun, JsonFramesOnePerLine) {
  std::ostringstream out;
  Session session{Options{.json = true, .pretty = false}, out};
  run_top(session, GrowingStats(),
          {.interval = milliseconds(20), .frames = 3, .interactive = false});
  const std::vector<std::string> frames = lines(out.str());
  ASSERT_EQ(frames.size(), 3U) << out.str();
  for (const std::string& line : frames) {
    expect_growing_frame(line);
  }
  EXPECT_EQ(out.str().find('\x1b'), std::string::npos);
}

TEST(TopRun, TextFramesSetApartByABlankLine) {
  std::ostringstream out;
  Session session{Options{}, out};
  run_top(session, GrowingStats(),
          {.interval = milliseconds(10), .frames = 2, .interactive = false});
  const std::vector<std::string> text = lines(out.str());
  ASSERT_EQ(text.size(), 9U) << out.str();  // 4 lines a frame, and the blank one between
  EXPECT_TRUE(text[0].starts_with("cpus 1/1 online  workers 2  idle 2  running 0")) << text[0];
  EXPECT_EQ(text[4], "");
  EXPECT_TRUE(text[5].starts_with("cpus 1/1 online")) << text[5];
  EXPECT_TRUE(text[8].starts_with("0    yes     2        2     0        0")) << text[8];
  EXPECT_EQ(out.str().find('\x1b'), std::string::npos);
}

using test::Result;
using test::run_wqctl;

TEST(TopCli, IntervalFrom1To3600Seconds) {
  for (const char* interval : {"0", "3601", "4294967296", "0.5", "-1", "1s"}) {
    const Result result = run_wqctl({"top", "--interval", interval});
    EXPECT_EQ(result.status, 2) << interval;
    EXPECT_EQ(result.out, "") << interval;
    EXPECT_NE(result.err.find("--interval"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("Usage: wqctl top"), std::string::npos) << result.err;
  }
}

TEST(TopCli, IterationsAreDecimalU32) {
  const Result result = run_wqctl({"top", "--iterations", "ten"});
  EXPECT_EQ(result.status, 2);
  EXPECT_NE(result.err.find("expected a decimal integer"), std::string::npos) << result.err;
  EXPECT_EQ(run_wqctl({"top", "extra"}).status, 2);
}

/// Accepted command lines get as far as netlink, where this host has no module (or a module
/// that answers: either way no usage error).
TEST(TopCli, Accepted) {
  const Result result = run_wqctl({"-j", "top", "--interval", "1", "--iterations", "1"});
  EXPECT_NE(result.status, 2) << result.err;
  EXPECT_EQ(result.err.find("Usage:"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace wqctl
