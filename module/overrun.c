// SPDX-License-Identifier: GPL-2.0
/*
 * The per-item run-time limit of a queue (Zephyr's work_timeout_ms): an
 * item whose handler runs longer than its queue's work_timeout_ms is
 * reported, once per run, and goes on running.
 *
 * Timer
 * -----
 * Every worker and rescuer has a timer, armed only when it starts an item
 * of a queue with a work timeout: a queue without one costs a READ_ONCE()
 * per item and nothing else.  The deadline of the run is kept in
 * worker->overrun_at (pcwq_clock(), under the pool's lock); the timer,
 * which the timer wheel never fires early in jiffies, is armed a jiffy
 * past it.  When the handler returns, the worker kills the timer with
 * timer_delete_sync(), holding no lock, before it records the item's end
 * under the pool's lock and clears overrun_at.  So a timer callback only
 * ever runs while the run it was armed for has not ended: no callback
 * outlives its run, none sees a later item of the same worker, and a
 * rescuer is attached to the pool of the run (it detaches only after
 * pcwq_process_one() returned).  Under the pool's lock the callback
 * reports only if the worker still runs an item with a deadline that has
 * passed, and clears the deadline: once per run.  If it finds the deadline
 * ahead (the jiffy and nanosecond clocks differ slightly) it re-arms.  A
 * timer that came too late (its softirq held up longer than the rest of
 * the item's run) leaves the deadline set: the worker, after killing it,
 * reports the run then if it lasted past the deadline.  So every run
 * longer than the timeout is counted exactly once, and none shorter.
 *
 * Workers and rescuers kill the timer with timer_shutdown_sync() before
 * they are freed: when the pool culls them, when the module unloads, when
 * a rescuer's queue is destroyed.  CPU hotplug needs nothing: a pending
 * timer of a CPU that goes down moves to another CPU with the timer core's
 * others, and the item it watches goes on running on the unbound worker.
 *
 * The report: a rate-limited pr_warn() naming the handler, the queue, the
 * pool's CPU and the run time so far, the queue's and the pool's overruns
 * counters (once per run), the pcwq_overrun trace event and an overrun
 * event on the "events" group (built only when somebody listens, one per
 * run that overruns; pcwq_events counters let wqctl monitor tell what it
 * missed).  Counters, the trace event and the netlink event are not rate
 * limited; the log is, so that a queue whose every item overruns cannot
 * flood it.
 *
 * The thread is not stopped: see README.md, "Work timeout".  On
 * PREEMPT_RT the callback runs in the timer softirq thread; it takes only
 * the pool's raw lock, formats the handler's name under it (kallsyms does
 * not sleep) and prints and allocates the event after releasing it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/ktime.h>
#include <linux/ratelimit.h>
#include <linux/string.h>

#include "compat.h"
#include "events.h"
#include "internal.h"
#include "trace.h"

/* At most 10 reports in the log per 5 s; the rest are only counted. */
static DEFINE_RATELIMIT_STATE(pcwq_overrun_rs, 5 * HZ, 10);

struct overrun_report {
	char func[KSYM_SYMBOL_LEN];
	char queue[sizeof_field(struct pcwq, name)];
	bool ended;
	u64 run_ms;
	unsigned int limit_ms;
	int cpu;
	pid_t pid;
};

/* Timer ticks until @ns from now, a jiffy past it. */
static unsigned long ns_to_timeout(u64 ns)
{
	return msecs_to_jiffies(div_u64(ns, NSEC_PER_MSEC)) + 1;
}

/*
 * Fill @rep and count the overrun of @worker's item.  pool->lock held;
 * @now is past worker->overrun_at.
 */
