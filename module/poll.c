// SPDX-License-Identifier: GPL-2.0
/*
 * Triggered work: Zephyr's k_work_poll on Linux wait queues.
 *
 * A struct pcwq_poll_work puts one wait entry with a wake function of ours
 * on the wait queue of each of its events and, unless the timeout is
 * PCWQ_POLL_FOREVER, arms its timer.  The first wake-up that passes the
 * event's condition, or the timer, fires it: its inner work item is queued
 * on the queue, whose trampoline detaches the rest and calls the handler.
 *
 * Which Linux events
 * ------------------
 * Anything that wakes a wait_queue_head_t: a struct pcwq_signal (a wait
 * queue and a flag, like Zephyr's k_poll_signal) or any wait queue head
 * with an optional condition.  Not a struct completion: its waiters sit on
 * a simple wait queue (swait), whose entries have no wake function, so
 * nothing but a sleeping task can wait on it.  Not files (eventfd, poll
 * tables) either: a poll table entry holds a reference to the file and
 * needs a vfs_poll() at registration, which is a different life cycle; a
 * caller that holds an eventfd's file open can find its wait queue head as
 * KVM's irqfd does (vfs_poll() with a poll_table callback of its own) and
 * give it as a PCWQ_POLL_WAITQUEUE event.
 *
 * States
 * ------
 *   IDLE     not registered; the handler may be running
 *   WAITING  registered: the first event or the timeout fires it
 *   FIRED    fired, the inner work is queued; the trampoline has not run
 *
 * pw->lock (raw) protects state (written with WRITE_ONCE: a wake function
 * peeks at it first), result, the ready flags and busy.  It is
 * taken in the wake functions under the waker's wait queue lock and in the
 * timer, and nests outside work->lock and wq->lock:
 *
 *   wait queue head lock -> pw->lock -> work->lock -> wq->lock, pool->lock
 *
 * Only the WAITING -> FIRED step happens in a wake function or the timer.
 * Nothing else is removed there: taking another head's lock inside a wake
 * function could deadlock (ABBA), and on PREEMPT_RT head locks sleep and
 * must not be taken under pw->lock.  Entries that stay behind find the
 * state not WAITING and do nothing.
 *
 * Detaching (remove_wait_queue() of every entry and timer_delete_sync())
 * and registering happen outside pw->lock, by whoever holds pw->busy, a
 * sleeping "lock" made of a flag under pw->lock and wait_var_event(): the
 * submitter, the canceller, the trampoline before it calls the handler (so
 * the handler may resubmit), and pcwq_destroy().  Unlike a mutex, releasing
 * it touches the item no more after the flag is clear, so an item may be
 * freed as soon as pcwq_poll_cancel() returned.
 *
 * Admission: a registration holds a pcwq_admit_deferred() of its queue
 * (nr_pending) from submission until it fires (the queued item takes it
 * over) or is cancelled.  A WAITING item is on wq->polls (wq->lock), so that
 * pcwq_destroy() cancels it; pw->lock nests outside wq->lock, so destroy
 * only trylocks an item (as with delayed items) and leaves a busy one for
 * later.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/wait_bit.h>

#include "compat.h"
#include "internal.h"

enum {
	POLL_IDLE,
	POLL_WAITING,
	POLL_FIRED,
};

/**
 * pcwq_signal_init() - initialise a signal, not raised
 * @sig: the signal
 */
void pcwq_signal_init(struct pcwq_signal *sig)
{
	init_waitqueue_head(&sig->wait);
	sig->signaled = 0;
	sig->result = 0;
}
EXPORT_SYMBOL_GPL(pcwq_signal_init);

/**
 * pcwq_signal_raise() - raise a signal and fire the items waiting for it
 * @sig: the signal
 * @result: a value pcwq_signal_check() returns
 *
 * Any context but hard interrupts on PREEMPT_RT (as wake_up()).  The items
 * are queued before it returns.  A raised signal stays raised, firing
 * every item submitted later, until pcwq_signal_reset().
 */
