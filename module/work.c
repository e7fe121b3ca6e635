// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq work items: submit, schedule, cancel, flush.
 *
 * The semantics are Zephyr's k_work (see include/pcwq.h).  Each item has its
 * own lock, work->lock, which protects its flags, its epoch, its waiters and
 * the pwq it is queued or running on.  work->lock nests outside pool->lock
 * and wq->lock; a worker holding pool->lock takes it with trylock only.
 *
 * Instances and the epoch
 * -----------------------
 * Every queued instance of an item ends exactly once, by running to
 * completion or by being cancelled, and each end increments work->epoch.
 * A flush waits for the instances that exist when it starts (the queued one
 * and the running one), a cancel_sync for the running one: both wait until
 * the epoch has advanced by that many, so an item that resubmits itself
 * cannot keep them waiting.  Waiters sleep on their own stack entries, on
 * work->waiters; they are woken with wake_up_process() under work->lock and
 * unlink themselves under it, so nothing touches a waiter's memory once it
 * has returned, and every waiter is woken.
 *
 * Timers
 * ------
 * The DELAYED flag is the token that decides between timer expiry and
 * cancel: whoever clears it under work->lock owns the instance.  A timer
 * that fired but whose handler has not yet taken work->lock when DELAYED is
 * cleared is marked stale: its handler then does nothing, and a
 * cancel_delayable_sync() waits for it, so the item can be freed afterwards.
 *
 * Counts
 * ------
 * A queue counts its items pending (queued or delayed: the capacity) and in
 * flight (queued or running: what a drain waits for).  Each count is the
 * sum of an atomic in struct pcwq and a plain int in every pwq, so that in
 * the common case neither a submission nor a worker writes a cache line
 * that other CPUs write too:
 *
 *  - A change made under the pwq's pool->lock goes to the pwq's int in
 *    local mode (!wq->shared), to the atomic in shared mode.  Any other
 *    change goes to the atomic.  Either is right at any time: only the sum
 *    means anything.
 *  - pcwq_counts_share() sets shared mode, then takes every pool's lock in
 *    turn and folds the pwq's ints into the atomics.  A section under a pool's
 *    lock that comes after the fold of that pool sees shared mode, so once
 *    the fold is over, and while shared mode lasts, the atomics are exact.
 *  - Who needs an exact count holds shared mode: a drain while it waits, a
 *    dying queue, and a capacity (limits.c).  Otherwise counts are read
 *    as a sum, for the statistics only.
 *  - Reaching zero in flight wakes the drainers; that last decrement is
 *    made under wq->lock, as pcwq_destroy() frees the queue once it saw zero
 *    under that lock.  A worker that might make it does so after it dropped
 *    the pool's lock (inflight_dec()).
 *
 * Admission
 * ---------
 * A submission reads wq->state and, for the capacity, wq->nr_pending, then
 * takes a token of the queue's rate limit (limits.c), in that order so that
 * an item refused for the capacity costs no token.  Under the pool's lock it
 * reads wq->state again and counts the item (see Counts); a drain sets
 * PCWQ_DRAINING and then holds shared mode, whose fold takes every pool's
 * lock.  So either the drain counts the item and waits for it, or the
 * submission sees the drain and is refused (unless it is chained: then the
 * drain sees it in the atomic).  An item refused only by the second look
 * has used its token.
 *
 * A capacity is set only in shared mode (limits.c), so a submission that
 * reads one checks it against the exact atomic and counts the item there.
 * A delayed item is admitted when it is scheduled, counted in the atomic,
 * so its timer never finds a full or draining queue: nothing scheduled is
 * lost.
 *
 * CPU mask
 * --------
 * A queue's items are queued only on pools of the CPUs in wq->cpus (every
 * possible CPU unless struct pcwq_attrs says otherwise):
 *
 *  - An explicit CPU outside the mask is refused with -EINVAL, as an offline
 *    CPU is, and like it not counted as rejected (there is no pwq of the
 *    queue to count it on).
 *  - PCWQ_CPU_ANY means the submitting CPU if it is in the mask, else the
 *    next online CPU of the mask after it, wrapping around, so that
 *    submitters outside the mask spread over it; -EINVAL if no CPU of the
 *    mask is online.
 *  - A delayed item goes, when its timer fires, to its CPU if that is
 *    online, else to the timer's CPU if that is in the mask, else to the
 *    next online CPU of the mask.  Only if no CPU of the mask is online it
 *    goes to the timer's CPU, as it did before masks: it was admitted and
 *    is never lost.
 *  - An item submitted again while it runs is queued behind itself where it
 *    runs, whatever CPU was asked for: never two at once.
 *  - Thieves take only items whose queue's mask holds their CPU, and only
 *    such CPUs are woken to steal (pool.c, "Work stealing").
 *
 * Items already queued on a CPU that goes offline stay on its pool and run
 * on its unbound workers, wherever the scheduler puts them (pool.c, "CPU
 * hotplug"): the mask chooses pools, not where such workers run.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/export.h>
#include <linux/sched.h>
#include <kunit/visibility.h>

#include "compat.h"
#include "internal.h"
#include "trace.h"

#define PCWQ_WORK_BUSY	(PCWQ_WORK_QUEUED | PCWQ_WORK_DELAYED | \
			 PCWQ_WORK_RUNNING | PCWQ_WORK_CANCELING)

/* An instance of @work ended: count it and wake whoever waits. */
static void end_instance(struct pcwq_work *work)
{
	lockdep_assert_held(&work->lock);
	work->epoch++;
	pcwq_wake_waiters(&work->waiters);
}

static bool epoch_reached(struct pcwq_work *work, u32 target)
{
	return (s32)(work->epoch - target) >= 0;
}

