// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq_state: the work item state machine on a real queue through the
 * public API (include/pcwq.h): for every state an item (a delayable one,
 * so that every operation applies) can be in, every operation, its return
 * value and the pcwq_work_busy() flags it leaves.  Return values are
 * Zephyr's k_work ones: 1 newly queued or scheduled, 0 nothing done,
 * 2 running and queued again, a negative errno for a refusal; cancels
 * return the busy flags left, sync cancels and flushes whether the item
 * was busy or they waited.
 *
 * The queue runs on one CPU with max_active 1.  In the states where the
 * item is not running, a blocker item runs there and waits, so that the
 * item, once queued, stays queued; in the running states the item's own
 * handler waits.  Operations that wait (a flush, a sync cancel of a running
 * item) run in a helper thread: the test sees the helper wait on the item,
 * checks the flags meanwhile, lets the handlers return and checks the
 * return value and the flags after.
 */
#include <linux/workqueue.h>

#include "pcwq_kunit.h"

#define LONG_DELAY	(3600 * HZ)

enum state {
	S_IDLE,
	S_QUEUED,		/* behind the blocker */
	S_DELAYED,		/* for an hour */
	S_RUNNING,
	S_RUNNING_QUEUED,	/* running and queued behind itself */
	S_CANCELING,		/* running, pcwq_cancel()ed */
	S_FLUSHING,		/* running, a helper in pcwq_flush() */
	S_DRAINING,		/* idle, a helper drains the queue */
	S_PLUGGED,		/* idle, the queue drained and plugged */
};

static const char * const state_names[] = {
	"idle", "queued", "delayed", "running", "running+queued",
	"canceling", "flushing", "draining", "plugged",
};

enum op {
	O_SUBMIT,
	O_SUBMIT_ON,
	O_SCHEDULE,		/* an hour */
	O_SCHEDULE_0,
	O_RESCHEDULE,		/* an hour */
	O_RESCHEDULE_0,
	O_CANCEL,
	O_CANCEL_SYNC,
	O_FLUSH,
	O_CANCEL_D,
	O_CANCEL_D_SYNC,
	O_FLUSH_D,
};

static const char * const op_names[] = {
	"submit", "submit_on", "schedule", "schedule_0", "reschedule",
	"reschedule_0", "cancel", "cancel_sync", "flush",
	"cancel_delayable", "cancel_delayable_sync", "flush_delayable",
};

#define QU	PCWQ_WORK_QUEUED
#define DE	PCWQ_WORK_DELAYED
#define RU	PCWQ_WORK_RUNNING
#define CA	PCWQ_WORK_CANCELING
#define FL	PCWQ_WORK_FLUSHING

/* The flags of each state once it is set up. */
static const unsigned int state_busy[] = {
	[S_IDLE] = 0, [S_QUEUED] = QU, [S_DELAYED] = DE, [S_RUNNING] = RU,
	[S_RUNNING_QUEUED] = RU | QU, [S_CANCELING] = RU | CA,
	[S_FLUSHING] = RU | FL, [S_DRAINING] = 0, [S_PLUGGED] = 0,
};

/*
 * @wait: the flags while the operation waits in a helper, 0 if it returns
 * at once; @after: the flags after it returned (and, if it waited, after
 * the handlers returned).
 */
struct row {
	enum state state;
	enum op op;
	int ret;
	unsigned int wait;
	unsigned int after;
};

#define R(s, o, r, w, a) { S_##s, O_##o, r, w, a }

