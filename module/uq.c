// SPDX-License-Identifier: GPL-2.0
/*
 * Queues created from userspace (wqctl queue add) and the synthetic load
 * that wqctl sends to them.
 *
 * Every operation on user queues holds pcwq_uq_mutex, including the ones
 * that sleep (flush, drain, delete): they are serialized with each other,
 * but not with the other pcwq operations, nor with other netlink families
 * (the family runs with parallel_ops).
 *
 * Load items are allocated in batches, one per request.  A batch is freed
 * when its queue is deleted, or by a later request once every item in it is
 * idle: pcwq_work_busy() takes the item's lock, so when it reports idle the
 * worker has let go of the item.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "internal.h"
#include "uq.h"

static DEFINE_MUTEX(pcwq_uq_mutex);
static LIST_HEAD(pcwq_uqs);		/* pcwq_uq_mutex */

struct pcwq_uq {
	struct pcwq *wq;
	struct list_head node;
	struct list_head batches;
};

struct load_item {
	struct pcwq_delayable_work dw;
	const struct load_batch *batch;
};

struct load_batch {
	struct list_head node;
	unsigned int count;
	unsigned int spin_us;
	unsigned int sleep_ms;
	struct load_item items[];
};

static void load_fn(struct pcwq_work *work)
{
	struct load_item *item = container_of(pcwq_delayable_from_work(work),
					      struct load_item, dw);
	u64 busy = 0, want = item->batch->spin_us * NSEC_PER_USEC;
	u64 prev = ktime_get_ns(), now, next_yield = NSEC_PER_MSEC;

	/*
	 * Busy for spin_us of the time the item runs: a gap of more than
	 * PCWQ_UQ_GAP_NS between two readings of the clock is time the CPU
	 * spent elsewhere (preempted, or the vCPU descheduled) and does not
	 * count.  So CPU-bound items take longer on a contended CPU, as real
	 * ones do, and udelay()'s calibration, off by several times under
	 * emulation, plays no part.  Yield every millisecond of busy time.
	 */
	while (busy < want) {
		cpu_relax();
		now = ktime_get_ns();
		if (now - prev <= PCWQ_UQ_GAP_NS)
			busy += now - prev;
		prev = now;
		if (busy >= next_yield) {
			cond_resched();
			prev = ktime_get_ns();
			next_yield = busy + NSEC_PER_MSEC;
		}
	}
	if (item->batch->sleep_ms)
		msleep(item->batch->sleep_ms);
}

static unsigned int pcwq_uq_count;	/* pcwq_uq_mutex */

static struct pcwq_uq *find_locked(const char *name)
{
	struct pcwq_uq *uq;

	lockdep_assert_held(&pcwq_uq_mutex);
	list_for_each_entry(uq, &pcwq_uqs, node)
		if (!strcmp(pcwq_name(uq->wq), name))
			return uq;
	return NULL;
}

static bool batch_idle(struct load_batch *b)
{
	unsigned int i;

	for (i = 0; i < b->count; i++)
		if (pcwq_delayable_busy(&b->items[i].dw))
			return false;
	return true;
}

/* Free the batches whose items are all idle (all of them if @all). */
static void free_batches(struct pcwq_uq *uq, bool all)
{
	struct load_batch *b, *tmp;

	list_for_each_entry_safe(b, tmp, &uq->batches, node) {
		if (!all && !batch_idle(b))
			continue;
		list_del(&b->node);
		kvfree(b);
	}
}

/* Return: 0, -ENOSPC past PCWQ_UQ_MAX_QUEUES, or pcwq_create_user()'s. */
int pcwq_uq_add(const struct pcwq_attrs *attrs)
{
	struct pcwq_uq *uq;
	struct pcwq *wq;
	int err = 0;

	uq = kzalloc(sizeof(*uq), GFP_KERNEL);
	if (!uq)
		return -ENOMEM;
	INIT_LIST_HEAD(&uq->batches);
	mutex_lock(&pcwq_uq_mutex);
	if (pcwq_uq_count >= PCWQ_UQ_MAX_QUEUES) {
		err = -ENOSPC;
		goto out;
	}
	wq = pcwq_create_user(attrs);
	if (IS_ERR(wq)) {
		err = PTR_ERR(wq);
		goto out;
	}
	uq->wq = wq;
	list_add_tail(&uq->node, &pcwq_uqs);
	pcwq_uq_count++;
out:
	mutex_unlock(&pcwq_uq_mutex);
	if (err)
		kfree(uq);
	return err;
}

static void uq_free(struct pcwq_uq *uq)
{
	pcwq_destroy(uq->wq);
	free_batches(uq, true);
	kfree(uq);
}

int pcwq_uq_del(const char *name)
{
	struct pcwq_uq *uq;

	mutex_lock(&pcwq_uq_mutex);
	uq = find_locked(name);
	if (uq) {
		list_del(&uq->node);
		pcwq_uq_count--;
		uq_free(uq);
	}
	mutex_unlock(&pcwq_uq_mutex);
	return uq ? 0 : -ENOENT;
}

/*
 * Next online CPU of @wq's mask after @cpu, wrapping around; nr_cpu_ids or
 * more if none is online (pcwq_schedule_on() then refuses the item).
 */
static int next_online(struct pcwq *wq, int cpu)
{
	if (cpu < (int)nr_cpu_ids)
		cpu = cpumask_next_and(cpu, wq->cpus, cpu_online_mask);
	return cpu < nr_cpu_ids ? cpu :
	       cpumask_first_and(wq->cpus, cpu_online_mask);
}

