#include "hist.hpp"

#include <gtest/gtest.h>

namespace wqctl {
namespace {

/// count durations in bucket b.
Histogram with(std::initializer_list<std::pair<std::size_t, std::uint64_t>> counts,
               std::uint64_t max_ns, std::uint64_t sum_ns = 0) {
  Histogram h;
  for (const auto& [bucket, count] : counts) {
    h.buckets.at(bucket) = count;
  }
  h.max_ns = max_ns;
  h.sum_ns = sum_ns;
  return h;
}

TEST(Percentiles, EmptyHasNone) { EXPECT_EQ(percentiles(Histogram{}), std::nullopt); }

TEST(Percentiles, UpperEdgeOfTheBucketHoldingTheRank) {
  // 50 under 1 us, 40 in [8, 16) us, 9 in [512, 1024) us, 1 in [2^19, 2^20) us.
  const auto p = percentiles(with({{0, 50}, {4, 40}, {10, 9}, {20, 1}}, 600'000'000, 100'000'000));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->count, 100U);
  EXPECT_EQ(p->p50_us, 1U);     // rank 50: the last of bucket 0
  EXPECT_EQ(p->p90_us, 16U);    // rank 90: the last of bucket 4
  EXPECT_EQ(p->p99_us, 1024U);  // rank 99: the last of bucket 10
  EXPECT_EQ(p->max_us, 600'000U);
  EXPECT_EQ(p->mean_us, 1000U);
}

TEST(Percentiles, NeverAboveTheMaximum) {
  // Everything in [2^9, 2^10) us, the longest 700 us: the edge 1024 would overstate it.
  const auto p = percentiles(with({{10, 10}}, 700'000));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->p50_us, 700U);
  EXPECT_EQ(p->p99_us, 700U);
}

TEST(Percentiles, LastBucketHasNoEdgeButTheMaximum) {
  const auto p = percentiles(with({{PCWQ_HIST_BUCKETS - 1, 3}}, 5'000'000'000'000));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->p50_us, 5'000'000'000U);
}

TEST(Percentiles, MaximumRoundsUpToMicroseconds) {
  const auto p = percentiles(with({{0, 1}}, 1));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->max_us, 1U);
  EXPECT_EQ(p->p50_us, 1U);
}

TEST(HistogramDelta, BucketByBucket) {
  const Histogram earlier = with({{1, 5}, {3, 2}}, 4000, 10'000);
  const Histogram later = with({{1, 7}, {3, 2}, {6, 1}}, 50'000, 70'000);
  EXPECT_EQ(histogram_delta(later, earlier), with({{1, 2}, {6, 1}}, 50'000, 60'000));
}

TEST(HistogramDelta, AResetInBetweenGivesTheLaterWhole) {
  const Histogram earlier = with({{1, 5}, {3, 2}}, 4000, 10'000);
  const Histogram later = with({{1, 1}, {3, 9}}, 900, 20'000);
  EXPECT_EQ(histogram_delta(later, earlier), later);
}

TEST(HistogramSum, BucketsAddMaximumIsTheLarger) {
  EXPECT_EQ(histogram_sum(with({{1, 5}, {3, 2}}, 4000, 10), with({{3, 1}, {9, 4}}, 900, 5)),
            with({{1, 5}, {3, 3}, {9, 4}}, 4000, 15));
}

TEST(Histogram, CountSumsTheBuckets) {
  EXPECT_EQ(with({{0, 1}, {31, 1ULL << 40U}}, 0).count(), (1ULL << 40U) + 1);
}

TEST(DurationText, UnitsAndRounding) {
  EXPECT_EQ(duration_text(0), "0us");
  EXPECT_EQ(duration_text(999), "999us");
  EXPECT_EQ(duration_text(1000), "1.0ms");
  EXPECT_EQ(duration_text(1024), "1.0ms");
  EXPECT_EQ(duration_text(12'549), "12.5ms");
  EXPECT_EQ(duration_text(99'960), "100ms");
  EXPECT_EQ(duration_text(600'000), "600ms");
  EXPECT_EQ(duration_text(999'499), "999ms");
  EXPECT_EQ(duration_text(999'999), "1.0s");
  EXPECT_EQ(duration_text(1'300'000), "1.3s");
  EXPECT_EQ(duration_text(95'000'000), "95.0s");
  EXPECT_EQ(duration_text(120'000'000), "120s");
  EXPECT_EQ(duration_text(18'446'744'073'709), "18446744s");
}

}  // namespace
}  // namespace wqctl
