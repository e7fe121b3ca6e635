/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * pcwq generic netlink interface, shared by the module and wqctl.
 *
 * The family is described for the kernel's ynl tooling in pcwq.yaml next to
 * this file; both must be changed together.  Enums only grow at the end, so
 * old tools keep working: a tool ignores reply attributes it does not know.
 * The kernel validates requests strictly and refuses unknown attributes.
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

	/* queues */
	PCWQ_A_QUEUE_NAME,		/* string, 1..31 bytes */
	PCWQ_A_QUEUE_FLAGS,		/* u32, PCWQ_QUEUE_F_* */
	PCWQ_A_QUEUE_MAX_ACTIVE,	/* u32, 1..512 per CPU, 0 = 256 */
	PCWQ_A_QUEUE_CAPACITY,		/* u32, 0 = unlimited */

	/* synthetic load (PCWQ_CMD_LOAD) */
	PCWQ_A_LOAD_COUNT,		/* u32, 1..100000 items */
	PCWQ_A_LOAD_CPU,		/* u32; absent: spread over online CPUs */
	PCWQ_A_LOAD_SPIN_US,		/* u32, busy time per item, <= 1000000 */
	PCWQ_A_LOAD_SLEEP_MS,		/* u32, sleep per item, <= 60000 */
	PCWQ_A_LOAD_DELAY_MS,		/* u32, schedule delay, <= 3600000 */
	PCWQ_A_LOAD_ACCEPTED,		/* u32, reply */
	PCWQ_A_LOAD_REFUSED,		/* u32, reply */

	PCWQ_A_PLUG,			/* flag: PCWQ_CMD_DRAIN plugs */
	PCWQ_A_DRAIN_WAITED,		/* u32 0/1, reply of PCWQ_CMD_DRAIN */

	/* statistics (PCWQ_CMD_STATS_GET dump, one nest per message) */
	PCWQ_A_POOL,			/* nest, enum pcwq_pool_a */
	PCWQ_A_QUEUE,			/* nest, enum pcwq_queue_a */
	PCWQ_A_STATS_CPU,		/* u32, request filter: only this CPU */

	PCWQ_A_WORKER_IDLE_SECS,	/* u32, config: idle worker lifetime */
	PCWQ_A_INJECT_WORKER_FAIL,	/* u32 0/1, config: creation fails */

	/* notifications (PCWQ_CMD_EVENT on the "events" group) */
	PCWQ_A_EVENT_TYPE,		/* u32, enum pcwq_event_type */
	PCWQ_A_EVENT_COUNT,		/* u64, items the event covers */
	PCWQ_A_EVENT_CPU,		/* u32, the CPU of the pool */
	PCWQ_A_EVENT_HIGHPRI,		/* u32 0/1, the pool's priority */
	PCWQ_A_EVENT_STALLED_MS,	/* u64, time without progress */

	/* admission and aging of a queue: QUEUE_ADD, QUEUE_SET, replies */
	PCWQ_A_QUEUE_RATE,		/* u32, items per second, 0 = no limit */
	PCWQ_A_QUEUE_BURST,		/* u32, token bucket size, 0 = rate */
	PCWQ_A_QUEUE_MAX_WAIT_MS,	/* u32, aging deadline, 0 = off */

	/*
	 * string, QUEUE_ADD: the CPUs the queue runs on, in the kernel's
	 * cpulist format ("0-3,6"), at most PCWQ_QUEUE_CPUS_MAX_LEN bytes;
	 * absent = every possible CPU
	 */
	PCWQ_A_QUEUE_CPUS,

	/*
	 * u32, QUEUE_ADD, QUEUE_SET: an item of the queue that runs longer
	 * is reported (PCWQ_EVENT_OVERRUN), 0 = off, at most 3600000 ms
	 */
	PCWQ_A_QUEUE_WORK_TIMEOUT_MS,
	PCWQ_A_EVENT_FUNC,		/* string, an item's handler ("fn [mod]") */
	PCWQ_A_EVENT_RUN_MS,		/* u64, how long the item has run */

	__PCWQ_A_MAX,
	PCWQ_A_MAX = __PCWQ_A_MAX - 1
};

/* Longest PCWQ_A_QUEUE_CPUS, in bytes without the NUL. */
#define PCWQ_QUEUE_CPUS_MAX_LEN	1023

/* Values of PCWQ_A_EVENT_TYPE. */
enum pcwq_event_type {
	PCWQ_EVENT_RESCUE = 1,	/* QUEUE_NAME's rescuer ran EVENT_COUNT items */
	/*
	 * The pool of EVENT_CPU and EVENT_HIGHPRI made no progress for
	 * EVENT_STALLED_MS with EVENT_COUNT items waiting.
	 */
	PCWQ_EVENT_STALL,
	/*
	 * An item of QUEUE_NAME, handler EVENT_FUNC, has run EVENT_RUN_MS on
	 * EVENT_CPU, past the queue's work timeout; it goes on running.
	 */
	PCWQ_EVENT_OVERRUN,
};

