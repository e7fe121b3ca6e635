/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcwq tracepoints, in the events/pcwq/ directory of tracefs.
 *
 * They follow the life of an item as the kernel's workqueue events do:
 * pcwq_queue when it is queued, pcwq_activate when it gets a max_active
 * slot and goes on its pool's worklist (at once for most items, as
 * workqueue_activate_work), pcwq_execute_start and pcwq_execute_end around
 * its handler.  pcwq_mayday (a starved pool calls a queue's rescuer),
 * pcwq_rescue (that rescuer ran an item: traced after the item's
 * pcwq_execute_end) and pcwq_stall (a watchdog report) show the rescuers
 * and the watchdog at work; pcwq_overrun marks an item that has run past
 * its queue's work timeout (overrun.c), while it runs.  The cpu of an
 * event is that of the pool, which differs from the CPU that ran it only
 * while the pool's CPU is offline.
 *
 * CREATE_TRACE_POINTS is defined in trace.c only.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pcwq

#if !defined(_PCWQ_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PCWQ_TRACE_H

#include <linux/tracepoint.h>

#include "compat.h"
#include "internal.h"

TRACE_EVENT(pcwq_queue,
	    TP_PROTO(struct pcwq_work *work, struct pcwq *wq, int req_cpu,
		     int cpu),
	    TP_ARGS(work, wq, req_cpu, cpu),
	    TP_STRUCT__entry(__field(void *, work)
			     __field(void *, function)
			     __string(queue, wq->name)
			     __field(int, req_cpu)
			     __field(int, cpu)),
	    TP_fast_assign(__entry->work = work;
			   __entry->function = work->func;
			   pcwq_assign_str(queue, wq->name);
			   __entry->req_cpu = req_cpu;
			   __entry->cpu = cpu;),
	    TP_printk("work=%p function=%ps queue=%s req_cpu=%d cpu=%d",
		      __entry->work, __entry->function, __get_str(queue),
		      __entry->req_cpu, __entry->cpu)
);

TRACE_EVENT(pcwq_activate,
	    TP_PROTO(struct pcwq_work *work, int cpu),
	    TP_ARGS(work, cpu),
	    TP_STRUCT__entry(__field(void *, work)
			     __field(int, cpu)),
	    TP_fast_assign(__entry->work = work;
			   __entry->cpu = cpu;),
	    TP_printk("work=%p cpu=%d", __entry->work, __entry->cpu)
);

TRACE_EVENT(pcwq_execute_start,
	    TP_PROTO(struct pcwq_work *work, struct pcwq *wq, int cpu),
	    TP_ARGS(work, wq, cpu),
	    TP_STRUCT__entry(__field(void *, work)
			     __field(void *, function)
			     __field(int, cpu)
			     __string(queue, wq->name)),
	    TP_fast_assign(__entry->work = work;
			   __entry->function = work->func;
			   __entry->cpu = cpu;
			   pcwq_assign_str(queue, wq->name);),
	    TP_printk("work=%p function=%ps cpu=%d queue=%s",
		      __entry->work, __entry->function, __entry->cpu,
		      __get_str(queue))
);

/*
 * After the handler, which is done with the item: @work is only a value
 * here, and @func was read before the handler ran.
 */
TRACE_EVENT(pcwq_execute_end,
	    TP_PROTO(const void *work, pcwq_func_t func, int cpu,
		     u64 runtime_ns),
	    TP_ARGS(work, func, cpu, runtime_ns),
	    TP_STRUCT__entry(__field(const void *, work)
			     __field(void *, function)
			     __field(int, cpu)
			     __field(u64, runtime_ns)),
	    TP_fast_assign(__entry->work = work;
			   __entry->function = func;
			   __entry->cpu = cpu;
			   __entry->runtime_ns = runtime_ns;),
	    TP_printk("work=%p function=%ps cpu=%d runtime_ns=%llu",
		      __entry->work, __entry->function, __entry->cpu,
		      __entry->runtime_ns)
);

TRACE_EVENT(pcwq_stall,
	    TP_PROTO(int cpu, bool highpri, unsigned int stalled_ms,
		     unsigned int pending),
	    TP_ARGS(cpu, highpri, stalled_ms, pending),
	    TP_STRUCT__entry(__field(int, cpu)
			     __field(bool, highpri)
			     __field(unsigned int, stalled_ms)
			     __field(unsigned int, pending)),
	    TP_fast_assign(__entry->cpu = cpu;
			   __entry->highpri = highpri;
			   __entry->stalled_ms = stalled_ms;
			   __entry->pending = pending;),
	    TP_printk("cpu=%d highpri=%d stalled_ms=%u pending=%u",
		      __entry->cpu, __entry->highpri, __entry->stalled_ms,
		      __entry->pending)
);

TRACE_EVENT(pcwq_mayday,
	    TP_PROTO(struct pcwq *wq, int cpu),
	    TP_ARGS(wq, cpu),
	    TP_STRUCT__entry(__string(queue, wq->name)
			     __field(int, cpu)),
	    TP_fast_assign(pcwq_assign_str(queue, wq->name);
			   __entry->cpu = cpu;),
	    TP_printk("queue=%s cpu=%d", __get_str(queue), __entry->cpu)
);

/* Like pcwq_execute_end, after the handler: @work is only a value. */
TRACE_EVENT(pcwq_rescue,
	    TP_PROTO(struct pcwq *wq, const void *work, pcwq_func_t func,
		     int cpu),
	    TP_ARGS(wq, work, func, cpu),
	    TP_STRUCT__entry(__string(queue, wq->name)
			     __field(const void *, work)
			     __field(void *, function)
			     __field(int, cpu)),
	    TP_fast_assign(pcwq_assign_str(queue, wq->name);
			   __entry->work = work;
			   __entry->function = func;
			   __entry->cpu = cpu;),
	    TP_printk("queue=%s work=%p function=%ps cpu=%d",
		      __get_str(queue), __entry->work, __entry->function,
		      __entry->cpu)
);

/* While the item runs past its queue's work timeout, from a timer. */
TRACE_EVENT(pcwq_overrun,
	    TP_PROTO(struct pcwq *wq, pcwq_func_t func, int cpu, u64 run_ns),
	    TP_ARGS(wq, func, cpu, run_ns),
	    TP_STRUCT__entry(__string(queue, wq->name)
			     __field(void *, function)
			     __field(int, cpu)
			     __field(u64, run_ns)),
	    TP_fast_assign(pcwq_assign_str(queue, wq->name);
			   __entry->function = func;
			   __entry->cpu = cpu;
			   __entry->run_ns = run_ns;),
	    TP_printk("queue=%s function=%ps cpu=%d run_ns=%llu",
		      __get_str(queue), __entry->function, __entry->cpu,
		      __entry->run_ns)
);

#endif /* _PCWQ_TRACE_H */

/* Out of the kernel tree: trace.c is built with -I$(src). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
