// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq module parameters: validation shared by insmod, sysfs and netlink.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "internal.h"
#include "params.h"
#include "uapi/pcwq_genl.h"

static const char * const pcwq_rescuer_mode_names[] = {
	[PCWQ_RESCUER_ONE] = "one",
	[PCWQ_RESCUER_BATCH] = "batch",
};

/*
 * Not const: 6.1's struct nla_policy takes a non-const range pointer, and
 * genl.c points its policy at these ranges.  Read-only once loaded.
 */
struct pcwq_param_desc pcwq_param_desc[PCWQ_P_COUNT] __ro_after_init = {
	[PCWQ_P_WATCHDOG_THRESH] = {
		.name = "watchdog_thresh",
		.attr = PCWQ_A_WATCHDOG_THRESH,
		.range = { .min = 0, .max = 3600 },
	},
	[PCWQ_P_PANIC_ON_STALL] = {
		.name = "panic_on_stall",
		.attr = PCWQ_A_PANIC_ON_STALL,
		.range = { .min = 0, .max = 1000 },
	},
	[PCWQ_P_PANIC_ON_STALL_TIME] = {
		.name = "panic_on_stall_time",
		.attr = PCWQ_A_PANIC_ON_STALL_TIME,
		.range = { .min = 0, .max = 86400 },
	},
	[PCWQ_P_RESCUER_MODE] = {
		.name = "rescuer_mode",
		.attr = PCWQ_A_RESCUER_MODE,
		.range = { .min = 0, .max = ARRAY_SIZE(pcwq_rescuer_mode_names) - 1 },
		.names = pcwq_rescuer_mode_names,
	},
	[PCWQ_P_RESCUER_BATCH] = {
		.name = "rescuer_batch",
		.attr = PCWQ_A_RESCUER_BATCH,
		.range = { .min = 1, .max = 1024 },
	},
	[PCWQ_P_MAYDAY_TIMEOUT_MS] = {
		.name = "mayday_timeout_ms",
		.attr = PCWQ_A_MAYDAY_TIMEOUT_MS,
		.range = { .min = 1, .max = 10000 },
	},
	[PCWQ_P_WORKER_IDLE_SECS] = {
		.name = "worker_idle_secs",
		.attr = PCWQ_A_WORKER_IDLE_SECS,
		.range = { .min = 1, .max = 3600 },
	},
	[PCWQ_P_INJECT_WORKER_FAIL] = {
		.name = "inject_worker_fail",
		.attr = PCWQ_A_INJECT_WORKER_FAIL,
		.range = { .min = 0, .max = 1 },
	},
};

/* Written under kernel_param_lock(THIS_MODULE); read with READ_ONCE(). */
static unsigned int pcwq_param_val[PCWQ_P_COUNT] = {
	[PCWQ_P_WATCHDOG_THRESH] = 30,
	[PCWQ_P_PANIC_ON_STALL] = CONFIG_PCWQ_STALL_PANIC,
	[PCWQ_P_PANIC_ON_STALL_TIME] = 0,
	[PCWQ_P_RESCUER_MODE] = PCWQ_RESCUER_ONE,
	[PCWQ_P_RESCUER_BATCH] = 16,
	[PCWQ_P_MAYDAY_TIMEOUT_MS] = 10,
	[PCWQ_P_WORKER_IDLE_SECS] = 300,
	[PCWQ_P_INJECT_WORKER_FAIL] = 0,
};

unsigned int pcwq_param(enum pcwq_param_id id)
{
	return READ_ONCE(pcwq_param_val[id]);
}

void pcwq_params_lock(void)
{
	kernel_param_lock(THIS_MODULE);
}

void pcwq_params_unlock(void)
{
	kernel_param_unlock(THIS_MODULE);
}

void pcwq_param_store(enum pcwq_param_id id, unsigned int val)
{
	WRITE_ONCE(pcwq_param_val[id], val);
	if (id == PCWQ_P_WATCHDOG_THRESH || id == PCWQ_P_PANIC_ON_STALL_TIME)
		pcwq_watchdog_param_changed();
}