void pcwq_signal_raise(struct pcwq_signal *sig, int result)
{
	unsigned long flags;

	spin_lock_irqsave(&sig->wait.lock, flags);
	sig->result = result;
	WRITE_ONCE(sig->signaled, 1);
	wake_up_all_locked(&sig->wait);
	spin_unlock_irqrestore(&sig->wait.lock, flags);
}
EXPORT_SYMBOL_GPL(pcwq_signal_raise);

/**
 * pcwq_signal_reset() - lower a signal
 * @sig: the signal
 */
void pcwq_signal_reset(struct pcwq_signal *sig)
{
	WRITE_ONCE(sig->signaled, 0);
}
EXPORT_SYMBOL_GPL(pcwq_signal_reset);

/**
 * pcwq_signal_check() - whether a signal is raised
 * @sig: the signal
 * @result: set to the value it was raised with, if it is raised
 *
 * Return: true if raised.
 */
bool pcwq_signal_check(struct pcwq_signal *sig, int *result)
{
	unsigned long flags;
	bool raised;

	spin_lock_irqsave(&sig->wait.lock, flags);
	raised = sig->signaled;
	if (raised && result)
		*result = sig->result;
	spin_unlock_irqrestore(&sig->wait.lock, flags);
	return raised;
}
EXPORT_SYMBOL_GPL(pcwq_signal_check);

static wait_queue_head_t *event_head(struct pcwq_poll_event *ev)
{
	return ev->type == PCWQ_POLL_SIGNAL ? &ev->signal->wait : ev->head;
}

/*
 * Whether @ev is ready: on a wake-up of its head (under the head's lock),
 * or @at_submit, when the item has just been registered.  A wait queue
 * without a condition is ready on every wake-up and never at submission:
 * nothing but a wake-up says it happened.
 */
static bool event_ready(struct pcwq_poll_event *ev, bool at_submit)
{
	if (ev->type == PCWQ_POLL_SIGNAL)
		return READ_ONCE(ev->signal->signaled);
	if (!ev->cond)
		return !at_submit;
	return ev->cond(ev->data);
}

/*
 * Fire @pw if it is still waiting, with @result; the events marked in
 * @ready_mask (bit i: events[i]) were ready.  Any context.
 */
static void fire(struct pcwq_poll_work *pw, int result, u64 ready_mask)
{
	unsigned long flags;
	int i;

	raw_spin_lock_irqsave(&pw->lock, flags);
	if (pw->state == POLL_WAITING) {
		WRITE_ONCE(pw->state, POLL_FIRED);
		pw->result = result;
		for (i = 0; i < pw->num_events; i++)
			if (ready_mask & BIT_ULL(i))
				pw->events[i].ready = true;
		raw_spin_lock(&pw->wq->lock);
		list_del_init(&pw->node);
		raw_spin_unlock(&pw->wq->lock);
		/* The registration's admission goes to the queued item. */
		pcwq_enqueue_admitted(pw->wq, pw->cpu, &pw->work);
	}
	raw_spin_unlock_irqrestore(&pw->lock, flags);
}

/* Wake function of an event's entry: runs under its head's lock. */
static int poll_wake(wait_queue_entry_t *wait, unsigned int mode, int sync,
		     void *key)
{
	struct pcwq_poll_event *ev = container_of(wait, struct pcwq_poll_event,
						  wait);
	struct pcwq_poll_work *pw = ev->owner;

	/* Cheap test first: stale entries of a fired item stay until detached. */
	if (READ_ONCE(pw->state) != POLL_WAITING || !event_ready(ev, false))
		return 0;
	fire(pw, 0, BIT_ULL(ev - pw->events));
	return 0;
}

static void poll_timeout(struct timer_list *t)
{
	struct pcwq_poll_work *pw = timer_container_of(pw, t, timer);

	fire(pw, -EAGAIN, 0);
}

