// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq_bucket: the token bucket of the rate limit (limits.c) on a queue
 * made up for the test (only its lock and limit fields), with explicit
 * times in nanoseconds.
 */
#include <linux/limits.h>

#include "pcwq_kunit.h"

#define T0	1000000000ULL	/* ns: when the limits are set */

static struct pcwq *bucket(struct kunit *test, unsigned int rate,
			   unsigned int burst)
{
	struct pcwq_limits l = { .rate = rate, .burst = burst };
	struct pcwq *wq = kunit_kzalloc(test, sizeof(*wq), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, wq);
	raw_spin_lock_init(&wq->lock);
	KUNIT_ASSERT_TRUE(test, pcwq_limits_valid(&l));
	pcwq_limits_apply_at(wq, &l, T0);
	return wq;
}

/* Tokens taken at @now until one is refused; at most @max. */
static unsigned int take_all(struct pcwq *wq, u64 now, unsigned int max)
{
	unsigned int n = 0;

	while (n < max && pcwq_take_token_at(wq, now))
		n++;
	return n;
}

/* A new limit admits its burst at once, then nothing at the same time. */
static void burst(struct kunit *test)
{
	struct pcwq *wq = bucket(test, 10, 5);

	KUNIT_EXPECT_EQ(test, take_all(wq, T0, 100), 5U);
	KUNIT_EXPECT_FALSE(test, pcwq_take_token_at(wq, T0));
}

/* burst 0 holds one second's worth: rate tokens. */
static void burst_zero_is_rate(struct kunit *test)
{
	struct pcwq *wq = bucket(test, 7, 0);

	KUNIT_EXPECT_EQ(test, take_all(wq, T0, 100), 7U);
}

/* rate tokens a second: one each 1/rate s exactly, rate in a second. */
static void rate(struct kunit *test)
{
	struct pcwq *wq = bucket(test, 10, 1);
	unsigned int k, n = 0;

	KUNIT_EXPECT_TRUE(test, pcwq_take_token_at(wq, T0));
	KUNIT_EXPECT_FALSE(test, pcwq_take_token_at(wq, T0 + 99999999));
	KUNIT_EXPECT_TRUE(test, pcwq_take_token_at(wq, T0 + 100000000));
	/* Tries every 10 ms for a second: 10 admitted, one per 100 ms. */
	for (k = 1; k <= 100; k++)
		n += pcwq_take_token_at(wq, T0 + 100000000 + k * 10000000ULL);
	KUNIT_EXPECT_EQ(test, n, 10U);
}

/* Fractions of a token add up exactly: 3 a second, one per 1/3 s. */
static void fractional_refill(struct kunit *test)
{
	struct pcwq *wq = bucket(test, 3, 0);

	KUNIT_EXPECT_EQ(test, take_all(wq, T0, 100), 3U);
	/* 333333333 ns * 3 = 999999999 units: one short of a token. */
	KUNIT_EXPECT_FALSE(test, pcwq_take_token_at(wq, T0 + 333333333));
	/* The refused try kept its fraction: one more ns gives a token. */
	KUNIT_EXPECT_TRUE(test, pcwq_take_token_at(wq, T0 + 333333334));
	KUNIT_EXPECT_FALSE(test, pcwq_take_token_at(wq, T0 + 333333334));
}

/* A long quiet time fills the bucket, no more, and overflows nothing. */
static void long_quiet(struct kunit *test)
{
	struct pcwq *wq = bucket(test, PCWQ_MAX_RATE, 2000);
	u64 quiet[] = { 1ULL << 40, 1ULL << 60, U64_MAX / 2 };
	u64 now = T0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(quiet); i++) {
		/* The whole bucket, but the token taken after the last one. */
		KUNIT_EXPECT_EQ(test, take_all(wq, now, 5000), i ? 1999U : 2000U);
		now += quiet[i];
		KUNIT_EXPECT_TRUE(test, pcwq_take_token_at(wq, now));
		KUNIT_EXPECT_EQ_MSG(test, wq->tokens,
				    1999ULL * NSEC_PER_SEC, "after %llu ns",
				    quiet[i]);
	}
}

/* rate 0: no limit, every submission admitted, no token counted. */
static void rate_zero_unlimited(struct kunit *test)
{
	struct pcwq *wq = bucket(test, 0, 0);

	KUNIT_EXPECT_EQ(test, take_all(wq, T0, 10000), 10000U);
	KUNIT_EXPECT_EQ(test, wq->tokens, 0ULL);
}

/* Lowering the burst drops the tokens above it; raising keeps them. */
static void burst_lowered(struct kunit *test)
{
	struct pcwq *wq = bucket(test, 10, 10);
	struct pcwq_limits l = { .rate = 10, .burst = 2 };

	pcwq_limits_apply_at(wq, &l, T0);
	KUNIT_EXPECT_EQ(test, take_all(wq, T0, 100), 2U);
	l.burst = 20;
	pcwq_limits_apply_at(wq, &l, T0);
	KUNIT_EXPECT_FALSE(test, pcwq_take_token_at(wq, T0));
	/* Two seconds later: 20 tokens, the new burst. */
	KUNIT_EXPECT_EQ(test, take_all(wq, T0 + 2 * NSEC_PER_SEC, 100), 20U);
}

/* A burst without a rate, or beyond PCWQ_MAX_RATE, is not valid. */
static void limits_valid(struct kunit *test)
{
	struct pcwq_limits l = { .burst = 1 };

	KUNIT_EXPECT_FALSE(test, pcwq_limits_valid(&l));
	l.rate = PCWQ_MAX_RATE + 1;
	KUNIT_EXPECT_FALSE(test, pcwq_limits_valid(&l));
	l.rate = PCWQ_MAX_RATE;
	l.burst = PCWQ_MAX_RATE + 1;
	KUNIT_EXPECT_FALSE(test, pcwq_limits_valid(&l));
	l.burst = PCWQ_MAX_RATE;
	KUNIT_EXPECT_TRUE(test, pcwq_limits_valid(&l));
}

static struct kunit_case pcwq_bucket_cases[] = {
	KUNIT_CASE(burst),
	KUNIT_CASE(burst_zero_is_rate),
	KUNIT_CASE(rate),
	KUNIT_CASE(fractional_refill),
	KUNIT_CASE(long_quiet),
	KUNIT_CASE(rate_zero_unlimited),
	KUNIT_CASE(burst_lowered),
	KUNIT_CASE(limits_valid),
	{}
};

static struct kunit_suite pcwq_bucket_suite = {
	.name = "pcwq_bucket",
	.test_cases = pcwq_bucket_cases,
};

kunit_test_suite(pcwq_bucket_suite);
