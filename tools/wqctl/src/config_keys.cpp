#include "config_keys.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>
#include <system_error>

#include "errors.hpp"
#include "pcwq_genl.h"

namespace wqctl {
namespace {

constexpr std::array<std::string_view, 2> rescuer_modes{"one", "batch"};
static_assert(rescuer_modes.at(PCWQ_RESCUER_ONE) == "one");
static_assert(rescuer_modes.at(PCWQ_RESCUER_BATCH) == "batch");

constexpr std::array keys{
    ConfigKey{"watchdog_thresh", PCWQ_A_WATCHDOG_THRESH, {}},
    ConfigKey{"panic_on_stall", PCWQ_A_PANIC_ON_STALL, {}},
    ConfigKey{"panic_on_stall_time", PCWQ_A_PANIC_ON_STALL_TIME, {}},
    ConfigKey{"rescuer_mode", PCWQ_A_RESCUER_MODE, rescuer_modes},
    ConfigKey{"rescuer_batch", PCWQ_A_RESCUER_BATCH, {}},
    ConfigKey{"mayday_timeout_ms", PCWQ_A_MAYDAY_TIMEOUT_MS, {}},
    ConfigKey{"worker_idle_secs", PCWQ_A_WORKER_IDLE_SECS, {}},
    ConfigKey{"inject_worker_fail", PCWQ_A_INJECT_WORKER_FAIL, {}},
};

/// The words, or what describe makes of each, separated by separator.
template <typename Word, typename Describe = std::identity>
std::string join(std::span<const Word> words, std::string_view separator, Describe describe = {}) {
  std::string text;
  for (const Word& word : words) {
    if (!text.empty()) {
      text += separator;
    }
    text += std::invoke(describe, word);
  }
  return text;
}

std::string known_keys() { return join<ConfigKey>(keys, ", ", &ConfigKey::name); }

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

std::uint32_t parse_enum(const ConfigKey& key, std::string_view text) {
  const auto found = std::ranges::find(key.values, text);
  if (found == key.values.end()) {
    throw UsageError("invalid " + std::string(key.name) + " " + quoted(text) +
                     ": expected one of " + join(key.values, ", "));
  }
  return static_cast<std::uint32_t>(found - key.values.begin());
}

std::uint32_t parse_number(const ConfigKey& key, std::string_view text) {
  std::uint32_t value = 0;
  const auto* const end = text.data() + text.size();
  const auto [next, error] = std::from_chars(text.data(), end, value);
  if (error == std::errc::result_out_of_range) {
    throw UsageError("invalid " + std::string(key.name) + " " + quoted(text) +
                     ": does not fit in 32 bits");
  }
  if (error != std::errc{} || next != end) {
    throw UsageError("invalid " + std::string(key.name) + " " + quoted(text) +
                     ": expected a non-negative decimal integer");
  }
  return value;
}

Setting parse_assignment(std::string_view arg) {
  const auto equals = arg.find('=');
  if (equals == std::string_view::npos) {
    throw UsageError("malformed setting " + quoted(arg) + ": expected KEY=VALUE");
  }
  const std::string_view name = arg.substr(0, equals);
  const ConfigKey* key = find_config_key(name);
  if (key == nullptr) {
    throw UsageError("unknown key " + quoted(name) + " (known keys: " + known_keys() + ")");
  }
  return {key, parse_config_value(*key, arg.substr(equals + 1))};
}

}  // namespace

std::optional<std::string_view> ConfigKey::value_name(std::uint32_t value) const {
  if (value >= values.size()) {
    return std::nullopt;
  }
  return values[value];
}

std::span<const ConfigKey> config_keys() { return keys; }

std::string describe_config_keys() {
  return join<ConfigKey>(keys, ", ", [](const ConfigKey& key) {
    std::string text{key.name};
    if (key.is_enum()) {
      text += " (" + join(key.values, "|") + ")";
    }
    return text;
  });
}

const ConfigKey* find_config_key(std::string_view name) {
  const auto* found = std::ranges::find(keys, name, &ConfigKey::name);
  return found == keys.end() ? nullptr : found;
}

const ConfigKey* find_config_key_by_attr(int attr) {
  const auto* found = std::ranges::find(keys, attr, &ConfigKey::attr);
  return found == keys.end() ? nullptr : found;
}

std::uint32_t parse_config_value(const ConfigKey& key, std::string_view text) {
  return key.is_enum() ? parse_enum(key, text) : parse_number(key, text);
}

Config parse_assignments(std::span<const std::string> args) {
  if (args.empty()) {
    throw UsageError("expected at least one KEY=VALUE");
  }
  Config config;
  for (const std::string& arg : args) {
    const Setting setting = parse_assignment(arg);
    if (std::ranges::find(config, setting.key, &Setting::key) != config.end()) {
      throw UsageError("key " + quoted(setting.key->name) + " given more than once");
    }
    config.push_back(setting);
  }
  return config;
}

}  // namespace wqctl
