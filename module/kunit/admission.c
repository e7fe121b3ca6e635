// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq_admission: the admission accounting of a real queue through the
 * public API (include/pcwq.h): capacity counts the items queued and
 * delayed, not the running ones, refuses with -ENOSPC when full and is
 * released when an item is cancelled or leaves the queue to run; the rate
 * limit refuses with -EAGAIN, counted as throttled, not rejected.
 *
 * The queue runs on one CPU with max_active 1: a blocker item whose
 * handler waits keeps the others queued behind it.
 */
#include "pcwq_kunit.h"

#define NR_ITEMS	8
#define LONG_DELAY	(3600 * HZ)

struct adm {
	struct pcwq *wq;
	int cpu;
	struct completion release;
	struct pcwq_kunit_item blocker;
	struct pcwq_kunit_item item[NR_ITEMS];
};

static int adm_init(struct kunit *test)
{
	struct adm *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	unsigned int i;

	if (!a)
		return -ENOMEM;
	a->cpu = cpumask_first(cpu_online_mask);
	init_completion(&a->release);
	pcwq_kunit_item_init(&a->blocker, &a->release, true);
	for (i = 0; i < NR_ITEMS; i++)
		pcwq_kunit_item_init(&a->item[i], &a->release, false);
	test->priv = a;
	return 0;
}

/* Whatever happened: let the handlers end, then the queue. */
static void adm_exit(struct kunit *test)
{
	struct adm *a = test->priv;
	unsigned int i;

	complete_all(&a->release);
	if (!a->wq)
		return;
	pcwq_cancel_delayable_sync(&a->blocker.dwork);
	for (i = 0; i < NR_ITEMS; i++)
		pcwq_cancel_delayable_sync(&a->item[i].dwork);
	pcwq_destroy(a->wq);
}

static int adm_submit(struct adm *a, unsigned int i)
{
	return pcwq_submit_on(a->wq, a->cpu, &a->item[i].dwork.work);
}

static int adm_schedule(struct adm *a, unsigned int i)
{
	return pcwq_schedule_on(a->wq, a->cpu, &a->item[i].dwork, LONG_DELAY);
}

static int pending(struct adm *a)
{
	return pcwq_nr_pending(a->wq);
}

/*
 * A queue with @limits and max_active 1 whose one slot the blocker holds,
 * running: it takes no room, and every item after it waits.
 */
static void adm_blocked_queue(struct kunit *test,
			      const struct pcwq_limits *limits)
{
	struct adm *a = test->priv;

	a->wq = pcwq_kunit_queue(test, a->cpu, 1, limits);
	KUNIT_ASSERT_NOT_NULL(test, a->wq);
	KUNIT_ASSERT_EQ(test, pcwq_submit_on(a->wq, a->cpu,
					     &a->blocker.dwork.work), 1);
	KUNIT_ASSERT_TRUE(test, pcwq_kunit_wait_started(test, &a->blocker));
	KUNIT_EXPECT_EQ(test, pending(a), 0);
}

