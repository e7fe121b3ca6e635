// Error types of wqctl and the exit status each one leads to.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace wqctl {

/// Process exit status of wqctl.
enum class ExitCode : int {
  success = 0,
  failure = 1,  ///< the operation failed
  usage = 2,    ///< the command line was wrong; nothing was done
};

constexpr int exit_status(ExitCode code) { return static_cast<int>(code); }

/// A command line that wqctl itself rejects (CLI11 reports its own parse errors).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The pcwq generic netlink family is not registered: the module is not loaded.
class ModuleNotLoaded : public std::runtime_error {
 public:
  ModuleNotLoaded() : std::runtime_error("pcwq module is not loaded") {}
};

/// An operation failed, in libnl or in the kernel.
///
/// what() is the reason: the errno text, or libnl's description of its own errors.  When the
/// kernel answered with an extended ACK, its message and the attribute it blamed come along.
class OpError : public std::runtime_error {
 public:
  /// errnum is a positive errno value, 0 when the failure has none (a libnl error).
  OpError(const std::string& reason, int errnum, std::string ext_msg = {},
          std::optional<int> attr = std::nullopt)
      : std::runtime_error(reason), errnum_(errnum), ext_msg_(std::move(ext_msg)), attr_(attr) {}

  [[nodiscard]] int errnum() const noexcept { return errnum_; }
  /// NLMSGERR_ATTR_MSG of the kernel's extended ACK, empty when there was none.
  [[nodiscard]] const std::string& ext_msg() const noexcept { return ext_msg_; }
  /// Type of the request attribute that NLMSGERR_ATTR_OFFS pointed at.
  [[nodiscard]] std::optional<int> attr() const noexcept { return attr_; }

 private:
  int errnum_;
  std::string ext_msg_;
  std::optional<int> attr_;
};

}  // namespace wqctl
