// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq rescuers: progress for PCWQ_MEM_RECLAIM queues on pools that cannot
 * get a worker.
 *
 * Mayday
 * ------
 * While a pool is starved (work ready, no idle worker, no busy worker that
 * makes progress; see pool.c) its concurrency timer keeps trying to create
 * a worker and arms pool->mayday_timer, mayday_timeout_ms ahead.  If the
 * pool is still starved when it fires, pcwq_send_maydays() puts every pwq
 * of a rescuer-owning queue with an item on the worklist on its queue's
 * mayday list (once) and wakes the rescuer; the timer fires again every
 * PCWQ_MAYDAY_INTERVAL while the starvation lasts.
 *
 * The rescuer
 * -----------
 * Every PCWQ_MEM_RECLAIM queue owns one kthread, made with the queue, so
 * that rescuing allocates nothing.  It takes the pwqs off its mayday list in
 * order, attaches itself to each one's pool (bound to its CPU, as the pool's
 * workers are) and runs the queue's items there, as rescuer_mode says:
 *
 *  - one (the default; Linux 7.0): take the queue's first item after the
 *    cursor, run it, decide again.  It goes on only while the pool is still
 *    starved, so that once workers can be created again they take the rest:
 *    one item that blocks for long holds up no other.  The cursor
 *    (pwq->cursor) is a placeholder on the worklist just before the item
 *    taken last, so a rescue session is one pass over the worklist however
 *    many items it runs, not one pass per item.  After rescuer_batch items,
 *    if other pools wait for this rescuer, the pwq goes back to the tail of
 *    the mayday list and its cursor stays; otherwise the cursor leaves the
 *    worklist when the session ends.
 *
 *  - batch (before Linux 7.0): move all of the queue's items on the
 *    worklist to the rescuer's own list at once and run them in a row,
 *    whatever happens to the pool meanwhile.
 *
 * In both modes an item queued again while it runs on another worker is
 * handed to that worker (never two at once), items queued behind the one
 * the rescuer runs are run next, a pwq whose pool is still starved with
 * items left goes back on the mayday list, and the rescuer kicks the pool
 * when it leaves.
 *
 * Locking: pcwq_mayday_lock protects every queue's mayday list and every
 * pwq's mayday_node; it nests inside pool->lock.  The cursor is on or off
 * a worklist under pool->lock, and only its rescuer moves it.  work->pwq of
 * an item on a pool's list is stable under pool->lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "events.h"
#include "internal.h"
#include "params.h"
#include "trace.h"
#include "uapi/pcwq_genl.h"

DEFINE_RAW_SPINLOCK(pcwq_mayday_lock);

/* The handler of a cursor, which is never run. */
void pcwq_cursor_fn(struct pcwq_work *work)
{
	WARN(1, "pcwq: a rescuer cursor was executed\n");
}
EXPORT_SYMBOL_IF_KUNIT(pcwq_cursor_fn);

/* Ask @pwq's rescuer for help, unless it was asked already. */
static void send_mayday(struct pcwq_pwq *pwq)
{
	struct pcwq *wq = pwq->wq;

	lockdep_assert_held(&pwq->pool->lock);
	raw_spin_lock(&pcwq_mayday_lock);
	if (list_empty(&pwq->mayday_node)) {
		list_add_tail(&pwq->mayday_node, &wq->maydays);
		pwq->stats.mayday++;
		pwq->pool->stats.mayday++;
		trace_pcwq_mayday(wq, pwq->pool->cpu);
		wake_up_process(wq->rescuer->task);
	}
	raw_spin_unlock(&pcwq_mayday_lock);
}

/**
 * pcwq_send_maydays() - call the rescuers of the queues waiting on a pool
 * @pool: a starved pool; caller holds pool->lock
 */
void pcwq_send_maydays(struct pcwq_pool *pool)
{
	struct pcwq_work *work;

	for (work = pcwq_first_work(pool, &pool->worklist); work;
	     work = pcwq_first_work(pool, &work->entry))
		if (work->pwq->wq->rescuer)
			send_mayday(work->pwq);
}

/* Put @pwq back at the tail of its mayday list.  pool->lock held. */
static void requeue_mayday(struct pcwq_pwq *pwq)
{
	raw_spin_lock(&pcwq_mayday_lock);
	if (list_empty(&pwq->mayday_node))
		list_add_tail(&pwq->mayday_node, &pwq->wq->maydays);
	raw_spin_unlock(&pcwq_mayday_lock);
}

static bool others_waiting(struct pcwq *wq)
{
	bool waiting;

	raw_spin_lock(&pcwq_mayday_lock);
	waiting = !list_empty(&wq->maydays);
	raw_spin_unlock(&pcwq_mayday_lock);
	return waiting;
}