static bool stale_timer_gone(struct pcwq_work *work, u32 unused)
{
	return !pcwq_delayable_from_work(work)->timer_stale;
}

/*
 * Sleep until @done(work, arg).  Called and returns with work->lock held,
 * interrupts saved in *flags.
 */
static void wait_locked(struct pcwq_work *work, unsigned long *flags,
			bool (*done)(struct pcwq_work *, u32), u32 arg,
			bool flusher)
{
	struct pcwq_waiter waiter = { .task = current, .flusher = flusher };

	list_add_tail(&waiter.node, &work->waiters);
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (done(work, arg))
			break;
		raw_spin_unlock_irqrestore(&work->lock, *flags);
		schedule();
		raw_spin_lock_irqsave(&work->lock, *flags);
	}
	__set_current_state(TASK_RUNNING);
	list_del(&waiter.node);
}

/* Waiting for @work from its own handler would never end. */
static bool waiting_for_self(struct pcwq_work *work)
{
	struct pcwq_worker *worker = pcwq_current_worker();

	return WARN_ONCE(worker && worker->current_work == work,
			 "pcwq: %ps waits for itself\n", work->func);
}

/* One item of @wq less in flight, in the atomic; no pool->lock held. */
static void inflight_dec(struct pcwq *wq)
{
	unsigned long flags;

	if (atomic_add_unless(&wq->nr_inflight, -1, 1))
		return;
	/*
	 * The last one: under wq->lock, so that pcwq_destroy(), which takes
	 * wq->lock after it saw zero, frees nothing we still touch.
	 */
	raw_spin_lock_irqsave(&wq->lock, flags);
	if (atomic_dec_and_test(&wq->nr_inflight))
		pcwq_wake_waiters(&wq->drainers);
	raw_spin_unlock_irqrestore(&wq->lock, flags);
}

/* Add @n to @pwq's part of its queue's pending count; pool->lock held. */
static void pending_add(struct pcwq_pwq *pwq, int n)
{
	lockdep_assert_held(&pwq->pool->lock);
	if (READ_ONCE(pwq->wq->shared))
		atomic_add(n, &pwq->wq->nr_pending);
	else
		pwq->nr_pending += n;
}

/* One item more in flight on @pwq; pool->lock held. */
static void inflight_inc(struct pcwq_pwq *pwq)
{
	lockdep_assert_held(&pwq->pool->lock);
	if (READ_ONCE(pwq->wq->shared))
		atomic_inc(&pwq->wq->nr_inflight);
	else
		pwq->nr_inflight++;
}

/*
 * One item less in flight on @pwq; pool->lock held.  Returns false if the
 * caller must still make the decrement, with inflight_dec() once it dropped
 * pool->lock: in shared mode it may be the last.
 */
static bool inflight_dec_locked(struct pcwq_pwq *pwq)
{
	lockdep_assert_held(&pwq->pool->lock);
	if (READ_ONCE(pwq->wq->shared))
		return atomic_add_unless(&pwq->wq->nr_inflight, -1, 1);
	pwq->nr_inflight--;
	return true;
}

/**
 * pcwq_counts_share() - make a queue's counts exact until unshared
 * @wq: the queue; any context, no pool->lock or wq->lock held
 *
 * Sets shared mode and folds every pwq's part into the atomics (see
 * "Counts" above); each call needs a pcwq_counts_unshare().
 */
void pcwq_counts_share(struct pcwq *wq)
{
	struct pcwq_pwq *pwq;
	unsigned long flags;
	int cpu;

	raw_spin_lock_irqsave(&wq->lock, flags);
	wq->nr_shared++;
	WRITE_ONCE(wq->shared, true);
	raw_spin_unlock_irqrestore(&wq->lock, flags);
	for_each_possible_cpu(cpu) {
		pwq = per_cpu_ptr(wq->pwqs, cpu);
		raw_spin_lock_irqsave(&pwq->pool->lock, flags);
		atomic_add(pwq->nr_pending, &wq->nr_pending);
		atomic_add(pwq->nr_inflight, &wq->nr_inflight);
		pwq->nr_pending = 0;
		pwq->nr_inflight = 0;
		raw_spin_unlock_irqrestore(&pwq->pool->lock, flags);
	}
}

/* Drop what pcwq_counts_share() took; the last one ends shared mode. */
void pcwq_counts_unshare(struct pcwq *wq)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&wq->lock, flags);
	if (!WARN_ON_ONCE(!wq->nr_shared) && !--wq->nr_shared)
		WRITE_ONCE(wq->shared, false);
	raw_spin_unlock_irqrestore(&wq->lock, flags);
}

/* The sum of @atomic and of the int at @offset in every pwq, at least 0. */
static int count_sum(struct pcwq *wq, const atomic_t *atomic, size_t offset)
{
	int cpu, sum = atomic_read(atomic);

	for_each_possible_cpu(cpu) {
		/* Each part under its own pool->lock: statistics only. */
		sum += data_race(*(int *)((char *)per_cpu_ptr(wq->pwqs, cpu) +
					  offset));
	}
	return max(sum, 0);
}

/* Items of @wq queued or delayed; exact only in shared mode. */
int pcwq_nr_pending(struct pcwq *wq)
{
	return count_sum(wq, &wq->nr_pending,
			 offsetof(struct pcwq_pwq, nr_pending));
}
EXPORT_SYMBOL_IF_KUNIT(pcwq_nr_pending);

/* Items of @wq queued or running; exact only in shared mode. */
int pcwq_nr_inflight(struct pcwq *wq)
{
	return count_sum(wq, &wq->nr_inflight,
			 offsetof(struct pcwq_pwq, nr_inflight));
}
EXPORT_SYMBOL_IF_KUNIT(pcwq_nr_inflight);

