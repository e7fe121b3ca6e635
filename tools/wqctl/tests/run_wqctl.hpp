// Running wqctl's command line in the tests, without a process of its own.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace wqctl::test {

/// What run() returned and printed.
struct Result {
  int status;
  std::string out;
  std::string err;
};

/// Runs "wqctl args...".
inline Result run_wqctl(std::vector<std::string> args) {
  args.insert(args.begin(), "wqctl");
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  std::ostringstream out;
  std::ostringstream err;
  const int status = run(static_cast<int>(args.size()), argv.data(), out, err);
  return {status, out.str(), err.str()};
}

}  // namespace wqctl::test
