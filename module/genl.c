// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq generic netlink family "pcwq".
 *
 * Every op has its own strict policy (resv_start_op is 0, so the core
 * rejects unknown attributes and trailing data); reading is open to every
 * user, every op that changes state carries GENL_ADMIN_PERM.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/ctype.h>
#include <linux/module.h>
#include <net/genetlink.h>

#include "compat.h"
#include "events.h"
#include "genl.h"
#include "include/pcwq.h"
#include "params.h"
#include "uq.h"
#include "uapi/pcwq_genl.h"

#define PCWQ_RANGE(id) NLA_POLICY_FULL_RANGE(NLA_U32, &pcwq_param_desc[id].range)

static const struct nla_policy pcwq_config_set_policy[PCWQ_A_MAX + 1] = {
	[PCWQ_A_WATCHDOG_THRESH] = PCWQ_RANGE(PCWQ_P_WATCHDOG_THRESH),
	[PCWQ_A_PANIC_ON_STALL] = PCWQ_RANGE(PCWQ_P_PANIC_ON_STALL),
	[PCWQ_A_PANIC_ON_STALL_TIME] = PCWQ_RANGE(PCWQ_P_PANIC_ON_STALL_TIME),
	[PCWQ_A_RESCUER_MODE] = PCWQ_RANGE(PCWQ_P_RESCUER_MODE),
	[PCWQ_A_RESCUER_BATCH] = PCWQ_RANGE(PCWQ_P_RESCUER_BATCH),
	[PCWQ_A_MAYDAY_TIMEOUT_MS] = PCWQ_RANGE(PCWQ_P_MAYDAY_TIMEOUT_MS),
	[PCWQ_A_WORKER_IDLE_SECS] = PCWQ_RANGE(PCWQ_P_WORKER_IDLE_SECS),
	[PCWQ_A_INJECT_WORKER_FAIL] = PCWQ_RANGE(PCWQ_P_INJECT_WORKER_FAIL),
};

/* Requests without attributes: anything sent is refused by the core. */
static const struct nla_policy pcwq_empty_policy[PCWQ_A_MAX + 1] = {};

/*
 * Queue names from userspace: 1 to 31 bytes of [A-Za-z0-9_.:-], starting
 * with a letter or digit, so that they print safely in logs and tables and
 * never look like an option.  The length and the NUL are checked by the
 * core before this.
 */
static int pcwq_validate_name(const struct nlattr *attr,
			      struct netlink_ext_ack *extack)
{
	const char *name = nla_data(attr);
	const char *c;

	if (!isascii(name[0]) || !isalnum(name[0])) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "queue name must start with a letter or digit");
		return -EINVAL;
	}
	for (c = name; *c; c++) {
		if (!isascii(*c) || (!isalnum(*c) && !strchr("_.:-", *c))) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "queue name may only hold letters, digits and _.:-");
			return -EINVAL;
		}
	}
	return 0;
}

#define PCWQ_NAME_POLICY NLA_POLICY_VALIDATE_FN(NLA_NUL_STRING, \
						pcwq_validate_name, 31)

static const struct nla_policy pcwq_name_policy[PCWQ_A_MAX + 1] = {
	[PCWQ_A_QUEUE_NAME] = PCWQ_NAME_POLICY,
};

static struct netlink_range_validation pcwq_rate_range = { 0, PCWQ_MAX_RATE };
static struct netlink_range_validation pcwq_max_wait_range = {
	0, PCWQ_MAX_WAIT_MS
};

static struct netlink_range_validation pcwq_work_timeout_range = {
	0, PCWQ_MAX_WORK_TIMEOUT_MS
};

#define PCWQ_LIMITS_POLICY \
	[PCWQ_A_QUEUE_CAPACITY] = { .type = NLA_U32 }, \
	[PCWQ_A_QUEUE_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32, &pcwq_rate_range), \
	[PCWQ_A_QUEUE_BURST] = NLA_POLICY_FULL_RANGE(NLA_U32, \
						     &pcwq_rate_range), \
	[PCWQ_A_QUEUE_MAX_WAIT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, \
							   &pcwq_max_wait_range), \
	[PCWQ_A_QUEUE_WORK_TIMEOUT_MS] = \
		NLA_POLICY_FULL_RANGE(NLA_U32, &pcwq_work_timeout_range)