/* Submission from a handler of @wq, which a drain lets through. */
static bool chained(struct pcwq *wq)
{
	struct pcwq_worker *worker;

	if (!in_task())
		return false;
	worker = pcwq_current_worker();
	return worker && worker->current_pwq && worker->current_pwq->wq == wq;
}

/* The refusal @wq's @state makes of a new item, or 0. */
static int state_refusal(struct pcwq *wq, unsigned int state)
{
	if (state & PCWQ_DYING)
		return -ENODEV;
	if ((state & PCWQ_DRAINING) && !chained(wq))
		return -EBUSY;
	if ((state & PCWQ_PLUGGED) && !(state & PCWQ_DRAINING))
		return -EBUSY;
	return 0;
}

/*
 * The checks of a new item of @wq before its pool's lock: state, capacity,
 * rate (see "Admission" above).  Sets *@counted if the capacity counted it
 * pending, in the atomic.  Returns 0 or the errno of the refusal.
 */
static int admit(struct pcwq *wq, bool *counted)
{
	/* A capacity is published after the fold: pairs with limits.c. */
	unsigned int capacity = smp_load_acquire(&wq->capacity);
	int err;

	*counted = false;
	err = state_refusal(wq, READ_ONCE(wq->state));
	if (err)
		return err;
	if (capacity) {
		if (atomic_inc_return(&wq->nr_pending) > capacity) {
			atomic_dec(&wq->nr_pending);
			return -ENOSPC;
		}
		*counted = true;
	}
	if (!pcwq_take_token(wq)) {
		if (*counted)
			atomic_dec(&wq->nr_pending);
		*counted = false;
		return -EAGAIN;
	}
	return 0;
}

/* Count an event in @pwq and its pool; pool->lock held. */
static void count_event_locked(struct pcwq_pwq *pwq, size_t counter)
{
	lockdep_assert_held(&pwq->pool->lock);
	(*(u64 *)((char *)&pwq->stats + counter))++;
	(*(u64 *)((char *)&pwq->pool->stats + counter))++;
}

/* Count an event outside the enqueue and completion paths. */
static void count_event(struct pcwq_pwq *pwq, size_t counter)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&pwq->pool->lock, flags);
	count_event_locked(pwq, counter);
	raw_spin_unlock_irqrestore(&pwq->pool->lock, flags);
}

/* Where a refusal is counted: by the rate limit as throttled, else rejected. */
static size_t refusal_counter(int err)
{
	return err == -EAGAIN ? offsetof(struct pcwq_stats, throttled) :
				offsetof(struct pcwq_stats, rejected);
}

static void count_refusal(struct pcwq_pwq *pwq, int err)
{
	count_event(pwq, refusal_counter(err));
}

/*
 * Give @work, on no list or on @pwq->inactive, a max_active slot of @pwq and
 * put it at the tail of its pool's worklist.  pool->lock held.
 */
static void activate(struct pcwq_pwq *pwq, struct pcwq_work *work)
{
	struct pcwq_pool *pool = pwq->pool;

	work->inactive = false;
	pwq->nr_active++;
	pcwq_steal_ready_add(pwq, 1);
	trace_pcwq_activate(work, pool->cpu);
	if (!pcwq_pool_has_work(pool))
		WRITE_ONCE(pool->last_progress, jiffies);
	list_move_tail(&work->entry, &pool->worklist);
	pcwq_aging_watch(pool, work);
	pcwq_pool_kick(pool);
}

/**
 * pcwq_pwq_activate() - move waiting items into free max_active slots
 * @pwq: caller holds pwq->pool->lock
 */
void pcwq_pwq_activate(struct pcwq_pwq *pwq)
{
	lockdep_assert_held(&pwq->pool->lock);
	while (pwq->nr_active < pwq->wq->max_active &&
	       !list_empty(&pwq->inactive))
		activate(pwq, list_first_entry(&pwq->inactive,
					       struct pcwq_work, entry));
}

/* How enqueue() counts an item. */
enum {
	ENQ_ADMITTED,	/* pending since it was scheduled or registered */
	ENQ_COUNTED,	/* new, counted pending by the capacity */
	ENQ_NEW,	/* new, not counted yet */
};

/*
 * Put an item on @pwq, submitted for @req_cpu (or PCWQ_CPU_ANY), counting it
 * as @how says.  A new item is refused here if a look at wq->state under
 * pool->lock finds it must be (see "Admission" above).  work->lock held.
 *
 * An item of a PCWQ_STEAL queue that gets a slot on a pool where a worker
 * is already awake waits behind it: then an idle pool of another CPU is
 * woken to steal it (see pool.c), after pool->lock is released.  Not an
 * item queued behind itself: that one may not move.
 *
 * Return: 0, or the errno of the refusal of a new item.
 */
static int enqueue(struct pcwq_work *work, struct pcwq_pwq *pwq, int req_cpu,
		   int how)
{
	struct pcwq_pool *pool = pwq->pool;
	u64 now = pcwq_clock();
	bool thief;
	int err;

	lockdep_assert_held(&work->lock);
	raw_spin_lock(&pool->lock);
	if (how != ENQ_ADMITTED) {
		err = state_refusal(pwq->wq, READ_ONCE(pwq->wq->state));
		if (err) {
			count_event_locked(pwq, refusal_counter(err));
			raw_spin_unlock(&pool->lock);
			if (how == ENQ_COUNTED)
				atomic_dec(&pwq->wq->nr_pending);
			return err;
		}
		if (how == ENQ_NEW)
			pending_add(pwq, 1);
	}
	inflight_inc(pwq);
	trace_pcwq_queue(work, pwq->wq, req_cpu, pool->cpu);
	work->flags |= PCWQ_WORK_QUEUED;
	work->pwq = pwq;
	work->queued_ns = now;
	pwq->stats.submitted++;
	pool->stats.submitted++;
	thief = (pwq->wq->flags & PCWQ_STEAL) &&
		!(work->flags & PCWQ_WORK_RUNNING) &&
		pool->nr_workers != pool->nr_idle;
	/* A free slot and nobody waiting for one: straight to the worklist. */
	if (list_empty(&pwq->inactive) &&
	    pwq->nr_active < pwq->wq->max_active) {
		activate(pwq, work);
	} else {
		work->inactive = true;
		list_add_tail(&work->entry, &pwq->inactive);
		pcwq_pwq_activate(pwq);
	}
	thief = thief && !work->inactive;
	raw_spin_unlock(&pool->lock);
	if (thief)
		pcwq_wake_thief(pool, pwq->wq->cpus);
	return 0;
}

