// SPDX-License-Identifier: GPL-2.0
/*
 * A client of pcwq as a driver would write it: its own queue, a delayable
 * item that polls every `period_ms` and rearms itself, and a burst of plain
 * items spread over the CPUs at load time, once on its queue and once on
 * the shared pcwq_system queue.  On unload it cancels the poller (waiting
 * for a running handler) and the items, and destroys its queue.
 *
 * /sys/module/pcwq_example/parameters/polls, .../burst_done and
 * .../system_done show that it works.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <pcwq.h>

static unsigned int period_ms = 50;
module_param(period_ms, uint, 0444);
MODULE_PARM_DESC(period_ms, "Polling period");

static int polls;
module_param(polls, int, 0444);
MODULE_PARM_DESC(polls, "Polls run so far");

static int burst_done;
module_param(burst_done, int, 0444);
MODULE_PARM_DESC(burst_done, "Burst items run so far");

static int system_done;
module_param(system_done, int, 0444);
MODULE_PARM_DESC(system_done, "Burst items run on pcwq_system so far");

#define BURST 64

static struct pcwq *wq;
static struct pcwq_delayable_work poller;
static struct pcwq_work *burst;

static void poll_fn(struct pcwq_work *work)
{
	WRITE_ONCE(polls, polls + 1);
	/* Rearm: the item is running, so this queues it again later. */
	pcwq_schedule(wq, pcwq_delayable_from_work(work),
		      msecs_to_jiffies(period_ms));
}

static void burst_fn(struct pcwq_work *work)
{
	static atomic_t done;

	WRITE_ONCE(burst_done, atomic_inc_return(&done));
}

static void system_fn(struct pcwq_work *work)
{
	static atomic_t done;

	WRITE_ONCE(system_done, atomic_inc_return(&done));
}

static int __init pcwq_example_init(void)
{
	struct pcwq_attrs attrs = { .name = "example", .max_active = 8 };
	int i, cpu = -1;

	/* BURST items for our queue, then BURST for pcwq_system. */
	burst = kcalloc(2 * BURST, sizeof(*burst), GFP_KERNEL);
	if (!burst)
		return -ENOMEM;
	wq = pcwq_create(&attrs);
	if (IS_ERR(wq)) {
		kfree(burst);
		return PTR_ERR(wq);
	}
	pcwq_init_delayable(&poller, poll_fn);
	pcwq_schedule(wq, &poller, msecs_to_jiffies(period_ms));
	for (i = 0; i < BURST; i++) {
		cpu = cpumask_next(cpu, cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(cpu_online_mask);
		pcwq_init_work(&burst[i], burst_fn);
		pcwq_submit_on(wq, cpu, &burst[i]);
		pcwq_init_work(&burst[BURST + i], system_fn);
		pcwq_submit_on(pcwq_system, cpu, &burst[BURST + i]);
	}
	pr_info("polling every %u ms on queue %s\n", period_ms, pcwq_name(wq));
	return 0;
}

static void __exit pcwq_example_exit(void)
{
	int i;

	pcwq_cancel_delayable_sync(&poller);
	for (i = 0; i < 2 * BURST; i++)
		pcwq_cancel_sync(&burst[i]);
	pcwq_destroy(wq);
	kfree(burst);
	pr_info("stopped after %d polls\n", polls);
}

module_init(pcwq_example_init);
module_exit(pcwq_example_exit);

MODULE_DESCRIPTION("Example client of the pcwq API");
MODULE_LICENSE("GPL");
