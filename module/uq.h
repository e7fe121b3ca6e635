/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PCWQ_UQ_H
#define _PCWQ_UQ_H

#include "include/pcwq.h"

/*
 * Bounds on what userspace may ask for, so that no request can wedge the
 * machine: user queues, load items not yet run over all of them, and the
 * time the items of one request may keep workers busy, spinning or
 * sleeping.
 */
#define PCWQ_UQ_MAX_QUEUES	64
#define PCWQ_UQ_MAX_ITEMS	100000
#define PCWQ_UQ_MAX_LOAD_US	(600ULL * 1000 * 1000)
/* A longer pause in a spinning item is time it did not run. */
#define PCWQ_UQ_GAP_NS		(50 * NSEC_PER_USEC)

/* A synthetic load request: count items, each spinning and sleeping. */
struct pcwq_load {
	unsigned int count;
	int cpu;		/* -1: round robin over the queue's online CPUs */
	unsigned int spin_us;
	unsigned int sleep_ms;
	unsigned int delay_ms;
};

/* Which limits a pcwq_uq_set_limits() call changes. */
#define PCWQ_UQ_SET_CAPACITY	BIT(0)
#define PCWQ_UQ_SET_RATE	BIT(1)
#define PCWQ_UQ_SET_BURST	BIT(2)
#define PCWQ_UQ_SET_MAX_WAIT	BIT(3)
#define PCWQ_UQ_SET_WORK_TIMEOUT	BIT(4)

int pcwq_uq_add(const struct pcwq_attrs *attrs);
int pcwq_uq_set_limits(const char *name, const struct pcwq_limits *set,
		       unsigned int mask);
int pcwq_uq_del(const char *name);
int pcwq_uq_load(const char *name, const struct pcwq_load *load,
		 unsigned int *accepted, unsigned int *refused);
int pcwq_uq_flush(const char *name);
int pcwq_uq_drain(const char *name, bool plug);
int pcwq_uq_unplug(const char *name);
void pcwq_uq_exit(void);

#endif /* _PCWQ_UQ_H */
