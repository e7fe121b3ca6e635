#include "monitor.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <limits>
#include <system_error>
#include <vector>

#include <poll.h>

#include <CLI/CLI.hpp>

#include "cli_args.hpp"
#include "errors.hpp"
#include "event_output.hpp"
#include "events.hpp"
#include "netlink.hpp"
#include "pcwq_genl.h"
#include "stop_signals.hpp"

namespace wqctl {
namespace {

using Clock = std::chrono::steady_clock;

/// The pcwq notifications, on a socket of their own: requests are answered on another one.
class EventSocket {
 public:
  /// Throws ModuleNotLoaded when the family is not registered.
  EventSocket() : family_(resolve_family(sock_)) {
    const auto group = sock_.resolve_group(PCWQ_GENL_NAME, PCWQ_GENL_MCGRP_EVENTS);
    if (!group) {
      throw OpError(std::generic_category().message(ENOENT), ENOENT,
                    "the module has no \"" PCWQ_GENL_MCGRP_EVENTS "\" multicast group");
    }
    sock_.join_group(*group);
  }

  [[nodiscard]] int fd() const { return sock_.fd(); }

  /// The events of the next datagram, waiting for it; nullopt when the kernel dropped events
  /// because the socket's receive buffer was full.
  std::optional<std::vector<Event>> receive() {
    const auto datagram = sock_.receive_unless_overrun();
    if (!datagram) {
      return std::nullopt;
    }
    return decode_event_datagram(*datagram, family_);
  }

 private:
  static int resolve_family(nl::Socket& sock) {
    const auto family = sock.resolve_family(PCWQ_GENL_NAME);
    if (!family) {
      throw ModuleNotLoaded();
    }
    return *family;
  }

  nl::Socket sock_;
  int family_;
};

enum class Wake {
  message,  ///< the socket is readable
  stop,     ///< SIGINT or SIGTERM
  timeout,
};

/// Milliseconds from now to deadline for poll(), rounded up: -1 (no limit) without a deadline.
int poll_timeout(std::optional<Clock::time_point> deadline) {
  if (!deadline) {
    return -1;
  }
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
  return static_cast<int>(
      std::clamp<std::chrono::milliseconds::rep>(left.count(), 0, std::numeric_limits<int>::max()));
}

Wake wait(const EventSocket& events, const StopSignals& stop,
          std::optional<Clock::time_point> deadline) {
  std::array fds{pollfd{.fd = stop.fd(), .events = POLLIN, .revents = 0},
                 pollfd{.fd = events.fd(), .events = POLLIN, .revents = 0}};
  while (true) {
    const int timeout = poll_timeout(deadline);
    if (timeout == 0 && deadline) {
      return Wake::timeout;
    }
    const int ready = poll(fds.data(), fds.size(), timeout);
    if (ready < 0 && errno != EINTR) {
      throw OpError(std::generic_category().message(errno), errno);
    }
    // A stop first: it ends the command even while events keep coming.
    if (ready > 0 && fds[0].revents != 0) {
      return Wake::stop;
    }
    if (ready > 0 && fds[1].revents != 0) {
      return Wake::message;  // POLLERR too: receiving then reports the overrun
    }
  }
}

/// Prints events until args.count of them came, args.timeout seconds passed or a signal
/// stopped it.  Lost events are reported, and do not count.
void monitor(Session& session, const MonitorArgs& args) {
  EventSocket events;
  const StopSignals stop;
  const std::uint32_t limit = args.count.value_or(0);
  std::optional<Clock::time_point> deadline;
  if (args.timeout.value_or(0) != 0) {
    deadline = Clock::now() + std::chrono::seconds(*args.timeout);
  }
  // The counters when listening began, or when events were last lost, and what the events
  // received since then reported: after a loss, the difference is what was missed.
  EventTally counted = tally_of(session.client().stats(std::nullopt).pools);
  EventTally reported;
  std::uint64_t seen = 0;
  while (wait(events, stop, deadline) == Wake::message) {
    const auto received = events.receive();
    if (!received) {
      const EventTally now = tally_of(session.client().stats(std::nullopt).pools);
      session.print_now(
          render_events_lost(events_missed(counted, now, reported), session.format()));
      counted = now;
      reported = {};
      continue;
    }
    for (const Event& event : *received) {
      reported.add(event);
      session.print_now(render_event(event, session.format()));
      if (++seen == limit) {
        return;
      }
    }
  }
}

}  // namespace

void add_monitor_command(CLI::App& app, const AddCommand& add_command, MonitorArgs& args) {
  CLI::App& command = add_command(
      app, "monitor",
      "Print the module's events as they come, one line each (-j: one JSON object per line), "
      "until stopped by Ctrl-C",
      [&args](Session& session) { monitor(session, args); });
  add_u32_option(command, "--count", args.count, "Stop after N events (default 0: never)");
  add_u32_option(command, "--timeout", args.timeout,
                 "Stop after this many seconds (default 0: never)")
      ->type_name("SECONDS");
}

}  // namespace wqctl
