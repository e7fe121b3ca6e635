// Duration histograms of the pcwq family (PCWQ_HIST_A_*): decoding, differences between two
// samples, and percentiles.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "netlink.hpp"
#include "pcwq_genl.h"

namespace wqctl {

/// Durations counted in log2 buckets: bucket 0 holds those under 1 us, bucket i those from
/// 2^(i-1) us up to 2^i us, the last one everything from 2^30 us on.
struct Histogram {
  std::array<std::uint64_t, PCWQ_HIST_BUCKETS> buckets{};
  std::uint64_t sum_ns = 0;
  std::uint64_t max_ns = 0;

  [[nodiscard]] std::uint64_t count() const;

  friend bool operator==(const Histogram&, const Histogram&) = default;
};

/// Decodes the histogram nested in attribute type of parent; empty when the module sends none
/// (it is older than histograms).  Throws OpError (EPROTO) when the buckets are malformed.
Histogram decode_histogram(const nl::Attrs& parent, int type);

/// Both histograms in one, as if one had counted everything: for pools or queues together.
Histogram histogram_sum(const Histogram& a, const Histogram& b);

/// What was counted between two samples: later minus earlier, bucket by bucket.  When any count
/// went backwards the counters were reset in between, and later is all there is.  The maximum
/// cannot be taken apart: it stays later's.
Histogram histogram_delta(const Histogram& later, const Histogram& earlier);

/// A histogram in a few numbers, in microseconds.  A percentile is the upper edge of the bucket
/// that holds it, no more than the maximum: the true value is at most that, and more than half
/// of it.
struct Percentiles {
  std::uint64_t count = 0;
  std::uint64_t p50_us = 0;
  std::uint64_t p90_us = 0;
  std::uint64_t p99_us = 0;
  std::uint64_t max_us = 0;
  std::uint64_t mean_us = 0;

  friend bool operator==(const Percentiles&, const Percentiles&) = default;
};

/// The percentiles of h; nullopt when it counted nothing.
std::optional<Percentiles> percentiles(const Histogram& h);

/// A duration for people: microseconds up to 999, then milliseconds and seconds with one
/// decimal below 100 of them: "850us", "12.5ms", "1.3s", "120s".
std::string duration_text(std::uint64_t us);

}  // namespace wqctl
