// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq queues: creation, destruction, drain and plug.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

/* Every queue, for netlink; names are unique. */
DEFINE_MUTEX(pcwq_queues_mutex);
LIST_HEAD(pcwq_queues);
/* Changes with every queue added or removed, for dumps; pcwq_queues_mutex */
unsigned int pcwq_queues_gen = 1;

static struct pcwq *find_locked(const char *name)
{
	struct pcwq *wq;

	lockdep_assert_held(&pcwq_queues_mutex);
	list_for_each_entry(wq, &pcwq_queues, node)
		if (!strcmp(wq->name, name))
			return wq;
	return NULL;
}

static struct pcwq *__pcwq_create(const struct pcwq_attrs *attrs, bool user)
{
	struct pcwq *wq;
	int cpu, err;

	might_sleep();
	if (!attrs->name || !attrs->name[0] ||
	    strlen(attrs->name) >= sizeof(wq->name) ||
	    attrs->flags & ~(PCWQ_MEM_RECLAIM | PCWQ_HIGHPRI | PCWQ_STEAL |
			     PCWQ_NO_YIELD) ||
	    attrs->max_active > PCWQ_MAX_ACTIVE ||
	    !pcwq_limits_valid(&attrs->limits) ||
	    (attrs->cpus && (cpumask_empty(attrs->cpus) ||
			     !cpumask_subset(attrs->cpus, cpu_possible_mask))))
		return ERR_PTR(-EINVAL);
	wq = kzalloc(sizeof(*wq), GFP_KERNEL);
	if (!wq)
		return ERR_PTR(-ENOMEM);
	if (!alloc_cpumask_var(&wq->cpus, GFP_KERNEL)) {
		err = -ENOMEM;
		goto free_wq;
	}
	cpumask_copy(wq->cpus, attrs->cpus ?: cpu_possible_mask);
	wq->cpus_text = kasprintf(GFP_KERNEL, "%*pbl",
				  cpumask_pr_args(wq->cpus));
	if (!wq->cpus_text) {
		err = -ENOMEM;
		goto free_cpus;
	}
	/* A failure is the caller's -ENOMEM, without percpu's stack dump. */
	wq->pwqs = alloc_percpu_gfp(struct pcwq_pwq, GFP_KERNEL | __GFP_NOWARN);
	if (!wq->pwqs) {
		err = -ENOMEM;
		goto free_cpus;
	}
	strscpy(wq->name, attrs->name, sizeof(wq->name));
	wq->flags = attrs->flags;
	wq->max_active = attrs->max_active ?: PCWQ_DFL_ACTIVE;
	wq->user = user;
	raw_spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->delayed);
	INIT_LIST_HEAD(&wq->polls);
	INIT_LIST_HEAD(&wq->drainers);
	INIT_LIST_HEAD(&wq->maydays);
	for_each_possible_cpu(cpu) {
		struct pcwq_pwq *pwq = per_cpu_ptr(wq->pwqs, cpu);

		pwq->wq = wq;
		pwq->pool = pcwq_pool_get(cpu, !!(wq->flags & PCWQ_HIGHPRI));
		INIT_LIST_HEAD(&pwq->inactive);
		INIT_LIST_HEAD(&pwq->mayday_node);
		pcwq_init_work(&pwq->cursor, pcwq_cursor_fn);
		pwq->cursor.pwq = pwq;
	}
	/* After the pwqs: a capacity folds their counts. */
	pcwq_limits_apply(wq, &attrs->limits);
	if (wq->flags & PCWQ_MEM_RECLAIM) {
		err = pcwq_rescuer_create(wq);
		if (err)
			goto free_pwqs;
	}

	mutex_lock(&pcwq_queues_mutex);
	if (find_locked(wq->name)) {
		mutex_unlock(&pcwq_queues_mutex);
		err = -EEXIST;
		goto stop_rescuer;
	}
	list_add_tail(&wq->node, &pcwq_queues);
	WRITE_ONCE(pcwq_queues_gen, pcwq_queues_gen + 1);
	mutex_unlock(&pcwq_queues_mutex);
	if (wq->flags & PCWQ_STEAL)
		static_branch_inc(&pcwq_steal_key);
	return wq;

stop_rescuer:
	pcwq_rescuer_destroy(wq);