/* The first item of @pwq after @from on its pool's worklist, or NULL. */
static struct pcwq_work *next_of(struct pcwq_pwq *pwq, struct list_head *from)
{
	struct pcwq_work *work = pcwq_first_work(pwq->pool, from);

	while (work && work->pwq != pwq)
		work = pcwq_first_work(pwq->pool, &work->entry);
	return work;
}

/**
 * pcwq_rescue_next() - the next item of a rescue session on @pwq's pool
 * @pwq: the pwq rescued; caller holds pwq->pool->lock
 *
 * Puts the cursor at the head of the worklist if it is on no worklist (a
 * new session), finds the first item of @pwq after it, skipping other
 * queues' items and other cursors, and moves the cursor just before that
 * item, so that the next call starts there however the list changes
 * meanwhile: a session is one pass over the worklist.
 *
 * Return: the item, or NULL if none of @pwq follows the cursor (the cursor
 * stays where it is; the caller ends the session and takes it off).
 */
struct pcwq_work *pcwq_rescue_next(struct pcwq_pwq *pwq)
{
	struct pcwq_work *cursor = &pwq->cursor, *work;

	lockdep_assert_held(&pwq->pool->lock);
	if (list_empty(&cursor->entry))
		list_add(&cursor->entry, &pwq->pool->worklist);
	work = next_of(pwq, &cursor->entry);
	/* Later scans start here, however the list changes. */
	if (work)
		list_move_tail(&cursor->entry, &work->entry);
	return work;
}
EXPORT_SYMBOL_IF_KUNIT(pcwq_rescue_next);

/*
 * Run @work of @pwq on @rescuer unless it is handed over; whether it ran.
 * pool->lock held.
 */
static bool rescue_work(struct pcwq_worker *rescuer, struct pcwq_pwq *pwq,
			struct pcwq_work *work)
{
	/*
	 * Traced after it ran, since only then is it known that it did: it
	 * may be handed over instead, or its lock not taken.  By then its
	 * handler is done with it, so the event gets its address and the
	 * handler read beforehand, as pcwq_execute_end does.
	 */
	pcwq_func_t func = work->func;

	if (!pcwq_run_or_hand_over(rescuer, work))
		return false;
	trace_pcwq_rescue(pwq->wq, work, func, pwq->pool->cpu);
	return true;
}

/*
 * Run @work, then @rescuer's own list (items handed to it while it ran
 * one), and count what it ran as rescued.  pool->lock held.
 */
static unsigned int run_counted(struct pcwq_worker *rescuer,
				struct pcwq_pwq *pwq, struct pcwq_work *work)
{
	unsigned int ran = 0;

	if (work)
		ran += rescue_work(rescuer, pwq, work);
	while (!list_empty(&rescuer->scheduled))
		ran += rescue_work(rescuer, pwq,
				   list_first_entry(&rescuer->scheduled,
						    struct pcwq_work, entry));
	pwq->stats.rescued += ran;
	pwq->pool->stats.rescued += ran;
	return ran;
}

/*
 * One item at a time while the pool is starved.  Returns whether the pwq
 * went back on the mayday list to yield to other pools.  pool->lock held.
 */
static bool rescue_one_by_one(struct pcwq_worker *rescuer,
			      struct pcwq_pwq *pwq, unsigned int *rescued)
{
	struct pcwq_pool *pool = pwq->pool;
	unsigned int batch = pcwq_param(PCWQ_P_RESCUER_BATCH), done = 0;
	struct pcwq_work *work;

	while (pcwq_pool_starved(pool)) {
		work = pcwq_rescue_next(pwq);
		if (!work)
			break;
		done += run_counted(rescuer, pwq, work);
		if (done >= batch && others_waiting(pwq->wq)) {
			*rescued += done;
			requeue_mayday(pwq);
			return true;
		}
	}
	*rescued += done;
	list_del_init(&pwq->cursor.entry);
	return false;
}

/* Everything of the queue on the pool at once.  pool->lock held. */
static void rescue_batch(struct pcwq_worker *rescuer, struct pcwq_pwq *pwq,
			 unsigned int *rescued)
{
	struct pcwq_work *work, *next;

	for (work = next_of(pwq, &pwq->pool->worklist); work; work = next) {
		next = next_of(pwq, &work->entry);
		list_move_tail(&work->entry, &rescuer->scheduled);
	}
	*rescued += run_counted(rescuer, pwq, NULL);
}

