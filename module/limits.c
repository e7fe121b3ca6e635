// SPDX-License-Identifier: GPL-2.0
/*
 * Admission limits of a queue that can change at run time: the capacity,
 * the token-bucket rate limit, the aging deadline (max_wait_ms) and the
 * run-time limit of an item (work_timeout_ms, overrun.c; an item takes the
 * value of when it starts).
 *
 * Token bucket
 * ------------
 * The bucket holds up to burst tokens (rate when burst is 0) and fills at
 * rate tokens per second; every admitted item takes one token, and a
 * submission that finds less than one is refused with -EAGAIN.  Tokens are
 * kept in units of 1/NSEC_PER_SEC token so that the refill is exact in
 * integers: every nanosecond adds rate units.  A full bucket holds at most
 * PCWQ_MAX_RATE * NSEC_PER_SEC units, 10^15, far from overflowing a u64.
 * The bucket is filled when the limit is set, so a queue admits a burst at
 * once; lowering the burst drops the tokens above it.
 *
 * Queues without a rate limit read wq->rate once per submission and touch
 * nothing else.  With one, the bucket is updated under wq->lock, which
 * nests inside work->lock (see internal.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/ktime.h>
#include <kunit/visibility.h>

#include "internal.h"

#define TOKEN	NSEC_PER_SEC	/* one token, in bucket units */

static u64 bucket_size(const struct pcwq *wq)
{
	return (u64)(wq->burst ?: wq->rate) * TOKEN;
}

/* Add the tokens earned since the last refill.  wq->lock held. */
static void refill_locked(struct pcwq *wq, u64 now)
{
	u64 size = bucket_size(wq), elapsed = now - wq->tokens_at;

	lockdep_assert_held(&wq->lock);
	wq->tokens_at = now;
	if (!wq->rate)
		return;
	/* Compare before multiplying: a long quiet time fills the bucket. */
	if (elapsed >= div_u64(size - min(wq->tokens, size), wq->rate))
		wq->tokens = size;
	else
		wq->tokens += elapsed * wq->rate;
}

/**
 * pcwq_take_token_at() - take a token for a new item of @wq at a given time
 * @wq: the queue
 * @now: ktime_get_ns() of the submission, not before the last refill
 *
 * Refills the bucket for the time since the last refill, then takes one
 * token if it holds one.
 *
 * Return: true if the item may be admitted: @wq has no rate limit or had a
 * token for it.
 */
bool pcwq_take_token_at(struct pcwq *wq, u64 now)
{
	unsigned long flags;
	bool ok = true;

	raw_spin_lock_irqsave(&wq->lock, flags);
	if (wq->rate) {
		refill_locked(wq, now);
		ok = wq->tokens >= TOKEN;
		if (ok)
			wq->tokens -= TOKEN;
	}
	raw_spin_unlock_irqrestore(&wq->lock, flags);
	return ok;
}
EXPORT_SYMBOL_IF_KUNIT(pcwq_take_token_at);

/* Whether @l is within the documented ranges of struct pcwq_limits. */
bool pcwq_limits_valid(const struct pcwq_limits *l)
{
	return l->rate <= PCWQ_MAX_RATE && l->burst <= PCWQ_MAX_RATE &&
	       (l->rate || !l->burst) && l->max_wait_ms <= PCWQ_MAX_WAIT_MS &&
	       l->work_timeout_ms <= PCWQ_MAX_WORK_TIMEOUT_MS;
}
EXPORT_SYMBOL_IF_KUNIT(pcwq_limits_valid);

/**
 * pcwq_limits_apply_at() - install @l on @wq at a given time
 * @wq: a new queue or one in use
 * @l: valid limits
 * @now: ktime_get_ns(), not before the last refill
 */
void pcwq_limits_apply_at(struct pcwq *wq, const struct pcwq_limits *l,
			  u64 now)
{
	unsigned long flags;
	bool was_limited, was_shared;

	/* A capacity needs exact counts (see "Counts" in work.c). */
	if (l->capacity)
		pcwq_counts_share(wq);
	raw_spin_lock_irqsave(&wq->lock, flags);
	was_shared = wq->capacity_shared;
	wq->capacity_shared = l->capacity;
	was_limited = wq->rate;
	/* Tokens earned so far count at the old rate. */
	refill_locked(wq, now);
	/* After the fold: pairs with admit() in work.c. */
	smp_store_release(&wq->capacity, l->capacity);
	WRITE_ONCE(wq->max_wait_ms, l->max_wait_ms);
	WRITE_ONCE(wq->work_timeout_ms, l->work_timeout_ms);
	wq->burst = l->burst;
	WRITE_ONCE(wq->rate, l->rate);
	if (!was_limited)
		wq->tokens = bucket_size(wq);
	else
		wq->tokens = min(wq->tokens, bucket_size(wq));
	raw_spin_unlock_irqrestore(&wq->lock, flags);
	if (was_shared)
		pcwq_counts_unshare(wq);
}
EXPORT_SYMBOL_IF_KUNIT(pcwq_limits_apply_at);

/* Install @l on @wq, a new queue or one in use. */
void pcwq_limits_apply(struct pcwq *wq, const struct pcwq_limits *l)
{
	pcwq_limits_apply_at(wq, l, ktime_get_ns());
}

/**
 * pcwq_get_limits() - the admission limits of a queue
 * @wq: the queue
 * @limits: filled in
 */
void pcwq_get_limits(struct pcwq *wq, struct pcwq_limits *limits)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&wq->lock, flags);
	limits->capacity = wq->capacity;
	limits->rate = wq->rate;
	limits->burst = wq->burst;
	limits->max_wait_ms = wq->max_wait_ms;
	limits->work_timeout_ms = wq->work_timeout_ms;
	raw_spin_unlock_irqrestore(&wq->lock, flags);
}
EXPORT_SYMBOL_GPL(pcwq_get_limits);

/**
 * pcwq_set_limits() - change the admission limits of a queue in use
 * @wq: the queue
 * @limits: the new limits, all of them; see struct pcwq_limits
 *
 * Items already admitted stay when a limit is lowered: a capacity below
 * the items queued refuses new ones until enough have left.  A new work
 * timeout applies to the items that start afterwards.  Any context.
 *
 * Return: 0, or -EINVAL (nothing changed) for limits out of range or a
 * burst without a rate.
 */
int pcwq_set_limits(struct pcwq *wq, const struct pcwq_limits *limits)
{
	if (!pcwq_limits_valid(limits))
		return -EINVAL;
	pcwq_limits_apply(wq, limits);
	return 0;
}
EXPORT_SYMBOL_GPL(pcwq_set_limits);
