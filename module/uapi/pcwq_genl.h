/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * pcwq generic netlink interface, shared by the module and wqctl.
 *
 * The family is described for the kernel's ynl tooling in pcwq.yaml next to
 * this file; both must be changed together.  Enums only grow at the end:
 * old tools keep working because the kernel ignores attributes it does not
 * know and a tool ignores attributes above its own maximum.
 */
#ifndef _UAPI_PCWQ_GENL_H
#define _UAPI_PCWQ_GENL_H

#define PCWQ_GENL_NAME		"pcwq"
#define PCWQ_GENL_VERSION	1
#define PCWQ_GENL_MCGRP_EVENTS	"events"

/* Values of PCWQ_A_RESCUER_MODE and of the rescuer_mode parameter. */
enum pcwq_rescuer_mode {
	PCWQ_RESCUER_ONE,	/* one item at a time (Linux 7.0) */
	PCWQ_RESCUER_BATCH,	/* all pending items at once (before 7.0) */
};

enum {
	PCWQ_A_UNSPEC,
	PCWQ_A_PAD,

	/* status */
	PCWQ_A_VERSION,			/* string, module version */
	PCWQ_A_NR_ONLINE_CPUS,		/* u32 */
	PCWQ_A_NR_POSSIBLE_CPUS,	/* u32 */

	/* configuration, one attribute per module parameter */
	PCWQ_A_WATCHDOG_THRESH,		/* u32, seconds, 0 = off */
	PCWQ_A_PANIC_ON_STALL,		/* u32, stall count, 0 = off */
	PCWQ_A_PANIC_ON_STALL_TIME,	/* u32, seconds, 0 = off */
	PCWQ_A_RESCUER_MODE,		/* u32, enum pcwq_rescuer_mode */
	PCWQ_A_RESCUER_BATCH,		/* u32, items */
	PCWQ_A_MAYDAY_TIMEOUT_MS,	/* u32, milliseconds */

	__PCWQ_A_MAX,
	PCWQ_A_MAX = __PCWQ_A_MAX - 1
};

enum {
	PCWQ_CMD_UNSPEC,
	PCWQ_CMD_STATUS_GET,	/* reply: version, CPUs */
	PCWQ_CMD_CONFIG_GET,	/* reply: every configuration attribute */
	PCWQ_CMD_CONFIG_SET,	/* CAP_NET_ADMIN; any subset, all or nothing */

	__PCWQ_CMD_MAX,
	PCWQ_CMD_MAX = __PCWQ_CMD_MAX - 1
};

#endif /* _UAPI_PCWQ_GENL_H */
