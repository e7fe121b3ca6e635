// The "monitor" command: the module's notifications, one line each, as they come.
#pragma once

#include <cstdint>
#include <optional>

#include "session.hpp"

namespace wqctl {

/// Arguments of "monitor", as parsed.
struct MonitorArgs {
  std::optional<std::uint32_t> count;    ///< stop after this many events; 0: never
  std::optional<std::uint32_t> timeout;  ///< stop after this many seconds; 0: never
};

/// Adds the command to app; it parses into args, which must outlive app.
void add_monitor_command(CLI::App& app, const AddCommand& add_command, MonitorArgs& args);

}  // namespace wqctl
