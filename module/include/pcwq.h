/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcwq: a per-CPU workqueue with Zephyr k_work semantics.
 *
 * A work item is in any combination of these states, reported by
 * pcwq_work_busy():
 *
 *   PCWQ_WORK_QUEUED     waiting on a queue for a worker
 *   PCWQ_WORK_DELAYED    waiting for its timer (delayable work only)
 *   PCWQ_WORK_RUNNING    its handler is executing
 *   PCWQ_WORK_CANCELING  a cancel waits for the running handler to return;
 *                        submissions are refused with -EBUSY meanwhile
 *   PCWQ_WORK_FLUSHING   somebody waits in pcwq_flush() for it
 *
 * An item never runs on two workers at once: submitted again while its
 * handler runs, it is queued behind itself on the CPU where it runs.  A
 * handler may resubmit its own item but must not free it: the worker updates
 * the item after the handler returns.  Free an item only after
 * pcwq_cancel_sync() or pcwq_flush() (or their delayable variants) found it
 * idle.
 *
 * All functions may be called from any context, including hard interrupts,
 * except those documented as sleeping.
 */
#ifndef _PCWQ_H
#define _PCWQ_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/wait.h>

struct cpumask;
struct pcwq;
struct pcwq_pwq;
struct pcwq_work;
struct pcwq_worker;

typedef void (*pcwq_func_t)(struct pcwq_work *work);

#define PCWQ_WORK_QUEUED	BIT(0)
#define PCWQ_WORK_DELAYED	BIT(1)
#define PCWQ_WORK_RUNNING	BIT(2)
#define PCWQ_WORK_CANCELING	BIT(3)
#define PCWQ_WORK_FLUSHING	BIT(4)

/* Queue flags of struct pcwq_attrs. */
#define PCWQ_MEM_RECLAIM	BIT(0)	/* owns a rescuer thread */
#define PCWQ_HIGHPRI		BIT(1)	/* runs on the nice -20 pools */
#define PCWQ_STEAL		BIT(2)	/* idle pools of other CPUs take items */
#define PCWQ_NO_YIELD		BIT(3)	/* workers do not yield between items */

#define PCWQ_MAX_ACTIVE		512	/* upper bound of max_active */
#define PCWQ_DFL_ACTIVE		256	/* max_active when 0 is given */

/*
 * The CPU argument meaning "the submitting CPU" (if it is outside the queue's
 * CPU mask: the next online CPU of the mask, see struct pcwq_attrs).
 */
#define PCWQ_CPU_ANY		(-1)

/**
 * struct pcwq_work - a work item; initialise with pcwq_init_work()
 *
 * Every field is private to pcwq.
 */
struct pcwq_work {
	struct list_head entry;
	pcwq_func_t func;
	raw_spinlock_t lock;
	unsigned int flags;
	bool inactive;
	bool aged;
	u32 epoch;
	struct list_head waiters;
	struct pcwq_pwq *pwq;
	struct pcwq_worker *worker;
	u64 queued_ns;
};

/**
 * struct pcwq_delayable_work - a work item submitted after a delay;
 * initialise with pcwq_init_delayable()
 */
struct pcwq_delayable_work {
	struct pcwq_work work;
	struct timer_list timer;
	struct list_head delayed_entry;
	struct pcwq *wq;
	int cpu;
	bool timer_stale;
};

/**
 * struct pcwq_stats - counters of a queue or a pool
 * @submitted: instances queued, timer expiries included
 * @completed: handlers that returned
 * @cancelled: queued instances cancelled
 * @rejected: submissions refused
 * @unscheduled: delayed instances withdrawn (cancel, reschedule, destroy)
 * @mayday: times a starved pool called the queue's rescuer (per pool: for
 *	any queue)
 * @rescued: items run by a rescuer
 * @stalls: stall reports of the watchdog (per queue: of pools where the
 *	queue had items waiting or running)
 * @throttled: submissions refused by the rate limit (not in @rejected)
 * @stolen: items an idle pool took from another CPU's pool and ran (per
 *	pool and per CPU of a queue: counted where they ran)
 * @aged: items served first because they waited past the queue's max_wait
 * @overruns: items that ran longer than the queue's work_timeout_ms
 *
 * Whenever nothing is queued or running, submitted == completed + cancelled.
 */