static bool busy_try(struct pcwq_poll_work *pw)
{
	unsigned long flags;
	bool got = false;

	raw_spin_lock_irqsave(&pw->lock, flags);
	if (!pw->busy) {
		pw->busy = true;
		got = true;
	}
	raw_spin_unlock_irqrestore(&pw->lock, flags);
	return got;
}

/* Sleep until this task owns pw->busy. */
static void busy_acquire(struct pcwq_poll_work *pw)
{
	wait_var_event(&pw->busy, busy_try(pw));
}

/* Give pw->busy up; the item may be freed as soon as the flag is clear. */
static void busy_release(struct pcwq_poll_work *pw)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&pw->lock, flags);
	pw->busy = false;
	raw_spin_unlock_irqrestore(&pw->lock, flags);
	smp_mb();	/* the flag before wake_up_var()'s waitqueue_active() */
	wake_up_var(&pw->busy);	/* hashes the address, reads nothing of pw */
}

/*
 * Take every entry of @pw off its wait queue and stop its timer, waiting
 * for a wake function or timer callback in flight.  Caller owns pw->busy.
 */
static void detach(struct pcwq_poll_work *pw)
{
	int i;

	if (!pw->attached)
		return;
	for (i = 0; i < pw->num_events; i++)
		remove_wait_queue(event_head(&pw->events[i]),
				  &pw->events[i].wait);
	timer_delete_sync(&pw->timer);
	pw->attached = false;
}

/* Inner work handler: detach what is left, then call the user's handler. */
static void poll_trampoline(struct pcwq_work *work)
{
	struct pcwq_poll_work *pw = pcwq_poll_from_work(work);
	unsigned long flags;

	busy_acquire(pw);
	raw_spin_lock_irqsave(&pw->lock, flags);
	WARN_ON_ONCE(pw->state != POLL_FIRED);
	pw->handler_result = pw->result;
	WRITE_ONCE(pw->state, POLL_IDLE);
	raw_spin_unlock_irqrestore(&pw->lock, flags);
	detach(pw);
	busy_release(pw);
	pw->func(work);
}

/**
 * pcwq_init_poll() - initialise triggered work
 * @pw: the item, idle
 * @func: its handler; it gets &pw->work, see pcwq_poll_from_work() and
 *	pcwq_poll_result()
 */
void pcwq_init_poll(struct pcwq_poll_work *pw, pcwq_func_t func)
{
	memset(pw, 0, sizeof(*pw));
	pcwq_init_work(&pw->work, poll_trampoline);
	pw->func = func;
	raw_spin_lock_init(&pw->lock);
	pw->state = POLL_IDLE;
	INIT_LIST_HEAD(&pw->node);
	timer_setup(&pw->timer, poll_timeout, 0);
}
EXPORT_SYMBOL_GPL(pcwq_init_poll);

static bool events_valid(struct pcwq_poll_event *events, int num_events)
{
	int i;

	if (!events || num_events < 1 || num_events > PCWQ_POLL_MAX_EVENTS)
		return false;
	for (i = 0; i < num_events; i++) {
		struct pcwq_poll_event *ev = &events[i];

		if (ev->type == PCWQ_POLL_SIGNAL && !ev->signal)
			return false;
		if (ev->type == PCWQ_POLL_WAITQUEUE && !ev->head)
			return false;
		if (ev->type != PCWQ_POLL_SIGNAL &&
		    ev->type != PCWQ_POLL_WAITQUEUE)
			return false;
	}
	return true;
}

/*
 * Decide under pw->lock whether @pw may be registered on @wq: 1 if it was
 * waiting there (its admission is kept, it is taken off wq->polls and is
 * IDLE now), 0 if it may be admitted anew, or the refusal.
 */
