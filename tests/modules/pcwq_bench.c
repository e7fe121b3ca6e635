// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq bench: pcwq beside the kernel's own workqueue (CMWQ) on the same
 * kernel, CPUs and load.  Runs at load time the figures named by `tests`
 * and prints one line per measurement to the kernel log:
 *
 *   pcwq_bench: R fig=NAME impl=IMPL key=value ...
 *
 * and "pcwq_bench: done" at the end; scripts/bench-report.py turns them
 * into the table, JSON and plots.  The figures:
 *
 *   tput  every online CPU has a producer kthread that queues `items`
 *         distinct items to its own CPU (as lib/test_workqueue.c does);
 *         items per second from the release of the producers to the end
 *         of the last handler, and p50/p90/p95 of the submit call
 *   lat   queue-to-start latency of one item at a time, submitted from
 *         CPU 0 to CPU 0 (same) or CPU 1 (cross), idle or with a spinning
 *         kthread on every online CPU (load): p50/p90/p99/max
 *   hol   head of line behind a blocking item on a rescued queue: the
 *         pool of CPU 1 is starved (its workers blocked, thread creation
 *         failing: pcwq's inject_worker_fail, for CMWQ kernel.threads-max
 *         capped), an item B that sleeps `hol_block_ms` and `hol_shorts`
 *         short items behind it go to the rescuer; once B runs the
 *         pressure ends; the figure is the time from then to the last
 *         short item's end
 *   mem   bytes per queue (slab, per-CPU and kernel stacks from
 *         /proc/meminfo over `mem_queues` queues), threads per queue, and
 *         the sizes of items and pools
 *
 * impl is pcwq, cmwq (alloc_workqueue per-CPU) or cmwq_unbound
 * (WQ_UNBOUND; queue_work_on() takes the CPU as a hint only).  Test
 * module: it writes pcwq's parameters and kernel.threads-max itself, so it
 * must run alone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include <pcwq.h>
#include "internal.h"

static char *tests = "tput,lat,hol,mem";
module_param(tests, charp, 0444);
MODULE_PARM_DESC(tests, "Figures to measure: tput, lat, hol, mem (comma list)");

static char *impls = "pcwq,cmwq,cmwq_unbound";
module_param(impls, charp, 0444);
MODULE_PARM_DESC(impls, "tput: implementations to measure (comma list), for a profile of one");

static unsigned int reps = 5;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "Repetitions of each figure");

static unsigned int items = 20000;
module_param(items, uint, 0444);
MODULE_PARM_DESC(items, "tput: items per producer");

static unsigned int samples = 200;
module_param(samples, uint, 0444);
MODULE_PARM_DESC(samples, "lat: samples per repetition");

static unsigned int hol_block_ms = 1000;
module_param(hol_block_ms, uint, 0444);
MODULE_PARM_DESC(hol_block_ms, "hol: how long the blocking item sleeps");

static unsigned int hol_shorts = 20;
module_param(hol_shorts, uint, 0444);
MODULE_PARM_DESC(hol_shorts, "hol: short items behind the blocking one");

static unsigned int mem_queues = 64;
module_param(mem_queues, uint, 0444);
MODULE_PARM_DESC(mem_queues, "mem: queues created of each kind");

enum bimpl { PCWQ, CMWQ, CMWQ_UNBOUND, NR_IMPL };
static const char *const impl_name[NR_IMPL] = { "pcwq", "cmwq", "cmwq_unbound" };

/* A queue of either kind. */
struct bq {
	enum bimpl impl;
	struct pcwq *p;
	struct workqueue_struct *k;
};

struct bitem {
	union {
		struct pcwq_work pw;
		struct work_struct kw;
	};
	u64 t_start;
	bool rescued;
	struct completion *done;
};