static void collect(struct pcwq_worker *worker, struct overrun_report *rep,
		    u64 now)
{
	struct pcwq_pool *pool = worker->pool;
	struct pcwq_pwq *pwq = worker->current_pwq;
	u64 run_ns = pcwq_clock_delta(worker->started_ns, now);

	lockdep_assert_held(&pool->lock);
	rep->limit_ms = div_u64(worker->overrun_at - worker->started_ns,
				NSEC_PER_MSEC);
	worker->overrun_at = 0;
	pwq->stats.overruns++;
	pool->stats.overruns++;
	rep->run_ms = div_u64(run_ns, NSEC_PER_MSEC);
	rep->cpu = pool->cpu;
	rep->pid = task_pid_nr(worker->task);
	strscpy(rep->queue, pwq->wq->name, sizeof(rep->queue));
	snprintf(rep->func, sizeof(rep->func), "%ps", worker->current_func);
	trace_pcwq_overrun(pwq->wq, worker->current_func, pool->cpu, run_ns);
}

static void report(const struct overrun_report *rep)
{
	if (__ratelimit(&pcwq_overrun_rs))
		pr_warn("work timeout: %s of queue %s %s %llu ms on CPU %d (pid %d), past the queue's %u ms%s\n",
			rep->func, rep->queue, rep->ended ? "ran" : "has run for",
			rep->run_ms, rep->cpu, rep->pid, rep->limit_ms,
			rep->ended ? "" : "; it goes on");
	pcwq_event_overrun(rep->queue, rep->func, rep->run_ms, rep->cpu);
}

static void overrun_timer_fn(struct timer_list *t)
{
	struct pcwq_worker *worker = timer_container_of(worker, t,
							 overrun_timer);
	/* Stable while the timer lives: a rescuer is attached (above). */
	struct pcwq_pool *pool = worker->pool;
	struct overrun_report rep;
	unsigned long flags;
	bool due = false;
	u64 now;

	raw_spin_lock_irqsave(&pool->lock, flags);
	now = pcwq_clock();
	if (worker->current_work && worker->overrun_at) {
		if (now >= worker->overrun_at) {
			collect(worker, &rep, now);
			rep.ended = false;
			due = true;
		} else {
			mod_timer(t, jiffies +
				  ns_to_timeout(worker->overrun_at - now));
		}
	}
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	if (due)
		report(&rep);
}

/* Set up the timer of a new worker or rescuer. */
void pcwq_overrun_init(struct pcwq_worker *worker)
{
	timer_setup(&worker->overrun_timer, overrun_timer_fn, 0);
}

/**
 * pcwq_overrun_arm() - watch the item @worker starts
 * @worker: the current worker or rescuer; pool->lock held, started_ns set
 * @timeout_ms: the work timeout of the item's queue, not 0
 */
void pcwq_overrun_arm(struct pcwq_worker *worker, unsigned int timeout_ms)
{
	u64 ns = (u64)timeout_ms * NSEC_PER_MSEC;

	lockdep_assert_held(&worker->pool->lock);
	worker->overrun_at = worker->started_ns + ns;
	mod_timer(&worker->overrun_timer, jiffies + ns_to_timeout(ns));
}

/**
 * pcwq_overrun_disarm() - stop watching the item whose handler returned
 * @worker: the current worker or rescuer, which armed its timer for it;
 *	no lock held
 * @run_ns: how long the handler ran
 *
 * Reports the run if it lasted past its deadline and the timer did not.
 * Sleeps on PREEMPT_RT while the callback runs.  The caller clears
 * worker->overrun_at when it records the item's end.
 */
void pcwq_overrun_disarm(struct pcwq_worker *worker, u64 run_ns)
{
	struct pcwq_pool *pool = worker->pool;
	u64 end = worker->started_ns + run_ns;
	struct overrun_report rep;
	bool late = false;

	timer_delete_sync(&worker->overrun_timer);
	/* Only the worker writes it now: a look without the lock. */
	if (!worker->overrun_at || end < worker->overrun_at)
		return;
	raw_spin_lock_irq(&pool->lock);
	if (worker->overrun_at) {
		collect(worker, &rep, end);
		rep.ended = true;
		late = true;
	}
	raw_spin_unlock_irq(&pool->lock);
	if (late)
		report(&rep);
}

/* Kill the timer of a worker or rescuer about to be freed.  Sleeps. */
void pcwq_overrun_exit(struct pcwq_worker *worker)
{
	timer_shutdown_sync(&worker->overrun_timer);
}
