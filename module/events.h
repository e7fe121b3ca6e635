/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Notifications on the "events" multicast group of the pcwq family.
 */
#ifndef _PCWQ_EVENTS_H
#define _PCWQ_EVENTS_H

#include <linux/types.h>

struct pcwq;

void pcwq_events_enable(void);
void pcwq_events_disable(void);
void pcwq_event_rescue(const struct pcwq *wq, u64 rescued);
void pcwq_event_stall(int cpu, int prio, u64 stalled_ms,
		      unsigned int pending);
void pcwq_event_overrun(const char *queue, const char *func, u64 run_ms,
			int cpu);

#endif /* _PCWQ_EVENTS_H */