/* Take a queued item off its pool, ending that instance.  work->lock held. */
static void dequeue(struct pcwq_work *work)
{
	struct pcwq_pwq *pwq = work->pwq;
	struct pcwq_pool *pool = pwq->pool;
	bool counted;

	lockdep_assert_held(&work->lock);
	raw_spin_lock(&pool->lock);
	pending_add(pwq, -1);
	counted = inflight_dec_locked(pwq);
	list_del_init(&work->entry);
	pcwq_aging_forget(pool, work);
	if (!work->inactive) {
		pwq->nr_active--;
		pcwq_steal_ready_add(pwq, -1);
		pcwq_pwq_activate(pwq);
	}
	work->inactive = false;
	pwq->stats.cancelled++;
	pool->stats.cancelled++;
	raw_spin_unlock(&pool->lock);
	work->flags &= ~(PCWQ_WORK_QUEUED | PCWQ_WORK_STOLEN);
	if (!counted)
		inflight_dec(pwq->wq);
	end_instance(work);
}

/*
 * The pwq for a new submission to @cpu, or NULL if @cpu is not online or not
 * in @wq's mask.  PCWQ_CPU_ANY is the current CPU if it is in the mask, else
 * the next online CPU of the mask, wrapping (see "CPU mask" above).
 */
static struct pcwq_pwq *target_pwq(struct pcwq *wq, int cpu)
{
	if (cpu == PCWQ_CPU_ANY) {
		cpu = raw_smp_processor_id();
		if (!cpumask_test_cpu(cpu, wq->cpus)) {
			cpu = cpumask_next_and(cpu, wq->cpus, cpu_online_mask);
			if (cpu >= nr_cpu_ids)
				cpu = cpumask_first_and(wq->cpus,
							cpu_online_mask);
		}
	}
	if (cpu < 0 || cpu >= nr_cpu_ids || !cpu_online(cpu) ||
	    !cpumask_test_cpu(cpu, wq->cpus))
		return NULL;
	return per_cpu_ptr(wq->pwqs, cpu);
}

/*
 * The pwq of a delayed item whose timer fired or that is withdrawn: its CPU,
 * or one of the mask as for PCWQ_CPU_ANY, or, with no CPU of the mask
 * online, the current one (see "CPU mask" above).  work->lock held.
 */
static struct pcwq_pwq *delayed_pwq(struct pcwq_delayable_work *dwork)
{
	struct pcwq *wq = dwork->wq;

	return target_pwq(wq, dwork->cpu) ?:
	       target_pwq(wq, PCWQ_CPU_ANY) ?:
	       per_cpu_ptr(wq->pwqs, raw_smp_processor_id());
}

static int submit_locked(struct pcwq_work *work, struct pcwq *wq, int cpu)
{
	struct pcwq_pwq *pwq;
	int ret = 1, err;
	bool counted;

	lockdep_assert_held(&work->lock);
	if (work->flags & PCWQ_WORK_CANCELING)
		return -EBUSY;
	if (work->flags & PCWQ_WORK_QUEUED)
		return 0;
	if (work->flags & PCWQ_WORK_RUNNING) {
		/* Behind itself, where it runs: never two at once. */
		pwq = work->pwq;
		ret = 2;
	} else {
		pwq = target_pwq(wq, cpu);
		if (!pwq)
			return -EINVAL;
	}
	err = admit(pwq->wq, &counted);
	if (err) {
		count_refusal(pwq, err);
		return err;
	}
	err = enqueue(work, pwq, cpu, counted ? ENQ_COUNTED : ENQ_NEW);
	return err ?: ret;
}

/**
 * pcwq_submit_on() - queue a work item on a CPU
 * @wq: the queue
 * @cpu: an online CPU of @wq's mask, or PCWQ_CPU_ANY for the submitting
 *	one; if that is outside the mask, the next online CPU of the mask
 *	after it, wrapping around
 * @work: the item
 *
 * Return: 1 if queued, 0 if it was queued already (it stays where it is),
 * 2 if it was running and is now queued again behind itself on the CPU and
 * queue where it runs (whatever @cpu is); -EBUSY if it is being cancelled
 * or @wq is draining (unless submitted from a handler of @wq) or plugged,
 * -ENOSPC if @wq is at its capacity, -EAGAIN if @wq's rate limit has no
 * token left, -EINVAL if @cpu is not online or not in @wq's mask (not
 * counted as rejected), or for PCWQ_CPU_ANY if no CPU of the mask is
 * online, -ENODEV if @wq is being destroyed.
 */