static void capacity(struct kunit *test)
{
	struct pcwq_limits limits = { .capacity = 3 };
	struct adm *a = test->priv;
	struct pcwq_stats st;

	/* A running item takes no room. */
	adm_blocked_queue(test, &limits);

	/* Two queued and one delayed fill it. */
	KUNIT_EXPECT_EQ(test, adm_submit(a, 0), 1);
	KUNIT_EXPECT_EQ(test, adm_submit(a, 1), 1);
	KUNIT_EXPECT_EQ(test, adm_schedule(a, 2), 1);
	KUNIT_EXPECT_EQ(test, pending(a), 3);
	KUNIT_EXPECT_EQ(test, adm_submit(a, 3), -ENOSPC);
	KUNIT_EXPECT_EQ(test, adm_schedule(a, 4), -ENOSPC);
	KUNIT_EXPECT_EQ(test, pcwq_work_busy(&a->item[3].dwork.work), 0U);
	KUNIT_EXPECT_EQ(test, pcwq_work_busy(&a->item[4].dwork.work), 0U);
	KUNIT_EXPECT_EQ(test, pending(a), 3);

	/* Cancelling a queued item frees its room. */
	KUNIT_EXPECT_EQ(test, pcwq_cancel(&a->item[0].dwork.work), 0);
	KUNIT_EXPECT_EQ(test, pending(a), 2);
	KUNIT_EXPECT_EQ(test, adm_submit(a, 3), 1);
	KUNIT_EXPECT_EQ(test, adm_submit(a, 5), -ENOSPC);

	/* Cancelling a delayed one too. */
	KUNIT_EXPECT_EQ(test, pcwq_cancel_delayable(&a->item[2].dwork), 0);
	KUNIT_EXPECT_EQ(test, pending(a), 2);
	KUNIT_EXPECT_EQ(test, adm_schedule(a, 4), 1);
	KUNIT_EXPECT_EQ(test, adm_submit(a, 5), -ENOSPC);

	/* The queued ones leave when they run: room for as many. */
	complete_all(&a->release);
	pcwq_flush(&a->item[1].dwork.work);
	pcwq_flush(&a->item[3].dwork.work);
	KUNIT_EXPECT_EQ(test, pending(a), 1);
	KUNIT_EXPECT_EQ(test, adm_submit(a, 5), 1);
	KUNIT_EXPECT_EQ(test, adm_submit(a, 6), 1);
	pcwq_flush(&a->item[5].dwork.work);
	pcwq_flush(&a->item[6].dwork.work);
	KUNIT_EXPECT_EQ(test, pcwq_cancel_delayable_sync(&a->item[4].dwork),
			true);
	KUNIT_EXPECT_EQ(test, pending(a), 0);

	pcwq_get_stats(a->wq, &st);
	KUNIT_EXPECT_EQ(test, st.rejected, 4ULL);
	KUNIT_EXPECT_EQ(test, st.throttled, 0ULL);
	KUNIT_EXPECT_EQ(test, st.submitted, 6ULL);	/* blocker, 1, 0, 3, 5, 6 */
	KUNIT_EXPECT_EQ(test, st.cancelled, 1ULL);
	KUNIT_EXPECT_EQ(test, st.unscheduled, 2ULL);
	KUNIT_EXPECT_EQ(test, st.completed, 5ULL);
	KUNIT_EXPECT_EQ(test, st.submitted, st.completed + st.cancelled);
}

/* Capacity is checked first: full, an empty bucket still says -ENOSPC. */
static void capacity_before_rate(struct kunit *test)
{
	struct pcwq_limits limits = { .capacity = 1, .rate = 1, .burst = 2 };
	struct adm *a = test->priv;
	struct pcwq_stats st;

	adm_blocked_queue(test, &limits);
	KUNIT_EXPECT_EQ(test, adm_schedule(a, 0), 1);
	KUNIT_EXPECT_EQ(test, adm_submit(a, 1), -ENOSPC);
	pcwq_get_stats(a->wq, &st);
	KUNIT_EXPECT_EQ(test, st.rejected, 1ULL);
	KUNIT_EXPECT_EQ(test, st.throttled, 0ULL);
}

/*
 * The rate limit: after the burst of 2, submissions are refused with
 * -EAGAIN and counted as throttled.  At 1 token a second a slow VM may
 * admit one more or two: the test submits until a refusal.
 */
