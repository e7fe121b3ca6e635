// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq_clock: the clock of clock.c against ktime_get_ns(), whose rate its
 * calibration copied, the difference of two readings, and the histogram
 * bucket a difference goes to.
 */
#include <linux/timekeeping.h>

#include "pcwq_kunit.h"

/* Where the CPU counts cycles, the clock uses them. */
static void calibrated(struct kunit *test)
{
	if (!get_cycles())
		kunit_skip(test, "no cycle counter: the clock is ktime_get_ns()");
	KUNIT_EXPECT_NE(test, pcwq_clock_mult, 0U);
}

/* Over 100 ms it advances as ktime_get_ns() does, within 1%. */
static void rate(struct kunit *test)
{
	u64 c0, c1, t0, t1, dc, dt;
	unsigned long flags;

	local_irq_save(flags);
	c0 = pcwq_clock();
	t0 = ktime_get_ns();
	local_irq_restore(flags);
	msleep(100);
	local_irq_save(flags);
	c1 = pcwq_clock();
	t1 = ktime_get_ns();
	local_irq_restore(flags);
	dc = c1 - c0;
	dt = t1 - t0;
	KUNIT_EXPECT_GE(test, dt, 100ULL * NSEC_PER_MSEC);
	KUNIT_EXPECT_LE(test, dc, dt + dt / 100);
	KUNIT_EXPECT_GE(test, dc, dt - dt / 100);
}

/* A later reading is not behind an earlier one on the same CPU. */
static void monotonic(struct kunit *test)
{
	u64 prev, now;
	int i;

	preempt_disable();
	prev = pcwq_clock();
	for (i = 0; i < 10000; i++) {
		now = pcwq_clock();
		if (now < prev)
			break;
		prev = now;
	}
	preempt_enable();
	KUNIT_EXPECT_EQ(test, i, 10000);
}

/* A reading behind the other (another CPU's) is a zero difference. */
static void delta(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pcwq_clock_delta(100, 250), 150ULL);
	KUNIT_EXPECT_EQ(test, pcwq_clock_delta(250, 250), 0ULL);
	KUNIT_EXPECT_EQ(test, pcwq_clock_delta(250, 100), 0ULL);
}

/* The bucket of a duration: the microseconds' fls64(), without a division. */
static void hist_bucket(struct kunit *test)
{
	u64 ns, edge;
	int k, d;

	for (ns = 0; ns < 70000; ns++)
		if (pcwq_hist_bucket(ns) != fls64(div_u64(ns, NSEC_PER_USEC)))
			break;
	KUNIT_EXPECT_EQ(test, ns, 70000ULL);
	/* Around every edge 1000 * 2^k, as far as the type reaches. */
	for (k = 0; k < 54; k++) {
		edge = (u64)NSEC_PER_USEC << k;
		for (d = -2; d <= 2; d++) {
			ns = edge + d;
			KUNIT_EXPECT_EQ_MSG(test, pcwq_hist_bucket(ns),
					    fls64(div_u64(ns, NSEC_PER_USEC)),
					    "ns %llu", ns);
		}
	}
	KUNIT_EXPECT_EQ(test, pcwq_hist_bucket(U64_MAX),
			fls64(div_u64(U64_MAX, NSEC_PER_USEC)));
}

static struct kunit_case pcwq_clock_cases[] = {
	KUNIT_CASE(calibrated),
	KUNIT_CASE(rate),
	KUNIT_CASE(monotonic),
	KUNIT_CASE(delta),
	KUNIT_CASE(hist_bucket),
	{}
};

static struct kunit_suite pcwq_clock_suite = {
	.name = "pcwq_clock",
	.test_cases = pcwq_clock_cases,
};

kunit_test_suite(pcwq_clock_suite);
