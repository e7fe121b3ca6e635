#include "queue_commands.hpp"

#include <CLI/CLI.hpp>

#include "cli_args.hpp"
#include "errors.hpp"
#include "pcwq_genl.h"
#include "queue_output.hpp"

namespace wqctl {
namespace {

/// The options of the rate limit, of aging and of the work timeout, shared by "queue add" and
/// "queue set".
void add_limit_options(CLI::App& command, QueueArgs& args) {
  add_u32_option(command, "--rate", args.rate,
                 "Items admitted per second on average, up to 1000000; beyond it submissions are "
                 "refused (0: no limit)",
                 max_queue_rate);
  add_u32_option(command, "--burst", args.burst,
                 "Items admitted at once (the token bucket), up to 1000000; only with a rate "
                 "(0: one second's worth of the rate)",
                 max_queue_rate);
  add_u32_option(command, "--max-wait-ms", args.max_wait_ms,
                 "Items that waited this long are served first, up to 3600000 ms (0: off)",
                 max_queue_wait_ms);
  add_u32_option(command, "--work-timeout-ms", args.work_timeout_ms,
                 "An item that runs longer is reported (log, overruns counter, monitor event) "
                 "but not stopped, up to 3600000 ms (0: off)",
                 max_queue_work_timeout_ms);
}

}  // namespace

QueueSpec queue_spec(const QueueArgs& args) {
  if (args.burst && args.rate.value_or(0) == 0) {
    throw UsageError("--burst needs a --rate above 0");
  }
  std::uint32_t flags = 0;
  if (args.rescuer) {
    flags |= PCWQ_QUEUE_F_RESCUER;
  }
  if (args.highpri) {
    flags |= PCWQ_QUEUE_F_HIGHPRI;
  }
  if (args.steal) {
    flags |= PCWQ_QUEUE_F_STEAL;
  }
  if (args.no_yield) {
    flags |= PCWQ_QUEUE_F_NO_YIELD;
  }
  return {
      .name = args.name,
      .flags = flags,
      .max_active = args.max_active,
      .capacity = args.capacity,
      .rate = args.rate,
      .burst = args.burst,
      .max_wait_ms = args.max_wait_ms,
      .work_timeout_ms = args.work_timeout_ms,
      .cpus = args.cpus,
  };
}

QueueLimits queue_limits(const QueueArgs& args) {
  QueueLimits limits{
      .name = args.name,
      .capacity = args.capacity,
      .rate = args.rate,
      .burst = args.burst,
      .max_wait_ms = args.max_wait_ms,
      .work_timeout_ms = args.work_timeout_ms,
  };
  if (limits.empty()) {
    throw UsageError(
        "nothing to set: give one or more of --capacity, --rate, --burst, --max-wait-ms and "
        "--work-timeout-ms");
  }
  // A burst alone keeps the queue's rate, which the module checks.
  if (args.rate == 0U && args.burst.value_or(0) != 0) {
    throw UsageError("--burst needs a --rate above 0");
  }
  return limits;
}

namespace {

/// The command line is checked before connecting.
void add_queue(Session& session, const QueueArgs& args) {
  const QueueSpec spec = queue_spec(args);
  session.client().add_queue(spec);
}

void set_queue(Session& session, const QueueArgs& args) {
  const QueueLimits limits = queue_limits(args);
  session.client().set_queue(limits);
}

void list_queues(Session& session) {
  session.print(render_queues(session.client().queues(), session.format()));
}

/// Refused items do not make the command fail: the module accepted the request.
void load(Session& session, const QueueArgs& args) {
  const LoadSpec spec{
      .name = args.name,
      .count = args.count,
      .cpu = args.cpu,
      .spin_us = args.spin_us,
      .sleep_ms = args.sleep_ms,
      .delay_ms = args.delay_ms,
  };
  session.print(render_load(session.client().load(spec), session.format()));
}

void drain(Session& session, const QueueArgs& args) {
  session.print(render_drain(session.client().drain(args.name, args.plug), session.format()));
}

}  // namespace

void add_queue_commands(CLI::App& app, const AddCommand& add_command, QueueArgs& args) {
  CLI::App& queue = *app.add_subcommand("queue", "Add, delete or list queues");
  queue.require_subcommand(1);

  CLI::App& add = add_command(queue, "add", "Create a queue (needs CAP_NET_ADMIN)",
                              [&args](Session& session) { add_queue(session, args); });
  add_queue_name(add, args.name);
  add.add_flag("--rescuer", args.rescuer,
               "PCWQ_MEM_RECLAIM: the queue owns a rescuer thread, which runs its items when a "
               "pool cannot get a new worker in time");
  add.add_flag("--highpri", args.highpri, "Run the queue's items on the high priority pools");
  add.add_flag("--steal", args.steal, "Let idle pools of other CPUs take the queue's items");
  add.add_flag("--no-yield", args.no_yield,
               "Run the queue's items back to back: the worker does not yield the CPU between "
               "them, so other threads of that CPU wait for the whole run");
  add_u32_option(add, "--max-active", args.max_active,
                 "Items running at once per CPU, 1 to 512 (default 0: the module's default)");
  add_u32_option(add, "--capacity", args.capacity,
                 "Most items queued at once (default 0: no limit)");
  add_limit_options(add, args);
  add_cpu_list_option(add, "--cpus", args.cpus,
                      "CPUs the queue runs on, as 0-3,6 (default: every CPU); --cpu of load and "
                      "work stealing keep to them");

  CLI::App& set = add_command(
      queue, "set",
      "Change the limits of a queue created by wqctl, all or nothing (needs CAP_NET_ADMIN)",
      [&args](Session& session) { set_queue(session, args); });
  add_queue_name(set, args.name);
  add_u32_option(set, "--capacity", args.capacity, "Most items queued at once (0: no limit)");
  add_limit_options(set, args);

  add_queue_name(
      add_command(queue, "del",
                  "Delete a queue created by wqctl, after draining it (needs CAP_NET_ADMIN)",
                  [&args](Session& session) { session.client().delete_queue(args.name); }),
      args.name);

  add_command(queue, "list", "List every queue of the module", list_queues);

  CLI::App& load_command =
      add_command(app, "load", "Queue synthetic work items (needs CAP_NET_ADMIN)",
                  [&args](Session& session) { load(session, args); });
  add_queue_name(load_command, args.name);
  add_u32_option(load_command, "--count", args.count, "Items to queue, 1 to 100000 (default 1)");
  add_u32_option(load_command, "--cpu", args.cpu,
                 "CPU to queue them on, one of the queue's (default: spread over the queue's "
                 "online CPUs)");
  add_u32_option(load_command, "--spin-us", args.spin_us, "Busy time of each item, microseconds");
  add_u32_option(load_command, "--sleep-ms", args.sleep_ms, "Sleep of each item, milliseconds");
  add_u32_option(load_command, "--delay-ms", args.delay_ms,
                 "Delay before the items are queued, milliseconds");

  add_queue_name(
      add_command(app, "flush", "Wait until the load queued so far has run (needs CAP_NET_ADMIN)",
                  [&args](Session& session) { session.client().flush(args.name); }),
      args.name);

  CLI::App& drain_command =
      add_command(app, "drain", "Wait until a queue is empty (needs CAP_NET_ADMIN)",
                  [&args](Session& session) { drain(session, args); });
  add_queue_name(drain_command, args.name);
  drain_command.add_flag("--plug", args.plug,
                         "Keep the queue plugged afterwards: it refuses new items until unplugged");

  add_queue_name(
      add_command(app, "unplug", "Let a plugged queue take items again (needs CAP_NET_ADMIN)",
                  [&args](Session& session) { session.client().unplug(args.name); }),
      args.name);
}

}  // namespace wqctl
