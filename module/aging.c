// SPDX-License-Identifier: GPL-2.0
/*
 * Aging: items of a queue with a maximum wait (max_wait_ms, limits.c) are
 * not starved, neither by the items ahead of them nor by a stream of
 * high-priority work on the same CPU.
 *
 * The rule
 * --------
 * An item is expired when max_wait_ms of its queue have passed since it
 * was queued (since its timer fired, for delayed work) and it still waits
 * on its pool's worklist.  A pass over the worklist, made by the pool's
 * aging timer, finds the expired items and moves them to the front, behind
 * the expired items moved there earlier and not started yet, oldest first;
 * each is counted once as aged.  Workers take items from the front, so
 * expired items start before every item that is not.  The timer runs at
 * the earliest deadline of the items on the worklist, and at most one pass
 * per PCWQ_AGING_PASS, so an item starts to be served first at most
 * PCWQ_AGING_PASS after its deadline.
 *
 * While a normal-priority pool holds expired items not yet started, its
 * workers run at the nice of the high-priority pools (-20), so that the
 * CPU's high-priority workers cannot keep them off the CPU; the nice goes
 * back to 0 when the last of them starts or is cancelled.
 *
 * Items waiting for a max_active slot (pwq->inactive) are not moved: the
 * slot limit holds.  Their wait counts from submission, so they are
 * expired as soon as they reach the worklist.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/list_sort.h>
#include <linux/sched.h>

#include "compat.h"
#include "internal.h"

#define PCWQ_AGING_PASS		msecs_to_jiffies(10)

/* The deadline of @work, in pcwq_clock() time, if it may wait @max_wait_ms. */
static u64 deadline_after(struct pcwq_work *work, unsigned int max_wait_ms)
{
	return work->queued_ns + (u64)max_wait_ms * NSEC_PER_MSEC;
}

/* The deadline of @work in pcwq_clock() time, or 0 if it has none. */
static u64 deadline_of(struct pcwq_work *work)
{
	unsigned int max_wait = READ_ONCE(work->pwq->wq->max_wait_ms);

	return max_wait ? deadline_after(work, max_wait) : 0;
}

/* The jiffies at which a pass finds an item expiring at @deadline. */
static unsigned long pass_at(struct pcwq_pool *pool, u64 deadline)
{
	u64 now = pcwq_clock();
	unsigned long at = jiffies + 1;

	if (deadline > now)
		at += nsecs_to_jiffies(deadline - now);
	if (time_before(at, pool->aging_last + PCWQ_AGING_PASS))
		at = pool->aging_last + PCWQ_AGING_PASS;
	return at;
}

/**
 * pcwq_aging_arm() - make sure a pass finds an item by its deadline
 * @pool: its pool; pool->lock held
 * @work: the item, on @pool->worklist
 * @max_wait_ms: its queue's max_wait_ms, not 0 (see pcwq_aging_watch())
 */
void pcwq_aging_arm(struct pcwq_pool *pool, struct pcwq_work *work,
		    unsigned int max_wait_ms)
{
	lockdep_assert_held(&pool->lock);
	timer_reduce(&pool->aging_timer,
		     pass_at(pool, deadline_after(work, max_wait_ms)));
}

static void set_workers_nice(struct pcwq_pool *pool, long nice)
{
	struct pcwq_worker *worker;

	list_for_each_entry(worker, &pool->workers, node)
		if (!(worker->flags & WORKER_RESCUER))
			set_user_nice(worker->task, nice);
}

/* The nice for a new worker of @pool; pool->lock held. */
long pcwq_pool_nice(struct pcwq_pool *pool)
{
	lockdep_assert_held(&pool->lock);
	return pool->prio || pool->nr_aged ? MIN_NICE : 0;
}

/**
 * pcwq_aging_forget() - an item leaves the worklist of its pool
 * @pool: the pool; pool->lock held
 * @work: the item: started, cancelled or moved away
 */
void pcwq_aging_forget(struct pcwq_pool *pool, struct pcwq_work *work)
{
	lockdep_assert_held(&pool->lock);
	if (!work->aged)
		return;
	work->aged = false;
	if (!--pool->nr_aged && !pool->prio)
		set_workers_nice(pool, 0);
}

static int older(void *priv, const struct list_head *a,
		 const struct list_head *b)
{
	const struct pcwq_work *wa = list_entry(a, struct pcwq_work, entry);
	const struct pcwq_work *wb = list_entry(b, struct pcwq_work, entry);

	return wa->queued_ns > wb->queued_ns;
}

void pcwq_aging_timer_fn(struct timer_list *t)
{
	struct pcwq_pool *pool = timer_container_of(pool, t, aging_timer);
	struct pcwq_work *work, *tmp, *front = NULL;
	u64 now = pcwq_clock(), next = 0, deadline;
	unsigned int nr = 0;
	LIST_HEAD(expired);

	raw_spin_lock_irq(&pool->lock);
	pool->aging_last = jiffies;
	list_for_each_entry_safe(work, tmp, &pool->worklist, entry) {
		if (pcwq_is_cursor(work))
			continue;
		if (work->aged) {
			front = work;
			continue;
		}
		deadline = deadline_of(work);
		if (!deadline)
			continue;
		if (deadline > now) {
			if (!next || deadline < next)
				next = deadline;
			continue;
		}
		work->aged = true;
		work->pwq->stats.aged++;
		pool->stats.aged++;
		list_move_tail(&work->entry, &expired);
		nr++;
	}
	if (nr) {
		list_sort(NULL, &expired, older);
		/* Behind the expired items waiting at the front already. */
		list_splice(&expired, front ? &front->entry : &pool->worklist);
		if (!pool->nr_aged && !pool->prio)
			set_workers_nice(pool, MIN_NICE);
		pool->nr_aged += nr;
		pcwq_pool_kick(pool);
	}
	if (next)
		timer_reduce(&pool->aging_timer, pass_at(pool, next));
	raw_spin_unlock_irq(&pool->lock);
}