/* PCWQ_A_QUEUE_FLAGS bits */
enum pcwq_queue_flags {
	PCWQ_QUEUE_F_RESCUER = 1,	/* PCWQ_MEM_RECLAIM: owns a rescuer */
	PCWQ_QUEUE_F_HIGHPRI = 2,	/* runs on the nice -20 pools */
	PCWQ_QUEUE_F_USER = 4,		/* created over netlink (reply only) */
	PCWQ_QUEUE_F_STEAL = 8,		/* idle pools of other CPUs take items */
	PCWQ_QUEUE_F_NO_YIELD = 16,	/* items run back to back (no yield) */
	PCWQ_QUEUE_F_SYSTEM = 32,	/* pcwq_system: cannot be deleted (reply
					 * only)
					 */
};

/*
 * Histograms of durations, nested in pools and queues: PCWQ_*_A_WAIT from
 * submission to the start of the handler, PCWQ_*_A_RUN of the handler.
 * Bucket 0 counts durations under 1 us, bucket i (1 <= i < 31) those from
 * 2^(i-1) us up to 2^i us, bucket 31 those from 2^30 us on.
 */
#define PCWQ_HIST_BUCKETS	32

enum {
	PCWQ_HIST_A_UNSPEC,
	PCWQ_HIST_A_PAD,
	PCWQ_HIST_A_BUCKETS,	/* binary: u64[PCWQ_HIST_BUCKETS], host order */
	PCWQ_HIST_A_SUM_NS,	/* u64, sum of the durations counted */
	PCWQ_HIST_A_MAX_NS,	/* u64, the longest duration counted */

	__PCWQ_HIST_A_MAX,
	PCWQ_HIST_A_MAX = __PCWQ_HIST_A_MAX - 1
};

/*
 * Load averages of a pending length, nested in pools (items ready on the
 * worklist) and queues (items queued or delayed): exponentially damped
 * moving averages sampled every PCWQ_LOAD_SAMPLE_MS, like /proc/loadavg, in
 * units of 1/PCWQ_LOAD_SCALE item.
 */
#define PCWQ_LOAD_SAMPLE_MS	1000
#define PCWQ_LOAD_SCALE		1000

enum {
	PCWQ_LOAD_A_UNSPEC,
	PCWQ_LOAD_A_AVG10,	/* u32, over 10 seconds */
	PCWQ_LOAD_A_AVG1,	/* u32, over 1 minute */
	PCWQ_LOAD_A_AVG5,	/* u32, over 5 minutes */
	PCWQ_LOAD_A_AVG15,	/* u32, over 15 minutes */

	__PCWQ_LOAD_A_MAX,
	PCWQ_LOAD_A_MAX = __PCWQ_LOAD_A_MAX - 1
};

/* Counters, nested in pools, queues and per-CPU entries of queues. */
enum {
	PCWQ_COUNTER_A_UNSPEC,
	PCWQ_COUNTER_A_PAD,
	PCWQ_COUNTER_A_SUBMITTED,	/* u64, instances queued */
	PCWQ_COUNTER_A_COMPLETED,	/* u64, handlers returned */
	PCWQ_COUNTER_A_CANCELLED,	/* u64, queued instances cancelled */
	PCWQ_COUNTER_A_REJECTED,	/* u64, submissions refused */
	PCWQ_COUNTER_A_UNSCHEDULED,	/* u64, delayed instances withdrawn */
	PCWQ_COUNTER_A_MAYDAY,		/* u64, rescuer calls of starved pools */
	PCWQ_COUNTER_A_RESCUED,		/* u64, items run by a rescuer */
	PCWQ_COUNTER_A_STALLS,		/* u64, stall reports */
	PCWQ_COUNTER_A_THROTTLED,	/* u64, refused by the rate limit */
	PCWQ_COUNTER_A_STOLEN,		/* u64, items taken from another CPU */
	PCWQ_COUNTER_A_AGED,		/* u64, items served past max_wait */
	PCWQ_COUNTER_A_OVERRUNS,	/* u64, items past the work timeout */

	__PCWQ_COUNTER_A_MAX,
	PCWQ_COUNTER_A_MAX = __PCWQ_COUNTER_A_MAX - 1
};

enum {
	PCWQ_POOL_A_UNSPEC,
	PCWQ_POOL_A_CPU,		/* u32 */
	PCWQ_POOL_A_HIGHPRI,		/* u32 0/1 */
	PCWQ_POOL_A_ONLINE,		/* u32 0/1: CPU online, workers bound */
	PCWQ_POOL_A_WORKERS,		/* u32 */
	PCWQ_POOL_A_IDLE,		/* u32 */
	PCWQ_POOL_A_PENDING,		/* u32, items ready on the worklist */
	PCWQ_POOL_A_COUNTERS,		/* nest, PCWQ_COUNTER_A_* */
	PCWQ_POOL_A_WAIT,		/* nest, PCWQ_HIST_A_* */
	PCWQ_POOL_A_RUN,		/* nest, PCWQ_HIST_A_* */
	PCWQ_POOL_A_LOAD,		/* nest, PCWQ_LOAD_A_* */

