// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq: a per-CPU workqueue as a loadable module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

#include "genl.h"
#include "internal.h"
#include "params.h"

static int __init pcwq_init(void)
{
	int err;

	pcwq_clock_init();
	err = pcwq_pools_init();
	if (err) {
		pr_err("cannot set up the worker pools: %d\n", err);
		return err;
	}
	err = pcwq_system_init();
	if (err) {
		pr_err("cannot create the system queue: %d\n", err);
		goto pools_exit;
	}
	err = pcwq_genl_init();
	if (err) {
		pr_err("cannot register the generic netlink family: %d\n", err);
		goto system_exit;
	}
	pcwq_loadavg_start();
	pr_info("version %s loaded (watchdog_thresh=%u panic_on_stall=%u panic_on_stall_time=%u)\n",
		PCWQ_VERSION, pcwq_param(PCWQ_P_WATCHDOG_THRESH),
		pcwq_param(PCWQ_P_PANIC_ON_STALL),
		pcwq_param(PCWQ_P_PANIC_ON_STALL_TIME));
	return 0;

system_exit:
	pcwq_system_exit();
pools_exit:
	pcwq_pools_exit();
	return err;
}

static void __exit pcwq_exit(void)
{
	pcwq_loadavg_stop();
	pcwq_genl_exit();
	pcwq_system_exit();
	pcwq_pools_exit();
	pr_info("unloaded\n");
}

module_init(pcwq_init);
module_exit(pcwq_exit);

MODULE_DESCRIPTION("Per-CPU workqueue with a one-by-one rescuer and stall watchdog");
MODULE_AUTHOR("The pcwq developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(PCWQ_VERSION);
