/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcwq internals shared by pool.c, work.c and queue.c.
 *
 * Lock order (outer first):
 *
 *   pcwq_pool_mutex (sleeping: pool set-up, worker attach, hotplug)
 *     work->lock
 *       wq->lock
 *       pool->lock
 *         pcwq_mayday_lock
 *
 * wq->lock and pool->lock are never held together, nor two pool locks.  A
 * worker or a rescuer that holds pool->lock takes a work item's lock only
 * with raw_spin_trylock(); a thief keeps it to take the item from one pool
 * to another (pool.c, "Work stealing").
 *
 * Locking annotations on fields:
 *   I: set at creation, read-only afterwards
 *   W: work->lock
 *   P: pool->lock
 *   Q: wq->lock
 *   M: pcwq_pool_mutex
 *   D: pcwq_mayday_lock
 *   A: atomic or READ_ONCE/WRITE_ONCE
 */
#ifndef _PCWQ_INTERNAL_H
#define _PCWQ_INTERNAL_H

#include <linux/cpumask.h>
#include <linux/idr.h>
#include <linux/jump_label.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/timex.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "include/pcwq.h"
#include "uapi/pcwq_genl.h"

#define PCWQ_NR_PRIO	2	/* normal and high priority pools per CPU */

/* work->flags bits private to pcwq, above the public ones. */
#define PCWQ_WORK_INACTIVE	BIT(8)	/* queued on pwq->inactive, no slot */
#define PCWQ_WORK_STOLEN	BIT(9)	/* queued here by a thief, see pool.c */

/*
 * A rescuer's cursor is a struct pcwq_work on a pool's worklist that is no
 * work item: its handler is pcwq_cursor_fn (which only warns).  Everything
 * that walks a worklist skips it; pcwq_first_work() does.
 */
void pcwq_cursor_fn(struct pcwq_work *work);

static inline bool pcwq_is_cursor(const struct pcwq_work *work)
{
	return work->func == pcwq_cursor_fn;
}

/*
 * Durations of items, in the buckets of PCWQ_HIST_BUCKETS (uapi): counted
 * per pool and per pwq, both per CPU, under the pool's lock.
 */
struct pcwq_hist {
	u64 buckets[PCWQ_HIST_BUCKETS];
	u64 sum_ns;
	u64 max_ns;
};

struct pcwq_latency {
	struct pcwq_hist wait;	/* from submission to the handler's start */
	struct pcwq_hist run;	/* of the handler */
};

/*
 * The bucket of @ns: fls64(@ns / NSEC_PER_USEC), without the division,
 * which is the dearest step of a record (four records an item).  With
 * c = fls64(@ns), 2^(c-1) <= @ns < 2^c; as 512 < 1000 < 1024, @ns >= 1000 *
 * 2^k holds for every k < c - 10, never for k > c - 10, and for k = c - 10
 * by comparison.
 */
static inline unsigned int pcwq_hist_bucket(u64 ns)
{
	unsigned int c = fls64(ns);

	if (c < 10)
		return 0;
	return c - 10 + (ns >= (u64)NSEC_PER_USEC << (c - 10));
}

static inline void pcwq_hist_record(struct pcwq_hist *h, u64 ns)
{
	unsigned int b = pcwq_hist_bucket(ns);

	h->buckets[min_t(unsigned int, b, PCWQ_HIST_BUCKETS - 1)]++;
	h->sum_ns += ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
}

/* latency.c */
void pcwq_latency_add(struct pcwq_latency *sum, const struct pcwq_latency *l);

/*
 * Load averages of a pending length over 10 s, 1, 5 and 15 min, in the
 * order of PCWQ_LOAD_A_AVG10..AVG15 (uapi); fixed point with FSHIFT bits
 * (linux/sched/loadavg.h).  Written by the sampler in loadavg.c only.
 */
enum {
	PCWQ_LOADAVG_10,
	PCWQ_LOADAVG_1,
	PCWQ_LOADAVG_5,
	PCWQ_LOADAVG_15,
	PCWQ_LOADAVG_NR
};