static int bq_create(struct bq *q, enum bimpl impl, const char *name,
		     bool reclaim)
{
	q->impl = impl;
	q->p = NULL;
	q->k = NULL;
	if (impl == PCWQ) {
		q->p = pcwq_create(&(struct pcwq_attrs){
			.name = name,
			.flags = reclaim ? PCWQ_MEM_RECLAIM : 0 });
		return IS_ERR_OR_NULL(q->p) ? -ENOMEM : 0;
	}
	q->k = alloc_workqueue("%s", (impl == CMWQ_UNBOUND ? WQ_UNBOUND : 0) |
			       (reclaim ? WQ_MEM_RECLAIM : 0), 0, name);
	return q->k ? 0 : -ENOMEM;
}

static void bq_destroy(struct bq *q)
{
	if (q->p)
		pcwq_destroy(q->p);
	if (q->k)
		destroy_workqueue(q->k);
}

static void bq_flush(struct bq *q)
{
	if (q->p)
		pcwq_drain(q->p, false);
	else
		flush_workqueue(q->k);
}

static void bitem_init(struct bq *q, struct bitem *it, pcwq_func_t pf,
		       work_func_t kf)
{
	if (q->impl == PCWQ)
		pcwq_init_work(&it->pw, pf);
	else
		INIT_WORK(&it->kw, kf);
}

/* Queue on @cpu, or on the submitting CPU for -1. */
static void bq_submit(struct bq *q, int cpu, struct bitem *it)
{
	if (q->impl == PCWQ)
		pcwq_submit_on(q->p, cpu < 0 ? PCWQ_CPU_ANY : cpu, &it->pw);
	else if (cpu < 0)
		queue_work(q->k, &it->kw);
	else
		queue_work_on(cpu, q->k, &it->kw);
}

static struct bitem *bitem_of_p(struct pcwq_work *w)
{
	return container_of(w, struct bitem, pw);
}