struct pcwq_stats {
	u64 submitted;
	u64 completed;
	u64 cancelled;
	u64 rejected;
	u64 unscheduled;
	u64 mayday;
	u64 rescued;
	u64 stalls;
	u64 throttled;
	u64 stolen;
	u64 aged;
	u64 overruns;
};

/**
 * struct pcwq_limits - admission and aging of a queue, changeable at run time
 * @capacity: items queued or delayed at once over all CPUs before
 *	submissions are refused with -ENOSPC; 0 for no limit
 * @rate: new items admitted per second on average (a token bucket) before
 *	submissions are refused with -EAGAIN; 0 for no limit;
 *	at most PCWQ_MAX_RATE
 * @burst: tokens the bucket holds, the items admitted at once after a
 *	quiet time; 0 for @rate (one second's worth); at most PCWQ_MAX_RATE
 * @max_wait_ms: items that waited this long since submission are served
 *	before the others (see pool.c); 0 for off; at most PCWQ_MAX_WAIT_MS
 * @work_timeout_ms: an item whose handler runs longer than this is
 *	reported and counted in @overruns, once per run; it is not stopped;
 *	0 for off; at most PCWQ_MAX_WORK_TIMEOUT_MS
 */
struct pcwq_limits {
	unsigned int capacity;
	unsigned int rate;
	unsigned int burst;
	unsigned int max_wait_ms;
	unsigned int work_timeout_ms;
};

#define PCWQ_MAX_RATE		1000000
#define PCWQ_MAX_WAIT_MS	3600000
#define PCWQ_MAX_WORK_TIMEOUT_MS	3600000

/**
 * struct pcwq_attrs - attributes of a new queue
 * @name: shown by wqctl and in worker reports; copied
 * @flags: PCWQ_MEM_RECLAIM, PCWQ_HIGHPRI, PCWQ_STEAL, PCWQ_NO_YIELD
 * @max_active: items of this queue running or ready at once per CPU,
 *	1..PCWQ_MAX_ACTIVE, 0 for PCWQ_DFL_ACTIVE; the rest wait in order
 * @limits: admission and aging, see struct pcwq_limits
 * @cpus: the CPUs whose pools run the queue's items, a subset of the
 *	possible CPUs with at least one of them; NULL for every possible CPU;
 *	copied.  Submissions to a CPU outside it are refused, submissions to
 *	PCWQ_CPU_ANY from outside it go to an online CPU of it, and idle pools
 *	of other CPUs steal only for CPUs in it (see work.c, "CPU mask")
 */
struct pcwq_attrs {
	const char *name;
	unsigned int flags;
	unsigned int max_active;
	struct pcwq_limits limits;
	const struct cpumask *cpus;
};

/*
 * The system queue, created when pcwq loads and destroyed when it unloads,
 * for clients that do not need a queue of their own (like Linux's system_wq):
 * every possible CPU, max_active PCWQ_DFL_ACTIVE, no limits, no rescuer.
 * It cannot be destroyed by its users, nor deleted with wqctl.
 */
extern struct pcwq *pcwq_system;

struct pcwq *pcwq_create(const struct pcwq_attrs *attrs);
void pcwq_destroy(struct pcwq *wq);
const char *pcwq_name(const struct pcwq *wq);
void pcwq_get_stats(struct pcwq *wq, struct pcwq_stats *stats);
void pcwq_get_limits(struct pcwq *wq, struct pcwq_limits *limits);
int pcwq_set_limits(struct pcwq *wq, const struct pcwq_limits *limits);

void pcwq_init_work(struct pcwq_work *work, pcwq_func_t func);
void pcwq_init_delayable(struct pcwq_delayable_work *dwork, pcwq_func_t func);

