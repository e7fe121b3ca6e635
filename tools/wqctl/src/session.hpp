// What the commands of one invocation share: the output format, the output stream and the
// connection to the module; and how a command is added to the command line.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "output.hpp"
#include "pcwq_proto.hpp"

namespace CLI {  // NOLINT(readability-identifier-naming): CLI11's
class App;
}  // namespace CLI

namespace wqctl {

/// Options valid for every command.
struct Options {
  bool json = false;
  bool pretty = false;

  [[nodiscard]] Format format() const {
    if (pretty) {
      return Format::json_pretty;
    }
    return json ? Format::json : Format::text;
  }
};

class Session {
 public:
  Session(const Options& options, std::ostream& out) : options_(options), out_(out) {}

  /// Connects on first use, so that rejecting a command line never touches netlink.
  Client& client() {
    if (!client_) {
      client_.emplace();
    }
    return *client_;
  }
  [[nodiscard]] Format format() const { return options_.format(); }
  [[nodiscard]] bool json() const { return format() != Format::text; }
  void print(const Record& record, Layout layout) { out_ << render(record, format(), layout); }
  void print(const std::string& text) { out_ << text; }
  /// Prints text and flushes it: for output that comes over time, read as it comes.
  void print_now(const std::string& text) { out_ << text << std::flush; }

 private:
  Options options_;
  std::ostream& out_;
  std::optional<Client> client_;
};

/// What a command does once the command line is parsed.
using Action = std::function<void(Session&)>;

/// Adds a command named name below parent, executing action when it is the one selected.
using AddCommand = std::function<CLI::App&(CLI::App& parent, const std::string& name,
                                           const std::string& description, Action action)>;

}  // namespace wqctl
