// SPDX-License-Identifier: GPL-2.0
/*
 * Notifications on the "events" multicast group.
 *
 * Events are built only when somebody listens, and coalesced by their
 * senders (a rescuer reports what it rescued when it goes idle, and once a
 * second at most while it keeps working; a stalled pool is reported once
 * per watchdog_thresh), never one per item that merely ran; an item that
 * overran its queue's work timeout is reported once per such run.  They are
 * allocated without sleeping: a rescuer sends them under memory pressure,
 * when a lost event is better than a blocked rescuer.
 *
 * Senders run under rcu_read_lock() and test pcwq_events_on, which
 * pcwq_events_disable() clears and then waits for them, so nothing is sent
 * once the family is being unregistered.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rcupdate.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "events.h"
#include "genl.h"
#include "internal.h"
#include "uapi/pcwq_genl.h"

#define PCWQ_EVENTS_GROUP	0	/* index in the family's mcgrps */

static bool pcwq_events_on;	/* A, senders read it under RCU */

void pcwq_events_enable(void)
{
	WRITE_ONCE(pcwq_events_on, true);
}

void pcwq_events_disable(void)
{
	WRITE_ONCE(pcwq_events_on, false);
	synchronize_rcu();
}

/* A new event message of @type, or NULL if nobody listens. */
static struct sk_buff *event_new(u32 type, void **hdr)
{
	struct sk_buff *msg;

	if (!READ_ONCE(pcwq_events_on) ||
	    !genl_has_listeners(&pcwq_genl_family, &init_net,
				PCWQ_EVENTS_GROUP))
		return NULL;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_NOWAIT | __GFP_NOWARN);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &pcwq_genl_family, 0, PCWQ_CMD_EVENT);
	if (!*hdr || nla_put_u32(msg, PCWQ_A_EVENT_TYPE, type)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void event_send(struct sk_buff *msg, void *hdr, int err)
{
	if (err) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&pcwq_genl_family, msg, 0, PCWQ_EVENTS_GROUP,
			  GFP_NOWAIT | __GFP_NOWARN);
}

/**
 * pcwq_event_rescue() - report items run by a queue's rescuer
 * @wq: the queue
 * @rescued: items rescued since its last rescue event
 */
void pcwq_event_rescue(const struct pcwq *wq, u64 rescued)
{
	struct sk_buff *msg;
	void *hdr;

	rcu_read_lock();
	msg = event_new(PCWQ_EVENT_RESCUE, &hdr);
	if (msg)
		event_send(msg, hdr,
			   nla_put_string(msg, PCWQ_A_QUEUE_NAME, wq->name) ?:
			   nla_put_u64_64bit(msg, PCWQ_A_EVENT_COUNT, rescued,
					     PCWQ_A_PAD));
	rcu_read_unlock();
}

/**
 * pcwq_event_stall() - report a stalled pool
 * @cpu: its CPU
 * @prio: its priority, 1 for the nice -20 pool
 * @stalled_ms: time since its last progress
 * @pending: items waiting on it
 *
 * Any context.
 */
void pcwq_event_stall(int cpu, int prio, u64 stalled_ms, unsigned int pending)
{
	struct sk_buff *msg;
	void *hdr;

	rcu_read_lock();
	msg = event_new(PCWQ_EVENT_STALL, &hdr);
	if (msg)
		event_send(msg, hdr,
			   nla_put_u32(msg, PCWQ_A_EVENT_CPU, cpu) ?:
			   nla_put_u32(msg, PCWQ_A_EVENT_HIGHPRI, prio) ?:
			   nla_put_u64_64bit(msg, PCWQ_A_EVENT_STALLED_MS,
					     stalled_ms, PCWQ_A_PAD) ?:
			   nla_put_u64_64bit(msg, PCWQ_A_EVENT_COUNT, pending,
					     PCWQ_A_PAD));
	rcu_read_unlock();
}

/**
 * pcwq_event_overrun() - report an item past its queue's work timeout
 * @queue: the queue's name
 * @func: its handler, as %ps prints it
 * @run_ms: how long it has run
 * @cpu: the CPU of its pool
 *
 * Any context.
 */
void pcwq_event_overrun(const char *queue, const char *func, u64 run_ms,
			int cpu)
{
	struct sk_buff *msg;
	void *hdr;

	rcu_read_lock();
	msg = event_new(PCWQ_EVENT_OVERRUN, &hdr);
	if (msg)
		event_send(msg, hdr,
			   nla_put_string(msg, PCWQ_A_QUEUE_NAME, queue) ?:
			   nla_put_string(msg, PCWQ_A_EVENT_FUNC, func) ?:
			   nla_put_u64_64bit(msg, PCWQ_A_EVENT_RUN_MS, run_ms,
					     PCWQ_A_PAD) ?:
			   nla_put_u32(msg, PCWQ_A_EVENT_CPU, cpu));
	rcu_read_unlock();
}
