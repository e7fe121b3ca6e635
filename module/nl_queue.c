// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink operations on queues: add, delete, list, load, flush, drain,
 * unplug.  Policies are in genl.c with the op table.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <net/genetlink.h>

#include "genl.h"
#include "internal.h"
#include "uq.h"
#include "uapi/pcwq_genl.h"

static u32 nla_u32_or(struct genl_info *info, int attr, u32 dflt)
{
	return info->attrs[attr] ? nla_get_u32(info->attrs[attr]) : dflt;
}

/* The queue name of a request, or NULL with an extack message. */
static const char *queue_name(struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, PCWQ_A_QUEUE_NAME))
		return NULL;
	return nla_data(info->attrs[PCWQ_A_QUEUE_NAME]);
}

/* Explain -ENOENT for a name that is not a user queue. */
static int no_user_queue(struct genl_info *info, const char *name)
{
	struct pcwq *wq;
	bool exists = false;

	if (!strcmp(name, pcwq_name(pcwq_system))) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[PCWQ_A_QUEUE_NAME],
				    "the system queue belongs to pcwq, not to wqctl");
		return -EPERM;
	}
	mutex_lock(&pcwq_queues_mutex);
	list_for_each_entry(wq, &pcwq_queues, node)
		exists |= !strcmp(wq->name, name);
	mutex_unlock(&pcwq_queues_mutex);
	if (exists) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[PCWQ_A_QUEUE_NAME],
				    "queue was not created with wqctl");
		return -EPERM;
	}
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PCWQ_A_QUEUE_NAME],
			    "no such queue");
	return -ENOENT;
}

static int no_rate_for_burst(struct genl_info *info)
{
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PCWQ_A_QUEUE_BURST],
			    "a burst needs a rate limit");
	return -EINVAL;
}

/*
 * The CPU list of a QUEUE_ADD into @mask: 0, or -EINVAL with an extack
 * message for a malformed list, a CPU that is not possible or no CPU.
 */
static int parse_queue_cpus(struct genl_info *info, struct cpumask *mask)
{
	struct nlattr *a = info->attrs[PCWQ_A_QUEUE_CPUS];
	int err = cpulist_parse(nla_data(a), mask);

	/* -ERANGE: a CPU at or beyond nr_cpumask_bits. */
	if (err == -ERANGE ||
	    (!err && !cpumask_subset(mask, cpu_possible_mask))) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "CPU list holds a CPU that is not possible");
		return -EINVAL;
	}
	if (err) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "malformed CPU list: expected CPUs and ranges like 0-3,6");
		return -EINVAL;
	}
	if (cpumask_empty(mask)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a, "CPU list is empty");
		return -EINVAL;
	}
	return 0;
}

int pcwq_nl_queue_add(struct sk_buff *skb, struct genl_info *info)
{
	cpumask_var_t cpus;
	u32 flags = nla_u32_or(info, PCWQ_A_QUEUE_FLAGS, 0);
	struct pcwq_attrs attrs = {
		.name = queue_name(info),
		.max_active = nla_u32_or(info, PCWQ_A_QUEUE_MAX_ACTIVE, 0),
		.limits = {
			.capacity = nla_u32_or(info, PCWQ_A_QUEUE_CAPACITY, 0),
			.rate = nla_u32_or(info, PCWQ_A_QUEUE_RATE, 0),
			.burst = nla_u32_or(info, PCWQ_A_QUEUE_BURST, 0),
			.max_wait_ms = nla_u32_or(info, PCWQ_A_QUEUE_MAX_WAIT_MS,
						  0),
			.work_timeout_ms =
				nla_u32_or(info, PCWQ_A_QUEUE_WORK_TIMEOUT_MS,
					   0),
		},
	};
	int err;

	if (!attrs.name)
		return -EINVAL;
	if (attrs.limits.burst && !attrs.limits.rate)
		return no_rate_for_burst(info);
	if (flags & PCWQ_QUEUE_F_RESCUER)
		attrs.flags |= PCWQ_MEM_RECLAIM;
	if (flags & PCWQ_QUEUE_F_HIGHPRI)
		attrs.flags |= PCWQ_HIGHPRI;
	if (flags & PCWQ_QUEUE_F_STEAL)
		attrs.flags |= PCWQ_STEAL;
	if (flags & PCWQ_QUEUE_F_NO_YIELD)
		attrs.flags |= PCWQ_NO_YIELD;
	if (info->attrs[PCWQ_A_QUEUE_CPUS]) {
		if (!alloc_cpumask_var(&cpus, GFP_KERNEL))
			return -ENOMEM;
		err = parse_queue_cpus(info, cpus);
		if (err) {
			free_cpumask_var(cpus);
			return err;
		}
		attrs.cpus = cpus;
	}
	err = pcwq_uq_add(&attrs);
	if (attrs.cpus)
		free_cpumask_var(cpus);
	if (err == -ENOSPC)
		GENL_SET_ERR_MSG(info, "too many queues created with wqctl");
	if (err == -EEXIST)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PCWQ_A_QUEUE_NAME],
				    "a queue of that name exists");
	return err;
}