static int take_over_locked(struct pcwq_poll_work *pw, struct pcwq *wq)
{
	bool other = pw->wq && pw->wq != wq;

	lockdep_assert_held(&pw->lock);
	if (pw->state == POLL_IDLE) {
		/* Its handler running on another queue: would be queued there. */
		if (other && (pcwq_work_busy(&pw->work) & PCWQ_WORK_RUNNING))
			return -EADDRINUSE;
		return 0;
	}
	if (other)
		return -EADDRINUSE;
	if (pw->state == POLL_FIRED)
		return -EBUSY;
	WRITE_ONCE(pw->state, POLL_IDLE);
	raw_spin_lock(&wq->lock);
	list_del_init(&pw->node);
	raw_spin_unlock(&wq->lock);
	return 1;
}

/**
 * pcwq_poll_submit_on() - queue triggered work when an event fires or a
 * timeout expires
 * @wq: the queue
 * @cpu: as for pcwq_submit_on(); checked now, and when the item fires on an
 *	offline CPU it goes elsewhere as a delayed item does
 * @pw: the item
 * @events: what it waits for; valid until the handler starts or
 *	pcwq_poll_cancel() returned 0
 * @num_events: 1..PCWQ_POLL_MAX_EVENTS
 * @timeout: in jiffies; 0 does not wait (queued at once, with -EAGAIN if no
 *	event is ready), PCWQ_POLL_FOREVER waits without a limit
 *
 * Sleeps.  An event ready at submission queues the item at once (result 0).
 * If @pw waits already on @wq, that registration is withdrawn first, so
 * that only @events fire it (as Zephyr).  The registration is admitted like
 * a delayed item, so @wq's capacity, rate limit, drain and plug apply now
 * and never when it fires.
 *
 * Return: 0 if registered (or queued at once); -EADDRINUSE if it waits on,
 * was fired to, or runs on another queue; -EBUSY if it fired and its
 * handler has not started yet (it will run once; submit again from the
 * handler or after it); -EINVAL for bad events, a timeout beyond
 * MAX_JIFFY_OFFSET other than PCWQ_POLL_FOREVER, or a bad @cpu; the
 * refusals of pcwq_schedule_on() (-EBUSY, -ENOSPC, -EAGAIN, -ENODEV).  On
 * a refusal nothing changed: a registration that was waiting still waits.
 */
int pcwq_poll_submit_on(struct pcwq *wq, int cpu, struct pcwq_poll_work *pw,
			struct pcwq_poll_event *events, int num_events,
			unsigned long timeout)
{
	u64 ready = 0;
	int i, ret;

	might_sleep();
	if (!events_valid(events, num_events) ||
	    (timeout > MAX_JIFFY_OFFSET && timeout != PCWQ_POLL_FOREVER) ||
	    !pcwq_cpu_valid(wq, cpu))
		return -EINVAL;

	busy_acquire(pw);
	raw_spin_lock_irq(&pw->lock);
	ret = take_over_locked(pw, wq);
	if (!ret)
		ret = pcwq_admit_deferred(wq, cpu);
	raw_spin_unlock_irq(&pw->lock);
	if (ret < 0) {
		busy_release(pw);
		return ret;
	}
	/* A registration that waited is IDLE now: its entries do nothing. */
	detach(pw);

	pw->wq = wq;
	pw->cpu = cpu;
	pw->events = events;
	pw->num_events = num_events;
	for (i = 0; i < num_events; i++) {
		events[i].ready = false;
		events[i].owner = pw;
		init_waitqueue_func_entry(&events[i].wait, poll_wake);
	}
	raw_spin_lock_irq(&pw->lock);
	WRITE_ONCE(pw->state, POLL_WAITING);
	raw_spin_lock(&wq->lock);
	list_add_tail(&pw->node, &wq->polls);
	raw_spin_unlock(&wq->lock);
	raw_spin_unlock_irq(&pw->lock);

	/* From here a wake-up fires it; an event ready before is found below. */
	pw->attached = true;
	for (i = 0; i < num_events; i++)
		add_wait_queue(event_head(&events[i]), &events[i].wait);
	for (i = 0; i < num_events; i++)
		if (event_ready(&events[i], true))
			ready |= BIT_ULL(i);
	if (ready || !timeout) {
		fire(pw, ready ? 0 : -EAGAIN, ready);
	} else if (timeout != PCWQ_POLL_FOREVER) {
		raw_spin_lock_irq(&pw->lock);
		if (pw->state == POLL_WAITING)
			mod_timer(&pw->timer, jiffies + timeout);
		raw_spin_unlock_irq(&pw->lock);
	}
	busy_release(pw);
	return 0;
}
EXPORT_SYMBOL_GPL(pcwq_poll_submit_on);