/* The 6 submissions, then the 6 cancels and flushes, for each state. */
static const struct row rows[] = {
	R(IDLE, SUBMIT, 1, 0, QU),
	R(IDLE, SUBMIT_ON, 1, 0, QU),
	R(IDLE, SCHEDULE, 1, 0, DE),
	R(IDLE, SCHEDULE_0, 1, 0, QU),
	R(IDLE, RESCHEDULE, 1, 0, DE),
	R(IDLE, RESCHEDULE_0, 1, 0, QU),
	R(IDLE, CANCEL, 0, 0, 0),
	R(IDLE, CANCEL_SYNC, false, 0, 0),
	R(IDLE, FLUSH, false, 0, 0),
	R(IDLE, CANCEL_D, 0, 0, 0),
	R(IDLE, CANCEL_D_SYNC, false, 0, 0),
	R(IDLE, FLUSH_D, false, 0, 0),

	R(QUEUED, SUBMIT, 0, 0, QU),
	R(QUEUED, SUBMIT_ON, 0, 0, QU),
	R(QUEUED, SCHEDULE, 0, 0, QU),
	R(QUEUED, SCHEDULE_0, 0, 0, QU),
	R(QUEUED, RESCHEDULE, 1, 0, QU | DE),	/* stays queued, as Zephyr */
	R(QUEUED, RESCHEDULE_0, 0, 0, QU),
	R(QUEUED, CANCEL, 0, 0, 0),
	R(QUEUED, CANCEL_SYNC, true, 0, 0),
	R(QUEUED, FLUSH, true, QU | FL, 0),
	R(QUEUED, CANCEL_D, 0, 0, 0),
	R(QUEUED, CANCEL_D_SYNC, true, 0, 0),
	R(QUEUED, FLUSH_D, true, QU | FL, 0),

	R(DELAYED, SUBMIT, 1, 0, QU | DE),
	R(DELAYED, SUBMIT_ON, 1, 0, QU | DE),
	R(DELAYED, SCHEDULE, 0, 0, DE),		/* the earlier deadline */
	R(DELAYED, SCHEDULE_0, 0, 0, DE),
	R(DELAYED, RESCHEDULE, 1, 0, DE),
	R(DELAYED, RESCHEDULE_0, 1, 0, QU),
	R(DELAYED, CANCEL, DE, 0, DE),		/* the timer is not its */
	R(DELAYED, CANCEL_SYNC, true, 0, DE),
	R(DELAYED, FLUSH, false, 0, DE),
	R(DELAYED, CANCEL_D, 0, 0, 0),
	R(DELAYED, CANCEL_D_SYNC, true, 0, 0),
	R(DELAYED, FLUSH_D, true, QU | FL, 0),	/* queued now, behind */

	R(RUNNING, SUBMIT, 2, 0, RU | QU),
	R(RUNNING, SUBMIT_ON, 2, 0, RU | QU),
	R(RUNNING, SCHEDULE, 1, 0, RU | DE),
	R(RUNNING, SCHEDULE_0, 2, 0, RU | QU),
	R(RUNNING, RESCHEDULE, 1, 0, RU | DE),
	R(RUNNING, RESCHEDULE_0, 2, 0, RU | QU),
	R(RUNNING, CANCEL, RU | CA, 0, RU | CA),
	R(RUNNING, CANCEL_SYNC, true, RU | CA, 0),
	R(RUNNING, FLUSH, true, RU | FL, 0),
	R(RUNNING, CANCEL_D, RU | CA, 0, RU | CA),
	R(RUNNING, CANCEL_D_SYNC, true, RU | CA, 0),
	R(RUNNING, FLUSH_D, true, RU | FL, 0),

	R(RUNNING_QUEUED, SUBMIT, 0, 0, RU | QU),
	R(RUNNING_QUEUED, SUBMIT_ON, 0, 0, RU | QU),
	R(RUNNING_QUEUED, SCHEDULE, 0, 0, RU | QU),
	R(RUNNING_QUEUED, SCHEDULE_0, 0, 0, RU | QU),
	R(RUNNING_QUEUED, RESCHEDULE, 1, 0, RU | QU | DE),
	R(RUNNING_QUEUED, RESCHEDULE_0, 0, 0, RU | QU),
	R(RUNNING_QUEUED, CANCEL, RU | CA, 0, RU | CA),
	R(RUNNING_QUEUED, CANCEL_SYNC, true, RU | CA, 0),
	R(RUNNING_QUEUED, FLUSH, true, RU | QU | FL, 0),
	R(RUNNING_QUEUED, CANCEL_D, RU | CA, 0, RU | CA),
	R(RUNNING_QUEUED, CANCEL_D_SYNC, true, RU | CA, 0),
	R(RUNNING_QUEUED, FLUSH_D, true, RU | QU | FL, 0),

	R(CANCELING, SUBMIT, -EBUSY, 0, RU | CA),
	R(CANCELING, SUBMIT_ON, -EBUSY, 0, RU | CA),
	R(CANCELING, SCHEDULE, 0, 0, RU | CA),	/* nothing done */
	R(CANCELING, SCHEDULE_0, 0, 0, RU | CA),
	R(CANCELING, RESCHEDULE, -EBUSY, 0, RU | CA),
	R(CANCELING, RESCHEDULE_0, -EBUSY, 0, RU | CA),
	R(CANCELING, CANCEL, RU | CA, 0, RU | CA),
	R(CANCELING, CANCEL_SYNC, true, RU | CA, 0),
	R(CANCELING, FLUSH, true, RU | CA | FL, 0),
	R(CANCELING, CANCEL_D, RU | CA, 0, RU | CA),
	R(CANCELING, CANCEL_D_SYNC, true, RU | CA, 0),
	R(CANCELING, FLUSH_D, true, RU | CA | FL, 0),

	R(FLUSHING, SUBMIT, 2, 0, RU | QU | FL),
	R(FLUSHING, SUBMIT_ON, 2, 0, RU | QU | FL),
	R(FLUSHING, SCHEDULE, 1, 0, RU | DE | FL),
	R(FLUSHING, SCHEDULE_0, 2, 0, RU | QU | FL),
	R(FLUSHING, RESCHEDULE, 1, 0, RU | DE | FL),
	R(FLUSHING, RESCHEDULE_0, 2, 0, RU | QU | FL),
	R(FLUSHING, CANCEL, RU | CA, 0, RU | CA | FL),
	R(FLUSHING, CANCEL_SYNC, true, RU | CA | FL, 0),
	R(FLUSHING, FLUSH, true, RU | FL, 0),
	R(FLUSHING, CANCEL_D, RU | CA, 0, RU | CA | FL),
	R(FLUSHING, CANCEL_D_SYNC, true, RU | CA | FL, 0),
	R(FLUSHING, FLUSH_D, true, RU | FL, 0),

	R(DRAINING, SUBMIT, -EBUSY, 0, 0),
	R(DRAINING, SUBMIT_ON, -EBUSY, 0, 0),
	R(DRAINING, SCHEDULE, -EBUSY, 0, 0),
	R(DRAINING, SCHEDULE_0, -EBUSY, 0, 0),
	R(DRAINING, RESCHEDULE, -EBUSY, 0, 0),
	R(DRAINING, RESCHEDULE_0, -EBUSY, 0, 0),
	R(DRAINING, CANCEL, 0, 0, 0),
	R(DRAINING, CANCEL_SYNC, false, 0, 0),
	R(DRAINING, FLUSH, false, 0, 0),
	R(DRAINING, CANCEL_D, 0, 0, 0),
	R(DRAINING, CANCEL_D_SYNC, false, 0, 0),
	R(DRAINING, FLUSH_D, false, 0, 0),

	R(PLUGGED, SUBMIT, -EBUSY, 0, 0),
	R(PLUGGED, SUBMIT_ON, -EBUSY, 0, 0),
	R(PLUGGED, SCHEDULE, -EBUSY, 0, 0),
	R(PLUGGED, SCHEDULE_0, -EBUSY, 0, 0),
	R(PLUGGED, RESCHEDULE, -EBUSY, 0, 0),
	R(PLUGGED, RESCHEDULE_0, -EBUSY, 0, 0),
	R(PLUGGED, CANCEL, 0, 0, 0),
	R(PLUGGED, CANCEL_SYNC, false, 0, 0),
	R(PLUGGED, FLUSH, false, 0, 0),
	R(PLUGGED, CANCEL_D, 0, 0, 0),
	R(PLUGGED, CANCEL_D_SYNC, false, 0, 0),
	R(PLUGGED, FLUSH_D, false, 0, 0),
};