static struct bitem *bitem_of_k(struct work_struct *w)
{
	return container_of(w, struct bitem, kw);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* The p-th percentile of sorted @v[0..n-1], nearest rank. */
static u64 pct(const u64 *v, unsigned int n, unsigned int p)
{
	unsigned int r = DIV_ROUND_UP(n * p, 100);

	if (!n)
		return 0;
	return v[clamp(r, 1U, n) - 1];
}

/* ---- files: pcwq's parameters, sysctls, /proc ---- */

static int file_write(const char *path, const char *s)
{
	struct file *f = filp_open(path, O_WRONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, s, strlen(s), &pos);
	filp_close(f, NULL);
	return n < 0 ? n : 0;
}

static ssize_t file_read(const char *path, char *buf, size_t len)
{
	struct file *f = filp_open(path, O_RDONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, len - 1, &pos);
	filp_close(f, NULL);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

/* The number of threads, the last field of /proc/loadavg ("1/123"). */
static long nr_threads_now(void)
{
	char buf[128], *p;
	long v;

	if (file_read("/proc/loadavg", buf, sizeof(buf)) <= 0)
		return -1;
	p = strchr(buf, '/');
	if (!p || sscanf(p + 1, "%ld", &v) != 1)
		return -1;
	return v;
}

/* Slab + Percpu + KernelStack of /proc/meminfo, in kB. */
static long kmem_kb(void)
{
	static const char *const keys[] = { "Slab:", "Percpu:", "KernelStack:" };
	char *buf, *p;
	long sum = 0, v;
	int i;

	buf = kmalloc(8192, GFP_KERNEL);
	if (!buf)
		return -1;
	file_write("/proc/sys/vm/stat_refresh", "1");
	if (file_read("/proc/meminfo", buf, 8192) <= 0) {
		kfree(buf);
		return -1;
	}
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		p = strstr(buf, keys[i]);
		if (p && sscanf(p + strlen(keys[i]), "%ld", &v) == 1)
			sum += v;
	}
	kfree(buf);
	return sum;
}

/* ---- tput ---- */

static atomic_t tp_left;
static u64 tp_end;
static DECLARE_COMPLETION(tp_done);

static void tp_item_end(void)
{
	if (atomic_dec_and_test(&tp_left)) {
		WRITE_ONCE(tp_end, ktime_get_ns());
		complete(&tp_done);
	}
}

static void tp_pfn(struct pcwq_work *w)
{
	tp_item_end();
}

static void tp_kfn(struct work_struct *w)
{
	tp_item_end();
}

struct producer {
	struct task_struct *task;
	struct bq *q;
	struct bitem *items;
	u64 *lat;
	struct completion *go;
	struct completion finished;
};

static int producer_fn(void *arg)
{
	struct producer *pr = arg;
	unsigned int i;
	u64 t;

	wait_for_completion(pr->go);
	for (i = 0; i < items; i++) {
		t = ktime_get_ns();
		bq_submit(pr->q, -1, &pr->items[i]);
		pr->lat[i] = ktime_get_ns() - t;
	}
	complete(&pr->finished);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static int tput_one(struct bq *q, int rep)
{
	unsigned int nprod = num_online_cpus(), n = 0, i;
	struct completion go;
	struct producer *pr;
	u64 *all, t0;
	int cpu, ret = 0;

	pr = kcalloc(nr_cpu_ids, sizeof(*pr), GFP_KERNEL);
	all = vmalloc(array_size(nprod * items, sizeof(u64)));
	if (!pr || !all) {
		ret = -ENOMEM;
		goto out;
	}
	init_completion(&go);
	atomic_set(&tp_left, nprod * items);
	reinit_completion(&tp_done);
	for_each_online_cpu(cpu) {
		struct producer *p = &pr[cpu];

		p->q = q;
		p->go = &go;
		init_completion(&p->finished);
		p->items = vzalloc(array_size(items, sizeof(*p->items)));
		p->lat = vmalloc(array_size(items, sizeof(u64)));
		if (!p->items || !p->lat) {
			ret = -ENOMEM;
			goto out_stop;
		}
		for (i = 0; i < items; i++)
			bitem_init(q, &p->items[i], tp_pfn, tp_kfn);
		p->task = kthread_create(producer_fn, p, "bench_prod/%d", cpu);
		if (IS_ERR(p->task)) {
			ret = PTR_ERR(p->task);
			p->task = NULL;
			goto out_stop;
		}
		kthread_bind(p->task, cpu);
		wake_up_process(p->task);
	}
	msleep(20);
	t0 = ktime_get_ns();
	complete_all(&go);
	for_each_online_cpu(cpu)
		wait_for_completion(&pr[cpu].finished);
	if (!wait_for_completion_timeout(&tp_done, 120 * HZ)) {
		pr_err("tput: %s: items did not finish\n", impl_name[q->impl]);
		ret = -ETIMEDOUT;
	}
	bq_flush(q);
	for_each_online_cpu(cpu) {
		memcpy(all + n, pr[cpu].lat, items * sizeof(u64));
		n += items;
	}
	sort(all, n, sizeof(u64), cmp_u64, NULL);
	if (!ret) {
		u64 ns = max_t(u64, READ_ONCE(tp_end) - t0, 1);

		pr_info("R fig=tput impl=%s cpus=%u rep=%d items=%u ns=%llu items_per_sec=%llu submit_p50_ns=%llu submit_p90_ns=%llu submit_p95_ns=%llu\n",
			impl_name[q->impl], nprod, rep, n, ns,
			div64_u64((u64)n * NSEC_PER_SEC, ns), pct(all, n, 50),
			pct(all, n, 90), pct(all, n, 95));
	}
out_stop:
	complete_all(&go);
	for_each_online_cpu(cpu) {
		if (pr[cpu].task)
			kthread_stop(pr[cpu].task);
		vfree(pr[cpu].items);
		vfree(pr[cpu].lat);
	}
out:
	vfree(all);
	kfree(pr);
	return ret;
}

/* ---- lat ---- */

static void lat_pfn(struct pcwq_work *w)
{
	struct bitem *it = bitem_of_p(w);

	it->t_start = ktime_get_ns();
	complete(it->done);
}

static void lat_kfn(struct work_struct *w)
{
	struct bitem *it = bitem_of_k(w);

	it->t_start = ktime_get_ns();
	complete(it->done);
}

struct lat_run {
	struct bq *q;
	int target;
	u64 *v;
	int ret;
	struct completion finished;
};

static int sampler_fn(void *arg)
{
	struct lat_run *lr = arg;
	struct completion done;
	struct bitem *it;
	unsigned int i;
	u64 t;

	/* Not on the stack: a kernel work item there must be declared so. */
	it = kzalloc(sizeof(*it), GFP_KERNEL);
	if (!it) {
		lr->ret = -ENOMEM;
		goto out;
	}
	init_completion(&done);
	it->done = &done;
	bitem_init(lr->q, it, lat_pfn, lat_kfn);
	for (i = 0; i < samples; i++) {
		reinit_completion(&done);
		t = ktime_get_ns();
		bq_submit(lr->q, lr->target, it);
		if (!wait_for_completion_timeout(&done, 30 * HZ)) {
			lr->ret = -ETIMEDOUT;
			break;
		}
		lr->v[i] = it->t_start - t;
		usleep_range(200, 400);
	}
	bq_flush(lr->q);
	kfree(it);
out:
	complete(&lr->finished);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static int hog_fn(void *arg)
{
	u64 end;

	while (!kthread_should_stop()) {
		end = ktime_get_ns() + 100 * NSEC_PER_USEC;
		while (ktime_get_ns() < end)
			cpu_relax();
		cond_resched();
	}
	return 0;
}

static int lat_one(struct bq *q, const char *where, int target,
		   const char *load, int rep)
{
	struct lat_run lr = { .q = q, .target = target };
	struct task_struct *t;
	int ret;

	lr.v = kcalloc(samples, sizeof(u64), GFP_KERNEL);
	if (!lr.v)
		return -ENOMEM;
	init_completion(&lr.finished);
	t = kthread_create(sampler_fn, &lr, "bench_lat");
	if (IS_ERR(t)) {
		kfree(lr.v);
		return PTR_ERR(t);
	}
	kthread_bind(t, 0);
	wake_up_process(t);
	wait_for_completion(&lr.finished);
	kthread_stop(t);
	ret = lr.ret;
	if (!ret) {
		sort(lr.v, samples, sizeof(u64), cmp_u64, NULL);
		pr_info("R fig=lat impl=%s where=%s load=%s rep=%d samples=%u p50_ns=%llu p90_ns=%llu p99_ns=%llu max_ns=%llu\n",
			impl_name[q->impl], where, load, rep, samples,
			pct(lr.v, samples, 50), pct(lr.v, samples, 90),
			pct(lr.v, samples, 99), lr.v[samples - 1]);
	} else {
		pr_err("lat: %s %s %s: an item did not start\n",
		       impl_name[q->impl], where, load);
	}
	kfree(lr.v);
	return ret;
}

static struct task_struct **hogs;

static int hogs_start(void)
{
	int cpu;

	hogs = kcalloc(nr_cpu_ids, sizeof(*hogs), GFP_KERNEL);
	if (!hogs)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		hogs[cpu] = kthread_create(hog_fn, NULL, "bench_hog/%d", cpu);
		if (IS_ERR(hogs[cpu])) {
			hogs[cpu] = NULL;
			continue;
		}
		kthread_bind(hogs[cpu], cpu);
		wake_up_process(hogs[cpu]);
	}
	return 0;
}

static void hogs_stop(void)
{
	int cpu;

	if (!hogs)
		return;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (hogs[cpu])
			kthread_stop(hogs[cpu]);
	kfree(hogs);
	hogs = NULL;
}

/* ---- hol ---- */

static DECLARE_WAIT_QUEUE_HEAD(hol_wait);
static bool hol_released;
static atomic_t hol_blk_started, hol_shorts_left, hol_shorts_rescued;
static bool hol_b_started, hol_b_rescued;
static u64 hol_last_end;
static DECLARE_COMPLETION(hol_shorts_done);
static DECLARE_COMPLETION(hol_b_done);

/* Whether the current task is a rescuer (pcwq's or CMWQ's). */
static bool on_rescuer(void)
{
	return !strncmp(current->comm, "pcwq_r/", 7) ||
		!strncmp(current->comm, "kworker/R-", 10) ||
		!strcmp(current->comm, "bench_hol");
}

static void hol_blocker(void)
{
	atomic_inc(&hol_blk_started);
	wait_event_timeout(hol_wait, READ_ONCE(hol_released), 60 * HZ);
}

static void hol_b(void)
{
	hol_b_rescued = on_rescuer();
	WRITE_ONCE(hol_b_started, true);
	msleep(hol_block_ms);
	complete(&hol_b_done);
}

static void hol_short(void)
{
	if (on_rescuer())
		atomic_inc(&hol_shorts_rescued);
	if (atomic_dec_and_test(&hol_shorts_left)) {
		WRITE_ONCE(hol_last_end, ktime_get_ns());
		complete(&hol_shorts_done);
	}
}

static void hol_blk_pfn(struct pcwq_work *w)
{
	hol_blocker();
}

static void hol_blk_kfn(struct work_struct *w)
{
	hol_blocker();
}

static void hol_b_pfn(struct pcwq_work *w)
{
	hol_b();
}

static void hol_b_kfn(struct work_struct *w)
{
	hol_b();
}

static void hol_short_pfn(struct pcwq_work *w)
{
	hol_short();
}

static void hol_short_kfn(struct work_struct *w)
{
	hol_short();
}

#define HOL_CPU		1
#define HOL_MAX_BLK	512

/* Make thread creation fail (on) or work again (off). */
static int pressure(enum bimpl impl, bool on, char *saved, size_t len)
{
	char buf[32];
	long n;

	if (impl == PCWQ)
		return file_write("/sys/module/pcwq/parameters/inject_worker_fail",
				  on ? "1" : "0");
	if (!on)
		return file_write("/proc/sys/kernel/threads-max", saved);
	if (file_read("/proc/sys/kernel/threads-max", saved, len) <= 0)
		return -EIO;
	n = nr_threads_now();
	if (n < 0)
		return -EIO;
	snprintf(buf, sizeof(buf), "%ld", max(n, 20L));
	return file_write("/proc/sys/kernel/threads-max", buf);
}

static int hol_one(enum bimpl impl, const char *mode, int rep)
{
	struct bitem *blk, *b, *shorts;
	struct bq qb, qr;
	char saved[32] = "";
	unsigned int nblk = 0, i;
	struct pcwq_stats st;
	u64 t0 = 0;
	int ret;

	blk = kcalloc(HOL_MAX_BLK + 1 + hol_shorts, sizeof(*blk), GFP_KERNEL);
	if (!blk)
		return -ENOMEM;
	b = &blk[HOL_MAX_BLK];
	shorts = b + 1;
	if (impl == PCWQ) {
		ret = file_write("/sys/module/pcwq/parameters/rescuer_mode", mode);
		if (ret)
			goto out_free;
	}
	ret = bq_create(&qb, impl, "bench_blk", false);
	if (ret)
		goto out_free;
	ret = bq_create(&qr, impl, "bench_hol", true);
	if (ret)
		goto out_qb;
	for (i = 0; i < HOL_MAX_BLK; i++)
		bitem_init(&qb, &blk[i], hol_blk_pfn, hol_blk_kfn);
	bitem_init(&qr, b, hol_b_pfn, hol_b_kfn);
	for (i = 0; i < hol_shorts; i++)
		bitem_init(&qr, &shorts[i], hol_short_pfn, hol_short_kfn);
	WRITE_ONCE(hol_released, false);
	WRITE_ONCE(hol_b_started, false);
	hol_b_rescued = false;
	atomic_set(&hol_blk_started, 0);
	atomic_set(&hol_shorts_left, hol_shorts);
	atomic_set(&hol_shorts_rescued, 0);
	reinit_completion(&hol_shorts_done);
	reinit_completion(&hol_b_done);

	ret = pressure(impl, true, saved, sizeof(saved));
	if (ret)
		goto out_qr;
	/* Block every worker of the pool: more blockers until some wait. */
	while (nblk < HOL_MAX_BLK) {
		for (i = 0; i < 16; i++)
			bq_submit(&qb, HOL_CPU, &blk[nblk++]);
		msleep(50);
		if (atomic_read(&hol_blk_started) < nblk)
			break;
	}
	bq_submit(&qr, HOL_CPU, b);
	for (i = 0; i < hol_shorts; i++)
		bq_submit(&qr, HOL_CPU, &shorts[i]);
	for (i = 0; i < 500 && !READ_ONCE(hol_b_started); i++)
		msleep(20);
	if (!READ_ONCE(hol_b_started))
		pr_err("hol: %s %s: the blocking item did not start in 10 s\n",
		       impl_name[impl], mode);
	/* Let a batch rescuer take the short items too. */
	msleep(min(hol_block_ms / 10, 100U));

	/* Memory pressure ends. */
	t0 = ktime_get_ns();
	pressure(impl, false, saved, sizeof(saved));
	WRITE_ONCE(hol_released, true);
	wake_up_all(&hol_wait);
	if (!wait_for_completion_timeout(&hol_shorts_done, 30 * HZ)) {
		pr_err("hol: %s %s: short items did not finish\n",
		       impl_name[impl], mode);
		ret = -ETIMEDOUT;
	}
	wait_for_completion_timeout(&hol_b_done, 30 * HZ);
	bq_flush(&qr);
	bq_flush(&qb);
	if (!ret) {
		u64 rescued = hol_b_rescued;

		if (impl == PCWQ) {
			pcwq_get_stats(qr.p, &st);
			rescued = st.rescued;
		}
		pr_info("R fig=hol impl=%s mode=%s rep=%d blockers=%u block_ms=%u shorts=%u b_on_rescuer=%d shorts_on_rescuer=%d rescued=%llu hol_ns=%llu\n",
			impl_name[impl], mode, rep, nblk, hol_block_ms,
			hol_shorts, hol_b_rescued,
			atomic_read(&hol_shorts_rescued), rescued,
			READ_ONCE(hol_last_end) - t0);
	}
out_qr:
	bq_destroy(&qr);
out_qb:
	bq_destroy(&qb);
out_free:
	kfree(blk);
	return ret;
}

/* ---- mem ---- */

static int mem_one(enum bimpl impl, bool reclaim)
{
	struct bq *qs;
	long kb0, kb1, th0, th1;
	unsigned int i, n = 0;
	char name[24];

	qs = kcalloc(mem_queues, sizeof(*qs), GFP_KERNEL);
	if (!qs)
		return -ENOMEM;
	msleep(100);
	th0 = nr_threads_now();
	kb0 = kmem_kb();
	for (i = 0; i < mem_queues; i++, n++) {
		snprintf(name, sizeof(name), "bench_mem%u", i);
		if (bq_create(&qs[i], impl, name, reclaim))
			break;
	}
	msleep(100);
	kb1 = kmem_kb();
	th1 = nr_threads_now();
	for (i = 0; i < n; i++)
		bq_destroy(&qs[i]);
	kfree(qs);
	if (!n)
		return -ENOMEM;
	pr_info("R fig=mem impl=%s reclaim=%d queues=%u bytes_per_queue=%ld threads_per_queue_x100=%ld\n",
		impl_name[impl], reclaim, n, (kb1 - kb0) * 1024 / n,
		(th1 - th0) * 100 / n);
	return 0;
}

static void mem_sizes(void)
{
	pr_info("R fig=size impl=pcwq work=%zu delayable=%zu queue=%zu per_cpu_queue=%zu pool=%zu worker=%zu\n",
		sizeof(struct pcwq_work), sizeof(struct pcwq_delayable_work),
		sizeof(struct pcwq), sizeof(struct pcwq_pwq),
		sizeof(struct pcwq_pool), sizeof(struct pcwq_worker));
	pr_info("R fig=size impl=cmwq work=%zu delayable=%zu\n",
		sizeof(struct work_struct), sizeof(struct delayed_work));
}

/* ---- driver ---- */

/* Whether @name is an element of the comma list @list. */
static bool listed(const char *list, const char *name)
{
	const char *p = list;
	size_t n = strlen(name);

	while ((p = strstr(p, name))) {
		if ((p == list || p[-1] == ',') && (!p[n] || p[n] == ','))
			return true;
		p += n;
	}
	return false;
}

static int run_tput(void)
{
	struct bq q;
	int impl, rep, ret = 0;

	for (rep = 0; rep < reps && !ret; rep++) {
		for (impl = 0; impl < NR_IMPL && !ret; impl++) {
			if (!listed(impls, impl_name[impl]))
				continue;
			ret = bq_create(&q, impl, "bench_tput", false);
			if (ret)
				break;
			ret = tput_one(&q, rep);
			bq_destroy(&q);
		}
	}
	return ret;
}

static int run_lat(void)
{
	static const struct { const char *where; int target; } w[] = {
		{ "same", 0 }, { "cross", 1 },
	};
	struct bq q[NR_IMPL];
	int impl, rep, i, l, ret = 0;

	if (num_online_cpus() < 2 || !cpu_online(0) || !cpu_online(1))
		return -ENODEV;
	for (impl = 0; impl < NR_IMPL; impl++) {
		ret = bq_create(&q[impl], impl, "bench_lat", false);
		if (ret) {
			while (impl--)
				bq_destroy(&q[impl]);
			return ret;
		}
	}
	for (l = 0; l < 2 && !ret; l++) {
		if (l)
			ret = hogs_start();
		for (rep = 0; rep < reps && !ret; rep++)
			for (i = 0; i < ARRAY_SIZE(w) && !ret; i++)
				for (impl = 0; impl < NR_IMPL && !ret; impl++)
					ret = lat_one(&q[impl], w[i].where,
						      w[i].target,
						      l ? "load" : "idle", rep);
		if (l)
			hogs_stop();
	}
	for (impl = 0; impl < NR_IMPL; impl++)
		bq_destroy(&q[impl]);
	return ret;
}

static int run_hol(void)
{
	int rep, ret = 0;

	if (!cpu_online(HOL_CPU))
		return -ENODEV;
	for (rep = 0; rep < reps && !ret; rep++) {
		ret = hol_one(PCWQ, "one", rep);
		if (!ret)
			ret = hol_one(PCWQ, "batch", rep);
		if (!ret)
			ret = hol_one(CMWQ, "kernel", rep);
	}
	file_write("/sys/module/pcwq/parameters/rescuer_mode", "one");
	return ret;
}

static int run_mem(void)
{
	int ret;

	mem_sizes();
	ret = mem_one(PCWQ, false);
	if (!ret)
		ret = mem_one(PCWQ, true);
	if (!ret)
		ret = mem_one(CMWQ, false);
	if (!ret)
		ret = mem_one(CMWQ, true);
	if (!ret)
		ret = mem_one(CMWQ_UNBOUND, false);
	return ret;
}

static int __init pcwq_bench_init(void)
{
	static const struct { const char *name; int (*fn)(void); } figs[] = {
		{ "tput", run_tput }, { "lat", run_lat },
		{ "hol", run_hol }, { "mem", run_mem },
	};
	int i, ret;

	if (!reps || !items || !samples || !hol_shorts || !mem_queues ||
	    !hol_block_ms)
		return -EINVAL;
	for (i = 0; i < NR_IMPL && !listed(impls, impl_name[i]); i++)
		;
	if (i == NR_IMPL)
		return -EINVAL;	/* no implementation named */
	for (i = 0; i < ARRAY_SIZE(figs); i++) {
		if (!listed(tests, figs[i].name))
			continue;
		ret = figs[i].fn();
		if (ret) {
			pr_err("%s failed: %d\n", figs[i].name, ret);
			return ret;
		}
	}
	pr_info("done\n");
	return 0;
}

static void __exit pcwq_bench_exit(void)
{
}

module_init(pcwq_bench_init);
module_exit(pcwq_bench_exit);
MODULE_DESCRIPTION("pcwq beside the kernel workqueue: throughput, latency, rescue, memory");
MODULE_LICENSE("GPL");