	__PCWQ_POOL_A_MAX,
	PCWQ_POOL_A_MAX = __PCWQ_POOL_A_MAX - 1
};

enum {
	PCWQ_QUEUE_A_UNSPEC,
	PCWQ_QUEUE_A_NAME,		/* string */
	PCWQ_QUEUE_A_FLAGS,		/* u32, PCWQ_QUEUE_F_* */
	PCWQ_QUEUE_A_MAX_ACTIVE,	/* u32 */
	PCWQ_QUEUE_A_CAPACITY,		/* u32, 0 = unlimited */
	PCWQ_QUEUE_A_PENDING,		/* u32, queued or delayed items */
	PCWQ_QUEUE_A_INFLIGHT,		/* u32, queued or running items */
	PCWQ_QUEUE_A_COUNTERS,		/* nest, totals over CPUs */
	PCWQ_QUEUE_A_CPU,		/* nest, repeated: enum pcwq_qcpu_a */
	PCWQ_QUEUE_A_WAIT,		/* nest, PCWQ_HIST_A_*, over CPUs */
	PCWQ_QUEUE_A_RUN,		/* nest, PCWQ_HIST_A_*, over CPUs */
	PCWQ_QUEUE_A_RATE,		/* u32, items per second, 0 = no limit */
	PCWQ_QUEUE_A_BURST,		/* u32, token bucket size */
	PCWQ_QUEUE_A_MAX_WAIT_MS,	/* u32, 0 = off */
	PCWQ_QUEUE_A_LOAD,		/* nest, PCWQ_LOAD_A_* */
	PCWQ_QUEUE_A_CPUS,		/* string, its CPUs as cpulist ("0-3") */
	PCWQ_QUEUE_A_WORK_TIMEOUT_MS,	/* u32, 0 = off */

	__PCWQ_QUEUE_A_MAX,
	PCWQ_QUEUE_A_MAX = __PCWQ_QUEUE_A_MAX - 1
};

/* One CPU of a queue. */
enum {
	PCWQ_QCPU_A_UNSPEC,
	PCWQ_QCPU_A_CPU,		/* u32 */
	PCWQ_QCPU_A_ACTIVE,		/* u32, items holding a max_active slot */
	PCWQ_QCPU_A_INACTIVE,		/* u32, items waiting for a slot */
	PCWQ_QCPU_A_COUNTERS,		/* nest, PCWQ_COUNTER_A_* */

	__PCWQ_QCPU_A_MAX,
	PCWQ_QCPU_A_MAX = __PCWQ_QCPU_A_MAX - 1
};

enum {
	PCWQ_CMD_UNSPEC,
	PCWQ_CMD_STATUS_GET,	/* reply: version, CPUs */
	PCWQ_CMD_CONFIG_GET,	/* reply: every configuration attribute */
	PCWQ_CMD_CONFIG_SET,	/* CAP_NET_ADMIN; any subset, all or nothing */
	PCWQ_CMD_QUEUE_ADD,	/* CAP_NET_ADMIN; name, flags, max_active, limits,
				 * cpus
				 */
	PCWQ_CMD_QUEUE_DEL,	/* CAP_NET_ADMIN; name; drains first */
	PCWQ_CMD_QUEUE_GET,	/* dump; one PCWQ_A_QUEUE per message */
	PCWQ_CMD_LOAD,		/* CAP_NET_ADMIN; name, LOAD_*; reply counts */
	PCWQ_CMD_FLUSH,		/* CAP_NET_ADMIN; waits for the queue's load */
	PCWQ_CMD_DRAIN,		/* CAP_NET_ADMIN; name, PLUG; reply WAITED */
	PCWQ_CMD_UNPLUG,	/* CAP_NET_ADMIN; name; -EALREADY if not plugged */
	PCWQ_CMD_STATS_GET,	/* dump; PCWQ_A_POOL or PCWQ_A_QUEUE per message */
	PCWQ_CMD_STATS_RESET,	/* CAP_NET_ADMIN; zeroes every counter */
	PCWQ_CMD_EVENT,		/* notification only, on the "events" group */
	PCWQ_CMD_QUEUE_SET,	/* CAP_NET_ADMIN; name, capacity, rate, burst,
				 * max_wait_ms, work_timeout_ms: any subset,
				 * all or nothing
				 */

	__PCWQ_CMD_MAX,
	PCWQ_CMD_MAX = __PCWQ_CMD_MAX - 1
};

#endif /* _UAPI_PCWQ_GENL_H */
