// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq worker pools: two per CPU (nice 0 and nice -20), each with its own
 * kthreads bound to the CPU.
 *
 * Concurrency without scheduler hooks
 * -----------------------------------
 * The kernel's workqueue learns from the scheduler when a worker blocks and
 * wakes another one at once.  A module gets no such hook, so a pool infers
 * it:
 *
 *  - A submission to a pool with no busy worker wakes an idle one.  With a
 *    busy worker it only makes sure that the pool's concurrency timer is
 *    pending (one timer_pending() test; the timer is armed at most once per
 *    tick).
 *  - The concurrency timer fires every tick while work is pending.  A busy
 *    worker is "effective" when its task is runnable (running, or waiting
 *    for the CPU) and it is between items, or its current item is not
 *    CPU-intensive: the timer has not yet found it on a CPU in that item at
 *    PCWQ_INTENSIVE_TICKS of its ticks.  Ticks it found, not jiffies that
 *    passed, as the kernel's workqueue counts the item's CPU time: when a
 *    virtual CPU does not run for a while (its host runs something else),
 *    jiffies jump on its return, and a short item would seem to have run
 *    for long.  A woken worker that has not run yet, or one preempted
 *    between two items, is effective: the kernel's workqueue counts both as
 *    running too, and another worker bound to the same CPU would only wait
 *    beside them.  When no busy worker is effective (all of them sleep in
 *    their items, or run CPU-bound items), the timer wakes an idle worker.
 *    A blocked pool thus gets a new worker within about one tick, and
 *    CPU-bound items do not starve the items behind them for longer than
 *    PCWQ_INTENSIVE_TICKS ticks of CPU time.
 *  - Before a woken worker starts on the worklist it makes sure that an idle
 *    spare exists, creating one if needed (it becomes the pool's manager for
 *    that time).  So a submission never waits for thread creation as long as
 *    creation succeeds, and a blocked pool always has a spare to wake.  A
 *    failed creation is retried after PCWQ_CREATE_COOLDOWN.
 *  - Idle workers beyond two, and beyond a quarter of the busy ones, are
 *    stopped after worker_idle_secs (default 300) idle.
 *
 * The stall watchdog (watchdog.c) is armed by the concurrency timer too,
 * so it watches a pool exactly while work waits on it behind a worker.
 *
 * Starvation
 * ----------
 * A pool is starved when it has work ready, no idle worker, and no busy
 * worker that is effective.  Then no worker of the pool can create one, so
 * the concurrency timer hands creation to pool->create_work on the kernel's
 * unbound workqueue (one try per PCWQ_CREATE_COOLDOWN while it fails), and
 * arms pool->mayday_timer, mayday_timeout_ms ahead, which calls the
 * rescuers if the pool is still starved then (see rescuer.c).  The
 * inject_worker_fail parameter makes every such creation fail, as memory
 * pressure would; the workers a pool has stay.
 *
 * CPU hotplug
 * -----------
 * When a CPU goes down its pools are marked disassociated and their workers
 * unbound, so that items already queued there still run, on other CPUs; new
 * submissions to the CPU are refused with -EINVAL, while an item running
 * there may still be queued again behind itself.  When the CPU comes back the
 * workers are bound to it again.  Nothing queued is lost or moved to another
 * pool by hotplug; stealing (below) involves associated pools only.
 *
 * Work stealing
 * -------------
 * Items of PCWQ_STEAL queues may run on another CPU than the one they were
 * queued on; items of other queues never move.  The rule:
 *
 *  - Who steals: a pool's worker that finds nothing to do tries once before
 *    it goes idle, for its own pool B, if B is associated.  And when a
 *    steal item gets a slot on a pool A where a worker is already awake,
 *    so that it waits behind it, the submitter wakes an idle worker of one
 *    pool of A's priority on another online CPU that is idle altogether (no
 *    awake worker, nothing ready, associated), after A->lock is released:
 *    a burst is noticed at once, not only when some worker runs dry.  Only
 *    CPUs in the CPU mask of the item's queue are woken (work.c, "CPU
 *    mask"); a thief woken or running dry on its own may still find that
 *    nothing it sees is for its CPU, and goes idle again.
 *
 *  - From where: the pool A of B's priority on another online CPU with the
 *    most ready steal items (pool->nr_steal_ready, read without the lock,
 *    written under it next to the worklist), if A is associated.  Idle
 *    workers of A are no reason to spare it: they are spares, which A does
 *    not wake while its busy workers make progress (above), so they would
 *    not take the item soon.  The count ignores CPU masks: B may pick an A
 *    whose items are all for other CPUs, and then steals nothing this time.
 *
 *  - What: the first item, among the first PCWQ_STEAL_SCAN entries of A's
 *    worklist, of a PCWQ_STEAL queue whose pwq on B seems to have a free
 *    max_active slot, whose CPU mask holds B's CPU (an item never leaves
 *    its queue's CPUs), whose lock the thief gets by trylock, and that is not
 *    running: an item queued again behind itself stays where it runs, or it
 *    could run twice at once.  Never a rescuer's cursor.
 *
 *  - How: the thief holds no lock.  Under A->lock it takes the item's lock
 *    (trylock, as pool->lock is held), unlists it and frees its slot on A
 *    (A's next inactive item gets it).  It drops A->lock but keeps
 *    work->lock, which nests outside pool locks, so no two pool locks are
 *    ever held together.  Under B->lock it sets work->pwq to the queue's
 *    pwq on B, and puts the item at the head of B's worklist with a slot
 *    there (it has waited already), or, if B's pwq has no free slot after
 *    all, at the head of its inactive list: max_active is never exceeded.
 *    The thief then runs it next.  It counts as stolen, on B's pool and
 *    pwq, when it starts.  An expired item (aging.c) leaves A's count of
 *    them, and B watches the item's deadline as for any item it lists.
 *
 * Meanwhile the item is queued on no list with its lock held: cancel, flush
 * and submit take work->lock first and find it where it ended up.  An item
 * on a pool's list always belongs to a pwq of that pool, as before, so a
 * worker or rescuer finds its slot and counters under its own pool's lock.
 * The queue's counts of pending and in-flight items do not change: nothing
 * is lost and drain waits for it as for any item.  A CPU that goes down
 * while its worker steals still gets the item, which the thief runs next.
 * CPU-intensive items (above) make A wake its spares
 * (above), which then take A's next items themselves and share A's CPU:
 * stealing spreads such items less.
 *
 * The cost without steal queues: none on idle workers, who test a static
 * key that is on only while a steal queue exists; a flag test on submission
 * and when an item is activated and started.
 *
 * Yielding
 * --------
 * A worker yields the CPU after every item with cond_resched(), so that
 * other tasks of its CPU run between items on kernels that preempt no task
 * in the kernel (PREEMPT_NONE, PREEMPT_VOLUNTARY, and PREEMPT_DYNAMIC in
 * those modes, Debian's default).  There a task in the kernel leaves the
 * CPU only where it sleeps or calls cond_resched() (with voluntary
 * preemption also in might_sleep(): mutex_lock(), GFP_KERNEL allocations);
 * releasing a spinlock, enabling interrupts and returning from an interrupt
 * do not switch tasks.  In the worker loop that leaves three places: the
 * cond_resched() after an item, becoming the pool's manager (creating a
 * worker sleeps) and going idle.  Stealing and handing an item over take
 * spinlocks only.
 *
 * The rule for PCWQ_NO_YIELD queues: after an item of such a queue the
 * worker that ran it neither calls cond_resched() nor becomes the manager
 * before it takes its next item.  It yields again after the next item of a
 * queue without the flag, or when it finds nothing to do and goes idle.
 * So consecutive items of no-yield queues on a worker run back to back: no
 * other task gets the CPU between them, neither a thread they woke nor the
 * pool's other workers (bound to the same CPU), unless a handler sleeps or
 * yields itself.  A rescuer follows the same rule within a rescue session
 * (pcwq_process_one() decides for both); between sessions it moves to
 * another pool, which takes a mutex and may migrate it, and yields there.
 *
 * On a fully preemptible kernel (PREEMPT, PREEMPT_RT, or PREEMPT_DYNAMIC
 * with preempt=full: preempt_model_full() or preempt_model_rt()) a task of
 * higher priority, or the tick when the worker's slice is over, preempts
 * the worker anywhere, between items as within them, and cond_resched()
 * does next to nothing: no-yield then only removes that voluntary yield.
 *
 * The trade-off: a burst of a no-yield queue completes without context
 * switches and without anything of the CPU interleaving (throughput, and
 * a consumer woken by the first item finds the whole burst done), while
 * every other task of the CPU waits for the whole run, however long: other
 * threads, the other pcwq pool of the CPU, per-CPU kthreads (ksoftirqd,
 * kworkers, RCU).  The concurrency timer still wakes spares for a run of
 * CPU-bound items, but they cannot run before it ends either.  A run that
 * lasts seconds delays everything else there; one longer than twice the
 * kernel's watchdog_thresh (20 s by default) makes the soft-lockup
 * detector report "BUG: soft lockup", and with non-preemptible RCU (kernels
 * without PREEMPT_RCU) it holds up grace periods and draws RCU CPU stall
 * warnings after 21 s.  pcwq's own stall watchdog sees progress: every item
 * that starts counts.  No-yield is for short items that come in bursts.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/idr.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "internal.h"
#include "params.h"

/* Concurrency timer ticks on a CPU that make an item CPU-intensive. */
#define PCWQ_INTENSIVE_TICKS	3
#define PCWQ_CREATE_COOLDOWN	HZ
#define PCWQ_MAYDAY_INTERVAL	(HZ / 10)
/* Worklist entries a thief looks at; beyond, the lock is held too long. */
#define PCWQ_STEAL_SCAN		32

DEFINE_STATIC_KEY_FALSE(pcwq_steal_key);

/* Serializes worker attach and detach with CPU hotplug. */
DEFINE_MUTEX(pcwq_pool_mutex);

static DEFINE_PER_CPU(struct pcwq_pool [PCWQ_NR_PRIO], pcwq_cpu_pools);
static enum cpuhp_state pcwq_cpuhp_state;

struct pcwq_pool *pcwq_pool_get(int cpu, int prio)
{
	return &per_cpu(pcwq_cpu_pools, cpu)[prio];
}

/* How long a surplus idle worker lives: the worker_idle_secs parameter. */
static unsigned long idle_timeout(void)
{
	return pcwq_param(PCWQ_P_WORKER_IDLE_SECS) * HZ;
}

/**
 * pcwq_first_work() - the first work item on a worklist after a position
 * @pool: caller holds pool->lock
 * @from: &pool->worklist for the head, or the entry of an item or cursor
 *
 * Rescuers' cursors are skipped.
 *
 * Return: the item, or NULL if none follows @from.
 */
struct pcwq_work *pcwq_first_work(struct pcwq_pool *pool,
				  struct list_head *from)
{
	struct pcwq_work *work = list_entry(from, struct pcwq_work, entry);

	lockdep_assert_held(&pool->lock);
	list_for_each_entry_continue(work, &pool->worklist, entry)
		if (!pcwq_is_cursor(work))
			return work;
	return NULL;
}

/**
 * pcwq_pool_pending() - the number of work items ready on a pool
 * @pool: caller holds pool->lock
 *
 * No count is kept on the submit and execute paths: this walks the
 * worklist, once per stats dump and once per load sample (loadavg.c).
 *
 * Return: the items on the worklist, rescuers' cursors not counted.
 */
unsigned int pcwq_pool_pending(struct pcwq_pool *pool)
{
	unsigned int pending = 0;
	struct pcwq_work *work;

	for (work = pcwq_first_work(pool, &pool->worklist); work;
	     work = pcwq_first_work(pool, &work->entry))
		pending++;
	return pending;
}

static bool too_many_idle(struct pcwq_pool *pool)
{
	int busy = pool->nr_workers - pool->nr_idle;

	return pool->nr_idle > 2 && (pool->nr_idle - 2) * 4 >= busy;
}

static void worker_enter_idle(struct pcwq_worker *worker)
{
	struct pcwq_pool *pool = worker->pool;

	lockdep_assert_held(&pool->lock);
	worker->flags |= WORKER_IDLE;
	worker->last_active = jiffies;
	pool->nr_idle++;
	list_add(&worker->idle_entry, &pool->idle_list);
	if (too_many_idle(pool) && !timer_pending(&pool->idle_timer))
		mod_timer(&pool->idle_timer, jiffies + idle_timeout());
}

static void worker_leave_idle(struct pcwq_worker *worker)
{
	lockdep_assert_held(&worker->pool->lock);
	worker->flags &= ~WORKER_IDLE;
	worker->pool->nr_idle--;
	list_del_init(&worker->idle_entry);
}

/* Wake the most recently idle worker, if any.  Caller holds pool->lock. */
static bool wake_idle_worker(struct pcwq_pool *pool)
{
	struct pcwq_worker *worker;

	worker = list_first_entry_or_null(&pool->idle_list, struct pcwq_worker,
					  idle_entry);
	if (!worker)
		return false;
	worker_leave_idle(worker);
	wake_up_process(worker->task);
	return true;
}

/**
 * pcwq_pool_kick() - make sure somebody works on a pool's worklist
 * @pool: pool that just got work; caller holds pool->lock
 */
void pcwq_pool_kick(struct pcwq_pool *pool)
{
	lockdep_assert_held(&pool->lock);
	if (pool->nr_workers == pool->nr_idle)
		wake_idle_worker(pool);
	else if (!timer_pending(&pool->conc_timer))
		mod_timer(&pool->conc_timer, jiffies + 1);
}

/*
 * Whether @pool is idle altogether and may steal: a thief to wake.  Caller
 * holds pool->lock.
 */
static bool pool_may_steal(struct pcwq_pool *pool)
{
	return !(pool->flags & POOL_DISASSOCIATED) &&
	       pool->nr_workers == pool->nr_idle && !pcwq_pool_has_work(pool);
}

/**
 * pcwq_wake_thief() - wake an idle pool to steal from a busy one
 * @busy: a pool where an item of a PCWQ_STEAL queue waits behind an awake
 *	worker; caller holds no pool lock, interrupts are disabled
 * @cpus: the CPU mask of the item's queue
 *
 * Wakes at most one worker: the first idle pool of a CPU in @cpus after
 * @busy's CPU, so that bursts from one CPU spread.  The worker steals when
 * it finds its own pool empty.
 */
void pcwq_wake_thief(struct pcwq_pool *busy, const struct cpumask *cpus)
{
	int cpu;

	lockdep_assert_irqs_disabled();
	for_each_cpu_wrap(cpu, cpu_online_mask, (busy->cpu + 1) % nr_cpu_ids) {
		struct pcwq_pool *pool = pcwq_pool_get(cpu, busy->prio);
		bool idle, woken = false;

		/* Without the lock, a hint: pool_may_steal() decides. */
		idle = data_race(pool->nr_workers == pool->nr_idle);
		if (pool == busy || !idle || !cpumask_test_cpu(cpu, cpus))
			continue;
		raw_spin_lock(&pool->lock);
		if (pool_may_steal(pool))
			woken = wake_idle_worker(pool);
		raw_spin_unlock(&pool->lock);
		if (woken)
			return;
	}
}

/* See "Concurrency without scheduler hooks" above; pool->lock held. */
static bool worker_effective(struct pcwq_worker *worker)
{
	return task_is_running(worker->task) &&
	       (!worker->current_work ||
		worker->conc_ticks < PCWQ_INTENSIVE_TICKS);
}

/* Count the tick for the pool's workers found on a CPU in an item. */
static void conc_tick(struct pcwq_pool *pool)
{
	struct pcwq_worker *worker;

	lockdep_assert_held(&pool->lock);
	list_for_each_entry(worker, &pool->workers, node) {
		if (worker->current_work && READ_ONCE(worker->task->on_cpu) &&
		    worker->conc_ticks < PCWQ_INTENSIVE_TICKS)
			worker->conc_ticks++;
	}
}

/* Some busy worker of the pool's own makes progress (not a rescuer). */
static bool pool_progressing(struct pcwq_pool *pool)
{
	struct pcwq_worker *worker;

	list_for_each_entry(worker, &pool->workers, node) {
		if (!(worker->flags & (WORKER_IDLE | WORKER_RESCUER)) &&
		    worker_effective(worker))
			return true;
	}
	return false;
}

static bool need_manager(struct pcwq_pool *pool)
{
	return !pool->nr_idle && !(pool->flags & POOL_MANAGER_ACTIVE) &&
	       pcwq_pool_has_work(pool) &&
	       time_after_eq(jiffies, pool->create_after);
}

/**
 * pcwq_pool_starved() - whether a pool needs a worker it does not have
 * @pool: caller holds pool->lock
 *
 * Return: true when work is ready, no worker is idle and no busy worker
 * makes progress, or while a worker is being created for the pool.
 */
bool pcwq_pool_starved(struct pcwq_pool *pool)
{
	lockdep_assert_held(&pool->lock);
	if (pool->flags & POOL_MANAGER_ACTIVE)
		return true;
	return !pool->nr_idle && pcwq_pool_has_work(pool) && !pool_progressing(pool);
}

static unsigned long mayday_delay(void)
{
	return max(msecs_to_jiffies(pcwq_param(PCWQ_P_MAYDAY_TIMEOUT_MS)), 2UL);
}

static void pool_conc_timer_fn(struct timer_list *t)
{
	struct pcwq_pool *pool = timer_container_of(pool, t, conc_timer);
	unsigned long flags;

	raw_spin_lock_irqsave(&pool->lock, flags);
	if (!pcwq_pool_has_work(pool))
		goto out;
	pcwq_watchdog_arm(pool);
	conc_tick(pool);
	if (!pool_progressing(pool) && !wake_idle_worker(pool)) {
		/* Starved: no worker of ours can create one. */
		if (!timer_pending(&pool->mayday_timer))
			mod_timer(&pool->mayday_timer, jiffies + mayday_delay());
		if (need_manager(pool))
			queue_work(system_unbound_wq, &pool->create_work);
	}
	mod_timer(&pool->conc_timer, jiffies + 1);
out:
	raw_spin_unlock_irqrestore(&pool->lock, flags);
}

static void pool_mayday_timer_fn(struct timer_list *t)
{
	struct pcwq_pool *pool = timer_container_of(pool, t, mayday_timer);
	unsigned long flags;

	raw_spin_lock_irqsave(&pool->lock, flags);
	if (pcwq_pool_starved(pool)) {
		pcwq_send_maydays(pool);
		mod_timer(&pool->mayday_timer, jiffies + PCWQ_MAYDAY_INTERVAL);
	}
	raw_spin_unlock_irqrestore(&pool->lock, flags);
}

/*
 * Mark the workers idle for too long and hand them to cull_work, which
 * detaches and stops them in process context.
 */
static void pool_idle_timer_fn(struct timer_list *t)
{
	struct pcwq_pool *pool = timer_container_of(pool, t, idle_timer);
	struct pcwq_worker *worker;
	bool cull = false;
	unsigned long flags;

	raw_spin_lock_irqsave(&pool->lock, flags);
	while (too_many_idle(pool)) {
		unsigned long expires;

		worker = list_last_entry(&pool->idle_list, struct pcwq_worker,
					 idle_entry);
		expires = worker->last_active + idle_timeout();
		if (time_before(jiffies, expires)) {
			mod_timer(&pool->idle_timer, expires);
			break;
		}
		worker_leave_idle(worker);
		worker->flags |= WORKER_DIE;
		pool->nr_workers--;
		list_add_tail(&worker->idle_entry, &pool->cull_list);
		cull = true;
	}
	raw_spin_unlock_irqrestore(&pool->lock, flags);
	if (cull)
		queue_work(system_unbound_wq, &pool->cull_work);
}

/* Stop the workers on @list (linked by idle_entry), already detached. */
static void stop_workers(struct list_head *list)
{
	struct pcwq_worker *worker, *tmp;

	list_for_each_entry_safe(worker, tmp, list, idle_entry) {
		kthread_stop(worker->task);
		pcwq_overrun_exit(worker);
		put_task_struct(worker->task);
		ida_free(&worker->pool->worker_ida, worker->id);
		kfree(worker);
	}
}

/* Detach the workers on pool->cull_list; caller holds both locks. */
static void detach_culled(struct pcwq_pool *pool, struct list_head *list)
{
	struct pcwq_worker *worker;

	lockdep_assert_held(&pcwq_pool_mutex);
	lockdep_assert_held(&pool->lock);
	list_for_each_entry(worker, &pool->cull_list, idle_entry)
		list_del_init(&worker->node);
	list_splice_init(&pool->cull_list, list);
}

static void pool_cull_fn(struct work_struct *w)
{
	struct pcwq_pool *pool = container_of(w, struct pcwq_pool, cull_work);
	LIST_HEAD(list);

	mutex_lock(&pcwq_pool_mutex);
	raw_spin_lock_irq(&pool->lock);
	detach_culled(pool, &list);
	raw_spin_unlock_irq(&pool->lock);
	mutex_unlock(&pcwq_pool_mutex);
	stop_workers(&list);
}

static int pcwq_worker_thread(void *arg);

/* The pcwq worker or rescuer that current is, or NULL. */
struct pcwq_worker *pcwq_current_worker(void)
{
	void *fn;

	if (!(current->flags & PF_KTHREAD))
		return NULL;
	fn = kthread_func(current);
	if (fn != pcwq_worker_thread && fn != pcwq_rescuer_thread)
		return NULL;
	return kthread_data(current);
}

/* Create an idle worker for @pool.  Sleeps. */
static int create_worker(struct pcwq_pool *pool)
{
	struct pcwq_worker *worker;
	struct task_struct *task;
	int id, err;

	worker = kzalloc_node(sizeof(*worker), GFP_KERNEL,
			      cpu_to_node(pool->cpu));
	if (!worker)
		return -ENOMEM;
	id = ida_alloc(&pool->worker_ida, GFP_KERNEL);
	if (id < 0) {
		err = id;
		goto free_worker;
	}
	INIT_LIST_HEAD(&worker->node);
	INIT_LIST_HEAD(&worker->idle_entry);
	INIT_LIST_HEAD(&worker->scheduled);
	pcwq_overrun_init(worker);
	worker->pool = pool;
	worker->id = id;

	task = kthread_create_on_node(pcwq_worker_thread, worker,
				      cpu_to_node(pool->cpu), "pcwq/%d:%d%s",
				      pool->cpu, id, pool->prio ? "H" : "");
	if (IS_ERR(task)) {
		err = PTR_ERR(task);
		goto free_id;
	}
	get_task_struct(task);
	worker->task = task;

	/*
	 * POOL_DISASSOCIATED only changes under pcwq_pool_mutex.  Bind outside
	 * pool->lock: kthread_bind() waits for the new task to leave its CPU,
	 * where it may be interrupted by this pool's timer.
	 */
	mutex_lock(&pcwq_pool_mutex);
	if (READ_ONCE(pool->flags) & POOL_DISASSOCIATED)
		set_cpus_allowed_ptr(task, cpu_possible_mask);
	else
		kthread_bind(task, pool->cpu);
	raw_spin_lock_irq(&pool->lock);
	/* Under the lock: aging may have raised the pool's nice (aging.c). */
	set_user_nice(task, pcwq_pool_nice(pool));
	list_add_tail(&worker->node, &pool->workers);
	pool->nr_workers++;
	worker_enter_idle(worker);
	raw_spin_unlock_irq(&pool->lock);
	mutex_unlock(&pcwq_pool_mutex);
	wake_up_process(task);
	return 0;

free_id:
	ida_free(&pool->worker_ida, id);
free_worker:
	kfree(worker);
	return err;
}

/*
 * Become the pool's manager and create a spare worker.  Called and returns
 * with pool->lock held; drops it meanwhile.
 */
static void manage_workers(struct pcwq_pool *pool)
	__must_hold(&pool->lock)
{
	int err = -ENOMEM;

	pool->flags |= POOL_MANAGER_ACTIVE;
	raw_spin_unlock_irq(&pool->lock);
	if (!pcwq_param(PCWQ_P_INJECT_WORKER_FAIL))
		err = create_worker(pool);
	raw_spin_lock_irq(&pool->lock);
	pool->flags &= ~POOL_MANAGER_ACTIVE;
	if (err)
		pool->create_after = jiffies + PCWQ_CREATE_COOLDOWN;
}

/* Create a worker for a starved pool, none of whose workers can. */
static void pool_create_fn(struct work_struct *w)
{
	struct pcwq_pool *pool = container_of(w, struct pcwq_pool,
					      create_work);

	raw_spin_lock_irq(&pool->lock);
	if (need_manager(pool))
		manage_workers(pool);
	raw_spin_unlock_irq(&pool->lock);
}

/*
 * The pool of @thief's priority on another online CPU with the most ready
 * steal items, or NULL.  The counts are read without locks: a hint.
 */
static struct pcwq_pool *busiest_pool(struct pcwq_pool *thief)
{
	struct pcwq_pool *busiest = NULL;
	int cpu, most = 0;

	for_each_online_cpu(cpu) {
		struct pcwq_pool *pool = pcwq_pool_get(cpu, thief->prio);
		int ready = READ_ONCE(pool->nr_steal_ready);

		if (pool != thief && ready > most) {
			busiest = pool;
			most = ready;
		}
	}
	return busiest;
}

/*
 * Whether a thief for @thief may take @work, as far as @work's pool's lock
 * tells: a PCWQ_STEAL item whose queue's mask holds @thief's CPU and whose
 * pwq on @thief seems to have a free slot (read without @thief's lock;
 * settle_stolen() checks again).
 */
static bool stealable(struct pcwq_work *work, struct pcwq_pool *thief)
{
	struct pcwq *wq = work->pwq->wq;
	struct pcwq_pwq *there = per_cpu_ptr(wq->pwqs, thief->cpu);
	int active;

	if (!(wq->flags & PCWQ_STEAL) || !cpumask_test_cpu(thief->cpu, wq->cpus))
		return false;
	/* Without the thief's lock, a hint: settle_stolen() decides. */
	active = data_race(there->nr_active);
	return active < wq->max_active;
}

/* Take a stolen item off @victim, freeing its slot.  Both locks held. */
static void unlist_stolen(struct pcwq_pool *victim, struct pcwq_work *work)
{
	struct pcwq_pwq *pwq = work->pwq;

	lockdep_assert_held(&victim->lock);
	lockdep_assert_held(&work->lock);
	list_del_init(&work->entry);
	pcwq_aging_forget(victim, work);
	pwq->nr_active--;
	pcwq_steal_ready_add(pwq, -1);
	pcwq_pwq_activate(pwq);
}

/* Re-home a stolen item on @pool, the thief's.  Both locks held. */
static void settle_stolen(struct pcwq_pool *pool, struct pcwq_work *work)
{
	struct pcwq_pwq *pwq = per_cpu_ptr(work->pwq->wq->pwqs, pool->cpu);

	lockdep_assert_held(&pool->lock);
	lockdep_assert_held(&work->lock);
	work->pwq = pwq;
	work->flags |= PCWQ_WORK_STOLEN;
	if (pwq->nr_active < pwq->wq->max_active) {
		pwq->nr_active++;
		pcwq_steal_ready_add(pwq, 1);
		if (!pcwq_pool_has_work(pool))
			WRITE_ONCE(pool->last_progress, jiffies);
		/* The thief is awake and takes it next: no kick. */
		list_add(&work->entry, &pool->worklist);
		pcwq_aging_watch(pool, work);
	} else {
		work->inactive = true;
		list_add(&work->entry, &pwq->inactive);
	}
}

/*
 * Move one item from the busiest pool of another CPU to @pool, whose worker
 * found nothing to do; see "Work stealing" above.  Called and returns with
 * pool->lock held and interrupts disabled; drops the lock meanwhile.
 */
static void steal_work(struct pcwq_pool *pool)
	__must_hold(&pool->lock)
{
	struct pcwq_pool *victim;
	struct pcwq_work *work;
	int scanned = 0;

	if (pool->flags & POOL_DISASSOCIATED)
		return;
	victim = busiest_pool(pool);
	if (!victim)
		return;
	raw_spin_unlock(&pool->lock);
	raw_spin_lock(&victim->lock);
	if (victim->flags & POOL_DISASSOCIATED)
		goto out;
	for (work = pcwq_first_work(victim, &victim->worklist);
	     work && scanned < PCWQ_STEAL_SCAN;
	     work = pcwq_first_work(victim, &work->entry), scanned++) {
		if (!stealable(work, pool))
			continue;
		/* Lock order is work->lock, pool->lock: only try here. */
		if (!raw_spin_trylock(&work->lock))
			continue;
		if (work->flags & PCWQ_WORK_RUNNING) {
			raw_spin_unlock(&work->lock);
			continue;
		}
		unlist_stolen(victim, work);
		raw_spin_unlock(&victim->lock);
		raw_spin_lock(&pool->lock);
		settle_stolen(pool, work);
		raw_spin_unlock(&work->lock);
		return;
	}
out:
	raw_spin_unlock(&victim->lock);
	raw_spin_lock(&pool->lock);
}

/* The next item for @worker, or NULL; caller holds pool->lock. */
static struct pcwq_work *next_work(struct pcwq_worker *worker)
{
	if (!list_empty(&worker->scheduled))
		return list_first_entry(&worker->scheduled, struct pcwq_work,
					entry);
	return pcwq_first_work(worker->pool, &worker->pool->worklist);
}

/**
 * pcwq_run_or_hand_over() - run an item taken from a list of the pool
 * @worker: the current worker or rescuer, attached to the pool
 * @work: an item on the pool's worklist or on @worker->scheduled
 *
 * An item queued again while it runs on another worker is handed to that
 * worker, which runs it next: never two at once.  Called and returns with
 * pool->lock held; may drop it meanwhile.
 *
 * Return: true if @worker ran @work; false if it handed it over, or could
 * not take its lock (then try again: the lists may have changed).
 */
bool pcwq_run_or_hand_over(struct pcwq_worker *worker, struct pcwq_work *work)
{
	struct pcwq_pool *pool = worker->pool;

	/* Lock order is work->lock, pool->lock: only try here. */
	if (!raw_spin_trylock(&work->lock)) {
		raw_spin_unlock_irq(&pool->lock);
		cpu_relax();
		raw_spin_lock_irq(&pool->lock);
		return false;
	}
	if ((work->flags & PCWQ_WORK_RUNNING) && work->worker != worker) {
		list_move_tail(&work->entry, &work->worker->scheduled);
		raw_spin_unlock(&work->lock);
		return false;
	}
	pcwq_process_one(worker, work);
	return true;
}

/**
 * pcwq_worker_attach() - attach a rescuer to a pool, bound to its CPU
 * @worker: the current rescuer, detached
 * @pool: the pool it works for until pcwq_worker_detach()
 *
 * Sleeps.  While attached it follows the pool through CPU hotplug, as the
 * pool's own workers do.
 */
void pcwq_worker_attach(struct pcwq_worker *worker, struct pcwq_pool *pool)
{
	mutex_lock(&pcwq_pool_mutex);
	worker->pool = pool;
	if (pool->flags & POOL_DISASSOCIATED)
		set_cpus_allowed_ptr(current, cpu_possible_mask);
	else
		set_cpus_allowed_ptr(current, cpumask_of(pool->cpu));
	raw_spin_lock_irq(&pool->lock);
	list_add_tail(&worker->node, &pool->workers);
	raw_spin_unlock_irq(&pool->lock);
	mutex_unlock(&pcwq_pool_mutex);
}

/**
 * pcwq_worker_detach() - detach a rescuer from its pool
 * @worker: the current rescuer, attached
 */
void pcwq_worker_detach(struct pcwq_worker *worker)
{
	struct pcwq_pool *pool = worker->pool;

	mutex_lock(&pcwq_pool_mutex);
	raw_spin_lock_irq(&pool->lock);
	list_del_init(&worker->node);
	raw_spin_unlock_irq(&pool->lock);
	worker->pool = NULL;
	mutex_unlock(&pcwq_pool_mutex);
}

static int pcwq_worker_thread(void *arg)
{
	struct pcwq_worker *worker = arg;
	struct pcwq_pool *pool = worker->pool;
	/* The item it ran last was of a no-yield queue: see "Yielding". */
	bool no_yield = false, ran_no_yield;
	struct pcwq_work *work;

	raw_spin_lock_irq(&pool->lock);
	while (!(worker->flags & WORKER_DIE)) {
		if (worker->flags & WORKER_IDLE) {
			set_current_state(TASK_IDLE);
			raw_spin_unlock_irq(&pool->lock);
			schedule();
			raw_spin_lock_irq(&pool->lock);
			continue;
		}
		/* Creating a worker sleeps: not within a no-yield run. */
		if (!no_yield && need_manager(pool)) {
			manage_workers(pool);
			continue;
		}
		work = next_work(worker);
		if (!work && static_branch_unlikely(&pcwq_steal_key)) {
			/* A stolen item, or one that came meanwhile. */
			steal_work(pool);
			work = next_work(worker);
		}
		if (!work) {
			no_yield = false;
			worker_enter_idle(worker);
			continue;
		}
		/* pool->lock held: work->pwq is stable. */
		ran_no_yield = work->pwq->wq->flags & PCWQ_NO_YIELD;
		if (pcwq_run_or_hand_over(worker, work))
			no_yield = ran_no_yield;
	}
	raw_spin_unlock_irq(&pool->lock);
	return 0;
}

static void pool_init(struct pcwq_pool *pool, int cpu, int prio)
{
	raw_spin_lock_init(&pool->lock);
	pool->cpu = cpu;
	pool->prio = prio;
	pool->flags = POOL_DISASSOCIATED;
	INIT_LIST_HEAD(&pool->worklist);
	INIT_LIST_HEAD(&pool->idle_list);
	INIT_LIST_HEAD(&pool->workers);
	INIT_LIST_HEAD(&pool->cull_list);
	ida_init(&pool->worker_ida);
	timer_setup(&pool->conc_timer, pool_conc_timer_fn, 0);
	timer_setup(&pool->mayday_timer, pool_mayday_timer_fn, 0);
	timer_setup(&pool->stall_timer, pcwq_stall_timer_fn, 0);
	timer_setup(&pool->idle_timer, pool_idle_timer_fn, TIMER_DEFERRABLE);
	INIT_WORK(&pool->create_work, pool_create_fn);
	INIT_WORK(&pool->cull_work, pool_cull_fn);
	timer_setup(&pool->aging_timer, pcwq_aging_timer_fn, 0);
	pool->last_progress = jiffies;
	pool->create_after = jiffies;
}

static void pool_set_affinity(struct pcwq_pool *pool,
			      const struct cpumask *mask)
{
	struct pcwq_worker *worker;

	lockdep_assert_held(&pcwq_pool_mutex);
	list_for_each_entry(worker, &pool->workers, node)
		set_cpus_allowed_ptr(worker->task, mask);
}

static int pcwq_cpu_online(unsigned int cpu)
{
	int prio, err = 0;

	for (prio = 0; prio < PCWQ_NR_PRIO; prio++) {
		struct pcwq_pool *pool = pcwq_pool_get(cpu, prio);
		bool empty;

		mutex_lock(&pcwq_pool_mutex);
		raw_spin_lock_irq(&pool->lock);
		pool->flags &= ~POOL_DISASSOCIATED;
		empty = !pool->nr_workers;
		raw_spin_unlock_irq(&pool->lock);
		pool_set_affinity(pool, cpumask_of(cpu));
		mutex_unlock(&pcwq_pool_mutex);
		if (empty)
			err = err ?: create_worker(pool);
	}
	return err;
}

static int pcwq_cpu_offline(unsigned int cpu)
{
	int prio;

	mutex_lock(&pcwq_pool_mutex);
	for (prio = 0; prio < PCWQ_NR_PRIO; prio++) {
		struct pcwq_pool *pool = pcwq_pool_get(cpu, prio);

		raw_spin_lock_irq(&pool->lock);
		pool->flags |= POOL_DISASSOCIATED;
		raw_spin_unlock_irq(&pool->lock);
		pool_set_affinity(pool, cpu_possible_mask);
		/* Whatever is queued runs elsewhere now. */
		raw_spin_lock_irq(&pool->lock);
		if (pcwq_pool_has_work(pool))
			pcwq_pool_kick(pool);
		raw_spin_unlock_irq(&pool->lock);
	}
	mutex_unlock(&pcwq_pool_mutex);
	return 0;
}

static void pool_exit(struct pcwq_pool *pool)
{
	LIST_HEAD(list);

	/* The conc timer queues create_work, which may arm idle_timer. */
	timer_shutdown_sync(&pool->conc_timer);
	timer_shutdown_sync(&pool->mayday_timer);
	timer_shutdown_sync(&pool->stall_timer);
	timer_shutdown_sync(&pool->aging_timer);
	cancel_work_sync(&pool->create_work);
	timer_shutdown_sync(&pool->idle_timer);
	cancel_work_sync(&pool->cull_work);

	mutex_lock(&pcwq_pool_mutex);
	raw_spin_lock_irq(&pool->lock);
	WARN_ON_ONCE(!list_empty(&pool->worklist));
	detach_culled(pool, &list);
	while (!list_empty(&pool->workers)) {
		struct pcwq_worker *worker;

		worker = list_first_entry(&pool->workers, struct pcwq_worker,
					  node);
		if (worker->flags & WORKER_IDLE)
			worker_leave_idle(worker);
		worker->flags |= WORKER_DIE;
		pool->nr_workers--;
		list_del_init(&worker->node);
		list_add_tail(&worker->idle_entry, &list);
	}
	raw_spin_unlock_irq(&pool->lock);
	mutex_unlock(&pcwq_pool_mutex);
	stop_workers(&list);
	ida_destroy(&pool->worker_ida);
}

int __init pcwq_pools_init(void)
{
	int cpu, prio, ret;

	for_each_possible_cpu(cpu)
		for (prio = 0; prio < PCWQ_NR_PRIO; prio++)
			pool_init(pcwq_pool_get(cpu, prio), cpu, prio);

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "pcwq:online",
				pcwq_cpu_online, pcwq_cpu_offline);
	if (ret < 0) {
		pcwq_pools_exit();
		return ret;
	}
	pcwq_cpuhp_state = ret;
	pcwq_watchdog_start();
	return 0;
}

void pcwq_pools_exit(void)
{
	int cpu, prio;

	pcwq_watchdog_stop();
	if (pcwq_cpuhp_state)
		cpuhp_remove_state(pcwq_cpuhp_state);
	pcwq_cpuhp_state = 0;
	for_each_possible_cpu(cpu)
		for (prio = 0; prio < PCWQ_NR_PRIO; prio++)
			pool_exit(pcwq_pool_get(cpu, prio));
}
