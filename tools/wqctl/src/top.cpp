#include "top.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "cli_args.hpp"
#include "errors.hpp"
#include "pcwq_proto.hpp"
#include "stop_signals.hpp"
#include "top_output.hpp"

namespace wqctl {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint32_t max_interval = 3600;

/// Clears the screen and puts the cursor at its top left corner.
constexpr std::string_view clear_screen = "\x1b[H\x1b[2J";

/// Keys typed on a terminal: while it lives, the terminal is in non-canonical mode without
/// echo, so that each key can be read as it is typed.  Ctrl-C still sends SIGINT.
class Keys {
 public:
  /// Reads nothing when terminal is not one.
  explicit Keys(int terminal) : terminal_(terminal) {
    if (isatty(terminal) != 1 || tcgetattr(terminal, &saved_) != 0) {
      return;
    }
    termios raw = saved_;
    raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(terminal, TCSANOW, &raw) == 0) {
      fd_ = terminal;
      restore_ = true;
    }
  }
  Keys(const Keys&) = delete;
  Keys& operator=(const Keys&) = delete;
  Keys(Keys&&) = delete;
  Keys& operator=(Keys&&) = delete;
  /// Puts the terminal back as it was.
  ~Keys() {
    if (restore_) {
      tcsetattr(terminal_, TCSANOW, &saved_);
    }
  }

  /// The terminal to poll(); -1, which poll() skips, when there is none or it was closed.
  [[nodiscard]] int fd() const { return fd_; }

  /// Reads the keys typed: whether one of them asks to quit ('q').
  bool quit_typed() {
    std::array<char, 64> typed{};
    const ssize_t length = read(fd_, typed.data(), typed.size());
    if (length < 0 && (errno == EINTR || errno == EAGAIN)) {
      return false;
    }
    if (length <= 0) {  // closed: keys cannot quit any more, signals still can
      fd_ = -1;
      return false;
    }
    const std::string_view keys(typed.data(), static_cast<std::size_t>(length));
    return keys.find_first_of("qQ") != std::string_view::npos;
  }

 private:
  int terminal_;
  termios saved_{};
  bool restore_ = false;  ///< saved_ is to be put back
  int fd_ = -1;
};

/// Waits until deadline; false when a signal or a key asked to quit first.
bool wait_until(Clock::time_point deadline, const StopSignals& stop, Keys* keys) {
  while (true) {
    std::array fds{pollfd{.fd = stop.fd(), .events = POLLIN, .revents = 0},
                   pollfd{.fd = keys != nullptr ? keys->fd() : -1, .events = POLLIN, .revents = 0}};
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      return true;
    }
    const int ready = poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (const int errnum = errno; ready < 0 && errnum != EINTR) {
      throw OpError(std::generic_category().message(errnum), errnum);
    }
    if (ready > 0 && fds[0].revents != 0) {
      return false;
    }
    if (ready > 0 && fds[1].revents != 0 && keys != nullptr && keys->quit_typed()) {
      return false;
    }
  }
}

/// The statistics and when they were read.
struct Sample {
  Stats stats;
  Clock::time_point taken;
  std::uint64_t time_ms = 0;  ///< since the Unix epoch
};

Sample sample(const std::function<Stats()>& read_stats) {
  Stats stats = read_stats();
  const auto since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return {.stats = std::move(stats),
          .taken = Clock::now(),
          .time_ms = static_cast<std::uint64_t>(since_epoch.count())};
}

/// "N s", or "N ms" for an interval that is not a whole number of seconds.
std::string interval_text(std::chrono::milliseconds interval) {
  if (interval.count() % 1000 == 0) {
    return std::to_string(interval.count() / 1000) + " s";
  }
  return std::to_string(interval.count()) + " ms";
}

/// Interactive (each frame on a cleared screen, keys read) when stdout is a terminal, the
/// output is text and no --iterations is given.
void top(Session& session, const TopArgs& args) {
  Client& client = session.client();
  const TopRun run{
      .interval = std::chrono::seconds(args.interval.value_or(1)),
      .frames = args.iterations.value_or(0),
      .interactive = !session.json() && !args.iterations && isatty(STDOUT_FILENO) == 1,
  };
  run_top(
      session, [&client] { return client.stats(std::nullopt); }, run);
}

}  // namespace

void run_top(Session& session, const std::function<Stats()>& read_stats, const TopRun& run) {
  const StopSignals stop;
  std::optional<Keys> keys;
  std::string title;
  if (run.interactive) {
    keys.emplace(STDIN_FILENO);
    title = std::string(clear_screen) + "wqctl top: every " + interval_text(run.interval) + ", " +
            (keys->fd() >= 0 ? "q" : "Ctrl-C") + " quits\n\n";
    session.print_now(title);
  }
  Sample before = sample(read_stats);
  for (std::uint32_t frames = 0; run.frames == 0 || frames < run.frames; ++frames) {
    if (!wait_until(before.taken + run.interval, stop, keys ? &*keys : nullptr)) {
      return;
    }
    Sample after = sample(read_stats);
    const TopFrame frame =
        top_frame(before.stats, after.stats,
                  std::chrono::duration_cast<std::chrono::milliseconds>(after.taken - before.taken),
                  after.time_ms);
    // Text frames that follow one another are set apart by a blank line.
    const std::string separator = !run.interactive && !session.json() && frames > 0 ? "\n" : "";
    session.print_now(title + separator + render_top(frame, session.format()));
    before = std::move(after);
  }
}

void add_top_command(CLI::App& app, const AddCommand& add_command, TopArgs& args) {
  CLI::App& command = add_command(
      app, "top",
      "Show the pools of each CPU, refreshed every interval, until q or Ctrl-C (-j: one JSON "
      "object per line)",
      [&args](Session& session) { top(session, args); });
  add_u32_option(command, "--interval", args.interval, "Seconds between frames (default 1)")
      ->check(CLI::Range(1U, max_interval))
      ->type_name("SECONDS");
  add_u32_option(command, "--iterations", args.iterations,
                 "Stop after N frames, printed one after the other (default 0: never)");
}

}  // namespace wqctl