struct pcwq_loadavg {
	unsigned long avg[PCWQ_LOADAVG_NR];
};

/* pool->flags */
#define POOL_DISASSOCIATED	BIT(0)	/* CPU offline: workers unbound */
#define POOL_MANAGER_ACTIVE	BIT(1)	/* a worker is creating a worker */

/* worker->flags */
#define WORKER_IDLE		BIT(0)
#define WORKER_DIE		BIT(1)
#define WORKER_RESCUER		BIT(2)	/* a queue's rescuer, no pool's own */

struct pcwq_pool {
	raw_spinlock_t lock;
	int cpu;			/* I */
	int prio;			/* I: 0 normal, 1 high */
	unsigned int flags;		/* P; DISASSOCIATED also M */

	struct list_head worklist;	/* P: ready items, FIFO */
	/*
	 * Ready items of PCWQ_STEAL queues: holding a max_active slot, not yet
	 * started (on the worklist or a worker's scheduled list).  Thieves
	 * read it without the lock to find the busiest pool; it shares the
	 * worklist's cache line, so counting costs the submit path nothing.
	 */
	int nr_steal_ready;		/* P, read with READ_ONCE */
	int nr_workers;			/* P */
	int nr_idle;			/* P */
	struct list_head idle_list;	/* P: idle workers, newest first */
	struct list_head workers;	/* P+M: every attached worker */
	struct ida worker_ida;		/* worker ids for thread names */

	/*
	 * Stamped, with a plain store, when a worker starts an item and when
	 * work arrives on an empty pool.
	 */
	unsigned long last_progress;	/* A */
	unsigned long create_after;	/* P: worker creation cool-down */

	struct timer_list conc_timer;	/* notices blocked workers */
	struct timer_list mayday_timer;	/* calls the rescuers when starved */
	struct timer_list stall_timer;	/* stall report and panic deadlines */
	unsigned long stall_since;	/* P: last_progress of the stall seen */
	unsigned int stall_reports;	/* P: reports of that stall */
	unsigned int stall_seq;		/* P: numbers the reports */
	struct work_struct create_work;	/* kernel wq: creates a worker */
	struct timer_list idle_timer;	/* notices too many idle workers */
	struct work_struct cull_work;	/* kernel wq: stops surplus workers */
	struct list_head cull_list;	/* P: dying workers, by idle_entry */
	struct timer_list aging_timer;	/* finds expired items, aging.c */
	unsigned long aging_last;	/* P: jiffies of the last pass */
	unsigned int nr_aged;		/* P: expired items not started */

	struct pcwq_stats stats;	/* P */
	struct pcwq_latency lat;	/* P */
	struct pcwq_loadavg loadavg;	/* P: of the worklist's length */
};

struct pcwq_worker {
	struct list_head node;		/* P+M: on pool->workers */
	struct list_head idle_entry;	/* P: on idle_list or cull_list */
	struct list_head scheduled;	/* P: collisions, see work.c */
	struct task_struct *task;	/* I */
	struct pcwq_pool *pool;		/* I; rescuer: M, while attached */
	struct pcwq *rescue_wq;		/* I: the queue of a rescuer */
	struct pcwq_work *current_work;	/* P, read locklessly by itself */
	struct pcwq_pwq *current_pwq;	/* P, read locklessly by itself */
	pcwq_func_t current_func;	/* P: handler of current_work */
	unsigned long started;		/* P: jiffies current_work started */
	/* P: concurrency timer ticks that found it on a CPU in current_work */
	unsigned int conc_ticks;
	u64 started_ns;			/* P: and in ktime_get_ns() */
	/*
	 * The work timeout of the item it runs (overrun.c): the
	 * ktime_get_ns() deadline of its run, 0 when it has none or was
	 * reported.  The timer is armed only for an item of a queue with a
	 * work_timeout_ms, and dead (timer_delete_sync()) before the worker
	 * records the item's end; then the worker reads overrun_at without
	 * the lock, as nothing else writes it.
	 */
	u64 overrun_at;			/* P */
	struct timer_list overrun_timer;
	unsigned long last_active;	/* P: jiffies it last went idle */
	unsigned int flags;		/* P */
	int id;				/* I */
};

