/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel API difference between the kernels pcwq builds for (Debian's
 * 6.1 and 6.12, and mainline) lives here.
 */
#ifndef _PCWQ_COMPAT_H
#define _PCWQ_COMPAT_H

#include <linux/timer.h>
#include <net/genetlink.h>

/* from_timer() became timer_container_of() in 6.16. */
#ifndef timer_container_of
#define timer_container_of(var, timer, field) from_timer(var, timer, field)
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

#endif /* _PCWQ_COMPAT_H */