static void rate_refusals(struct kunit *test)
{
	struct pcwq_limits limits = { .rate = 1, .burst = 2 };
	struct adm *a = test->priv;
	unsigned int i, admitted = 0, refused = 0;
	struct pcwq_stats st;
	int ret;

	a->wq = pcwq_kunit_queue(test, a->cpu, 1, &limits);
	KUNIT_ASSERT_NOT_NULL(test, a->wq);
	for (i = 0; i < NR_ITEMS && !refused; i++) {
		ret = adm_submit(a, i);
		if (ret == 1) {
			admitted++;
		} else {
			KUNIT_EXPECT_EQ(test, ret, -EAGAIN);
			refused++;
		}
	}
	KUNIT_EXPECT_GE(test, admitted, 2U);
	KUNIT_EXPECT_EQ(test, refused, 1U);
	for (i = 0; i < NR_ITEMS; i++)
		pcwq_flush(&a->item[i].dwork.work);
	pcwq_get_stats(a->wq, &st);
	KUNIT_EXPECT_EQ(test, st.throttled, 1ULL);
	KUNIT_EXPECT_EQ(test, st.rejected, 0ULL);
	KUNIT_EXPECT_EQ(test, st.submitted, (u64)admitted);
	KUNIT_EXPECT_EQ(test, pending(a), 0);
}

/*
 * Counts: without a capacity the queue counts in its pwqs, shared mode
 * folds them into the atomics, and a capacity set later finds them there.
 */
static void counts_modes(struct kunit *test)
{
	struct pcwq_limits limits = { .capacity = 2 };
	struct adm *a = test->priv;
	struct pcwq_pwq *pwq;

	adm_blocked_queue(test, &(struct pcwq_limits){});
	pwq = per_cpu_ptr(a->wq->pwqs, a->cpu);
	KUNIT_EXPECT_EQ(test, adm_submit(a, 0), 1);
	KUNIT_EXPECT_EQ(test, adm_submit(a, 1), 1);
	/* Local mode: the pwq holds the counts, blocker included. */
	KUNIT_EXPECT_FALSE(test, a->wq->shared);
	KUNIT_EXPECT_EQ(test, pending(a), 2);
	KUNIT_EXPECT_EQ(test, pcwq_nr_inflight(a->wq), 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->wq->nr_pending), 0);
	KUNIT_EXPECT_EQ(test, pwq->nr_pending, 2);
	KUNIT_EXPECT_EQ(test, pwq->nr_inflight, 3);

	/* A capacity folds them; it is full at once. */
	KUNIT_EXPECT_EQ(test, pcwq_set_limits(a->wq, &limits), 0);
	KUNIT_EXPECT_TRUE(test, a->wq->shared);
	KUNIT_EXPECT_EQ(test, pwq->nr_pending, 0);
	KUNIT_EXPECT_EQ(test, pwq->nr_inflight, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->wq->nr_pending), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->wq->nr_inflight), 3);
	KUNIT_EXPECT_EQ(test, adm_submit(a, 2), -ENOSPC);

	/* Without it, local again: new items count in the pwq. */
	KUNIT_EXPECT_EQ(test, pcwq_set_limits(a->wq, &(struct pcwq_limits){}),
			0);
	KUNIT_EXPECT_FALSE(test, a->wq->shared);
	KUNIT_EXPECT_EQ(test, adm_submit(a, 2), 1);
	KUNIT_EXPECT_EQ(test, pwq->nr_pending, 1);
	KUNIT_EXPECT_EQ(test, pending(a), 3);

	/* Items counted in either place leave both sums at zero. */
	complete_all(&a->release);
	pcwq_drain(a->wq, false);
	KUNIT_EXPECT_EQ(test, pending(a), 0);
	KUNIT_EXPECT_EQ(test, pcwq_nr_inflight(a->wq), 0);
	KUNIT_EXPECT_FALSE(test, a->wq->shared);
}

static struct kunit_case pcwq_admission_cases[] = {
	KUNIT_CASE(capacity),
	KUNIT_CASE(capacity_before_rate),
	KUNIT_CASE(rate_refusals),
	KUNIT_CASE(counts_modes),
	{}
};

static struct kunit_suite pcwq_admission_suite = {
	.name = "pcwq_admission",
	.init = adm_init,
	.exit = adm_exit,
	.test_cases = pcwq_admission_cases,
};

kunit_test_suite(pcwq_admission_suite);
