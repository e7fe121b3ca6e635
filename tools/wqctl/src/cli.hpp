// The wqctl command line.
#pragma once

#include <iosfwd>
#include <string_view>

namespace wqctl {

/// wqctl's own version, from the repository's VERSION file.
std::string_view version();

/// Runs wqctl: parses the command line, executes the command and reports to out and err.
/// Returns the process exit status (see ExitCode); never throws.
int run(int argc, char** argv, std::ostream& out, std::ostream& err) noexcept;

}  // namespace wqctl