static const struct {
	int attr;
	unsigned int mask;
	size_t offset;
} pcwq_limit_attrs[] = {
	{ PCWQ_A_QUEUE_CAPACITY, PCWQ_UQ_SET_CAPACITY,
	  offsetof(struct pcwq_limits, capacity) },
	{ PCWQ_A_QUEUE_RATE, PCWQ_UQ_SET_RATE,
	  offsetof(struct pcwq_limits, rate) },
	{ PCWQ_A_QUEUE_BURST, PCWQ_UQ_SET_BURST,
	  offsetof(struct pcwq_limits, burst) },
	{ PCWQ_A_QUEUE_MAX_WAIT_MS, PCWQ_UQ_SET_MAX_WAIT,
	  offsetof(struct pcwq_limits, max_wait_ms) },
	{ PCWQ_A_QUEUE_WORK_TIMEOUT_MS, PCWQ_UQ_SET_WORK_TIMEOUT,
	  offsetof(struct pcwq_limits, work_timeout_ms) },
};

/* Ranges were checked by the policy; only the combination is left. */
int pcwq_nl_queue_set(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = queue_name(info);
	struct pcwq_limits set = {};
	unsigned int mask = 0;
	int i, err;

	if (!name)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(pcwq_limit_attrs); i++) {
		struct nlattr *a = info->attrs[pcwq_limit_attrs[i].attr];

		if (!a)
			continue;
		mask |= pcwq_limit_attrs[i].mask;
		*(unsigned int *)((char *)&set + pcwq_limit_attrs[i].offset) =
			nla_get_u32(a);
	}
	if (!mask) {
		GENL_SET_ERR_MSG(info, "no limit given to change");
		return -EINVAL;
	}
	err = pcwq_uq_set_limits(name, &set, mask);
	if (err == -ENOENT)
		return no_user_queue(info, name);
	if (err == -EINVAL)
		return no_rate_for_burst(info);
	return err;
}

/* The other ops on one named queue share this shape. */
static int on_queue(struct genl_info *info, int (*op)(const char *name))
{
	const char *name = queue_name(info);
	int err;

	if (!name)
		return -EINVAL;
	err = op(name);
	return err == -ENOENT ? no_user_queue(info, name) : err;
}

int pcwq_nl_queue_del(struct sk_buff *skb, struct genl_info *info)
{
	return on_queue(info, pcwq_uq_del);
}

int pcwq_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	return on_queue(info, pcwq_uq_flush);
}

int pcwq_nl_unplug(struct sk_buff *skb, struct genl_info *info)
{
	int err = on_queue(info, pcwq_uq_unplug);

	if (err == -EALREADY)
		GENL_SET_ERR_MSG(info, "queue is not plugged");
	return err;
}

int pcwq_nl_drain(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = queue_name(info);
	struct sk_buff *msg;
	void *hdr;
	int ret;

	if (!name)
		return -EINVAL;
	msg = pcwq_reply_new(info, &hdr);
	if (!msg)
		return -ENOMEM;
	ret = pcwq_uq_drain(name, nla_get_flag(info->attrs[PCWQ_A_PLUG]));
	if (ret < 0) {
		nlmsg_free(msg);
		return ret == -ENOENT ? no_user_queue(info, name) : ret;
	}
	return pcwq_reply_send(msg, hdr, info,
			       nla_put_u32(msg, PCWQ_A_DRAIN_WAITED, ret));
}

int pcwq_nl_load(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = queue_name(info);
	struct pcwq_load load = {
		.count = nla_u32_or(info, PCWQ_A_LOAD_COUNT, 1),
		.cpu = -1,
		.spin_us = nla_u32_or(info, PCWQ_A_LOAD_SPIN_US, 0),
		.sleep_ms = nla_u32_or(info, PCWQ_A_LOAD_SLEEP_MS, 0),
		.delay_ms = nla_u32_or(info, PCWQ_A_LOAD_DELAY_MS, 0),
	};
	unsigned int accepted, refused;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (!name)
		return -EINVAL;
	if ((u64)load.count * (load.spin_us + load.sleep_ms * 1000ULL) >
	    PCWQ_UQ_MAX_LOAD_US) {
		GENL_SET_ERR_MSG(info,
				 "load would keep workers busy for more than 600 s");
		return -E2BIG;
	}
	if (info->attrs[PCWQ_A_LOAD_CPU]) {
		u32 cpu = nla_get_u32(info->attrs[PCWQ_A_LOAD_CPU]);

		if (cpu >= nr_cpu_ids || !cpu_possible(cpu)) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[PCWQ_A_LOAD_CPU],
					    "no such CPU");
			return -EINVAL;
		}
		if (!cpu_online(cpu)) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[PCWQ_A_LOAD_CPU],
					    "CPU is not online");
			return -EINVAL;
		}
		load.cpu = cpu;
	}
	msg = pcwq_reply_new(info, &hdr);
	if (!msg)
		return -ENOMEM;
	err = pcwq_uq_load(name, &load, &accepted, &refused);
	if (err == -EBUSY)
		GENL_SET_ERR_MSG(info,
				 "too many load items outstanding: flush or wait");
	if (err == -EXDEV) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PCWQ_A_LOAD_CPU],
				    "CPU is not in the queue's CPU list");
		err = -EINVAL;
	}
	if (err) {
		nlmsg_free(msg);
		return err == -ENOENT ? no_user_queue(info, name) : err;
	}
	err = nla_put_u32(msg, PCWQ_A_LOAD_ACCEPTED, accepted) ?:
	      nla_put_u32(msg, PCWQ_A_LOAD_REFUSED, refused);
	return pcwq_reply_send(msg, hdr, info, err);
}