/* Load items of every user queue that may not have run yet. */
static unsigned int outstanding_locked(void)
{
	unsigned int items = 0;
	struct load_batch *b;
	struct pcwq_uq *uq;

	lockdep_assert_held(&pcwq_uq_mutex);
	list_for_each_entry(uq, &pcwq_uqs, node) {
		free_batches(uq, false);
		list_for_each_entry(b, &uq->batches, node)
			items += b->count;
	}
	return items;
}

/*
 * Return: 0 with the counts set, -ENOENT, -ENOMEM, -EXDEV when load->cpu is
 * not in the queue's CPU mask, or -EBUSY when the items would take the load
 * outstanding past PCWQ_UQ_MAX_ITEMS.  Without load->cpu the items go round
 * robin over the online CPUs of the queue's mask.
 */
int pcwq_uq_load(const char *name, const struct pcwq_load *load,
		 unsigned int *accepted, unsigned int *refused)
{
	unsigned long delay = msecs_to_jiffies(load->delay_ms);
	struct load_batch *b;
	struct pcwq_uq *uq;
	unsigned int i;
	int cpu = -1;

	*accepted = 0;
	*refused = 0;
	mutex_lock(&pcwq_uq_mutex);
	uq = find_locked(name);
	if (!uq) {
		mutex_unlock(&pcwq_uq_mutex);
		return -ENOENT;
	}
	if (load->cpu >= 0 && !cpumask_test_cpu(load->cpu, uq->wq->cpus)) {
		mutex_unlock(&pcwq_uq_mutex);
		return -EXDEV;
	}
	if (outstanding_locked() + load->count > PCWQ_UQ_MAX_ITEMS) {
		mutex_unlock(&pcwq_uq_mutex);
		return -EBUSY;
	}
	/*
	 * The size is the user's: a failure is their -ENOMEM, not a kernel
	 * warning with a stack trace (vmalloc's, when kvzalloc falls back).
	 */
	b = kvzalloc(struct_size(b, items, load->count),
		     GFP_KERNEL | __GFP_NOWARN);
	if (!b) {
		mutex_unlock(&pcwq_uq_mutex);
		return -ENOMEM;
	}
	b->count = load->count;
	b->spin_us = load->spin_us;
	b->sleep_ms = load->sleep_ms;
	list_add_tail(&b->node, &uq->batches);
	for (i = 0; i < b->count; i++) {
		struct load_item *item = &b->items[i];
		int ret;

		pcwq_init_delayable(&item->dw, load_fn);
		item->batch = b;
		cpu = load->cpu >= 0 ? load->cpu : next_online(uq->wq, cpu);
		ret = pcwq_schedule_on(uq->wq, cpu, &item->dw, delay);
		if (ret > 0)
			(*accepted)++;
		else
			(*refused)++;
	}
	mutex_unlock(&pcwq_uq_mutex);
	return 0;
}

/* Wait for every load item sent to the queue before the call. */
int pcwq_uq_flush(const char *name)
{
	struct load_batch *b;
	struct pcwq_uq *uq;
	unsigned int i;

	mutex_lock(&pcwq_uq_mutex);
	uq = find_locked(name);
	if (uq) {
		list_for_each_entry(b, &uq->batches, node)
			for (i = 0; i < b->count; i++)
				pcwq_flush(&b->items[i].dw.work);
	}
	mutex_unlock(&pcwq_uq_mutex);
	return uq ? 0 : -ENOENT;
}

int pcwq_uq_drain(const char *name, bool plug)
{
	struct pcwq_uq *uq;
	int ret = -ENOENT;

	mutex_lock(&pcwq_uq_mutex);
	uq = find_locked(name);
	if (uq)
		ret = pcwq_drain(uq->wq, plug);
	mutex_unlock(&pcwq_uq_mutex);
	return ret;
}

/*
 * Change the limits of @mask to those of @set, keeping the others: -EINVAL
 * (nothing changed) if the result has a burst without a rate.
 */
int pcwq_uq_set_limits(const char *name, const struct pcwq_limits *set,
		       unsigned int mask)
{
	struct pcwq_limits l;
	struct pcwq_uq *uq;
	int ret = -ENOENT;

	mutex_lock(&pcwq_uq_mutex);
	uq = find_locked(name);
	if (uq) {
		pcwq_get_limits(uq->wq, &l);
		if (mask & PCWQ_UQ_SET_CAPACITY)
			l.capacity = set->capacity;
		if (mask & PCWQ_UQ_SET_RATE)
			l.rate = set->rate;
		if (mask & PCWQ_UQ_SET_BURST)
			l.burst = set->burst;
		if (mask & PCWQ_UQ_SET_MAX_WAIT)
			l.max_wait_ms = set->max_wait_ms;
		if (mask & PCWQ_UQ_SET_WORK_TIMEOUT)
			l.work_timeout_ms = set->work_timeout_ms;
		ret = pcwq_set_limits(uq->wq, &l);
	}
	mutex_unlock(&pcwq_uq_mutex);
	return ret;
}

int pcwq_uq_unplug(const char *name)
{
	struct pcwq_uq *uq;
	int ret = -ENOENT;

	mutex_lock(&pcwq_uq_mutex);
	uq = find_locked(name);
	if (uq)
		ret = pcwq_unplug(uq->wq);
	mutex_unlock(&pcwq_uq_mutex);
	return ret;
}

/* Module unload: delete every user queue, running what they hold. */
void pcwq_uq_exit(void)
{
	struct pcwq_uq *uq, *tmp;

	mutex_lock(&pcwq_uq_mutex);
	list_for_each_entry_safe(uq, tmp, &pcwq_uqs, node) {
		list_del(&uq->node);
		uq_free(uq);
	}
	pcwq_uq_count = 0;
	mutex_unlock(&pcwq_uq_mutex);
}
