// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq stall watchdog and the panic-on-stall controls.
 *
 * A pool is stalled when work is ready on it (its worklist holds an item)
 * and it has made no progress for watchdog_thresh seconds.  Progress is
 * pool->last_progress, stamped with a plain store when a worker or rescuer
 * starts an item and when work arrives on an empty worklist; an idle pool,
 * or a busy one whose items keep starting, never stalls.
 *
 * Timers
 * ------
 * Nothing is armed on the submit or execute paths.  While work waits on a
 * pool behind a busy worker, the pool's concurrency timer runs every tick
 * (pool.c); it arms the pool's stall timer, if not pending, for the next
 * deadline counted from the last progress:
 *
 *   last_progress + (reports + 1) * watchdog_thresh   the next report
 *   last_progress + panic_on_stall_time                the panic
 *
 * The stall timer is precise (not deferrable, and armed so that the timer
 * wheel's rounding never makes it late), so a report comes within a tick
 * of its deadline and the panic within a tick of panic_on_stall_time
 * after progress stopped, whatever watchdog_thresh is.  When it fires
 * early, because progress was made meanwhile, it re-arms itself for the
 * new deadline; when the pool has no work ready it stops, and nothing runs
 * on an idle pool.  Changing either parameter re-arms the pending timers at
 * once.  watchdog_thresh=0 turns all of it off, panics included.
 *
 * Reports and panics
 * ------------------
 * A stalled pool is reported once per watchdog_thresh while the stall
 * lasts: the pool, how long, what waits, and each item in flight with its
 * handler, its queue and how long it has run, with the stack of its worker
 * where the kernel exports stack_trace_save_tsk() (not Debian's 6.1).  Each
 * report counts in the pool's and the queues' stalls counters and goes out
 * as a stall event.
 *
 * panic_on_stall counts as Linux does, once per watchdog tick that found a
 * stall: time is cut into slots of watchdog_thresh, and each slot in which
 * at least one pool was reported stalled counts once (the count is never
 * reset).  When it reaches panic_on_stall the machine panics.  A stall that
 * lasts panic_on_stall_time panics too, after its report is printed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/panic.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <kunit/visibility.h>

#include "compat.h"
#include "events.h"
#include "internal.h"
#include "params.h"
#include "trace.h"

#define PCWQ_STALL_SHOW		8	/* in-flight items a report names */

/* Set while the pools exist: parameter writes re-arm their timers. */
static bool pcwq_watchdog_on;		/* kernel_param_lock */

/* Slots that saw a stall, for panic_on_stall. */
static struct pcwq_stall_count pcwq_stall_count = {
	.slot = ATOMIC_LONG_INIT(-1),
};

struct stall_busy {
	pcwq_func_t func;
	char queue[32];
	unsigned long ran;		/* jiffies */
	struct task_struct *task;	/* referenced if stack is shown */
	bool rescuer;
};

struct stall_report {
	int cpu;
	int prio;
	unsigned long stalled;		/* jiffies */
	unsigned int pending;
	unsigned int nr_busy;		/* busy workers, maybe > shown */
	struct stall_busy busy[PCWQ_STALL_SHOW];
};

static unsigned long thresh_jiffies(void)
{
	return pcwq_param(PCWQ_P_WATCHDOG_THRESH) * HZ;
}

/* panic_on_stall_time in jiffies, 0 if off (or the watchdog is). */
static unsigned long limit_jiffies(void)
{
	if (!pcwq_param(PCWQ_P_WATCHDOG_THRESH))
		return 0;
	return pcwq_param(PCWQ_P_PANIC_ON_STALL_TIME) * HZ;
}

/* The reports already made of the stall that began at @last. */
static unsigned int reports_of(struct pcwq_pool *pool, unsigned long last)
{
	return pool->stall_since == last ? pool->stall_reports : 0;
}

/**
 * pcwq_stall_deadline() - the next deadline of a stall
 * @last: jiffies of the last progress, when the stall began
 * @reports: reports already made of that stall
 * @thresh: watchdog_thresh in jiffies, 0 if the watchdog is off
 * @limit: panic_on_stall_time in jiffies, 0 if off
 * @when: the deadline: the next report, or the panic if that comes first
 *
 * Pure: the times wrap around as jiffies do.
 *
 * Return: false if the watchdog is off (nothing in *@when).
 */
bool pcwq_stall_deadline(unsigned long last, unsigned int reports,
			 unsigned long thresh, unsigned long limit,
			 unsigned long *when)
{
	if (!thresh)
		return false;
	*when = last + (reports + 1) * thresh;
	if (limit && time_before(last + limit, *when))
		*when = last + limit;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(pcwq_stall_deadline);

/* The next deadline of @pool in *@when; false if the watchdog is off. */
static bool next_deadline(struct pcwq_pool *pool, unsigned long *when)
{
	unsigned long last = READ_ONCE(pool->last_progress);

	return pcwq_stall_deadline(last, reports_of(pool, last),
				   thresh_jiffies(), limit_jiffies(), when);
}

/**
 * pcwq_precise_expiry() - the expiry to arm a timer with for a deadline
 * @now: jiffies
 * @when: the deadline, not before @now
 *
 * The timer wheel files a far timer at a coarse level and rounds its
 * expiry up by up to an eighth of its distance (256 ms for 3 s at HZ=250),
 * so a far deadline is first approached from below: the timer fires before
 * it and is armed again for the rest, a few times at most, the last one to
 * the tick.  Pure.
 *
 * Return: the expiry, never after @when.
 */
unsigned long pcwq_precise_expiry(unsigned long now, unsigned long when)
{
	long distance = (long)(when - now);

	if (distance > 64)
		when -= distance / 8;
	return when;
}
EXPORT_SYMBOL_IF_KUNIT(pcwq_precise_expiry);

/* Arm @timer to fire at @when, not later: see pcwq_precise_expiry(). */
static void mod_timer_precise(struct timer_list *timer, unsigned long when)
{
	mod_timer(timer, pcwq_precise_expiry(jiffies, when));
}

/**
 * pcwq_watchdog_arm() - watch a pool with work waiting
 * @pool: caller holds pool->lock
 */
void pcwq_watchdog_arm(struct pcwq_pool *pool)
{
	unsigned long when;

	lockdep_assert_held(&pool->lock);
	if (!timer_pending(&pool->stall_timer) && next_deadline(pool, &when))
		mod_timer_precise(&pool->stall_timer, when);
}

/* Count one report in the stalls of the queues with items on @pool. */
static void count_queue_stall(struct pcwq_pool *pool, struct pcwq_pwq *pwq)
{
	if (pwq->stall_seq != pool->stall_seq) {
		pwq->stall_seq = pool->stall_seq;
		pwq->stats.stalls++;
	}
}

/* Fill @rep and count the report.  pool->lock held. */
static void collect(struct pcwq_pool *pool, struct stall_report *rep,
		    unsigned long stalled)
{
	struct pcwq_worker *worker;
	struct pcwq_work *work;

	memset(rep, 0, sizeof(*rep));
	rep->cpu = pool->cpu;
	rep->prio = pool->prio;
	rep->stalled = stalled;
	pool->stall_seq++;
	pool->stats.stalls++;
	for (work = pcwq_first_work(pool, &pool->worklist); work;
	     work = pcwq_first_work(pool, &work->entry)) {
		rep->pending++;
		count_queue_stall(pool, work->pwq);
	}
	list_for_each_entry(worker, &pool->workers, node) {
		struct stall_busy *b;

		if (!worker->current_work)
			continue;
		count_queue_stall(pool, worker->current_pwq);
		if (rep->nr_busy++ >= PCWQ_STALL_SHOW)
			continue;
		b = &rep->busy[rep->nr_busy - 1];
		b->func = worker->current_work->func;
		strscpy(b->queue, worker->current_pwq->wq->name,
			sizeof(b->queue));
		b->ran = jiffies - worker->started;
		b->rescuer = worker->flags & WORKER_RESCUER;
		if (!task_is_running(worker->task)) {
			get_task_struct(worker->task);
			b->task = worker->task;
		}
	}
}

static void print_report(struct stall_report *rep)
{
	unsigned int i;

	pr_warn("stall: CPU %d %s pool made no progress for %u ms, %u waiting, %u in flight\n",
		rep->cpu, rep->prio ? "high priority" : "normal",
		jiffies_to_msecs(rep->stalled), rep->pending, rep->nr_busy);
	for (i = 0; i < min(rep->nr_busy, PCWQ_STALL_SHOW); i++) {
		struct stall_busy *b = &rep->busy[i];

		pr_warn("  in flight for %u ms: %ps of queue %s%s, %s (pid %d)\n",
			jiffies_to_msecs(b->ran), b->func, b->queue,
			b->rescuer ? " on its rescuer" : "",
			b->task ? "blocked" : "running",
			b->task ? task_pid_nr(b->task) : -1);
		if (b->task) {
			pcwq_print_task_stack(b->task, 6);
			put_task_struct(b->task);
		}
	}
	if (rep->nr_busy > PCWQ_STALL_SHOW)
		pr_warn("  and %u more in flight\n",
			rep->nr_busy - PCWQ_STALL_SHOW);
}

/**
 * pcwq_stall_count_tick() - count a report towards panic_on_stall
 * @c: the counter
 * @now: jiffies of the report
 * @thresh: watchdog_thresh in jiffies, not 0: the length of a slot
 *
 * Time is cut into slots of @thresh; the first report in a slot counts it,
 * once, however many pools report in it.  Lockless: of reports racing in a
 * new slot, one counts it.
 *
 * Return: the new count, or 0 if the slot was counted already.
 */
unsigned int pcwq_stall_count_tick(struct pcwq_stall_count *c,
				   unsigned long now, unsigned long thresh)
{
	long slot = (long)(now / thresh);
	long seen = atomic_long_read(&c->slot);

	if (seen == slot || atomic_long_cmpxchg(&c->slot, seen, slot) != seen)
		return 0;
	return atomic_inc_return(&c->ticks);
}
EXPORT_SYMBOL_IF_KUNIT(pcwq_stall_count_tick);

/**
 * pcwq_stall_count_fatal() - whether a count of stalls panics
 * @count: the count pcwq_stall_count_tick() returned
 * @limit: panic_on_stall, 0 for never
 *
 * Return: true if the machine must panic.
 */
bool pcwq_stall_count_fatal(unsigned int count, unsigned int limit)
{
	return limit && count >= limit;
}
EXPORT_SYMBOL_IF_KUNIT(pcwq_stall_count_fatal);

/* A report in a new watchdog slot counts towards panic_on_stall. */
static void count_stall_tick(unsigned long thresh)
{
	unsigned int count, limit;

	count = pcwq_stall_count_tick(&pcwq_stall_count, jiffies, thresh);
	limit = pcwq_param(PCWQ_P_PANIC_ON_STALL);
	if (count && pcwq_stall_count_fatal(count, limit))
		panic("pcwq: %u stall(s) exceeded threshold %u\n", count,
		      limit);
}

/**
 * pcwq_stall_timer_fn() - a deadline of a pool's watchdog
 * @t: pool->stall_timer
 */
void pcwq_stall_timer_fn(struct timer_list *t)
{
	struct pcwq_pool *pool = timer_container_of(pool, t, stall_timer);
	unsigned long thresh = thresh_jiffies(), limit = limit_jiffies();
	unsigned long last, stalled, flags, when;
	struct stall_report rep;
	bool report = false, fatal = false;

	raw_spin_lock_irqsave(&pool->lock, flags);
	if (!thresh || !pcwq_pool_has_work(pool))
		goto unlock;
	last = READ_ONCE(pool->last_progress);
	if (pool->stall_since != last) {
		pool->stall_since = last;
		pool->stall_reports = 0;
	}
	stalled = jiffies - last;
	fatal = limit && stalled >= limit;
	report = stalled >= (pool->stall_reports + 1) * thresh;
	if (report || fatal) {
		collect(pool, &rep, stalled);
		pool->stall_reports = stalled / thresh;
	}
	if (!fatal && next_deadline(pool, &when))
		mod_timer_precise(&pool->stall_timer, when);
unlock:
	raw_spin_unlock_irqrestore(&pool->lock, flags);

	if (!report && !fatal)
		return;
	print_report(&rep);
	trace_pcwq_stall(rep.cpu, rep.prio, jiffies_to_msecs(rep.stalled),
			 rep.pending);
	pcwq_event_stall(rep.cpu, rep.prio, jiffies_to_msecs(rep.stalled),
			 rep.pending);
	if (fatal)
		panic("pcwq: stall lasted %ums, exceeding threshold %us\n",
		      jiffies_to_msecs(stalled),
		      pcwq_param(PCWQ_P_PANIC_ON_STALL_TIME));
	count_stall_tick(thresh);
}

/* Re-arm the pending stall timers for the current parameters. */
static void retune(void)
{
	unsigned long when;
	int cpu, prio;

	for_each_possible_cpu(cpu) {
		for (prio = 0; prio < PCWQ_NR_PRIO; prio++) {
			struct pcwq_pool *pool = pcwq_pool_get(cpu, prio);

			/* An idle timer is armed by the conc timer if needed. */
			raw_spin_lock_irq(&pool->lock);
			if (timer_pending(&pool->stall_timer)) {
				if (next_deadline(pool, &when))
					mod_timer_precise(&pool->stall_timer,
							  when);
				else
					timer_delete(&pool->stall_timer);
			}
			raw_spin_unlock_irq(&pool->lock);
		}
	}
}

/**
 * pcwq_watchdog_param_changed() - watchdog_thresh or panic_on_stall_time
 * was written; caller holds kernel_param_lock(THIS_MODULE)
 */
void pcwq_watchdog_param_changed(void)
{
	if (pcwq_watchdog_on)
		retune();
}

/* The pools exist: let parameter writes re-arm their timers. */
void pcwq_watchdog_start(void)
{
	pcwq_params_lock();
	pcwq_watchdog_on = true;
	pcwq_params_unlock();
}

/* Before the pools go: parameter writes leave them alone. */
void pcwq_watchdog_stop(void)
{
	pcwq_params_lock();
	pcwq_watchdog_on = false;
	pcwq_params_unlock();
}
