// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink statistics: the dump of pools and queues with their counters
 * and load averages, and the reset.  Counters are read under the pool
 * locks, so every snapshot of one pool or one queue's CPU is consistent.
 * The reset leaves the load averages alone: they forget by themselves.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/sched/loadavg.h>
#include <net/genetlink.h>

#include "compat.h"
#include "genl.h"
#include "internal.h"
#include "uapi/pcwq_genl.h"

static int put_counters(struct sk_buff *msg, int attr,
			const struct pcwq_stats *c)
{
	struct nlattr *nest = nla_nest_start(msg, attr);

	if (!nest ||
	    nla_put_u64_64bit(msg, PCWQ_COUNTER_A_SUBMITTED, c->submitted,
			      PCWQ_COUNTER_A_PAD) ||
	    nla_put_u64_64bit(msg, PCWQ_COUNTER_A_COMPLETED, c->completed,
			      PCWQ_COUNTER_A_PAD) ||
	    nla_put_u64_64bit(msg, PCWQ_COUNTER_A_CANCELLED, c->cancelled,
			      PCWQ_COUNTER_A_PAD) ||
	    nla_put_u64_64bit(msg, PCWQ_COUNTER_A_REJECTED, c->rejected,
			      PCWQ_COUNTER_A_PAD) ||
	    nla_put_u64_64bit(msg, PCWQ_COUNTER_A_UNSCHEDULED, c->unscheduled,
			      PCWQ_COUNTER_A_PAD) ||
	    nla_put_u64_64bit(msg, PCWQ_COUNTER_A_MAYDAY, c->mayday,
			      PCWQ_COUNTER_A_PAD) ||
	    nla_put_u64_64bit(msg, PCWQ_COUNTER_A_RESCUED, c->rescued,
			      PCWQ_COUNTER_A_PAD) ||
	    nla_put_u64_64bit(msg, PCWQ_COUNTER_A_STALLS, c->stalls,
			      PCWQ_COUNTER_A_PAD) ||
	    nla_put_u64_64bit(msg, PCWQ_COUNTER_A_THROTTLED, c->throttled,
			      PCWQ_COUNTER_A_PAD) ||
	    nla_put_u64_64bit(msg, PCWQ_COUNTER_A_STOLEN, c->stolen,
			      PCWQ_COUNTER_A_PAD) ||
	    nla_put_u64_64bit(msg, PCWQ_COUNTER_A_AGED, c->aged,
			      PCWQ_COUNTER_A_PAD) ||
	    nla_put_u64_64bit(msg, PCWQ_COUNTER_A_OVERRUNS, c->overruns,
			      PCWQ_COUNTER_A_PAD)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int put_hist(struct sk_buff *msg, int attr, const struct pcwq_hist *h)
{
	struct nlattr *nest = nla_nest_start(msg, attr);

	if (!nest ||
	    nla_put(msg, PCWQ_HIST_A_BUCKETS, sizeof(h->buckets), h->buckets) ||
	    nla_put_u64_64bit(msg, PCWQ_HIST_A_SUM_NS, h->sum_ns,
			      PCWQ_HIST_A_PAD) ||
	    nla_put_u64_64bit(msg, PCWQ_HIST_A_MAX_NS, h->max_ns,
			      PCWQ_HIST_A_PAD)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* A load average in units of 1/PCWQ_LOAD_SCALE item, rounded. */
static u32 load_scaled(unsigned long avg)
{
	u64 scaled = ((u64)avg * PCWQ_LOAD_SCALE + FIXED_1 / 2) >> FSHIFT;

	/* Saturate rather than wrap: 4 million items or more. */
	return min_t(u64, scaled, U32_MAX);
}

static int put_load(struct sk_buff *msg, int attr,
		    const struct pcwq_loadavg *l)
{
	struct nlattr *nest = nla_nest_start(msg, attr);

	if (!nest ||
	    nla_put_u32(msg, PCWQ_LOAD_A_AVG10,
			load_scaled(l->avg[PCWQ_LOADAVG_10])) ||
	    nla_put_u32(msg, PCWQ_LOAD_A_AVG1,
			load_scaled(l->avg[PCWQ_LOADAVG_1])) ||
	    nla_put_u32(msg, PCWQ_LOAD_A_AVG5,
			load_scaled(l->avg[PCWQ_LOADAVG_5])) ||
	    nla_put_u32(msg, PCWQ_LOAD_A_AVG15,
			load_scaled(l->avg[PCWQ_LOADAVG_15]))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int put_pool(struct sk_buff *msg, struct pcwq_pool *pool)
{
	struct pcwq_latency lat;
	struct pcwq_stats stats;
	struct pcwq_loadavg loadavg;
	unsigned int pending;
	struct nlattr *nest;
	int workers, idle;
	bool online;

	raw_spin_lock_irq(&pool->lock);
	pending = pcwq_pool_pending(pool);
	workers = pool->nr_workers;
	idle = pool->nr_idle;
	online = !(pool->flags & POOL_DISASSOCIATED);
	stats = pool->stats;
	lat = pool->lat;
	loadavg = pool->loadavg;
	raw_spin_unlock_irq(&pool->lock);

	nest = nla_nest_start(msg, PCWQ_A_POOL);
	if (!nest ||
	    nla_put_u32(msg, PCWQ_POOL_A_CPU, pool->cpu) ||
	    nla_put_u32(msg, PCWQ_POOL_A_HIGHPRI, pool->prio) ||
	    nla_put_u32(msg, PCWQ_POOL_A_ONLINE, online) ||
	    nla_put_u32(msg, PCWQ_POOL_A_WORKERS, workers) ||
	    nla_put_u32(msg, PCWQ_POOL_A_IDLE, idle) ||
	    nla_put_u32(msg, PCWQ_POOL_A_PENDING, pending) ||
	    put_counters(msg, PCWQ_POOL_A_COUNTERS, &stats) ||
	    put_hist(msg, PCWQ_POOL_A_WAIT, &lat.wait) ||
	    put_hist(msg, PCWQ_POOL_A_RUN, &lat.run) ||
	    put_load(msg, PCWQ_POOL_A_LOAD, &loadavg)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * One CPU of a queue; adds its counters to @sum and its histograms to
 * @sum_lat (only the queue's totals carry histograms, to keep the message
 * of a queue small on machines with many CPUs).
 */
static int put_queue_cpu(struct sk_buff *msg, struct pcwq_pwq *pwq, int cpu,
			 struct pcwq_stats *sum, struct pcwq_latency *sum_lat)
{
	struct pcwq_stats stats;
	unsigned int inactive = 0;
	struct list_head *pos;
	struct nlattr *nest;
	int active;

	raw_spin_lock_irq(&pwq->pool->lock);
	list_for_each(pos, &pwq->inactive)
		inactive++;
	active = pwq->nr_active;
	stats = pwq->stats;
	pcwq_latency_add(sum_lat, &pwq->lat);
	raw_spin_unlock_irq(&pwq->pool->lock);
	pcwq_stats_add(sum, &stats);

	nest = nla_nest_start(msg, PCWQ_QUEUE_A_CPU);
	if (!nest ||
	    nla_put_u32(msg, PCWQ_QCPU_A_CPU, cpu) ||
	    nla_put_u32(msg, PCWQ_QCPU_A_ACTIVE, active) ||
	    nla_put_u32(msg, PCWQ_QCPU_A_INACTIVE, inactive) ||
	    put_counters(msg, PCWQ_QCPU_A_COUNTERS, &stats)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * The sums of put_queue(): too big for its stack frame (KASAN's redzones
 * take it past 1 KiB).  pcwq_queues_mutex, which put_queue() holds.
 */
static struct {
	struct pcwq_latency lat;
	struct pcwq_stats stats;
} queue_sum;

/* One queue; per-CPU entries for online CPUs (or only @only_cpu). */
static int put_queue(struct sk_buff *msg, struct pcwq *wq, int only_cpu)
{
	struct pcwq_latency *sum_lat = &queue_sum.lat;
	struct pcwq_stats *sum = &queue_sum.stats;
	struct pcwq_limits limits;
	struct nlattr *nest;
	u32 flags = 0;
	int cpu;

	/* Keeps @wq, and its load averages still. */
	lockdep_assert_held(&pcwq_queues_mutex);
	memset(&queue_sum, 0, sizeof(queue_sum));
	pcwq_get_limits(wq, &limits);

	if (wq->flags & PCWQ_MEM_RECLAIM)
		flags |= PCWQ_QUEUE_F_RESCUER;
	if (wq->flags & PCWQ_HIGHPRI)
		flags |= PCWQ_QUEUE_F_HIGHPRI;
	if (wq->flags & PCWQ_STEAL)
		flags |= PCWQ_QUEUE_F_STEAL;
	if (wq->flags & PCWQ_NO_YIELD)
		flags |= PCWQ_QUEUE_F_NO_YIELD;
	if (wq->user)
		flags |= PCWQ_QUEUE_F_USER;
	if (wq == pcwq_system)
		flags |= PCWQ_QUEUE_F_SYSTEM;

	nest = nla_nest_start(msg, PCWQ_A_QUEUE);
	if (!nest ||
	    nla_put_string(msg, PCWQ_QUEUE_A_NAME, wq->name) ||
	    nla_put_u32(msg, PCWQ_QUEUE_A_FLAGS, flags) ||
	    nla_put_u32(msg, PCWQ_QUEUE_A_MAX_ACTIVE, wq->max_active) ||
	    nla_put_u32(msg, PCWQ_QUEUE_A_CAPACITY, limits.capacity) ||
	    nla_put_u32(msg, PCWQ_QUEUE_A_RATE, limits.rate) ||
	    nla_put_u32(msg, PCWQ_QUEUE_A_BURST, limits.burst) ||
	    nla_put_u32(msg, PCWQ_QUEUE_A_MAX_WAIT_MS, limits.max_wait_ms) ||
	    nla_put_u32(msg, PCWQ_QUEUE_A_WORK_TIMEOUT_MS,
			limits.work_timeout_ms) ||
	    nla_put_u32(msg, PCWQ_QUEUE_A_PENDING,
			pcwq_nr_pending(wq)) ||
	    nla_put_u32(msg, PCWQ_QUEUE_A_INFLIGHT,
			pcwq_nr_inflight(wq)) ||
	    nla_put_string(msg, PCWQ_QUEUE_A_CPUS, wq->cpus_text))
		goto cancel;
	for_each_online_cpu(cpu) {
		if (only_cpu >= 0 && cpu != only_cpu)
			continue;
		if (put_queue_cpu(msg, per_cpu_ptr(wq->pwqs, cpu), cpu, sum,
				  sum_lat))
			goto cancel;
	}
	if (put_counters(msg, PCWQ_QUEUE_A_COUNTERS, sum) ||
	    put_hist(msg, PCWQ_QUEUE_A_WAIT, &sum_lat->wait) ||
	    put_hist(msg, PCWQ_QUEUE_A_RUN, &sum_lat->run) ||
	    put_load(msg, PCWQ_QUEUE_A_LOAD, &wq->loadavg))
		goto cancel;
	nla_nest_end(msg, nest);
	return 0;
cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

/*
 * Dump state: cb->args[0] is the next pool (cpu * 2 + prio), past the last
 * pool it counts queues.  Returns skb->len when the message is full and
 * something was written, as 6.1's dump core expects.  A queue added or
 * removed between two parts of a dump shifts the positions: the messages
 * after it are flagged NLM_F_DUMP_INTR, and wqctl dumps again.
 */
static int dump(struct sk_buff *skb, struct netlink_callback *cb, bool pools)
{
	struct nlattr **attrs = pcwq_dump_attrs(cb);
	long nr_pools = (long)nr_cpu_ids * PCWQ_NR_PRIO;
	int only_cpu = -1, err = 0;
	long idx = cb->args[0];
	struct pcwq *wq;
	void *hdr;

	if (attrs && attrs[PCWQ_A_STATS_CPU]) {
		u32 cpu = nla_get_u32(attrs[PCWQ_A_STATS_CPU]);

		if (cpu >= nr_cpu_ids || !cpu_possible(cpu)) {
			NL_SET_ERR_MSG_ATTR(cb->extack, attrs[PCWQ_A_STATS_CPU],
					    "no such CPU");
			return -EINVAL;
		}
		only_cpu = cpu;
	}
	if (!pools && idx < nr_pools)
		idx = nr_pools;
	cb->seq = READ_ONCE(pcwq_queues_gen);

	for (; idx < nr_pools && !err; idx++) {
		int cpu = idx / PCWQ_NR_PRIO;

		if (!cpu_possible(cpu) || (only_cpu >= 0 && cpu != only_cpu))
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &pcwq_genl_family,
				  NLM_F_MULTI, PCWQ_CMD_STATS_GET);
		if (hdr)
			genl_dump_check_consistent(cb, hdr);
		err = hdr ? put_pool(skb, pcwq_pool_get(cpu,
							idx % PCWQ_NR_PRIO)) :
			    -EMSGSIZE;
		if (err) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}

	if (!err) {
		long i = nr_pools;

		mutex_lock(&pcwq_queues_mutex);
		cb->seq = pcwq_queues_gen;
		list_for_each_entry(wq, &pcwq_queues, node) {
			if (i++ < idx)
				continue;
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, &pcwq_genl_family,
					  NLM_F_MULTI, pools ? PCWQ_CMD_STATS_GET :
							       PCWQ_CMD_QUEUE_GET);
			if (hdr)
				genl_dump_check_consistent(cb, hdr);
			err = hdr ? put_queue(skb, wq, only_cpu) : -EMSGSIZE;
			if (err) {
				if (hdr)
					genlmsg_cancel(skb, hdr);
				break;
			}
			genlmsg_end(skb, hdr);
			idx++;
		}
		mutex_unlock(&pcwq_queues_mutex);
	}
	cb->args[0] = idx;
	if (err && !skb->len)
		return err;
	return skb->len;
}

int pcwq_nl_stats_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return dump(skb, cb, true);
}

int pcwq_nl_queue_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return dump(skb, cb, false);
}

int pcwq_nl_stats_reset(struct sk_buff *skb, struct genl_info *info)
{
	struct pcwq *wq;
	int cpu, prio;

	mutex_lock(&pcwq_queues_mutex);
	for_each_possible_cpu(cpu) {
		for (prio = 0; prio < PCWQ_NR_PRIO; prio++) {
			struct pcwq_pool *pool = pcwq_pool_get(cpu, prio);

			raw_spin_lock_irq(&pool->lock);
			memset(&pool->stats, 0, sizeof(pool->stats));
			memset(&pool->lat, 0, sizeof(pool->lat));
			list_for_each_entry(wq, &pcwq_queues, node) {
				struct pcwq_pwq *pwq = per_cpu_ptr(wq->pwqs, cpu);

				if (pwq->pool != pool)
					continue;
				memset(&pwq->stats, 0, sizeof(pwq->stats));
				memset(&pwq->lat, 0, sizeof(pwq->lat));
			}
			raw_spin_unlock_irq(&pool->lock);
		}
	}
	mutex_unlock(&pcwq_queues_mutex);
	return 0;
}