/* A queue's presence on one pool: one per queue and possible CPU. */
struct pcwq_pwq {
	struct pcwq *wq;		/* I */
	struct pcwq_pool *pool;		/* I */
	int nr_active;			/* P: items holding a max_active slot */
	struct list_head inactive;	/* P: items waiting for a slot */
	struct pcwq_stats stats;	/* P */
	struct pcwq_latency lat;	/* P */
	struct list_head mayday_node;	/* D: on wq->maydays */
	struct pcwq_work cursor;	/* P: rescuer's place, rescuer.c */
	unsigned int stall_seq;		/* P: pool's report last counted */
	/* This pwq's parts of wq's counts, see "Counts" in work.c. */
	int nr_pending;			/* P */
	int nr_inflight;		/* P */
};

#define PCWQ_DRAINING	BIT(0)
#define PCWQ_PLUGGED	BIT(1)
#define PCWQ_DYING	BIT(2)

struct pcwq {
	char name[32];			/* I */
	unsigned int flags;		/* I: PCWQ_MEM_RECLAIM, _HIGHPRI, _STEAL */
	unsigned int max_active;	/* I */
	bool user;			/* I: created over netlink */
	struct pcwq_pwq __percpu *pwqs;	/* I */
	cpumask_var_t cpus;		/* I: CPUs it runs on, see work.c */
	char *cpus_text;		/* I: cpus in cpulist format ("0-3,6") */

	raw_spinlock_t lock;
	/* Limits of struct pcwq_limits, see limits.c; written under lock. */
	unsigned int capacity;		/* Q+A */
	unsigned int max_wait_ms;	/* Q+A */
	unsigned int work_timeout_ms;	/* Q+A: read when an item starts */
	unsigned int rate;		/* Q+A: tokens per second, 0 = none */
	unsigned int burst;		/* Q: bucket size, 0 = rate */
	u64 tokens;			/* Q: in 1/NSEC_PER_SEC tokens */
	u64 tokens_at;			/* Q: ktime_get_ns() of the refill */
	unsigned int state;		/* Q+A: PCWQ_DRAINING, PLUGGED, DYING */
	struct list_head delayed;	/* Q: items waiting for their timer */
	struct list_head polls;		/* Q: triggered work waiting, poll.c */
	/*
	 * Items queued or delayed (for the capacity) and queued or running
	 * (for drains): each the sum of the atomic here and of every pwq's
	 * part; exact in shared mode only.  See "Counts" in work.c.
	 */
	atomic_t nr_pending;		/* A */
	atomic_t nr_inflight;		/* A */
	bool shared;			/* Q, read under any pool->lock */
	unsigned int nr_shared;		/* Q: holders of shared mode */
	bool capacity_shared;		/* Q: the capacity holds it */
	unsigned int nr_drainers;	/* Q */
	struct list_head drainers;	/* Q: struct pcwq_waiter */
	struct list_head node;		/* pcwq_queues_mutex */
	struct pcwq_worker *rescuer;	/* I: PCWQ_MEM_RECLAIM only */
	struct list_head maydays;	/* D: pwqs asking for the rescuer */
	/* Of nr_pending, while on pcwq_queues; pcwq_queues_mutex */
	struct pcwq_loadavg loadavg;
};

/* A task sleeping until a work item or a queue changes; on its stack. */
struct pcwq_waiter {
	struct list_head node;
	struct task_struct *task;
	bool flusher;
};

/* Wake every waiter on @waiters; caller holds the lock of the list. */
static inline void pcwq_wake_waiters(struct list_head *waiters)
{
	struct pcwq_waiter *waiter;

	list_for_each_entry(waiter, waiters, node)
		wake_up_process(waiter->task);
}

