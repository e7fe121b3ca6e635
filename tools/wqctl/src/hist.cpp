#include "hist.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>

namespace wqctl {
namespace {

constexpr std::uint64_t ns_per_us = 1000;

/// Microseconds of ns, rounded up.
std::uint64_t ceil_us(std::uint64_t ns) { return (ns + ns_per_us - 1) / ns_per_us; }

/// The smallest duration, in microseconds, that the q-quantile of h does not exceed.
std::uint64_t quantile_us(const Histogram& h, std::uint64_t count, unsigned int permille) {
  // The rank of the quantile among the durations counted, from 1, rounded up.
  const std::uint64_t rank = std::max<std::uint64_t>(1, (count * permille + 999) / 1000);
  const std::uint64_t max_us = ceil_us(h.max_ns);
  std::uint64_t seen = 0;
  for (std::size_t bucket = 0; bucket + 1 < h.buckets.size(); ++bucket) {
    seen += h.buckets.at(bucket);
    if (seen >= rank) {
      return std::min(std::uint64_t{1} << bucket, max_us);
    }
  }
  return max_us;  // the last bucket has no upper edge
}

}  // namespace

std::uint64_t Histogram::count() const {
  return std::accumulate(buckets.begin(), buckets.end(), std::uint64_t{0});
}

Histogram decode_histogram(const nl::Attrs& parent, int type) {
  Histogram h;
  const auto attrs = parent.nested(type, PCWQ_HIST_A_MAX);
  if (!attrs) {
    return h;
  }
  if (const auto bytes = attrs->bytes(PCWQ_HIST_A_BUCKETS)) {
    if (bytes->size() != sizeof(h.buckets)) {
      throw nl::protocol_error("histogram of " + std::to_string(bytes->size()) + " bytes");
    }
    std::memcpy(h.buckets.data(), bytes->data(), sizeof(h.buckets));
  }
  h.sum_ns = attrs->u64(PCWQ_HIST_A_SUM_NS).value_or(0);
  h.max_ns = attrs->u64(PCWQ_HIST_A_MAX_NS).value_or(0);
  return h;
}

Histogram histogram_sum(const Histogram& a, const Histogram& b) {
  Histogram sum{
      .buckets = {}, .sum_ns = a.sum_ns + b.sum_ns, .max_ns = std::max(a.max_ns, b.max_ns)};
  std::ranges::transform(a.buckets, b.buckets, sum.buckets.begin(), std::plus{});
  return sum;
}

Histogram histogram_delta(const Histogram& later, const Histogram& earlier) {
  const bool reset =
      later.sum_ns < earlier.sum_ns ||
      !std::ranges::equal(later.buckets, earlier.buckets, std::ranges::greater_equal{});
  if (reset) {
    return later;
  }
  Histogram delta{.buckets = {}, .sum_ns = later.sum_ns - earlier.sum_ns, .max_ns = later.max_ns};
  std::ranges::transform(later.buckets, earlier.buckets, delta.buckets.begin(), std::minus{});
  return delta;
}

std::optional<Percentiles> percentiles(const Histogram& h) {
  const std::uint64_t count = h.count();
  if (count == 0) {
    return std::nullopt;
  }
  return Percentiles{
      .count = count,
      .p50_us = quantile_us(h, count, 500),
      .p90_us = quantile_us(h, count, 900),
      .p99_us = quantile_us(h, count, 990),
      .max_us = ceil_us(h.max_ns),
      .mean_us = h.sum_ns / count / ns_per_us,
  };
}

std::string duration_text(std::uint64_t us) {
  constexpr std::uint64_t us_per_ms = 1000;
  constexpr std::uint64_t us_per_s = 1000 * us_per_ms;
  // One decimal below 100 of a unit, none above; rounded to nearest.
  const auto scaled = [](std::uint64_t value, std::uint64_t unit, const char* name) {
    const std::uint64_t tenths = (value * 10 + unit / 2) / unit;
    if (tenths >= 1000) {
      return std::to_string((value + unit / 2) / unit) + name;
    }
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + name;
  };
  if (us < us_per_ms) {
    return std::to_string(us) + "us";
  }
  if (us < us_per_s - us_per_ms / 2) {  // what rounds to 1000 ms is 1.0 s
    return scaled(us, us_per_ms, "ms");
  }
  return scaled(us, us_per_s, "s");
}

}  // namespace wqctl
