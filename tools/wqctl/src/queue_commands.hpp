// The commands on queues: "queue add|del|list", "load", "flush", "drain" and "unplug".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "session.hpp"

namespace wqctl {

/// Arguments of the queue commands, as parsed; one command runs per invocation.
struct QueueArgs {
  std::string name;
  bool rescuer = false;
  bool highpri = false;
  std::optional<std::uint32_t> max_active;
  std::optional<std::uint32_t> capacity;
  std::optional<std::uint32_t> count;
  std::optional<std::uint32_t> cpu;
  std::optional<std::uint32_t> spin_us;
  std::optional<std::uint32_t> sleep_ms;
  std::optional<std::uint32_t> delay_ms;
  bool plug = false;
};

/// Adds the commands to app; they parse into args, which must outlive app.
void add_queue_commands(CLI::App& app, const AddCommand& add_command, QueueArgs& args);

}  // namespace wqctl
