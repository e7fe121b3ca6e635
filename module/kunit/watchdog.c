// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq_watchdog: the arithmetic of the stall watchdog (watchdog.c): the
 * deadlines of a stall, the expiry that makes its timer precise, and the
 * counting of stalled slots towards panic_on_stall.  Times are in jiffies
 * and arbitrary: the functions are pure of jiffies and HZ.
 */
#include <linux/limits.h>

#include "pcwq_kunit.h"

/* Report deadlines: one per thresh after the last progress. */
static void deadline_reports(struct kunit *test)
{
	unsigned long when;
	unsigned int r;

	for (r = 0; r <= 10; r++) {
		KUNIT_ASSERT_TRUE(test, pcwq_stall_deadline(1000, r, 100, 0,
							    &when));
		KUNIT_EXPECT_EQ_MSG(test, when, 1000UL + (r + 1) * 100,
				    "after %u reports", r);
	}
}

/* The watchdog off (thresh 0): no deadline, panic limit or not. */
static void deadline_off(struct kunit *test)
{
	unsigned long when = 12345;

	KUNIT_EXPECT_FALSE(test, pcwq_stall_deadline(1000, 0, 0, 0, &when));
	KUNIT_EXPECT_FALSE(test, pcwq_stall_deadline(1000, 3, 0, 50, &when));
	KUNIT_EXPECT_EQ(test, when, 12345UL);
}

/* The panic comes instead of a report that would come after it. */
static void deadline_limit(struct kunit *test)
{
	static const struct {
		unsigned int reports;
		unsigned long limit, when;
	} cases[] = {
		{ 0, 250, 1100 },	/* limit after the next report */
		{ 1, 250, 1200 },
		{ 2, 250, 1250 },	/* limit before the next report */
		{ 5, 250, 1250 },	/* reports past it: still the limit */
		{ 0, 50, 1050 },	/* limit before the first report */
		{ 1, 200, 1200 },	/* limit and report together */
		{ 0, 1, 1001 },
	};
	unsigned long when;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		bool on = pcwq_stall_deadline(1000, cases[i].reports, 100,
					      cases[i].limit, &when);

		KUNIT_ASSERT_TRUE(test, on);
		KUNIT_EXPECT_EQ_MSG(test, when, cases[i].when,
				    "reports %u limit %lu", cases[i].reports,
				    cases[i].limit);
	}
}

/* jiffies wrap around: deadlines wrap with them, the earlier one wins. */
static void deadline_wrap(struct kunit *test)
{
	unsigned long last = ULONG_MAX - 50, when;

	KUNIT_ASSERT_TRUE(test, pcwq_stall_deadline(last, 0, 100, 0, &when));
	KUNIT_EXPECT_EQ(test, when, 49UL);
	KUNIT_ASSERT_TRUE(test, pcwq_stall_deadline(last, 1, 100, 0, &when));
	KUNIT_EXPECT_EQ(test, when, 149UL);
	/* The limit before the wrap, the report after it. */
	KUNIT_ASSERT_TRUE(test, pcwq_stall_deadline(last, 0, 100, 30, &when));
	KUNIT_EXPECT_EQ(test, when, ULONG_MAX - 20);
	/* Both after the wrap. */
	KUNIT_ASSERT_TRUE(test, pcwq_stall_deadline(last, 0, 100, 150, &when));
	KUNIT_EXPECT_EQ(test, when, 49UL);
	KUNIT_ASSERT_TRUE(test, pcwq_stall_deadline(last, 1, 100, 150, &when));
	KUNIT_EXPECT_EQ(test, when, 99UL);
}

/*
 * When a timer armed at @expiry from @now fires at the latest, by the
 * rounding precise_expiry() allows for: an eighth of the distance beyond
 * 64 jiffies, rounded up.
 */
static unsigned long latest_fire(unsigned long now, unsigned long expiry)
{
	unsigned long distance = expiry - now;

	return distance > 64 ? expiry + DIV_ROUND_UP(distance, 8) : expiry;
}

/* Near deadlines are armed as they are. */
static void precise_near(struct kunit *test)
{
	unsigned long d, now = ULONG_MAX - 10;

	for (d = 0; d <= 64; d++) {
		KUNIT_EXPECT_EQ(test, pcwq_precise_expiry(1000, 1000 + d),
				1000 + d);
		KUNIT_EXPECT_EQ(test, pcwq_precise_expiry(now, now + d),
				now + d);
	}
}

/*
 * Arm for @when from @now and re-arm from each firing, early (at the
 * expiry) or as late as the wheel may be: never after the deadline nor
 * before now, and at the deadline exactly within a few rounds.
 */
static void converge(struct kunit *test, unsigned long now,
		     unsigned long when, bool late)
{
	unsigned long exp, distance = when - now;
	unsigned int rounds;
	bool in_time;

	for (rounds = 0; rounds < 16; rounds++) {
		exp = pcwq_precise_expiry(now, when);
		in_time = time_after_eq(when, exp) && time_after_eq(exp, now);
		KUNIT_EXPECT_TRUE_MSG(test, in_time, "distance %lu round %u",
				      distance, rounds);
		if (exp == when)
			break;
		now = late ? latest_fire(now, exp) : exp;
		KUNIT_EXPECT_TRUE_MSG(test, time_after_eq(when, now),
				      "distance %lu: fired %lu late", distance,
				      now - when);
	}
	KUNIT_EXPECT_LE_MSG(test, rounds, 10U, "distance %lu", distance);
}