static const struct nla_policy pcwq_queue_add_policy[PCWQ_A_MAX + 1] = {
	[PCWQ_A_QUEUE_NAME] = PCWQ_NAME_POLICY,
	[PCWQ_A_QUEUE_FLAGS] = NLA_POLICY_MASK(NLA_U32, PCWQ_QUEUE_F_RESCUER |
						       PCWQ_QUEUE_F_HIGHPRI |
						       PCWQ_QUEUE_F_STEAL |
						       PCWQ_QUEUE_F_NO_YIELD),
	[PCWQ_A_QUEUE_MAX_ACTIVE] = NLA_POLICY_MAX(NLA_U32, PCWQ_MAX_ACTIVE),
	PCWQ_LIMITS_POLICY,
	/* Parsed by the handler, which explains what is wrong with it. */
	[PCWQ_A_QUEUE_CPUS] = { .type = NLA_NUL_STRING,
				.len = PCWQ_QUEUE_CPUS_MAX_LEN },
};

static const struct nla_policy pcwq_queue_set_policy[PCWQ_A_MAX + 1] = {
	[PCWQ_A_QUEUE_NAME] = PCWQ_NAME_POLICY,
	PCWQ_LIMITS_POLICY,
};

static struct netlink_range_validation pcwq_load_count = { 1, 100000 };
static struct netlink_range_validation pcwq_load_spin = { 0, 1000000 };
static struct netlink_range_validation pcwq_load_sleep = { 0, 60000 };
static struct netlink_range_validation pcwq_load_delay = { 0, 3600000 };

static const struct nla_policy pcwq_load_policy[PCWQ_A_MAX + 1] = {
	[PCWQ_A_QUEUE_NAME] = PCWQ_NAME_POLICY,
	[PCWQ_A_LOAD_COUNT] = NLA_POLICY_FULL_RANGE(NLA_U32, &pcwq_load_count),
	[PCWQ_A_LOAD_CPU] = { .type = NLA_U32 },
	[PCWQ_A_LOAD_SPIN_US] = NLA_POLICY_FULL_RANGE(NLA_U32, &pcwq_load_spin),
	[PCWQ_A_LOAD_SLEEP_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
						       &pcwq_load_sleep),
	[PCWQ_A_LOAD_DELAY_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
						       &pcwq_load_delay),
};

static const struct nla_policy pcwq_drain_policy[PCWQ_A_MAX + 1] = {
	[PCWQ_A_QUEUE_NAME] = PCWQ_NAME_POLICY,
	[PCWQ_A_PLUG] = { .type = NLA_FLAG },
};

static const struct nla_policy pcwq_stats_policy[PCWQ_A_MAX + 1] = {
	[PCWQ_A_STATS_CPU] = { .type = NLA_U32 },
};

struct sk_buff *pcwq_reply_new(struct genl_info *info, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &pcwq_genl_family, 0,
				 info->genlhdr->cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int pcwq_reply_send(struct sk_buff *msg, void *hdr, struct genl_info *info,
		    int err)
{
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int pcwq_nl_status_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = pcwq_reply_new(info, &hdr);
	if (!msg)
		return -ENOMEM;
	err = nla_put_string(msg, PCWQ_A_VERSION, PCWQ_VERSION) ?:
	      nla_put_u32(msg, PCWQ_A_NR_ONLINE_CPUS, num_online_cpus()) ?:
	      nla_put_u32(msg, PCWQ_A_NR_POSSIBLE_CPUS, num_possible_cpus());
	return pcwq_reply_send(msg, hdr, info, err);
}

static int pcwq_nl_config_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	int id, err = 0;
	void *hdr;

	msg = pcwq_reply_new(info, &hdr);
	if (!msg)
		return -ENOMEM;
	for (id = 0; id < PCWQ_P_COUNT && !err; id++)
		err = nla_put_u32(msg, pcwq_param_desc[id].attr, pcwq_param(id));
	return pcwq_reply_send(msg, hdr, info, err);
}

