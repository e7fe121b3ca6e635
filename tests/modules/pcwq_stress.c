// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq stress: one thread per online CPU does random submit, schedule,
 * reschedule, cancel, cancel_sync, flush and flush_delayable calls on a
 * shared set of items for `seconds`, while the test script takes CPUs
 * offline and back.  Then everything is let run out and checked:
 *
 *   - no item ever ran on two workers at once;
 *   - conservation: every queued instance either ran or was cancelled,
 *     exactly once (submitted == completed + cancelled, and completed is
 *     the number of handler runs counted by the items themselves);
 *   - everything ends idle: no item busy, the queue empty.
 *
 * Results are KTAP lines in the kernel log, prefixed "pcwq_stress: ", and
 * a final "pcwq_stress: done".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>

#include <pcwq.h>

static unsigned int seconds = 10;
module_param(seconds, uint, 0444);
MODULE_PARM_DESC(seconds, "How long the threads hammer the items");

static unsigned int nr_items = 64;
module_param(nr_items, uint, 0444);
MODULE_PARM_DESC(nr_items, "Number of shared items");

static bool reclaim;
module_param(reclaim, bool, 0444);
MODULE_PARM_DESC(reclaim, "Give the queue a rescuer (PCWQ_MEM_RECLAIM)");

static bool steal;
module_param(steal, bool, 0444);
MODULE_PARM_DESC(steal, "Let idle CPUs steal the queue's items (PCWQ_STEAL)");

static unsigned int block_ms;
module_param(block_ms, uint, 0444);
MODULE_PARM_DESC(block_ms, "One run in 64 sleeps this long (0: none)");

struct sitem {
	struct pcwq_delayable_work dw;
	atomic_t running;
	atomic_t runs;
};

static struct pcwq *wq;
static struct sitem *items;
static atomic_t overlaps, ops;
static struct task_struct *controller;

static void sitem_fn(struct pcwq_work *work)
{
	struct sitem *it = container_of(pcwq_delayable_from_work(work),
					struct sitem, dw);
	u32 r = get_random_u32();

	if (atomic_inc_return(&it->running) != 1)
		atomic_inc(&overlaps);
	if (block_ms && r % 64 == 2)
		msleep(block_ms);
	else if (r % 16 == 0)
		usleep_range(500, 1000);
	else
		udelay(r % 50);
	atomic_dec(&it->running);
	atomic_inc(&it->runs);
	if (r % 8 == 1)
		pcwq_submit(wq, work);
}

static int hammer(void *arg)
{
	unsigned long end = jiffies + seconds * HZ;

	while (!kthread_should_stop() && time_before(jiffies, end)) {
		u32 r = get_random_u32();
		struct sitem *it = &items[r % nr_items];
		int cpu = (r >> 8) % nr_cpu_ids;
		unsigned long delay = (r >> 16) % 4;

		switch ((r >> 20) % 10) {
		case 0:
		case 1:
		case 2:
			pcwq_submit_on(wq, cpu, &it->dw.work);
			break;
		case 3:
			pcwq_schedule_on(wq, cpu, &it->dw, delay);
			break;
		case 4:
			pcwq_reschedule_on(wq, cpu, &it->dw, delay);
			break;
		case 5:
			pcwq_cancel(&it->dw.work);
			break;
		case 6:
			pcwq_cancel_delayable(&it->dw);
			break;
		case 7:
			pcwq_flush(&it->dw.work);
			break;
		case 8:
			pcwq_cancel_delayable_sync(&it->dw);
			break;
		default:
			pcwq_flush_delayable(&it->dw);
			break;
		}
		atomic_inc(&ops);
		cond_resched();
	}
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static void report(int nr, bool ok, const char *name)
{
	pr_info("%sok %d %s\n", ok ? "" : "not ", nr, name);
}

/* Let every item run out: delayed ones are run now, resubmissions end. */
static bool settle(void)
{
	int round, i;

	for (round = 0; round < 100; round++) {
		bool busy = false;

		for (i = 0; i < nr_items; i++)
			pcwq_flush_delayable(&items[i].dw);
		pcwq_drain(wq, false);
		for (i = 0; i < nr_items; i++)
			busy |= pcwq_delayable_busy(&items[i].dw) != 0;
		if (!busy)
			return true;
	}
	return false;
}

static int control(void *arg)
{
	struct task_struct **threads;
	struct pcwq_stats st;
	int cpu, n = 0, i;
	u64 runs = 0;
	bool idle;

	threads = kcalloc(nr_cpu_ids, sizeof(*threads), GFP_KERNEL);
	if (!threads)
		goto out;
	for_each_online_cpu(cpu) {
		threads[n] = kthread_run(hammer, NULL, "pcwq_stress/%d", cpu);
		if (IS_ERR(threads[n]))
			break;
		n++;
	}
	msleep(seconds * 1000 + 100);
	for (i = 0; i < n; i++)
		kthread_stop(threads[i]);
	kfree(threads);

	idle = settle();
	for (i = 0; i < nr_items; i++)
		runs += atomic_read(&items[i].runs);
	pcwq_get_stats(wq, &st);

	pr_info("KTAP version 1\n");
	pr_info("1..5\n");
	pr_info("# %d threads, %d operations, %llu runs, %llu submitted, %llu cancelled, %llu rejected, %llu unscheduled, %llu stolen, %llu rescued\n",
		n, atomic_read(&ops), runs, st.submitted, st.cancelled,
		st.rejected, st.unscheduled, st.stolen, st.rescued);
	report(1, n > 0 && atomic_read(&ops) > 0, "threads_ran");
	report(2, !atomic_read(&overlaps), "never_two_runs_at_once");
	report(3, idle && pcwq_drain(wq, false) == 0, "everything_ends_idle");
	report(4, st.completed == runs, "completed_equals_handler_runs");
	report(5, st.submitted == st.completed + st.cancelled,
	       "submitted_equals_completed_plus_cancelled");
out:
	pr_info("done\n");
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static int __init pcwq_stress_init(void)
{
	struct pcwq_attrs attrs = { .name = "stress", .max_active = 4 };
	int i;

	if (reclaim)
		attrs.flags |= PCWQ_MEM_RECLAIM;
	if (steal)
		attrs.flags |= PCWQ_STEAL;
	if (!nr_items)
		return -EINVAL;
	items = kcalloc(nr_items, sizeof(*items), GFP_KERNEL);
	if (!items)
		return -ENOMEM;
	for (i = 0; i < nr_items; i++)
		pcwq_init_delayable(&items[i].dw, sitem_fn);
	wq = pcwq_create(&attrs);
	if (IS_ERR(wq)) {
		kfree(items);
		return PTR_ERR(wq);
	}
	controller = kthread_run(control, NULL, "pcwq_stress");
	if (IS_ERR(controller)) {
		pcwq_destroy(wq);
		kfree(items);
		return PTR_ERR(controller);
	}
	return 0;
}

static void __exit pcwq_stress_exit(void)
{
	int i;

	kthread_stop(controller);
	for (i = 0; i < nr_items; i++)
		pcwq_cancel_delayable_sync(&items[i].dw);
	pcwq_destroy(wq);
	kfree(items);
}

module_init(pcwq_stress_init);
module_exit(pcwq_stress_exit);

MODULE_DESCRIPTION("pcwq stress test with conservation checks (KTAP in the kernel log)");
MODULE_LICENSE("GPL");