int pcwq_submit_on(struct pcwq *wq, int cpu, struct pcwq_work *work)
{
	unsigned long flags;
	int ret;

	raw_spin_lock_irqsave(&work->lock, flags);
	ret = submit_locked(work, wq, cpu);
	raw_spin_unlock_irqrestore(&work->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(pcwq_submit_on);

/**
 * pcwq_submit() - queue a work item on the submitting CPU
 * @wq: the queue
 * @work: the item
 *
 * Return: as pcwq_submit_on().
 */
int pcwq_submit(struct pcwq *wq, struct pcwq_work *work)
{
	return pcwq_submit_on(wq, PCWQ_CPU_ANY, work);
}
EXPORT_SYMBOL_GPL(pcwq_submit);

/* Take a delayed instance off its queue's list; still counted pending. */
static void unlist_delayed(struct pcwq_delayable_work *dwork)
{
	struct pcwq *wq = dwork->wq;

	raw_spin_lock(&wq->lock);
	list_del_init(&dwork->delayed_entry);
	raw_spin_unlock(&wq->lock);
	dwork->work.flags &= ~PCWQ_WORK_DELAYED;
}

/* The delay is over: queue the item.  work->lock held, DELAYED set. */
static void expire_locked(struct pcwq_delayable_work *dwork)
{
	struct pcwq_work *work = &dwork->work;
	struct pcwq_pwq *pwq;

	unlist_delayed(dwork);
	if (work->flags & PCWQ_WORK_QUEUED) {
		atomic_dec(&dwork->wq->nr_pending);
		return;
	}
	if (work->flags & PCWQ_WORK_RUNNING)
		pwq = work->pwq;
	else
		pwq = delayed_pwq(dwork);
	/* Admitted when scheduled: no refusal now. */
	enqueue(work, pwq, dwork->cpu, ENQ_ADMITTED);
}

static void delayed_timer_fn(struct timer_list *t)
{
	struct pcwq_delayable_work *dwork = timer_container_of(dwork, t, timer);
	struct pcwq_work *work = &dwork->work;
	unsigned long flags;

	raw_spin_lock_irqsave(&work->lock, flags);
	if (dwork->timer_stale) {
		/* This firing lost against a cancel or a reschedule. */
		dwork->timer_stale = false;
		pcwq_wake_waiters(&work->waiters);
	} else if (work->flags & PCWQ_WORK_DELAYED) {
		expire_locked(dwork);
	}
	raw_spin_unlock_irqrestore(&work->lock, flags);
}

/* Withdraw a delayed instance, counted as unscheduled. */
static void unschedule_locked(struct pcwq_delayable_work *dwork)
{
	struct pcwq_work *work = &dwork->work;
	struct pcwq_pwq *pwq;

	lockdep_assert_held(&work->lock);
	if (!(work->flags & PCWQ_WORK_DELAYED))
		return;
	if (!timer_delete(&dwork->timer))
		dwork->timer_stale = true;	/* fired, handler on its way */
	unlist_delayed(dwork);
	atomic_dec(&dwork->wq->nr_pending);
	pwq = delayed_pwq(dwork);
	count_event(pwq, offsetof(struct pcwq_stats, unscheduled));
}

static int schedule_locked(struct pcwq *wq, int cpu,
			   struct pcwq_delayable_work *dwork,
			   unsigned long delay)
{
	struct pcwq_work *work = &dwork->work;
	int err;

	if (!delay)
		return submit_locked(work, wq, cpu);
	if (work->flags & PCWQ_WORK_CANCELING)
		return -EBUSY;
	err = pcwq_admit_deferred(wq, cpu);
	if (err)
		return err;
	work->flags |= PCWQ_WORK_DELAYED;
	dwork->wq = wq;
	dwork->cpu = cpu;
	raw_spin_lock(&wq->lock);
	list_add_tail(&dwork->delayed_entry, &wq->delayed);
	raw_spin_unlock(&wq->lock);
	mod_timer(&dwork->timer, jiffies + delay);
	return 1;
}

/**
 * pcwq_schedule_on() - queue a delayable item after a delay, unless it is
 * queued or scheduled already
 * @wq: the queue
 * @cpu: an online CPU of @wq's mask, or PCWQ_CPU_ANY, as pcwq_submit_on();
 *	when the timer expires and @cpu is offline, the item goes to the CPU
 *	where the timer fired if it is in the mask, else to the next online
 *	CPU of the mask (see "CPU mask" in work.c)
 * @dwork: the item
 * @delay: in jiffies; 0 submits at once
 *
 * An earlier deadline is kept: nothing changes if the item is queued,
 * delayed or being cancelled.
 *
 * Return: 1 if scheduled, 0 if nothing was done; with @delay 0 as
 * pcwq_submit_on(); otherwise -EINVAL, -EBUSY, -ENOSPC, -EAGAIN, -ENODEV as
 * pcwq_submit_on().
 */
int pcwq_schedule_on(struct pcwq *wq, int cpu,
		     struct pcwq_delayable_work *dwork, unsigned long delay)
{
	struct pcwq_work *work = &dwork->work;
	unsigned long flags;
	int ret = 0;

	raw_spin_lock_irqsave(&work->lock, flags);
	if (!(work->flags & (PCWQ_WORK_BUSY & ~PCWQ_WORK_RUNNING)))
		ret = schedule_locked(wq, cpu, dwork, delay);
	raw_spin_unlock_irqrestore(&work->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(pcwq_schedule_on);

/**
 * pcwq_schedule() - pcwq_schedule_on() the submitting CPU
 * @wq: the queue
 * @dwork: the item
 * @delay: in jiffies
 *
 * Return: as pcwq_schedule_on().
 */
int pcwq_schedule(struct pcwq *wq, struct pcwq_delayable_work *dwork,
		  unsigned long delay)
{
	return pcwq_schedule_on(wq, PCWQ_CPU_ANY, dwork, delay);
}
EXPORT_SYMBOL_GPL(pcwq_schedule);

/**
 * pcwq_reschedule_on() - schedule a delayable item, replacing any deadline
 * @wq: the queue
 * @cpu: as for pcwq_schedule_on()
 * @dwork: the item
 * @delay: in jiffies; 0 submits at once
 *
 * A queued item stays queued and is also scheduled (the expiry then finds
 * it queued and does nothing), as in Zephyr.  Unlike Zephyr, an item being
 * cancelled is refused with -EBUSY instead of being armed.
 *
 * Return: 1 if scheduled; with @delay 0 as pcwq_submit_on(); -EBUSY,
 * -EINVAL, -ENOSPC, -EAGAIN, -ENODEV as pcwq_submit_on().
 */
int pcwq_reschedule_on(struct pcwq *wq, int cpu,
		       struct pcwq_delayable_work *dwork, unsigned long delay)
{
	struct pcwq_work *work = &dwork->work;
	unsigned long flags;
	int ret = -EBUSY;

	raw_spin_lock_irqsave(&work->lock, flags);
	if (!(work->flags & PCWQ_WORK_CANCELING)) {
		unschedule_locked(dwork);
		ret = schedule_locked(wq, cpu, dwork, delay);
	}
	raw_spin_unlock_irqrestore(&work->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(pcwq_reschedule_on);

/**
 * pcwq_reschedule() - pcwq_reschedule_on() the submitting CPU
 * @wq: the queue
 * @dwork: the item
 * @delay: in jiffies
 *
 * Return: as pcwq_reschedule_on().
 */
int pcwq_reschedule(struct pcwq *wq, struct pcwq_delayable_work *dwork,
		    unsigned long delay)
{
	return pcwq_reschedule_on(wq, PCWQ_CPU_ANY, dwork, delay);
}
EXPORT_SYMBOL_GPL(pcwq_reschedule);

static unsigned int busy_locked(struct pcwq_work *work)
{
	struct pcwq_waiter *waiter;
	unsigned int busy = work->flags & PCWQ_WORK_BUSY;

	list_for_each_entry(waiter, &work->waiters, node) {
		if (waiter->flusher) {
			busy |= PCWQ_WORK_FLUSHING;
			break;
		}
	}
	return busy;
}

static unsigned int cancel_locked(struct pcwq_work *work)
{
	if (work->flags & PCWQ_WORK_QUEUED)
		dequeue(work);
	if (work->flags & PCWQ_WORK_RUNNING)
		work->flags |= PCWQ_WORK_CANCELING;
	return work->flags & PCWQ_WORK_BUSY;
}

/**
 * pcwq_cancel() - take a work item off its queue without waiting
 * @work: the item
 *
 * Return: the busy flags left: 0 if it was idle or only queued, else
 * PCWQ_WORK_RUNNING | PCWQ_WORK_CANCELING; until its handler returns,
 * submissions are refused with -EBUSY.
 */
int pcwq_cancel(struct pcwq_work *work)
{
	unsigned long flags;
	int ret;

	raw_spin_lock_irqsave(&work->lock, flags);
	ret = cancel_locked(work);
	raw_spin_unlock_irqrestore(&work->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(pcwq_cancel);

static bool cancel_sync(struct pcwq_work *work,
			struct pcwq_delayable_work *dwork)
{
	unsigned long flags;
	bool pending;

	might_sleep();
	raw_spin_lock_irqsave(&work->lock, flags);
	pending = work->flags & PCWQ_WORK_BUSY;
	if (dwork)
		unschedule_locked(dwork);
	if ((cancel_locked(work) & PCWQ_WORK_RUNNING) &&
	    !waiting_for_self(work))
		wait_locked(work, &flags, epoch_reached, work->epoch + 1, false);
	if (dwork && dwork->timer_stale)
		wait_locked(work, &flags, stale_timer_gone, 0, false);
	raw_spin_unlock_irqrestore(&work->lock, flags);
	return pending;
}

/**
 * pcwq_cancel_sync() - cancel a work item and wait for its handler
 * @work: the item
 *
 * Sleeps.  When it returns the item is idle, unless it was submitted
 * again meanwhile by somebody else.
 *
 * Return: true if the item was busy (queued, running or being cancelled).
 */
bool pcwq_cancel_sync(struct pcwq_work *work)
{
	return cancel_sync(work, NULL);
}
EXPORT_SYMBOL_GPL(pcwq_cancel_sync);

/**
 * pcwq_cancel_delayable() - stop the timer of a delayable item and take it
 * off its queue without waiting
 * @dwork: the item
 *
 * Return: as pcwq_cancel().
 */
int pcwq_cancel_delayable(struct pcwq_delayable_work *dwork)
{
	struct pcwq_work *work = &dwork->work;
	unsigned long flags;
	int ret;

	raw_spin_lock_irqsave(&work->lock, flags);
	unschedule_locked(dwork);
	ret = cancel_locked(work);
	raw_spin_unlock_irqrestore(&work->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(pcwq_cancel_delayable);

/**
 * pcwq_cancel_delayable_sync() - cancel a delayable item and wait for its
 * handler and for a timer already firing
 * @dwork: the item
 *
 * Sleeps.  Afterwards neither the handler nor the timer touches the item.
 *
 * Return: true if the item was busy.
 */
bool pcwq_cancel_delayable_sync(struct pcwq_delayable_work *dwork)
{
	return cancel_sync(&dwork->work, dwork);
}
EXPORT_SYMBOL_GPL(pcwq_cancel_delayable_sync);

static bool flush_locked(struct pcwq_work *work, unsigned long *flags)
{
	unsigned int busy = work->flags & (PCWQ_WORK_QUEUED | PCWQ_WORK_RUNNING);
	u32 target = work->epoch;

	if (!busy || waiting_for_self(work))
		return false;
	target += !!(busy & PCWQ_WORK_QUEUED) + !!(busy & PCWQ_WORK_RUNNING);
	wait_locked(work, flags, epoch_reached, target, true);
	return true;
}

/**
 * pcwq_flush() - wait until a work item's queued and running instances end
 * @work: the item
 *
 * Sleeps.  Instances submitted after the call are not waited for.
 *
 * Return: true if it had to wait, false if the item was idle.
 */
bool pcwq_flush(struct pcwq_work *work)
{
	unsigned long flags;
	bool ret;

	might_sleep();
	raw_spin_lock_irqsave(&work->lock, flags);
	ret = flush_locked(work, &flags);
	raw_spin_unlock_irqrestore(&work->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(pcwq_flush);

/**
 * pcwq_flush_delayable() - run a scheduled item now and wait for it
 * @dwork: the item
 *
 * Sleeps.  A pending timer is cut short: the item is queued at once.
 *
 * Return: true if it had to wait.
 */
bool pcwq_flush_delayable(struct pcwq_delayable_work *dwork)
{
	struct pcwq_work *work = &dwork->work;
	unsigned long flags;
	bool ret;

	might_sleep();
	raw_spin_lock_irqsave(&work->lock, flags);
	if (work->flags & PCWQ_WORK_DELAYED) {
		if (!timer_delete(&dwork->timer))
			dwork->timer_stale = true;
		expire_locked(dwork);
	}
	ret = flush_locked(work, &flags);
	raw_spin_unlock_irqrestore(&work->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(pcwq_flush_delayable);

/**
 * pcwq_work_busy() - the state of a work item
 * @work: the item
 *
 * Return: PCWQ_WORK_QUEUED, _DELAYED, _RUNNING, _CANCELING, _FLUSHING
 * flags; a snapshot that may be stale when it returns.
 */
unsigned int pcwq_work_busy(struct pcwq_work *work)
{
	unsigned long flags;
	unsigned int busy;

	raw_spin_lock_irqsave(&work->lock, flags);
	busy = busy_locked(work);
	raw_spin_unlock_irqrestore(&work->lock, flags);
	return busy;
}
EXPORT_SYMBOL_GPL(pcwq_work_busy);

/**
 * pcwq_delayable_busy() - the state of a delayable item
 * @dwork: the item
 *
 * Return: as pcwq_work_busy().
 */
unsigned int pcwq_delayable_busy(struct pcwq_delayable_work *dwork)
{
	return pcwq_work_busy(&dwork->work);
}
EXPORT_SYMBOL_GPL(pcwq_delayable_busy);

/**
 * pcwq_init_work() - initialise a work item
 * @work: the item, idle
 * @func: its handler
 */
void pcwq_init_work(struct pcwq_work *work, pcwq_func_t func)
{
	memset(work, 0, sizeof(*work));
	INIT_LIST_HEAD(&work->entry);
	INIT_LIST_HEAD(&work->waiters);
	raw_spin_lock_init(&work->lock);
	work->func = func;
}
EXPORT_SYMBOL_GPL(pcwq_init_work);

/**
 * pcwq_init_delayable() - initialise a delayable work item
 * @dwork: the item, idle
 * @func: its handler; it gets &dwork->work, see pcwq_delayable_from_work()
 */
void pcwq_init_delayable(struct pcwq_delayable_work *dwork, pcwq_func_t func)
{
	memset(dwork, 0, sizeof(*dwork));
	pcwq_init_work(&dwork->work, func);
	INIT_LIST_HEAD(&dwork->delayed_entry);
	timer_setup(&dwork->timer, delayed_timer_fn, 0);
}
EXPORT_SYMBOL_GPL(pcwq_init_delayable);

/* Between two items: not after one of a no-yield queue (pool.c, "Yielding"). */
static void yield_after(struct pcwq *wq)
{
	if (!(wq->flags & PCWQ_NO_YIELD))
		cond_resched();
}

/**
 * pcwq_process_one() - run one item on a worker
 * @worker: the current worker
 * @work: the first item of its list, work->lock taken by the caller
 *
 * Called with pool->lock and work->lock held; returns with pool->lock held
 * and work->lock released.  The item is updated after its handler returns.
 *
 * An item on a pool's lists is always of a pwq of that pool: a thief
 * re-homes what it steals before it lists it (pool.c), so the pwq here is
 * @worker's pool's, whose lock covers its slot and counters.
 *
 * After the handler the worker yields the CPU with cond_resched(), unless
 * the item's queue is PCWQ_NO_YIELD (pool.c, "Yielding").  @wq is still
 * valid then: the item is in flight until inflight_dec() below.
 */
void pcwq_process_one(struct pcwq_worker *worker, struct pcwq_work *work)
	__must_hold(&worker->pool->lock) __releases(&work->lock)
{
	struct pcwq_pool *pool = worker->pool;
	struct pcwq_pwq *pwq = work->pwq;
	struct pcwq *wq = pwq->wq;
	pcwq_func_t func = work->func;
	unsigned int timeout_ms = READ_ONCE(wq->work_timeout_ms);
	u64 run_ns, wait_ns;
	bool counted;

	list_del_init(&work->entry);
	pcwq_aging_forget(pool, work);
	if (work->flags & PCWQ_WORK_STOLEN) {
		pwq->stats.stolen++;
		pool->stats.stolen++;
	}
	work->flags = (work->flags & ~(PCWQ_WORK_QUEUED | PCWQ_WORK_STOLEN)) |
		      PCWQ_WORK_RUNNING;
	work->worker = worker;
	raw_spin_unlock(&work->lock);
	pcwq_steal_ready_add(pwq, -1);

	worker->current_work = work;
	worker->current_pwq = pwq;
	worker->current_func = func;
	worker->started = jiffies;
	worker->conc_ticks = 0;
	worker->started_ns = pcwq_clock();
	if (timeout_ms)
		pcwq_overrun_arm(worker, timeout_ms);
	wait_ns = pcwq_clock_delta(work->queued_ns, worker->started_ns);
	pcwq_hist_record(&pwq->lat.wait, wait_ns);
	pcwq_hist_record(&pool->lat.wait, wait_ns);
	WRITE_ONCE(pool->last_progress, worker->started);
	pending_add(pwq, -1);
	raw_spin_unlock_irq(&pool->lock);

	trace_pcwq_execute_start(work, wq, pool->cpu);
	func(work);
	run_ns = pcwq_clock_delta(worker->started_ns, pcwq_clock());
	/*
	 * As the kernel's workqueue_execute_end, the event gets the item's
	 * address and the handler read before it ran, nothing read from an
	 * item its handler is done with.
	 */
	trace_pcwq_execute_end(work, func, pool->cpu, run_ns);
	/* No overrun report once the end is recorded (overrun.c). */
	if (timeout_ms)
		pcwq_overrun_disarm(worker, run_ns);
	yield_after(wq);

	raw_spin_lock_irq(&work->lock);
	work->flags &= ~(PCWQ_WORK_RUNNING | PCWQ_WORK_CANCELING);
	work->worker = NULL;
	end_instance(work);
	raw_spin_lock(&pool->lock);
	counted = inflight_dec_locked(pwq);
	pcwq_hist_record(&pwq->lat.run, run_ns);
	pcwq_hist_record(&pool->lat.run, run_ns);
	worker->current_work = NULL;
	worker->current_pwq = NULL;
	worker->current_func = NULL;
	worker->overrun_at = 0;
	pwq->nr_active--;
	pwq->stats.completed++;
	pool->stats.completed++;
	pcwq_pwq_activate(pwq);
	/* pool->lock stays for the worker's next look at the worklist. */
	raw_spin_unlock(&work->lock);
	if (!counted) {
		raw_spin_unlock_irq(&pool->lock);
		inflight_dec(wq);
		raw_spin_lock_irq(&pool->lock);
	}
}

/*
 * Triggered work (poll.c) is admitted when it is registered, like a delayed
 * item, and queued without a refusal when it fires.
 */

/**
 * pcwq_admit_deferred() - admit an item that will be queued later
 * @wq: the queue
 * @cpu: as for pcwq_submit_on()
 *
 * Counts it pending, in the atomic (capacity), and takes a token.
 *
 * Return: 0, or the refusal of pcwq_schedule_on().
 */
int pcwq_admit_deferred(struct pcwq *wq, int cpu)
{
	struct pcwq_pwq *pwq = target_pwq(wq, cpu);
	bool counted;
	int err;

	if (!pwq)
		return -EINVAL;
	err = admit(wq, &counted);
	if (err)
		count_refusal(pwq, err);
	else if (!counted)
		atomic_inc(&wq->nr_pending);
	return err;
}

/* Whether @cpu (or PCWQ_CPU_ANY) is one a submission to @wq may name. */
bool pcwq_cpu_valid(struct pcwq *wq, int cpu)
{
	return target_pwq(wq, cpu);
}

/* Withdraw what pcwq_admit_deferred() admitted, counted as unscheduled. */
void pcwq_unadmit(struct pcwq *wq, int cpu)
{
	struct pcwq_pwq *pwq = target_pwq(wq, cpu) ?:
			       target_pwq(wq, PCWQ_CPU_ANY) ?:
			       per_cpu_ptr(wq->pwqs, raw_smp_processor_id());

	atomic_dec(&wq->nr_pending);
	count_event(pwq, offsetof(struct pcwq_stats, unscheduled));
}

/*
 * Queue @work, admitted by pcwq_admit_deferred(), on @cpu of @wq, falling
 * back as a delayed item does; behind itself if it runs.  Any context.
 */
void pcwq_enqueue_admitted(struct pcwq *wq, int cpu, struct pcwq_work *work)
{
	struct pcwq_pwq *pwq;
	unsigned long flags;

	raw_spin_lock_irqsave(&work->lock, flags);
	if (work->flags & PCWQ_WORK_QUEUED) {
		atomic_dec(&wq->nr_pending);
	} else {
		if (work->flags & PCWQ_WORK_RUNNING)
			pwq = work->pwq;
		else
			pwq = target_pwq(wq, cpu) ?:
			      target_pwq(wq, PCWQ_CPU_ANY) ?:
			      per_cpu_ptr(wq->pwqs, raw_smp_processor_id());
		enqueue(work, pwq, cpu, ENQ_ADMITTED);
	}
	raw_spin_unlock_irqrestore(&work->lock, flags);
}

/* Cancel the delayed items of a dying queue. */
void pcwq_cancel_delayed_of(struct pcwq *wq)
{
	struct pcwq_delayable_work *dwork;

	raw_spin_lock_irq(&wq->lock);
	while ((dwork = list_first_entry_or_null(&wq->delayed,
						 struct pcwq_delayable_work,
						 delayed_entry))) {
		/* Lock order is work->lock, wq->lock: only try here. */
		if (!raw_spin_trylock(&dwork->work.lock)) {
			raw_spin_unlock_irq(&wq->lock);
			cpu_relax();
			raw_spin_lock_irq(&wq->lock);
			continue;
		}
		raw_spin_unlock(&wq->lock);
		unschedule_locked(dwork);
		raw_spin_unlock(&dwork->work.lock);
		raw_spin_lock(&wq->lock);
	}
	raw_spin_unlock_irq(&wq->lock);
}