/* A rescue session of @rescuer on @pwq's pool. */
static void rescue_pwq(struct pcwq_worker *rescuer, struct pcwq_pwq *pwq,
		       unsigned int *rescued)
{
	struct pcwq_pool *pool = pwq->pool;
	bool yielded = false;

	pcwq_worker_attach(rescuer, pool);
	raw_spin_lock_irq(&pool->lock);
	if (pcwq_param(PCWQ_P_RESCUER_MODE) == PCWQ_RESCUER_BATCH) {
		/* A cursor left by a yield in mode one is of no use now. */
		list_del_init(&pwq->cursor.entry);
		rescue_batch(rescuer, pwq, rescued);
	} else {
		yielded = rescue_one_by_one(rescuer, pwq, rescued);
	}
	/* More of the queue's items may have come while it was starved. */
	if (!yielded && pcwq_pool_starved(pool) &&
	    next_of(pwq, &pool->worklist))
		requeue_mayday(pwq);
	if (pcwq_pool_has_work(pool))
		pcwq_pool_kick(pool);
	raw_spin_unlock_irq(&pool->lock);
	pcwq_worker_detach(rescuer);
}

/* The thread of a queue's rescuer; data is its struct pcwq_worker. */
int pcwq_rescuer_thread(void *arg)
{
	struct pcwq_worker *rescuer = arg;
	struct pcwq *wq = rescuer->rescue_wq;
	unsigned int rescued = 0;
	unsigned long reported = jiffies;
	struct pcwq_pwq *pwq;
	bool stop;

	for (;;) {
		set_current_state(TASK_IDLE);
		stop = kthread_should_stop();
		raw_spin_lock_irq(&pcwq_mayday_lock);
		while ((pwq = list_first_entry_or_null(&wq->maydays,
						       struct pcwq_pwq,
						       mayday_node))) {
			__set_current_state(TASK_RUNNING);
			list_del_init(&pwq->mayday_node);
			raw_spin_unlock_irq(&pcwq_mayday_lock);
			rescue_pwq(rescuer, pwq, &rescued);
			/* One event a second at most while it keeps rescuing. */
			if (rescued && time_after(jiffies, reported + HZ)) {
				pcwq_event_rescue(wq, rescued);
				rescued = 0;
				reported = jiffies;
			}
			/*
			 * Between sessions even for a PCWQ_NO_YIELD queue:
			 * attaching to the next pool may sleep anyway (pool.c,
			 * "Yielding").  Within a session its items run back
			 * to back, as on a worker.
			 */
			cond_resched();
			raw_spin_lock_irq(&pcwq_mayday_lock);
		}
		raw_spin_unlock_irq(&pcwq_mayday_lock);
		if (rescued) {
			pcwq_event_rescue(wq, rescued);
			rescued = 0;
			reported = jiffies;
		}
		if (stop)
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/**
 * pcwq_rescuer_create() - give a PCWQ_MEM_RECLAIM queue its rescuer
 * @wq: the queue, not yet visible
 *
 * Sleeps.
 *
 * Return: 0 or a negative errno.
 */
int pcwq_rescuer_create(struct pcwq *wq)
{
	struct pcwq_worker *rescuer;
	struct task_struct *task;

	rescuer = kzalloc(sizeof(*rescuer), GFP_KERNEL);
	if (!rescuer)
		return -ENOMEM;
	INIT_LIST_HEAD(&rescuer->node);
	INIT_LIST_HEAD(&rescuer->idle_entry);
	INIT_LIST_HEAD(&rescuer->scheduled);
	pcwq_overrun_init(rescuer);
	rescuer->flags = WORKER_RESCUER;
	rescuer->rescue_wq = wq;
	task = kthread_create(pcwq_rescuer_thread, rescuer, "pcwq_r/%s",
			      wq->name);
	if (IS_ERR(task)) {
		kfree(rescuer);
		return PTR_ERR(task);
	}
	get_task_struct(task);
	rescuer->task = task;
	if (wq->flags & PCWQ_HIGHPRI)
		set_user_nice(task, MIN_NICE);
	wq->rescuer = rescuer;
	wake_up_process(task);
	return 0;
}

/**
 * pcwq_rescuer_destroy() - stop the rescuer of a drained queue
 * @wq: the queue: nothing of it is queued, delayed or running any more
 *
 * Sleeps.  The rescuer empties its mayday list before it stops; nothing
 * puts the queue's pwqs there again, since they have no items.
 */
void pcwq_rescuer_destroy(struct pcwq *wq)
{
	struct pcwq_worker *rescuer = wq->rescuer;
	int cpu;

	if (!rescuer)
		return;
	kthread_stop(rescuer->task);
	pcwq_overrun_exit(rescuer);
	put_task_struct(rescuer->task);
	WARN_ON_ONCE(!list_empty(&wq->maydays));
	for_each_possible_cpu(cpu)
		WARN_ON_ONCE(!list_empty(&per_cpu_ptr(wq->pwqs, cpu)->cursor.entry));
	kfree(rescuer);
	wq->rescuer = NULL;
}
