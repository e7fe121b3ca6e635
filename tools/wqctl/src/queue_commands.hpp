// The commands on queues: "queue add|set|del|list", "load", "flush", "drain" and "unplug".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "queue_proto.hpp"
#include "session.hpp"

namespace wqctl {

/// Arguments of the queue commands, as parsed; one command runs per invocation.
struct QueueArgs {
  std::string name;
  bool rescuer = false;
  bool highpri = false;
  bool steal = false;
  bool no_yield = false;
  std::optional<std::uint32_t> max_active;
  std::optional<std::uint32_t> capacity;
  std::optional<std::uint32_t> rate;
  std::optional<std::uint32_t> burst;
  std::optional<std::uint32_t> max_wait_ms;
  std::optional<std::uint32_t> work_timeout_ms;
  std::optional<std::string> cpus;
  std::optional<std::uint32_t> count;
  std::optional<std::uint32_t> cpu;
  std::optional<std::uint32_t> spin_us;
  std::optional<std::uint32_t> sleep_ms;
  std::optional<std::uint32_t> delay_ms;
  bool plug = false;
};

/// The QUEUE_ADD request of "queue add".  Throws UsageError for --burst without a --rate above 0.
QueueSpec queue_spec(const QueueArgs& args);
/// The QUEUE_SET request of "queue set".  Throws UsageError when it changes nothing, or for
/// --burst above 0 with --rate 0.
QueueLimits queue_limits(const QueueArgs& args);

/// Adds the commands to app; they parse into args, which must outlive app.
void add_queue_commands(CLI::App& app, const AddCommand& add_command, QueueArgs& args);

}  // namespace wqctl
