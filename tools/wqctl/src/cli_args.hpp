// Arguments shared by several commands: decimal u32 options and queue names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace wqctl {

/// A non-negative decimal integer that fits in 32 bits: digits only, no sign, no base prefix.
std::optional<std::uint32_t> parse_decimal_u32(std::string_view text);

/// Adds option name, a decimal u32 stored in value when given.  Other values are usage errors.
CLI::Option* add_u32_option(CLI::App& command, const std::string& name,
                            std::optional<std::uint32_t>& value, const std::string& description);

/// Checks a queue name: 1 to 31 bytes.
CLI::Validator queue_name_validator();

/// Adds the positional NAME of a queue, required.
CLI::Option* add_queue_name(CLI::App& command, std::string& name);

}  // namespace wqctl
