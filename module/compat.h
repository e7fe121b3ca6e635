/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel API difference between the kernels pcwq builds for (Debian's
 * 6.1 and 6.12, and mainline) lives here.
 */
#ifndef _PCWQ_COMPAT_H
#define _PCWQ_COMPAT_H

#include <linux/sched.h>
#include <linux/stacktrace.h>
#include <linux/timer.h>
#include <net/genetlink.h>

/* from_timer() became timer_container_of() in 6.16. */
#ifndef timer_container_of
#define timer_container_of(var, timer, field) from_timer(var, timer, field)
#endif

/*
 * Filling a __string() field of a trace event: from 6.10 __assign_str()
 * takes the source given to __string() and has no second argument, so the
 * source is passed as the variable part, which newer kernels drop.  Used
 * only in the TP_fast_assign() of trace.h, where __assign_str() exists.
 */
#ifdef PCWQ_HAVE_ASSIGN_STR_DST_ONLY
#define pcwq_assign_str(dst, ...) __assign_str(dst)
#else
#define pcwq_assign_str(dst, ...) __assign_str(dst, __VA_ARGS__)
#endif

/*
 * Restricting a multicast group to CAP_NET_ADMIN: GENL_MCAST_CAP_NET_ADMIN
 * from 6.7 (Debian's 6.1 has it backported), GENL_UNS_ADMIN_PERM before.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define PCWQ_MCGRP_ADMIN GENL_MCAST_CAP_NET_ADMIN
#else
#define PCWQ_MCGRP_ADMIN GENL_UNS_ADMIN_PERM
#endif

/*
 * The validated request attributes of a dump: genl_info_dump() from 6.6.
 * PCWQ_HAVE_* come from the probes in Kbuild.
 */
static inline struct nlattr **pcwq_dump_attrs(struct netlink_callback *cb)
{
#ifdef PCWQ_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * The stack of a blocked task, @spaces deep: stack_trace_save_tsk() is not
 * exported by Debian's 6.1, so there it prints nothing.
 */
static inline void pcwq_print_task_stack(struct task_struct *task,
					 int spaces)
{
#ifdef PCWQ_HAVE_STACK_TRACE_SAVE_TSK
	unsigned long entries[16];
	unsigned int nr;

	nr = stack_trace_save_tsk(task, entries, ARRAY_SIZE(entries), 0);
	stack_trace_print(entries, nr, spaces);
#endif
}

#endif /* _PCWQ_COMPAT_H */