free_pwqs:
	free_percpu(wq->pwqs);
free_cpus:
	kfree(wq->cpus_text);
	free_cpumask_var(wq->cpus);
free_wq:
	kfree(wq);
	return ERR_PTR(err);
}

/**
 * pcwq_create() - create a queue
 * @attrs: its attributes
 *
 * Sleeps.
 *
 * A PCWQ_MEM_RECLAIM queue gets its rescuer thread here, so that rescuing
 * its items later allocates nothing.
 *
 * Return: the queue, or ERR_PTR(-EINVAL) for bad attributes (among them a
 * CPU mask that is empty or holds a CPU that is not possible), -EEXIST for a
 * name in use, -ENOMEM, or the error of creating the rescuer thread.
 */
struct pcwq *pcwq_create(const struct pcwq_attrs *attrs)
{
	return __pcwq_create(attrs, false);
}
EXPORT_SYMBOL_GPL(pcwq_create);

/*
 * The system queue: set in pcwq_system_init() before any client module can
 * link to it, cleared in pcwq_system_exit() when no client module is left.
 */
struct pcwq *pcwq_system __read_mostly;
EXPORT_SYMBOL_GPL(pcwq_system);

int __init pcwq_system_init(void)
{
	struct pcwq_attrs attrs = { .name = "pcwq_system" };
	struct pcwq *wq = pcwq_create(&attrs);

	if (IS_ERR(wq))
		return PTR_ERR(wq);
	pcwq_system = wq;
	return 0;
}

void pcwq_system_exit(void)
{
	struct pcwq *wq = pcwq_system;

	pcwq_system = NULL;
	pcwq_destroy(wq);
}

/* A queue of wqctl's: shown with PCWQ_QUEUE_F_USER, deletable over netlink. */
struct pcwq *pcwq_create_user(const struct pcwq_attrs *attrs)
{
	return __pcwq_create(attrs, true);
}

/* Whether no item is queued or running; in shared mode, under wq->lock. */
static bool wq_idle(struct pcwq *wq)
{
	return !atomic_read(&wq->nr_inflight);
}

/*
 * Wait until no item of @wq is queued or running, which the caller made
 * exact with pcwq_counts_share() after it set the state that refuses new
 * items (see "Counts" and "Admission" in work.c).  Returns whether it had
 * to wait; called and returns with wq->lock held.
 */
static bool drain_locked(struct pcwq *wq)
{
	struct pcwq_waiter waiter = { .task = current };
	bool waited;

	lockdep_assert_held(&wq->lock);
	waited = !wq_idle(wq);
	list_add_tail(&waiter.node, &wq->drainers);
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (wq_idle(wq))
			break;
		raw_spin_unlock_irq(&wq->lock);
		schedule();
		raw_spin_lock_irq(&wq->lock);
	}
	__set_current_state(TASK_RUNNING);
	list_del(&waiter.node);
	return waited;
}

/**
 * pcwq_drain() - wait until a queue is empty
 * @wq: the queue
 * @plug: keep refusing submissions afterwards, until pcwq_unplug()
 *
 * Sleeps.  Meanwhile only submissions from the queue's own handlers
 * (chained work) are accepted; others get -EBUSY.  Delayed items whose
 * timers expire meanwhile are queued too: they were accepted before.
 *
 * Return: 1 if it had to wait, 0 if the queue was empty.
 */
int pcwq_drain(struct pcwq *wq, bool plug)
{
	bool waited;

	might_sleep();
	raw_spin_lock_irq(&wq->lock);
	wq->nr_drainers++;
	WRITE_ONCE(wq->state,
		   wq->state | PCWQ_DRAINING | (plug ? PCWQ_PLUGGED : 0));
	raw_spin_unlock_irq(&wq->lock);
	pcwq_counts_share(wq);
	raw_spin_lock_irq(&wq->lock);
	waited = drain_locked(wq);
	if (!--wq->nr_drainers)
		WRITE_ONCE(wq->state, wq->state & ~PCWQ_DRAINING);
	raw_spin_unlock_irq(&wq->lock);
	pcwq_counts_unshare(wq);
	return waited;
}
EXPORT_SYMBOL_GPL(pcwq_drain);