/*
 * Count @n items of @pwq becoming ready on its pool (negative: leaving that
 * state, by starting, cancel or steal).  Only PCWQ_STEAL queues count.
 * Caller holds pwq->pool->lock.
 */
static inline void pcwq_steal_ready_add(struct pcwq_pwq *pwq, int n)
{
	struct pcwq_pool *pool = pwq->pool;

	if (pwq->wq->flags & PCWQ_STEAL)
		WRITE_ONCE(pool->nr_steal_ready, pool->nr_steal_ready + n);
}

/* clock.c */
extern u32 pcwq_clock_mult;
extern u32 pcwq_clock_shift;
void pcwq_clock_init(void);

/*
 * Nanoseconds for statistics and deadlines: cheaper than ktime_get_ns(),
 * comparable with nothing but itself (see clock.c).
 */
static inline u64 pcwq_clock(void)
{
	u32 mult = READ_ONCE(pcwq_clock_mult);

	if (!mult)
		return ktime_get_ns();
	return mul_u64_u32_shr(get_cycles(), mult, READ_ONCE(pcwq_clock_shift));
}

/* @to - @from of two pcwq_clock() readings, 0 if @to is behind. */
static inline u64 pcwq_clock_delta(u64 from, u64 to)
{
	return to > from ? to - from : 0;
}

/* pool.c */
extern struct mutex pcwq_pool_mutex;
/* On while a PCWQ_STEAL queue exists: idle workers look for work to steal. */
DECLARE_STATIC_KEY_FALSE(pcwq_steal_key);
struct pcwq_pool *pcwq_pool_get(int cpu, int prio);
void pcwq_pool_kick(struct pcwq_pool *pool);
void pcwq_wake_thief(struct pcwq_pool *busy, const struct cpumask *cpus);
struct pcwq_work *pcwq_first_work(struct pcwq_pool *pool,
				  struct list_head *from);
bool pcwq_pool_starved(struct pcwq_pool *pool);
unsigned int pcwq_pool_pending(struct pcwq_pool *pool);

/* Whether work is ready on @pool; caller holds pool->lock. */
static inline bool pcwq_pool_has_work(struct pcwq_pool *pool)
{
	struct pcwq_work *first = list_first_entry_or_null(&pool->worklist,
							    struct pcwq_work,
							    entry);

	/* Behind a rescuer's cursor, walk on. */
	return first && (!pcwq_is_cursor(first) ||
			 pcwq_first_work(pool, &first->entry));
}

bool pcwq_run_or_hand_over(struct pcwq_worker *worker, struct pcwq_work *work);
void pcwq_worker_attach(struct pcwq_worker *worker, struct pcwq_pool *pool);
void pcwq_worker_detach(struct pcwq_worker *worker);
struct pcwq_worker *pcwq_current_worker(void);
int pcwq_pools_init(void);
void pcwq_pools_exit(void);

/* work.c */
void pcwq_process_one(struct pcwq_worker *worker, struct pcwq_work *work)
	__must_hold(&worker->pool->lock) __releases(&work->lock);
void pcwq_pwq_activate(struct pcwq_pwq *pwq);
void pcwq_cancel_delayed_of(struct pcwq *wq);
bool pcwq_cpu_valid(struct pcwq *wq, int cpu);
int pcwq_admit_deferred(struct pcwq *wq, int cpu);
void pcwq_unadmit(struct pcwq *wq, int cpu);
void pcwq_enqueue_admitted(struct pcwq *wq, int cpu, struct pcwq_work *work);
void pcwq_counts_share(struct pcwq *wq);
void pcwq_counts_unshare(struct pcwq *wq);
int pcwq_nr_pending(struct pcwq *wq);
int pcwq_nr_inflight(struct pcwq *wq);

/* poll.c */
void pcwq_poll_cancel_of(struct pcwq *wq);

