// SIGINT and SIGTERM as a file descriptor to poll(), for the commands that run until stopped.
#pragma once

#include <csignal>

namespace wqctl {

/// While it lives, SIGINT and SIGTERM do not end the process: they are blocked and make fd()
/// readable instead.  Signals ignored when it is made (as a shell does for background jobs)
/// stay ignored.
class StopSignals {
 public:
  /// Throws OpError when the signals cannot be taken over.
  StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  StopSignals(StopSignals&&) = delete;
  StopSignals& operator=(StopSignals&&) = delete;
  /// Discards the signals that came and lets them end the process again.
  ~StopSignals();

  /// Readable once a signal came.
  [[nodiscard]] int fd() const { return fd_; }

 private:
  sigset_t old_mask_{};
  int fd_ = -1;
};

}  // namespace wqctl
