/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcwq module parameters.
 *
 * Every tunable is described once in pcwq_param_desc[]: its name, range and
 * netlink attribute.  The sysfs/insmod path and the netlink path validate and
 * store through the same code.
 *
 * Locking: values are read lock-free with pcwq_param().  Writers hold
 * kernel_param_lock(THIS_MODULE): the sysfs path already runs under it, the
 * netlink path takes it through pcwq_params_lock(), so a multi-value netlink
 * update is never interleaved with a sysfs write.
 */
#ifndef _PCWQ_PARAMS_H
#define _PCWQ_PARAMS_H

#include <net/netlink.h>

enum pcwq_param_id {
	PCWQ_P_WATCHDOG_THRESH,
	PCWQ_P_PANIC_ON_STALL,
	PCWQ_P_PANIC_ON_STALL_TIME,
	PCWQ_P_RESCUER_MODE,
	PCWQ_P_RESCUER_BATCH,
	PCWQ_P_MAYDAY_TIMEOUT_MS,
	PCWQ_P_WORKER_IDLE_SECS,
	PCWQ_P_INJECT_WORKER_FAIL,
	PCWQ_P_COUNT,
};

/**
 * struct pcwq_param_desc - description of one module parameter
 * @name: parameter name under /sys/module/pcwq/parameters/
 * @attr: PCWQ_A_* netlink attribute carrying the value
 * @range: accepted values, inclusive; also the netlink policy's range
 * @names: symbolic names indexed by value, or NULL for a plain number
 */
struct pcwq_param_desc {
	const char *name;
	int attr;
	struct netlink_range_validation range;
	const char * const *names;
};

extern struct pcwq_param_desc pcwq_param_desc[PCWQ_P_COUNT];

unsigned int pcwq_param(enum pcwq_param_id id);
void pcwq_params_lock(void);
void pcwq_params_unlock(void);
void pcwq_param_store(enum pcwq_param_id id, unsigned int val);

#endif /* _PCWQ_PARAMS_H */