static void row_desc(const struct row *r, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s/%s", state_names[r->state],
		 op_names[r->op]);
}

KUNIT_ARRAY_PARAM(transition, rows, row_desc);

struct sm {
	struct pcwq *wq;
	int cpu;
	struct completion release;	/* the handlers wait for it */
	struct pcwq_kunit_item t;	/* the item under test */
	struct pcwq_kunit_item b;	/* the blocker */
	struct work_struct state_helper;	/* flushes t or drains */
	enum state state;
	struct work_struct op_helper;	/* runs an operation that waits */
	enum op op;
	int op_ret;
	bool op_done;
};

static int do_op(struct sm *s, enum op op)
{
	struct pcwq_delayable_work *dw = &s->t.dwork;

	switch (op) {
	case O_SUBMIT:
		return pcwq_submit(s->wq, &dw->work);
	case O_SUBMIT_ON:
		return pcwq_submit_on(s->wq, s->cpu, &dw->work);
	case O_SCHEDULE:
		return pcwq_schedule(s->wq, dw, LONG_DELAY);
	case O_SCHEDULE_0:
		return pcwq_schedule(s->wq, dw, 0);
	case O_RESCHEDULE:
		return pcwq_reschedule(s->wq, dw, LONG_DELAY);
	case O_RESCHEDULE_0:
		return pcwq_reschedule(s->wq, dw, 0);
	case O_CANCEL:
		return pcwq_cancel(&dw->work);
	case O_CANCEL_SYNC:
		return pcwq_cancel_sync(&dw->work);
	case O_FLUSH:
		return pcwq_flush(&dw->work);
	case O_CANCEL_D:
		return pcwq_cancel_delayable(dw);
	case O_CANCEL_D_SYNC:
		return pcwq_cancel_delayable_sync(dw);
	case O_FLUSH_D:
		return pcwq_flush_delayable(dw);
	}
	return -EINVAL;
}