/* Never late and converging, also across the wrap of jiffies. */
static void precise_converges(struct kunit *test)
{
	static const unsigned long starts[] = { 0, 1000, ULONG_MAX - 5000 };
	static const unsigned long dists[] = {
		65, 66, 72, 100, 511, 512, 750, 3000, 30000, 900000, 3600000,
	};
	unsigned int s, i;

	for (s = 0; s < ARRAY_SIZE(starts); s++) {
		for (i = 0; i < ARRAY_SIZE(dists); i++) {
			converge(test, starts[s], starts[s] + dists[i], false);
			converge(test, starts[s], starts[s] + dists[i], true);
		}
	}
}

/* A slot counts once however many reports come in it. */
static void count_once_per_slot(struct kunit *test)
{
	struct pcwq_stall_count c = { .slot = ATOMIC_LONG_INIT(-1) };

	KUNIT_EXPECT_EQ(test, pcwq_stall_count_tick(&c, 1000, 100), 1U);
	KUNIT_EXPECT_EQ(test, pcwq_stall_count_tick(&c, 1000, 100), 0U);
	KUNIT_EXPECT_EQ(test, pcwq_stall_count_tick(&c, 1050, 100), 0U);
	KUNIT_EXPECT_EQ(test, pcwq_stall_count_tick(&c, 1099, 100), 0U);
	KUNIT_EXPECT_EQ(test, pcwq_stall_count_tick(&c, 1100, 100), 2U);
	/* Slots without a report are not counted. */
	KUNIT_EXPECT_EQ(test, pcwq_stall_count_tick(&c, 1550, 100), 3U);
	KUNIT_EXPECT_EQ(test, pcwq_stall_count_tick(&c, 1599, 100), 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&c.ticks), 3);
}

/* Across the wrap of jiffies the slot changes and counts. */
static void count_wrap(struct kunit *test)
{
	struct pcwq_stall_count c = { .slot = ATOMIC_LONG_INIT(-1) };

	KUNIT_EXPECT_EQ(test, pcwq_stall_count_tick(&c, ULONG_MAX - 10, 250),
			1U);
	KUNIT_EXPECT_EQ(test, pcwq_stall_count_tick(&c, ULONG_MAX, 250), 0U);
	KUNIT_EXPECT_EQ(test, pcwq_stall_count_tick(&c, 5, 250), 2U);
	KUNIT_EXPECT_EQ(test, pcwq_stall_count_tick(&c, 249, 250), 0U);
	KUNIT_EXPECT_EQ(test, pcwq_stall_count_tick(&c, 250, 250), 3U);
}

/* panic_on_stall: the count reaching the limit panics, 0 never. */
static void count_fatal(struct kunit *test)
{
	struct pcwq_stall_count c = { .slot = ATOMIC_LONG_INIT(-1) };
	unsigned int count, slot, first = 0;

	KUNIT_EXPECT_FALSE(test, pcwq_stall_count_fatal(0, 0));
	KUNIT_EXPECT_FALSE(test, pcwq_stall_count_fatal(1000, 0));
	KUNIT_EXPECT_TRUE(test, pcwq_stall_count_fatal(1, 1));
	KUNIT_EXPECT_FALSE(test, pcwq_stall_count_fatal(2, 3));
	KUNIT_EXPECT_TRUE(test, pcwq_stall_count_fatal(3, 3));
	KUNIT_EXPECT_TRUE(test, pcwq_stall_count_fatal(4, 3));
	/* Two reports per slot: the third slot is the first fatal one. */
	for (slot = 0; slot < 5 && !first; slot++) {
		count = pcwq_stall_count_tick(&c, slot * 100 + 10, 100);
		if (count && pcwq_stall_count_fatal(count, 3))
			first = slot + 1;
		count = pcwq_stall_count_tick(&c, slot * 100 + 90, 100);
		KUNIT_EXPECT_EQ(test, count, 0U);
	}
	KUNIT_EXPECT_EQ(test, first, 3U);
}

static struct kunit_case pcwq_watchdog_cases[] = {
	KUNIT_CASE(deadline_reports),
	KUNIT_CASE(deadline_off),
	KUNIT_CASE(deadline_limit),
	KUNIT_CASE(deadline_wrap),
	KUNIT_CASE(precise_near),
	KUNIT_CASE(precise_converges),
	KUNIT_CASE(count_once_per_slot),
	KUNIT_CASE(count_wrap),
	KUNIT_CASE(count_fatal),
	{}
};

static struct kunit_suite pcwq_watchdog_suite = {
	.name = "pcwq_watchdog",
	.test_cases = pcwq_watchdog_cases,
};

kunit_test_suite(pcwq_watchdog_suite);