/**
 * pcwq_poll_submit() - pcwq_poll_submit_on() the submitting CPU
 * @wq: the queue
 * @pw: the item
 * @events: what it waits for
 * @num_events: how many
 * @timeout: in jiffies, 0 or PCWQ_POLL_FOREVER
 *
 * Return: as pcwq_poll_submit_on().
 */
int pcwq_poll_submit(struct pcwq *wq, struct pcwq_poll_work *pw,
		     struct pcwq_poll_event *events, int num_events,
		     unsigned long timeout)
{
	return pcwq_poll_submit_on(wq, PCWQ_CPU_ANY, pw, events, num_events,
				   timeout);
}
EXPORT_SYMBOL_GPL(pcwq_poll_submit);

/**
 * pcwq_poll_cancel() - stop triggered work that waits
 * @pw: the item
 *
 * Sleeps.  When it returns 0 the handler will not run for that
 * registration, and neither the wake functions nor the timer touch @pw or
 * its events any more: both may be freed (unlike Zephyr, where the timer
 * may still be in flight).
 *
 * Return: 0 if it was waiting; -EINVAL if it was not: never submitted,
 * already fired (its handler runs or ran), or cancelled by pcwq_destroy().
 */
int pcwq_poll_cancel(struct pcwq_poll_work *pw)
{
	struct pcwq *wq;
	int ret = -EINVAL;

	might_sleep();
	busy_acquire(pw);
	raw_spin_lock_irq(&pw->lock);
	wq = pw->wq;
	if (pw->state == POLL_WAITING) {
		WRITE_ONCE(pw->state, POLL_IDLE);
		raw_spin_lock(&wq->lock);
		list_del_init(&pw->node);
		raw_spin_unlock(&wq->lock);
		pcwq_unadmit(wq, pw->cpu);
		ret = 0;
	}
	raw_spin_unlock_irq(&pw->lock);
	if (!ret)
		detach(pw);
	busy_release(pw);
	return ret;
}
EXPORT_SYMBOL_GPL(pcwq_poll_cancel);

/*
 * Cancel the triggered work waiting on a dying queue, from pcwq_destroy().
 * Lock order is pw->lock, wq->lock: only try here, and leave an item whose
 * busy owner works on it (it ends on the list again or off it) for a
 * moment.
 */
void pcwq_poll_cancel_of(struct pcwq *wq)
{
	struct pcwq_poll_work *pw;

	raw_spin_lock_irq(&wq->lock);
	while ((pw = list_first_entry_or_null(&wq->polls,
					      struct pcwq_poll_work, node))) {
		if (!raw_spin_trylock(&pw->lock)) {
			raw_spin_unlock_irq(&wq->lock);
			cpu_relax();
			raw_spin_lock_irq(&wq->lock);
			continue;
		}
		if (pw->busy) {
			raw_spin_unlock(&pw->lock);
			raw_spin_unlock_irq(&wq->lock);
			schedule_timeout_uninterruptible(1);
			raw_spin_lock_irq(&wq->lock);
			continue;
		}
		/* Only WAITING items are listed. */
		list_del_init(&pw->node);
		WRITE_ONCE(pw->state, POLL_IDLE);
		pw->busy = true;
		raw_spin_unlock(&pw->lock);
		raw_spin_unlock_irq(&wq->lock);
		pcwq_unadmit(wq, pw->cpu);
		detach(pw);
		busy_release(pw);
		raw_spin_lock_irq(&wq->lock);
	}
	raw_spin_unlock_irq(&wq->lock);
}