static int pcwq_param_parse(const struct pcwq_param_desc *d, const char *s,
			    unsigned int *val)
{
	unsigned int i;

	if (!d->names)
		return kstrtouint(s, 0, val);
	for (i = 0; i <= d->range.max; i++) {
		if (sysfs_streq(s, d->names[i])) {
			*val = i;
			return 0;
		}
	}
	return -EINVAL;
}

static int pcwq_param_set(const char *s, const struct kernel_param *kp)
{
	const struct pcwq_param_desc *d = kp->arg;
	unsigned int val;

	if (pcwq_param_parse(d, s, &val) ||
	    val < d->range.min || val > d->range.max) {
		int len = strcspn(s, "\n");	/* sysfs writes end in one */

		if (d->names)
			pr_err("invalid %s '%.*s': expected %s or %s\n",
			       d->name, len, s, d->names[0], d->names[1]);
		else
			pr_err("invalid %s '%.*s': expected %llu..%llu\n",
			       d->name, len, s, d->range.min, d->range.max);
		return -EINVAL;
	}
	pcwq_param_store(d - pcwq_param_desc, val);
	return 0;
}

static int pcwq_param_get(char *buf, const struct kernel_param *kp)
{
	const struct pcwq_param_desc *d = kp->arg;
	unsigned int val = pcwq_param(d - pcwq_param_desc);

	if (d->names)
		return scnprintf(buf, PAGE_SIZE, "%s\n", d->names[val]);
	return scnprintf(buf, PAGE_SIZE, "%u\n", val);
}

static const struct kernel_param_ops pcwq_param_ops = {
	.set = pcwq_param_set,
	.get = pcwq_param_get,
};

module_param_cb(watchdog_thresh, &pcwq_param_ops,
		&pcwq_param_desc[PCWQ_P_WATCHDOG_THRESH], 0644);
MODULE_PARM_DESC(watchdog_thresh,
		 "Stall threshold in seconds, 0 = watchdog off (0..3600, default 30)");
module_param_cb(panic_on_stall, &pcwq_param_ops,
		&pcwq_param_desc[PCWQ_P_PANIC_ON_STALL], 0644);
MODULE_PARM_DESC(panic_on_stall,
		 "Panic after this many watchdog ticks found a stall, 0 = never (0..1000)");
module_param_cb(panic_on_stall_time, &pcwq_param_ops,
		&pcwq_param_desc[PCWQ_P_PANIC_ON_STALL_TIME], 0644);
MODULE_PARM_DESC(panic_on_stall_time,
		 "Panic when a stall lasts this many seconds, 0 = never (0..86400)");
module_param_cb(rescuer_mode, &pcwq_param_ops,
		&pcwq_param_desc[PCWQ_P_RESCUER_MODE], 0644);
MODULE_PARM_DESC(rescuer_mode,
		 "Rescuer policy: one (one item at a time, default) or batch (pre-7.0)");
module_param_cb(rescuer_batch, &pcwq_param_ops,
		&pcwq_param_desc[PCWQ_P_RESCUER_BATCH], 0644);
MODULE_PARM_DESC(rescuer_batch,
		 "Items a rescuer runs for one pool before yielding (1..1024, default 16)");
module_param_cb(mayday_timeout_ms, &pcwq_param_ops,
		&pcwq_param_desc[PCWQ_P_MAYDAY_TIMEOUT_MS], 0644);
MODULE_PARM_DESC(mayday_timeout_ms,
		 "Delay before a starved pool calls the rescuers, ms (1..10000, default 10)");
module_param_cb(worker_idle_secs, &pcwq_param_ops,
		&pcwq_param_desc[PCWQ_P_WORKER_IDLE_SECS], 0644);
MODULE_PARM_DESC(worker_idle_secs,
		 "Surplus idle workers are stopped after this long, s (1..3600, default 300)");
module_param_cb(inject_worker_fail, &pcwq_param_ops,
		&pcwq_param_desc[PCWQ_P_INJECT_WORKER_FAIL], 0644);
MODULE_PARM_DESC(inject_worker_fail,
		 "Fault injection: 1 = every on-demand worker creation fails (0..1, default 0)");