/* All values were range-checked by the policy, so the update cannot fail. */
static int pcwq_nl_config_set(struct sk_buff *skb, struct genl_info *info)
{
	bool any = false;
	int id;

	for (id = 0; id < PCWQ_P_COUNT; id++)
		any |= !!info->attrs[pcwq_param_desc[id].attr];
	if (!any) {
		GENL_SET_ERR_MSG(info, "no configuration attribute given");
		return -EINVAL;
	}

	pcwq_params_lock();
	for (id = 0; id < PCWQ_P_COUNT; id++) {
		struct nlattr *a = info->attrs[pcwq_param_desc[id].attr];

		if (a)
			pcwq_param_store(id, nla_get_u32(a));
	}
	pcwq_params_unlock();
	return 0;
}

static const struct genl_ops pcwq_genl_ops[] = {
	{
		.cmd = PCWQ_CMD_STATUS_GET,
		.doit = pcwq_nl_status_get,
		.policy = pcwq_empty_policy,
		.maxattr = PCWQ_A_MAX,
	},
	{
		.cmd = PCWQ_CMD_CONFIG_GET,
		.doit = pcwq_nl_config_get,
		.policy = pcwq_empty_policy,
		.maxattr = PCWQ_A_MAX,
	},
	{
		.cmd = PCWQ_CMD_CONFIG_SET,
		.doit = pcwq_nl_config_set,
		.policy = pcwq_config_set_policy,
		.maxattr = PCWQ_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PCWQ_CMD_QUEUE_ADD,
		.doit = pcwq_nl_queue_add,
		.policy = pcwq_queue_add_policy,
		.maxattr = PCWQ_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PCWQ_CMD_QUEUE_SET,
		.doit = pcwq_nl_queue_set,
		.policy = pcwq_queue_set_policy,
		.maxattr = PCWQ_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PCWQ_CMD_QUEUE_DEL,
		.doit = pcwq_nl_queue_del,
		.policy = pcwq_name_policy,
		.maxattr = PCWQ_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PCWQ_CMD_QUEUE_GET,
		.dumpit = pcwq_nl_queue_dump,
		.policy = pcwq_empty_policy,
		.maxattr = PCWQ_A_MAX,
	},
	{
		.cmd = PCWQ_CMD_LOAD,
		.doit = pcwq_nl_load,
		.policy = pcwq_load_policy,
		.maxattr = PCWQ_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PCWQ_CMD_FLUSH,
		.doit = pcwq_nl_flush,
		.policy = pcwq_name_policy,
		.maxattr = PCWQ_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PCWQ_CMD_DRAIN,
		.doit = pcwq_nl_drain,
		.policy = pcwq_drain_policy,
		.maxattr = PCWQ_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PCWQ_CMD_UNPLUG,
		.doit = pcwq_nl_unplug,
		.policy = pcwq_name_policy,
		.maxattr = PCWQ_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PCWQ_CMD_STATS_GET,
		.dumpit = pcwq_nl_stats_dump,
		.policy = pcwq_stats_policy,
		.maxattr = PCWQ_A_MAX,
	},
	{
		.cmd = PCWQ_CMD_STATS_RESET,
		.doit = pcwq_nl_stats_reset,
		.policy = pcwq_empty_policy,
		.maxattr = PCWQ_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group pcwq_genl_mcgrps[] = {
	/* Events name functions and CPUs: for CAP_NET_ADMIN only. */
	{ .name = PCWQ_GENL_MCGRP_EVENTS, .flags = PCWQ_MCGRP_ADMIN },
};

struct genl_family pcwq_genl_family __ro_after_init = {
	.name = PCWQ_GENL_NAME,
	.version = PCWQ_GENL_VERSION,
	.maxattr = PCWQ_A_MAX,
	.module = THIS_MODULE,
	.parallel_ops = true,	/* handlers lock what they touch */
	.ops = pcwq_genl_ops,
	.n_ops = ARRAY_SIZE(pcwq_genl_ops),
	.resv_start_op = 0,
	.mcgrps = pcwq_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(pcwq_genl_mcgrps),
};

int __init pcwq_genl_init(void)
{
	int err = genl_register_family(&pcwq_genl_family);

	if (!err)
		pcwq_events_enable();
	return err;
}

void pcwq_genl_exit(void)
{
	pcwq_events_disable();
	genl_unregister_family(&pcwq_genl_family);
	pcwq_uq_exit();
}
