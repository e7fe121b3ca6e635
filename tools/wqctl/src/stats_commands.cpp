#include "stats_commands.hpp"

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <utility>

#include <CLI/CLI.hpp>

#include "cli_args.hpp"
#include "errors.hpp"
#include "queue_output.hpp"

namespace wqctl {
namespace {

/// Per-CPU rows are shown when the output is narrowed to a CPU or a queue.
void show_stats(Session& session, const StatsArgs& args) {
  const Stats stats = select_queue(session.client().stats(args.cpu), args.queue);
  session.print(render_stats(stats, session.format(), args.cpu || args.queue));
}

void reset_stats(Session& session, const StatsArgs& args) {
  if (args.cpu || args.queue) {
    throw UsageError("--cpu and --queue do not apply: every counter is reset");
  }
  session.client().reset_stats();
}

}  // namespace

Stats select_queue(Stats stats, const std::optional<std::string>& queue) {
  if (!queue) {
    return stats;
  }
  std::erase_if(stats.queues, [&](const Queue& each) { return each.name != *queue; });
  if (stats.queues.empty()) {
    throw OpError(std::generic_category().message(ENOENT), ENOENT, "no such queue");
  }
  return stats;
}

void add_stats_commands(CLI::App& app, const AddCommand& add_command, StatsArgs& args) {
  CLI::App& stats = add_command(app, "stats", "Show the counters of pools and queues",
                                [&args](Session& session) { show_stats(session, args); });
  add_u32_option(stats, "--cpu", args.cpu, "Only this CPU: its pools and the queues' entries");
  stats
      .add_option_function<std::string>(
          "--queue", [&args](const std::string& name) { args.queue = name; },
          "Only this queue, with its CPUs")
      ->check(queue_name_validator())
      ->type_name("NAME");

  add_command(stats, "reset", "Zero every counter (needs CAP_NET_ADMIN)",
              [&args](Session& session) { reset_stats(session, args); });
}

}  // namespace wqctl
