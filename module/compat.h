/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel API difference between the kernels pcwq builds for (Debian's
 * 6.1 and 6.12, and mainline) lives here.
 */
#ifndef _PCWQ_COMPAT_H
#define _PCWQ_COMPAT_H

#include <linux/timer.h>

/* from_timer() became timer_container_of() in 6.16. */
#ifndef timer_container_of
#define timer_container_of(var, timer, field) from_timer(var, timer, field)
#endif

#endif /* _PCWQ_COMPAT_H */
