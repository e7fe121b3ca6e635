// Presentation of "top": one row per CPU computed from two samples of the statistics, shown as
// a line of totals and a table, or as one JSON object.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hist.hpp"
#include "output.hpp"
#include "queue_proto.hpp"

namespace wqctl {

/// What "top" shows of some pools: gauges of the later sample, rates over the interval between
/// the samples (per second, rounded to the nearest integer; 0 where a counter went backwards,
/// as after "stats reset") and cumulative counters of the later sample.
struct TopCounts {
  std::uint64_t workers = 0;
  std::uint64_t idle = 0;
  std::uint64_t pending = 0;
  /// Load averages over 10 s and 1 min of the items ready on the pools' worklists, summed, in
  /// units of 1/PCWQ_LOAD_SCALE item; nullopt when no pool has them (older modules).
  std::optional<std::uint64_t> load10;
  std::optional<std::uint64_t> load1;
  std::uint64_t completed_per_sec = 0;
  std::uint64_t submitted_per_sec = 0;
  std::uint64_t throttled_per_sec = 0;  ///< submissions refused by the queues' rate limits
  std::uint64_t stolen_per_sec = 0;     ///< items the pools took from other CPUs
  std::uint64_t rejected = 0;
  std::uint64_t stalls = 0;
  std::uint64_t mayday = 0;
  std::uint64_t rescued = 0;
  std::uint64_t overruns = 0;  ///< items that ran past their queue's work timeout
  /// Of the items that started (wait) and ended (run) in the interval; nullopt when none did.
  std::optional<Percentiles> wait;
  std::optional<Percentiles> run;

  /// Workers that are not idle: running an item (or about to).
  [[nodiscard]] std::uint64_t running() const { return workers > idle ? workers - idle : 0; }

  friend bool operator==(const TopCounts&, const TopCounts&) = default;
};

/// One CPU: its normal and high-priority pools merged.
struct TopCpu {
  std::uint32_t cpu = 0;
  bool online = false;  ///< any of its pools is
  TopCounts counts;

  friend bool operator==(const TopCpu&, const TopCpu&) = default;
};

/// One refresh of "top".
struct TopFrame {
  std::uint64_t time_ms = 0;      ///< when the later sample was taken, since the Unix epoch
  std::uint64_t interval_ms = 0;  ///< between the two samples, as measured
  std::vector<TopCpu> cpus;       ///< by CPU number
  TopCounts totals;               ///< over every pool; rates from the summed counts

  [[nodiscard]] std::uint32_t online_cpus() const;
};

/// Count per second over interval, rounded to the nearest integer (halves up); 0 when the
/// interval is not positive, the largest value when it does not fit.
std::uint64_t per_second(std::uint64_t count, std::chrono::milliseconds interval);

/// The frame for the pools of after, interval after before was taken.  A pool is matched with
/// the one of before on the same CPU and priority; one that before lacks (a CPU that came
/// online) has rates of 0, as have counters that went backwards.
TopFrame top_frame(const Stats& before, const Stats& after, std::chrono::milliseconds interval,
                   std::uint64_t time_ms);

/// Text: a line of totals, a blank line and a table with one row per CPU (cpu, online, workers,
/// idle, running, pending, load10, load1, completed/s, submitted/s, throttled/s, stolen/s,
/// wait_p50, wait_p99, run_p50, run_p99, rejected, stalls, mayday, rescued, overruns; the loads
/// in items
/// with two decimals; "-" for percentiles of an interval without items and for loads the
/// module does not send).
/// JSON: {"time_ms":T,"interval_ms":I,"cpus":[{"cpu":C,"online":B,"workers":N,...}],
/// "totals":{"cpus":N,"online_cpus":N,"workers":N,...}} with the loads as numbers of items
/// "load10" and "load1" or null, the rates as integer "completed_per_sec", "submitted_per_sec",
/// "throttled_per_sec" and "stolen_per_sec", the percentiles as "wait_p50_us" ... in
/// microseconds or null.  Newline-terminated.
std::string render_top(const TopFrame& frame, Format format);

}  // namespace wqctl
