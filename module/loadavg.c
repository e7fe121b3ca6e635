// SPDX-License-Identifier: GPL-2.0
/*
 * Load averages of pending lengths, as /proc/loadavg has for the run queue.
 *
 * A pool's length is the number of items ready on its worklist (what the
 * stats dump reports as pending), a queue's is pcwq_nr_pending() (items
 * queued or delayed).  One sampler for the module, a delayed work on system_wq,
 * reads them every PCWQ_LOAD_SAMPLE_MS and folds each into four
 * exponentially damped moving averages with the kernel's calc_load():
 *
 *   avg = avg * e + len * (1 - e),  e = exp(-period / window)
 *
 * in fixed point with FSHIFT (11) bits, rounded up while the length is at
 * or above the average and truncated below it, so that an average reaches
 * a constant length exactly and reaches 0 when the length is 0.  For a
 * period of 1 s, e = FIXED_1 * exp(-1 s / window) rounded to the nearest:
 *
 *   window  10 s: 2048 * exp(-1/10)  = 1853.11 -> 1853
 *   window  60 s: 2048 * exp(-1/60)  = 2014.15 -> 2014
 *   window 300 s: 2048 * exp(-1/300) = 2041.18 -> 2041
 *   window 900 s: 2048 * exp(-1/900) = 2045.73 -> 2046
 *
 * 11 bits are few for a 1 s period (loadavg.h says so): the rounded
 * constants make windows of 9.99 s, 59.7 s, 292 s and 1023 s.
 *
 * Nothing is added to the submit and execute paths.  The sampler takes each
 * pool's lock once per period to walk its worklist, pools of offline CPUs
 * included (what was queued there is still there), and pcwq_queues_mutex
 * to read the queues, so it runs in process context.
 *
 * The samples fall on whole seconds, rounded once at start so that they
 * share wakeups with other rounded timers.  When the work runs late by a
 * period or more (a busy system_wq, a paused VM), the periods it missed are
 * folded in with the length it finds, as the kernel does for its idle
 * ticks (calc_load_n()), so that the averages follow time rather than the
 * number of samples taken.
 */
#include <linux/jiffies.h>
#include <linux/sched/loadavg.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

#include "internal.h"

#define PCWQ_LOADAVG_PERIOD	msecs_to_jiffies(PCWQ_LOAD_SAMPLE_MS)

/* Decay per period of each window, see above. */
static const unsigned long pcwq_loadavg_exp[PCWQ_LOADAVG_NR] = {
	[PCWQ_LOADAVG_10] = 1853,
	[PCWQ_LOADAVG_1] = 2014,
	[PCWQ_LOADAVG_5] = 2041,
	[PCWQ_LOADAVG_15] = 2046,
};

static void pcwq_loadavg_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(pcwq_loadavg_work, pcwq_loadavg_fn);
/* jiffies of the next sample: pcwq_loadavg_fn() and _start() only */
static unsigned long pcwq_loadavg_next;

/*
 * x^n in fixed point, rounding each product as kernel/sched/loadavg.c's
 * fixed_power_int() does (static there): the decay over n
 * periods.
 */
static unsigned long load_exp_n(unsigned long x, unsigned long n)
{
	unsigned long result = FIXED_1;

	while (n) {
		if (n & 1)
			result = (result * x + FIXED_1 / 2) >> FSHIFT;
		n >>= 1;
		x = (x * x + FIXED_1 / 2) >> FSHIFT;
	}
	return result;
}

static void load_update(struct pcwq_loadavg *avgs, const unsigned long *exp,
			unsigned int len)
{
	unsigned long active = (unsigned long)len * FIXED_1;
	int i;

	for (i = 0; i < PCWQ_LOADAVG_NR; i++)
		avgs->avg[i] = calc_load(avgs->avg[i], exp[i], active);
}

static void pcwq_loadavg_fn(struct work_struct *work)
{
	unsigned long exp[PCWQ_LOADAVG_NR], periods, now = jiffies;
	struct pcwq *wq;
	int cpu, prio, i;

	/* Never early: queued for pcwq_loadavg_next or, if it passed, at once. */
	periods = 1 + (now - pcwq_loadavg_next) / PCWQ_LOADAVG_PERIOD;
	pcwq_loadavg_next += periods * PCWQ_LOADAVG_PERIOD;
	for (i = 0; i < PCWQ_LOADAVG_NR; i++)
		exp[i] = load_exp_n(pcwq_loadavg_exp[i], periods);

	for_each_possible_cpu(cpu) {
		for (prio = 0; prio < PCWQ_NR_PRIO; prio++) {
			struct pcwq_pool *pool = pcwq_pool_get(cpu, prio);

			raw_spin_lock_irq(&pool->lock);
			load_update(&pool->loadavg, exp, pcwq_pool_pending(pool));
			raw_spin_unlock_irq(&pool->lock);
		}
	}

	mutex_lock(&pcwq_queues_mutex);
	list_for_each_entry(wq, &pcwq_queues, node)
		load_update(&wq->loadavg, exp, pcwq_nr_pending(wq));
	mutex_unlock(&pcwq_queues_mutex);

	now = jiffies;
	schedule_delayed_work(&pcwq_loadavg_work,
			      time_after(pcwq_loadavg_next, now) ?
			      pcwq_loadavg_next - now : 0);
}

/* Start sampling, once the pools exist. */
void pcwq_loadavg_start(void)
{
	pcwq_loadavg_next = round_jiffies_up(jiffies + PCWQ_LOADAVG_PERIOD);
	schedule_delayed_work(&pcwq_loadavg_work, pcwq_loadavg_next - jiffies);
}

/*
 * Stop sampling, before the pools go.  The work re-arms itself;
 * cancel_delayed_work_sync() copes with that and returns with it neither
 * pending nor running.
 */
void pcwq_loadavg_stop(void)
{
	cancel_delayed_work_sync(&pcwq_loadavg_work);
}