static void op_helper_fn(struct work_struct *w)
{
	struct sm *s = container_of(w, struct sm, op_helper);

	s->op_ret = do_op(s, s->op);
	WRITE_ONCE(s->op_done, true);
}

static void state_helper_fn(struct work_struct *w)
{
	struct sm *s = container_of(w, struct sm, state_helper);

	if (s->state == S_FLUSHING)
		pcwq_flush(&s->t.dwork.work);
	else
		pcwq_drain(s->wq, false);
}

/* Tasks waiting on @work: flushers and sync cancels. */
static unsigned int nr_waiters(struct pcwq_work *work)
{
	struct list_head *pos;
	unsigned long flags;
	unsigned int n = 0;

	raw_spin_lock_irqsave(&work->lock, flags);
	list_for_each(pos, &work->waiters)
		n++;
	raw_spin_unlock_irqrestore(&work->lock, flags);
	return n;
}

static int sm_init(struct kunit *test)
{
	struct sm *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	if (!s)
		return -ENOMEM;
	s->cpu = cpumask_first(cpu_online_mask);
	init_completion(&s->release);
	pcwq_kunit_item_init(&s->t, &s->release, false);
	pcwq_kunit_item_init(&s->b, &s->release, true);
	INIT_WORK(&s->state_helper, state_helper_fn);
	INIT_WORK(&s->op_helper, op_helper_fn);
	test->priv = s;
	return 0;
}

/* Whatever happened: let everything end, then the queue. */
static void sm_exit(struct kunit *test)
{
	struct sm *s = test->priv;

	complete_all(&s->release);
	flush_work(&s->op_helper);
	flush_work(&s->state_helper);
	if (!s->wq)
		return;
	pcwq_unplug(s->wq);
	pcwq_cancel_delayable_sync(&s->t.dwork);
	pcwq_cancel_delayable_sync(&s->b.dwork);
	pcwq_destroy(s->wq);
}

static bool draining(struct pcwq *wq)
{
	return READ_ONCE(wq->state) & PCWQ_DRAINING;
}