/* rescuer.c */
extern raw_spinlock_t pcwq_mayday_lock;
struct pcwq_work *pcwq_rescue_next(struct pcwq_pwq *pwq);
void pcwq_send_maydays(struct pcwq_pool *pool);
int pcwq_rescuer_thread(void *arg);
int pcwq_rescuer_create(struct pcwq *wq);
void pcwq_rescuer_destroy(struct pcwq *wq);

/* watchdog.c */
/* Watchdog slots that saw a stall, for panic_on_stall; lockless. */
struct pcwq_stall_count {
	atomic_long_t slot;		/* A: the last slot counted */
	atomic_t ticks;			/* A: slots counted */
};

bool pcwq_stall_deadline(unsigned long last, unsigned int reports,
			 unsigned long thresh, unsigned long limit,
			 unsigned long *when);
unsigned long pcwq_precise_expiry(unsigned long now, unsigned long when);
unsigned int pcwq_stall_count_tick(struct pcwq_stall_count *c,
				   unsigned long now, unsigned long thresh);
bool pcwq_stall_count_fatal(unsigned int count, unsigned int limit);
void pcwq_watchdog_arm(struct pcwq_pool *pool);
void pcwq_stall_timer_fn(struct timer_list *t);
void pcwq_watchdog_param_changed(void);
void pcwq_watchdog_start(void);
void pcwq_watchdog_stop(void);

/* loadavg.c */
void pcwq_loadavg_start(void);
void pcwq_loadavg_stop(void);

/* limits.c */
bool pcwq_take_token_at(struct pcwq *wq, u64 now);
bool pcwq_limits_valid(const struct pcwq_limits *l);
void pcwq_limits_apply(struct pcwq *wq, const struct pcwq_limits *l);
void pcwq_limits_apply_at(struct pcwq *wq, const struct pcwq_limits *l,
			  u64 now);

/*
 * Take a token for a new item of @wq.  Return: as pcwq_take_token_at();
 * inline, as the queues without a rate limit are the common case.
 */
static inline bool pcwq_take_token(struct pcwq *wq)
{
	if (!READ_ONCE(wq->rate))
		return true;
	return pcwq_take_token_at(wq, ktime_get_ns());
}

/* overrun.c */
void pcwq_overrun_init(struct pcwq_worker *worker);
void pcwq_overrun_arm(struct pcwq_worker *worker, unsigned int timeout_ms);
void pcwq_overrun_disarm(struct pcwq_worker *worker, u64 run_ns);
void pcwq_overrun_exit(struct pcwq_worker *worker);

/* aging.c */
void pcwq_aging_arm(struct pcwq_pool *pool, struct pcwq_work *work,
		    unsigned int max_wait_ms);

/**
 * pcwq_aging_watch() - an item joined the worklist of its pool
 * @pool: the pool; pool->lock held
 * @work: the item
 *
 * Makes sure a pass runs by the item's deadline, if its queue has a
 * max_wait_ms.
 */
static inline void pcwq_aging_watch(struct pcwq_pool *pool,
				    struct pcwq_work *work)
{
	unsigned int max_wait = READ_ONCE(work->pwq->wq->max_wait_ms);

	if (max_wait)
		pcwq_aging_arm(pool, work, max_wait);
}

void pcwq_aging_forget(struct pcwq_pool *pool, struct pcwq_work *work);
void pcwq_aging_timer_fn(struct timer_list *t);
long pcwq_pool_nice(struct pcwq_pool *pool);

/* queue.c */
extern struct mutex pcwq_queues_mutex;
extern struct list_head pcwq_queues;
extern unsigned int pcwq_queues_gen;
struct pcwq *pcwq_create_user(const struct pcwq_attrs *attrs);
int pcwq_system_init(void);
void pcwq_system_exit(void);
void pcwq_stats_add(struct pcwq_stats *sum, const struct pcwq_stats *s);

#endif /* _PCWQ_INTERNAL_H */