int pcwq_submit_on(struct pcwq *wq, int cpu, struct pcwq_work *work);
int pcwq_submit(struct pcwq *wq, struct pcwq_work *work);
int pcwq_schedule_on(struct pcwq *wq, int cpu,
		     struct pcwq_delayable_work *dwork, unsigned long delay);
int pcwq_schedule(struct pcwq *wq, struct pcwq_delayable_work *dwork,
		  unsigned long delay);
int pcwq_reschedule_on(struct pcwq *wq, int cpu,
		       struct pcwq_delayable_work *dwork, unsigned long delay);
int pcwq_reschedule(struct pcwq *wq, struct pcwq_delayable_work *dwork,
		    unsigned long delay);

int pcwq_cancel(struct pcwq_work *work);
bool pcwq_cancel_sync(struct pcwq_work *work);
int pcwq_cancel_delayable(struct pcwq_delayable_work *dwork);
bool pcwq_cancel_delayable_sync(struct pcwq_delayable_work *dwork);

bool pcwq_flush(struct pcwq_work *work);
bool pcwq_flush_delayable(struct pcwq_delayable_work *dwork);

int pcwq_drain(struct pcwq *wq, bool plug);
int pcwq_unplug(struct pcwq *wq);

unsigned int pcwq_work_busy(struct pcwq_work *work);
unsigned int pcwq_delayable_busy(struct pcwq_delayable_work *dwork);

/**
 * pcwq_delayable_from_work() - the delayable item around @work
 * @work: the work member of a struct pcwq_delayable_work, as handed to its
 *	handler
 */
static inline struct pcwq_delayable_work *
pcwq_delayable_from_work(struct pcwq_work *work)
{
	return container_of(work, struct pcwq_delayable_work, work);
}

/*
 * Triggered work (Zephyr's k_work_poll)
 * =====================================
 *
 * A struct pcwq_poll_work is submitted to a queue when one of several
 * events fires or a timeout expires, with no thread waiting for it.  The
 * events are Linux wait queues:
 *
 *   PCWQ_POLL_SIGNAL     a struct pcwq_signal (Zephyr's k_poll_signal):
 *                        fires when it is raised, or at submission if it
 *                        is raised already
 *   PCWQ_POLL_WAITQUEUE  any wait_queue_head_t: fires on a wake-up of it
 *                        when @cond is NULL or @cond(@data) is true, and at
 *                        submission if @cond(@data) is true already (with
 *                        no @cond only a wake-up fires it)
 *
 * The handler gets &pw->work (see pcwq_poll_from_work()) and reads with
 * pcwq_poll_result() 0 if an event fired, -EAGAIN if the timeout expired;
 * each event's @ready says whether it was ready (all those found ready at
 * submission, or the one whose wake-up fired it).
 *
 * Unlike Zephyr, pcwq_poll_submit() and pcwq_poll_cancel() sleep (process
 * context only): they remove wait entries and stop the timeout timer
 * synchronously, so that once pcwq_poll_cancel() returned 0, or the handler
 * started, nothing of pcwq touches the item or its events any more.  The
 * wait queue heads and the events array must stay valid until then.  The
 * registration is admitted to the queue when submitted, as a delayed item
 * is (capacity, rate, drain and plug), so a firing is never refused.
 *
 * An event (the struct, which holds a wait entry) belongs to one item at a
 * time; a signal or a head may serve many items through events of their
 * own.
 *
 * Do not pcwq_cancel() or pcwq_submit() the inner work item yourself;
 * pcwq_flush(&pw->work) waits for the handler.
 */
struct pcwq_poll_work;

/**
 * struct pcwq_signal - a signal that fires triggered work; see
 * pcwq_signal_init()
 *
 * Its fields are private: @wait.lock protects them (signaled is also read
 * with READ_ONCE).
 */
struct pcwq_signal {
	/* private: */
	wait_queue_head_t wait;
	unsigned int signaled;
	int result;
};

#define PCWQ_POLL_SIGNAL	1
#define PCWQ_POLL_WAITQUEUE	2

