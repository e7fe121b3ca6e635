#include "cli_args.hpp"

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
                            std::optional<std::uint32_t>& value, const std::string& description) {
  const CLI::Validator decimal_u32{[](const std::string& text) -> std::string {
                                     if (parse_decimal_u32(text)) {
                                       return {};
                                     }
                                     return "invalid value '" + text +
                                            "': expected a decimal integer from 0 to 4294967295";
                                   },
                                   "", "decimal u32"};
  return command
      .add_option_function<std::string>(
          name, [&value](const std::string& text) { value = parse_decimal_u32(text); }, description)
      ->check(decimal_u32)
      ->type_name("N");
}

CLI::Validator queue_name_validator() {
  return {[](const std::string& name) -> std::string {
            if (name.empty() || name.size() > max_queue_name) {
              return "invalid queue name '" + name + "': expected 1 to " +
                     std::to_string(max_queue_name) + " characters";
            }
            return {};
          },
          "", "queue name"};
}

CLI::Option* add_queue_name(CLI::App& command, std::string& name) {
  return command.add_option("NAME", name, "Name of the queue (1 to 31 characters)")
      ->required()
      ->check(queue_name_validator());
}

}  // namespace wqctl
