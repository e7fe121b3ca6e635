// Arguments shared by several commands: decimal u32 options and queue names.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace wqctl {

/// A non-negative decimal integer that fits in 32 bits: digits only, no sign, no base prefix.
std::optional<std::uint32_t> parse_decimal_u32(std::string_view text);

/// Adds option name, a decimal u32 up to max stored in value when given.  Other values are usage
/// errors: "invalid value 'X': expected a decimal integer from 0 to MAX".
CLI::Option* add_u32_option(CLI::App& command, const std::string& name,
                            std::optional<std::uint32_t>& value, const std::string& description,
                            std::uint32_t max = std::numeric_limits<std::uint32_t>::max());

/// Whether name is one the module takes: 1 to 31 bytes of [A-Za-z0-9_.:-], starting with a
/// letter or a digit.
bool valid_queue_name(std::string_view name);

/// Checks a queue name with valid_queue_name().
CLI::Validator queue_name_validator();

/// Whether text is a CPU list wqctl sends: comma-separated CPUs ("3") and ranges ("0-3", low to
/// high) of decimal numbers, nothing else, at most max_queue_cpus_len bytes.  The module checks
/// that the CPUs exist.
bool valid_cpu_list(std::string_view text);

/// Adds option name, a CPU list checked with valid_cpu_list(), stored in value when given.
/// Other values are usage errors.
CLI::Option* add_cpu_list_option(CLI::App& command, const std::string& name,
                                 std::optional<std::string>& value, const std::string& description);

/// Adds the positional NAME of a queue, required.
CLI::Option* add_queue_name(CLI::App& command, std::string& name);

}  // namespace wqctl