/**
 * pcwq_unplug() - accept submissions again after pcwq_drain(wq, true)
 * @wq: the queue
 *
 * Return: 0, or -EALREADY if the queue was not plugged.
 */
int pcwq_unplug(struct pcwq *wq)
{
	unsigned long flags;
	int ret = -EALREADY;

	raw_spin_lock_irqsave(&wq->lock, flags);
	if (wq->state & PCWQ_PLUGGED) {
		WRITE_ONCE(wq->state, wq->state & ~PCWQ_PLUGGED);
		ret = 0;
	}
	raw_spin_unlock_irqrestore(&wq->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(pcwq_unplug);

/**
 * pcwq_destroy() - drain a queue and free it
 * @wq: the queue
 *
 * Sleeps.  Queued items run first, and the items they chain; then the
 * queue refuses everything with -ENODEV, and items still waiting for their
 * timers, or triggered work still waiting for its events, are cancelled
 * (counted as unscheduled; a triggered item is then idle, and
 * pcwq_poll_cancel() of it returns -EINVAL).  pcwq_system is refused.
 */
void pcwq_destroy(struct pcwq *wq)
{
	might_sleep();
	if (WARN_ON_ONCE(wq == pcwq_system))
		return;
	mutex_lock(&pcwq_queues_mutex);
	list_del(&wq->node);
	WRITE_ONCE(pcwq_queues_gen, pcwq_queues_gen + 1);
	mutex_unlock(&pcwq_queues_mutex);

	/* Exact counts until the end: this one is never unshared. */
	raw_spin_lock_irq(&wq->lock);
	WRITE_ONCE(wq->state, wq->state | PCWQ_DRAINING);
	raw_spin_unlock_irq(&wq->lock);
	pcwq_counts_share(wq);
	raw_spin_lock_irq(&wq->lock);
	drain_locked(wq);
	WRITE_ONCE(wq->state, PCWQ_DYING);
	raw_spin_unlock_irq(&wq->lock);

	pcwq_cancel_delayed_of(wq);
	pcwq_poll_cancel_of(wq);

	/* Items admitted before DYING was seen, then the last inflight_dec(). */
	raw_spin_lock_irq(&wq->lock);
	drain_locked(wq);
	raw_spin_unlock_irq(&wq->lock);

	WARN_ON_ONCE(atomic_read(&wq->nr_pending));
	if (wq->flags & PCWQ_STEAL)
		static_branch_dec(&pcwq_steal_key);
	pcwq_rescuer_destroy(wq);
	free_percpu(wq->pwqs);
	kfree(wq->cpus_text);
	free_cpumask_var(wq->cpus);
	kfree(wq);
}
EXPORT_SYMBOL_GPL(pcwq_destroy);

/**
 * pcwq_name() - the name of a queue
 * @wq: the queue
 *
 * Return: the name given at creation.
 */
const char *pcwq_name(const struct pcwq *wq)
{
	return wq->name;
}
EXPORT_SYMBOL_GPL(pcwq_name);

void pcwq_stats_add(struct pcwq_stats *sum, const struct pcwq_stats *s)
{
	sum->submitted += s->submitted;
	sum->completed += s->completed;
	sum->cancelled += s->cancelled;
	sum->rejected += s->rejected;
	sum->unscheduled += s->unscheduled;
	sum->mayday += s->mayday;
	sum->rescued += s->rescued;
	sum->stalls += s->stalls;
	sum->throttled += s->throttled;
	sum->stolen += s->stolen;
	sum->aged += s->aged;
	sum->overruns += s->overruns;
}

/**
 * pcwq_get_stats() - the counters of a queue, summed over its CPUs
 * @wq: the queue
 * @stats: filled in
 */
void pcwq_get_stats(struct pcwq *wq, struct pcwq_stats *stats)
{
	int cpu;

	memset(stats, 0, sizeof(*stats));
	for_each_possible_cpu(cpu) {
		struct pcwq_pwq *pwq = per_cpu_ptr(wq->pwqs, cpu);

		raw_spin_lock_irq(&pwq->pool->lock);
		pcwq_stats_add(stats, &pwq->stats);
		raw_spin_unlock_irq(&pwq->pool->lock);
	}
}
EXPORT_SYMBOL_GPL(pcwq_get_stats);
