#include "cli_args.hpp"

#include <algorithm>
#include <charconv>
#include <system_error>

#include "queue_proto.hpp"

namespace wqctl {

std::optional<std::uint32_t> parse_decimal_u32(std::string_view text) {
  std::uint32_t value = 0;
  const auto* const end = text.data() + text.size();
  const auto [next, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc{} || next != end) {
    return std::nullopt;
  }
  return value;
}

CLI::Option* add_u32_option(CLI::App& command, const std::string& name,
                            std::optional<std::uint32_t>& value, const std::string& description,
                            std::uint32_t max) {
  const CLI::Validator decimal_u32{[max](const std::string& text) -> std::string {
                                     const auto parsed = parse_decimal_u32(text);
                                     if (parsed && *parsed <= max) {
                                       return {};
                                     }
                                     return "invalid value '" + text +
                                            "': expected a decimal integer from 0 to " +
                                            std::to_string(max);
                                   },
                                   "", "decimal u32"};
  return command
      .add_option_function<std::string>(
          name, [&value](const std::string& text) { value = parse_decimal_u32(text); }, description)
      ->check(decimal_u32)
      ->type_name("N");
}

bool valid_queue_name(std::string_view name) {
  const auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  const auto allowed = [&alnum](char c) {
    return alnum(c) || std::string_view("_.:-").find(c) != std::string_view::npos;
  };
  return !name.empty() && name.size() <= max_queue_name && alnum(name.front()) &&
         std::ranges::all_of(name, allowed);
}

CLI::Validator queue_name_validator() {
  return {[](const std::string& name) -> std::string {
            if (valid_queue_name(name)) {
              return {};
            }
            return "invalid queue name '" + name + "': expected 1 to " +
                   std::to_string(max_queue_name) +
                   " letters, digits and _.:-, starting with a letter or digit";
          },
          "", "queue name"};
}

bool valid_cpu_list(std::string_view text) {
  if (text.empty() || text.size() > max_queue_cpus_len) {
    return false;
  }
  std::string_view rest = text;
  for (;;) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    const std::size_t dash = item.find('-');
    const auto low = parse_decimal_u32(item.substr(0, dash));
    if (!low) {
      return false;
    }
    if (dash != std::string_view::npos) {
      const auto high = parse_decimal_u32(item.substr(dash + 1));
      if (!high || *high < *low) {
        return false;
      }
    }
    if (comma == std::string_view::npos) {
      return true;
    }
    rest.remove_prefix(comma + 1);
  }
}

CLI::Option* add_cpu_list_option(CLI::App& command, const std::string& name,
                                 std::optional<std::string>& value,
                                 const std::string& description) {
  const CLI::Validator cpu_list{[](const std::string& text) -> std::string {
                                  if (valid_cpu_list(text)) {
                                    return {};
                                  }
                                  return "invalid CPU list '" + text +
                                         "': expected CPUs and ranges like 0-3,6";
                                },
                                "", "CPU list"};
  return command
      .add_option_function<std::string>(
          name, [&value](const std::string& text) { value = text; }, description)
      ->check(cpu_list)
      ->type_name("LIST");
}

CLI::Option* add_queue_name(CLI::App& command, std::string& name) {
  return command.add_option("NAME", name, "Name of the queue: 1 to 31 of [A-Za-z0-9_.:-]")
      ->required()
      ->check(queue_name_validator());
}

}  // namespace wqctl
