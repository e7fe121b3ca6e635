#include "cli.hpp"

#include <exception>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "config_keys.hpp"
#include "errors.hpp"
#include "monitor.hpp"
#include "output.hpp"
#include "pcwq_proto.hpp"
#include "queue_commands.hpp"
#include "session.hpp"
#include "stats_commands.hpp"
#include "status_output.hpp"
#include "top.hpp"

namespace wqctl {
namespace {

constexpr std::string_view program = "wqctl";

/// Reads only: open to every user.
void show_status(Session& session) {
  Client& client = session.client();
  const Status status = client.status();
  const Config config = client.config();
  const Stats stats = client.stats(std::nullopt);
  session.print(status_summary(status, config, stats), Layout::key_value);
}

void show_config(Session& session) {
  session.print(to_record(session.client().config()), Layout::table);
}

/// Silent on success, like ip(8); with --json, shows the configuration that resulted.
void set_config(Session& session, const std::vector<std::string>& settings) {
  const Config config = parse_assignments(settings);
  session.client().set_config(config);
  if (session.json()) {
    show_config(session);
  }
}

/// The words naming a command below the program, e.g. "config set".
std::string command_path(const CLI::App& command) {
  std::string path;
  for (const CLI::App* cmd = &command; cmd->get_parent() != nullptr; cmd = cmd->get_parent()) {
    if (!path.empty()) {
      path.insert(0, 1, ' ');
    }
    path.insert(0, cmd->get_name());
  }
  return path;
}

std::string usage_line(const CLI::App& command) {
  const std::string path = command_path(command);
  const std::string name = std::string(program) + (path.empty() ? "" : " " + path);
  return CLI::Formatter().make_usage(&command, name);
}

/// The most specific command the parser got to.
const CLI::App& innermost_command(const CLI::App& app) {
  const CLI::App* command = &app;
  while (!command->get_subcommands().empty()) {
    command = command->get_subcommands().front();
  }
  return *command;
}

std::string parse_failure(const CLI::App* app, const CLI::Error& error) {
  const CLI::App& command = innermost_command(*app);
  std::string what = error.what();
  // CLI11 looks for a missing command before extra arguments: name the word it did not know.
  const std::vector<std::string> extra = app->remaining(true);
  if (command.get_require_subcommand_min() > 0 && command.get_subcommands().empty() &&
      !extra.empty()) {
    what = "unknown command '" + extra.front() + "'";
  }
  return std::string(program) + ": " + what + "\n" + usage_line(command);
}

std::string version_report() {
  std::string report = std::string(program) + " " + std::string(version());
  try {
    report += "\npcwq module " + Client().status().version;
  } catch (const std::exception&) {
    // Not reachable: wqctl's own version is all there is to report.
  }
  return report;
}

/// The command line: its parser and the command it selected.
class CommandLine {
 public:
  CommandLine();
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;
  CommandLine(CommandLine&&) = delete;
  CommandLine& operator=(CommandLine&&) = delete;
  ~CommandLine() = default;

  /// Parses argv.  Returns the exit status when there is nothing to execute: help, version or
  /// a parse error (which it reports).
  std::optional<int> parse(int argc, char** argv, std::ostream& out, std::ostream& err);
  /// Executes the command parsed and reports its failure.
  int execute(std::ostream& out, std::ostream& err) const;

 private:
  CLI::App& add_command(CLI::App& parent, const std::string& name, const std::string& description,
                        Action action);

  CLI::App app_{"Inspect and configure the pcwq kernel module.", std::string(program)};
  Options options_;
  std::vector<std::string> settings_;
  QueueArgs queue_args_;
  StatsArgs stats_args_;
  MonitorArgs monitor_args_;
  TopArgs top_args_;
  const CLI::App* selected_ = nullptr;
  Action action_;
};

CommandLine::CommandLine() {
  // Set before adding commands: they inherit both.
  app_.failure_message(parse_failure);
  app_.fallthrough();  // global options may also follow the command
  app_.require_subcommand(1);
  app_.add_flag("-j,--json", options_.json, "Print one JSON document");
  app_.add_flag("-p,--pretty", options_.pretty, "Pretty-print JSON (implies --json)");
  app_.set_version_flag("-V,--version", version_report,
                        "Print the version of wqctl (and of the module, when loaded)");

  add_command(app_, "status",
              "Show a health summary: version, CPUs, queues, workers, counters, panic settings",
              show_status);

  CLI::App& config = *app_.add_subcommand("config", "Show or change the module's parameters");
  config.require_subcommand(1);
  add_command(config, "get", "Show every parameter", show_config);
  add_command(config, "set", "Change parameters, all or nothing (needs CAP_NET_ADMIN)",
              [this](Session& session) { set_config(session, settings_); })
      .add_option("SETTING", settings_, "KEY is one of: " + describe_config_keys())
      ->type_name("KEY=VALUE")
      ->required();

  const AddCommand add = [this](CLI::App& parent, const std::string& name,
                                const std::string& description, Action action) -> CLI::App& {
    return add_command(parent, name, description, std::move(action));
  };
  add_queue_commands(app_, add, queue_args_);
  add_stats_commands(app_, add, stats_args_);
  add_monitor_command(app_, add, monitor_args_);
  add_top_command(app_, add, top_args_);
}

CLI::App& CommandLine::add_command(CLI::App& parent, const std::string& name,
                                   const std::string& description, Action action) {
  CLI::App& command = *parent.add_subcommand(name, description);
  // CLI11 runs the callback of a command before that of the command above it ("stats reset"
  // before "stats"): the first one is the command selected.
  command.callback([this, &command, action = std::move(action)] {
    if (selected_ == nullptr) {
      selected_ = &command;
      action_ = action;
    }
  });
  return command;
}

std::optional<int> CommandLine::parse(int argc, char** argv, std::ostream& out, std::ostream& err) {
  try {
    app_.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // CLI11 has an exit code per error; for wqctl they are all usage errors.
    const int status = app_.exit(error, out, err);
    return exit_status(status == 0 ? ExitCode::success : ExitCode::usage);
  }
  if (selected_ == nullptr) {  // a command group without require_subcommand()
    err << parse_failure(&app_, CLI::RequiredError("A subcommand"));
    return exit_status(ExitCode::usage);
  }
  return std::nullopt;
}

int CommandLine::execute(std::ostream& out, std::ostream& err) const {
  const std::string context = std::string(program) + ": " + command_path(*selected_) + ": ";
  Session session{options_, out};
  try {
    action_(session);
    return exit_status(ExitCode::success);
  } catch (const UsageError& error) {
    err << context << error.what() << "\n" << usage_line(*selected_);
    return exit_status(ExitCode::usage);
  } catch (const ModuleNotLoaded& error) {
    err << program << ": " << error.what() << "\n";
  } catch (const OpError& error) {
    err << context << describe(error) << "\n";
  } catch (const std::exception& error) {
    err << context << error.what() << "\n";
  }
  return exit_status(ExitCode::failure);
}

}  // namespace

std::string_view version() { return WQCTL_VERSION; }

int run(int argc, char** argv, std::ostream& out, std::ostream& err) noexcept {
  try {
    CommandLine command_line;
    if (const auto status = command_line.parse(argc, argv, out, err)) {
      return *status;
    }
    return command_line.execute(out, err);
  } catch (const std::exception& error) {
    err << program << ": " << error.what() << "\n";
  } catch (...) {
    err << program << ": unexpected error\n";
  }
  return exit_status(ExitCode::failure);
}

}  // namespace wqctl