/* Bring the item into @st. */
static void set_up(struct kunit *test, struct sm *s, enum state st)
{
	struct pcwq_work *t = &s->t.dwork.work;
	bool ok;

	s->state = st;
	s->wq = pcwq_kunit_queue(test, s->cpu, 1, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s->wq);
	switch (st) {
	case S_IDLE:
	case S_QUEUED:
	case S_DELAYED:
	case S_DRAINING:
		KUNIT_ASSERT_EQ(test, pcwq_submit_on(s->wq, s->cpu,
						     &s->b.dwork.work), 1);
		KUNIT_ASSERT_TRUE(test, pcwq_kunit_wait_started(test, &s->b));
		break;
	case S_RUNNING:
	case S_RUNNING_QUEUED:
	case S_CANCELING:
	case S_FLUSHING:
		s->t.hold = true;
		KUNIT_ASSERT_EQ(test, pcwq_submit_on(s->wq, s->cpu, t), 1);
		KUNIT_ASSERT_TRUE(test, pcwq_kunit_wait_started(test, &s->t));
		break;
	case S_PLUGGED:
		KUNIT_ASSERT_EQ(test, pcwq_drain(s->wq, true), 0);
		break;
	}
	switch (st) {
	case S_QUEUED:
		KUNIT_ASSERT_EQ(test, pcwq_submit_on(s->wq, s->cpu, t), 1);
		break;
	case S_DELAYED:
		KUNIT_ASSERT_EQ(test, pcwq_schedule_on(s->wq, s->cpu,
						       &s->t.dwork,
						       LONG_DELAY), 1);
		break;
	case S_RUNNING_QUEUED:
		KUNIT_ASSERT_EQ(test, pcwq_submit_on(s->wq, s->cpu, t), 2);
		break;
	case S_CANCELING:
		KUNIT_ASSERT_EQ(test, pcwq_cancel(t), RU | CA);
		break;
	case S_FLUSHING:
		queue_work(system_unbound_wq, &s->state_helper);
		ok = pcwq_kunit_wait_for(nr_waiters(t) == 1);
		KUNIT_ASSERT_TRUE_MSG(test, ok, "no flusher came");
		break;
	case S_DRAINING:
		queue_work(system_unbound_wq, &s->state_helper);
		ok = pcwq_kunit_wait_for(draining(s->wq));
		KUNIT_ASSERT_TRUE_MSG(test, ok, "the drain did not start");
		break;
	default:
		break;
	}
	KUNIT_ASSERT_EQ_MSG(test, pcwq_work_busy(t), state_busy[st],
			    "setting up %s", state_names[st]);
}

static void transition(struct kunit *test)
{
	const struct row *r = test->param_value;
	struct sm *s = test->priv;
	struct pcwq_work *t = &s->t.dwork.work;
	unsigned int waiters;
	bool waits;

	set_up(test, s, r->state);
	if (!r->wait) {
		KUNIT_EXPECT_EQ(test, do_op(s, r->op), r->ret);
		KUNIT_EXPECT_EQ(test, pcwq_work_busy(t), r->after);
		return;
	}
	waiters = nr_waiters(t);
	s->op = r->op;
	queue_work(system_unbound_wq, &s->op_helper);
	waits = pcwq_kunit_wait_for(nr_waiters(t) > waiters);
	KUNIT_ASSERT_TRUE_MSG(test, waits, "%s does not wait",
			      op_names[r->op]);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(s->op_done));
	KUNIT_EXPECT_EQ_MSG(test, pcwq_work_busy(t), r->wait, "while waiting");
	complete_all(&s->release);
	flush_work(&s->op_helper);
	flush_work(&s->state_helper);
	KUNIT_EXPECT_EQ(test, s->op_ret, r->ret);
	KUNIT_EXPECT_EQ_MSG(test, pcwq_work_busy(t), r->after, "after");
}

/* After the table: an item runs once per queued instance. */
static void runs_counted(struct kunit *test)
{
	struct sm *s = test->priv;
	struct pcwq_work *t = &s->t.dwork.work;

	s->wq = pcwq_kunit_queue(test, s->cpu, 1, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s->wq);
	s->t.hold = true;
	KUNIT_ASSERT_EQ(test, pcwq_submit_on(s->wq, s->cpu, t), 1);
	KUNIT_ASSERT_TRUE(test, pcwq_kunit_wait_started(test, &s->t));
	KUNIT_EXPECT_EQ(test, pcwq_submit(s->wq, t), 2);
	KUNIT_EXPECT_EQ(test, pcwq_submit(s->wq, t), 0);
	complete_all(&s->release);
	/* Both instances may be over already: whether it waited varies. */
	pcwq_flush(t);
	KUNIT_EXPECT_EQ(test, atomic_read(&s->t.runs), 2);
	KUNIT_EXPECT_FALSE(test, pcwq_flush(t));
	KUNIT_EXPECT_EQ(test, pcwq_drain(s->wq, true), 0);
	KUNIT_EXPECT_EQ(test, pcwq_unplug(s->wq), 0);
	KUNIT_EXPECT_EQ(test, pcwq_unplug(s->wq), -EALREADY);
}

static struct kunit_case pcwq_state_cases[] = {
	KUNIT_CASE_PARAM(transition, transition_gen_params),
	KUNIT_CASE(runs_counted),
	{}
};

static struct kunit_suite pcwq_state_suite = {
	.name = "pcwq_state",
	.init = sm_init,
	.exit = sm_exit,
	.test_cases = pcwq_state_cases,
};

kunit_test_suite(pcwq_state_suite);