/* A timeout of pcwq_poll_submit(): wait for an event without a limit. */
#define PCWQ_POLL_FOREVER	(~0UL)

/**
 * struct pcwq_poll_event - one event of triggered work
 * @type: PCWQ_POLL_SIGNAL or PCWQ_POLL_WAITQUEUE; set by the caller
 * @signal: the signal of PCWQ_POLL_SIGNAL; set by the caller
 * @head: the wait queue of PCWQ_POLL_WAITQUEUE; set by the caller
 * @cond: for PCWQ_POLL_WAITQUEUE, NULL (every wake-up fires) or a test that
 *	a wake-up must pass; called on wake-ups under @head's lock and once
 *	at submission, so it must not sleep; set by the caller
 * @data: the argument of @cond; set by the caller
 * @ready: set by pcwq: whether this event was ready when the item fired
 */
struct pcwq_poll_event {
	unsigned int type;
	union {
		struct pcwq_signal *signal;
		wait_queue_head_t *head;
	};
	bool (*cond)(void *data);
	void *data;
	bool ready;
	/* private: set by pcwq_poll_submit(), under busy (poll.c) */
	wait_queue_entry_t wait;
	struct pcwq_poll_work *owner;
};

/**
 * struct pcwq_poll_work - triggered work; initialise with pcwq_init_poll()
 * @work: the inner work item, handed to the handler
 *
 * Every field but @work is private to pcwq; the rules are in poll.c.  The
 * busy owner ("B") is the one task that registers or detaches the item.
 */
struct pcwq_poll_work {
	struct pcwq_work work;
	/* private: L is lock, B the owner of busy (see poll.c) */
	pcwq_func_t func;		/* set at init */
	raw_spinlock_t lock;
	unsigned int state;		/* L, read with READ_ONCE */
	bool busy;			/* L */
	bool attached;			/* B: entries on heads, timer set up */
	int result;			/* L: of the firing */
	int handler_result;		/* B, then read by the handler */
	struct pcwq *wq;		/* B, and L while not IDLE */
	int cpu;			/* B, and L while not IDLE */
	struct pcwq_poll_event *events;	/* B, and L while not IDLE */
	int num_events;			/* B, and L while not IDLE */
	struct timer_list timer;	/* armed under L, stopped by B */
	struct list_head node;		/* L + wq's lock: on its list */
};

/* The most events one item waits for. */
#define PCWQ_POLL_MAX_EVENTS	64

void pcwq_signal_init(struct pcwq_signal *sig);
void pcwq_signal_raise(struct pcwq_signal *sig, int result);
void pcwq_signal_reset(struct pcwq_signal *sig);
bool pcwq_signal_check(struct pcwq_signal *sig, int *result);

void pcwq_init_poll(struct pcwq_poll_work *pw, pcwq_func_t func);
int pcwq_poll_submit_on(struct pcwq *wq, int cpu, struct pcwq_poll_work *pw,
			struct pcwq_poll_event *events, int num_events,
			unsigned long timeout);
int pcwq_poll_submit(struct pcwq *wq, struct pcwq_poll_work *pw,
		     struct pcwq_poll_event *events, int num_events,
		     unsigned long timeout);
int pcwq_poll_cancel(struct pcwq_poll_work *pw);

/**
 * pcwq_poll_from_work() - the triggered work item around @work
 * @work: the work member of a struct pcwq_poll_work, as handed to its
 *	handler
 */
static inline struct pcwq_poll_work *pcwq_poll_from_work(struct pcwq_work *work)
{
	return container_of(work, struct pcwq_poll_work, work);
}

/**
 * pcwq_poll_result() - why the handler runs
 * @pw: the item, from its handler
 *
 * Return: 0 if an event fired it, -EAGAIN if the timeout expired (or the
 * timeout was 0 and no event was ready).
 */
static inline int pcwq_poll_result(const struct pcwq_poll_work *pw)
{
	return pw->handler_result;
}

#endif /* _PCWQ_H */
