#include "stop_signals.hpp"

#include <cerrno>
#include <system_error>

#include <sys/signalfd.h>
#include <unistd.h>

#include "errors.hpp"

namespace wqctl {
namespace {

OpError errno_error(int errnum) { return {std::generic_category().message(errnum), errnum}; }

sigset_t stop_set() {
  sigset_t set{};
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

StopSignals::StopSignals() {
  const sigset_t set = stop_set();
  if (sigprocmask(SIG_BLOCK, &set, &old_mask_) != 0) {
    throw errno_error(errno);
  }
  fd_ = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd_ < 0) {
    const int errnum = errno;
    sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
    throw errno_error(errnum);
  }
}

StopSignals::~StopSignals() {
  // Reading takes the pending signals, which would otherwise end the process once unblocked.
  signalfd_siginfo info{};
  while (read(fd_, &info, sizeof(info)) > 0) {
  }
  close(fd_);
  sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
}

}  // namespace wqctl
