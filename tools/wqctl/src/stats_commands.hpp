// The statistics commands: "stats" and "stats reset".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "session.hpp"

namespace wqctl {

/// Arguments of the statistics commands, as parsed.
struct StatsArgs {
  std::optional<std::uint32_t> cpu;  ///< only this CPU (asked of the kernel)
  std::optional<std::string> queue;  ///< only this queue (filtered here)
};

/// Adds the commands to app; they parse into args, which must outlive app.
void add_stats_commands(CLI::App& app, const AddCommand& add_command, StatsArgs& args);

/// stats without the queues other than the one named, when one is.  Throws OpError (ENOENT)
/// when there is no such queue.
Stats select_queue(Stats stats, const std::optional<std::string>& queue);

}  // namespace wqctl
