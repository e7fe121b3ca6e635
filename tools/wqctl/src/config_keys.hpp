// The pcwq configuration keys: names, netlink attributes and value kinds,
// and the parsing of KEY=VALUE arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wqctl {

/// One module parameter, as named by the module's sysfs parameters.
///
/// Values are u32 on the wire.  An enum key has names, indexed by value; a number key has none.
/// Ranges are not known here: the kernel is the authority and rejects what it does not accept.
struct ConfigKey {
  std::string_view name;
  int attr;                                  ///< PCWQ_A_* carrying the value
  std::span<const std::string_view> values;  ///< names of an enum's values, empty for numbers

  [[nodiscard]] bool is_enum() const { return !values.empty(); }
  /// Name of an enum value, nullopt for numbers and for values this wqctl does not know.
  [[nodiscard]] std::optional<std::string_view> value_name(std::uint32_t value) const;
};

/// Every key, in the order wqctl shows them.
std::span<const ConfigKey> config_keys();
/// The keys for help texts: "watchdog_thresh, ..., rescuer_mode (one|batch), ...".
std::string describe_config_keys();
const ConfigKey* find_config_key(std::string_view name);
const ConfigKey* find_config_key_by_attr(int attr);

/// A value for one key.  key points into config_keys().
struct Setting {
  const ConfigKey* key;
  std::uint32_t value;

  friend bool operator==(const Setting&, const Setting&) = default;
};

/// Values of some keys: what CONFIG_GET reports or CONFIG_SET changes.
using Config = std::vector<Setting>;

/// Parses a value for key: a decimal u32 or one of an enum's names.  Throws UsageError.
std::uint32_t parse_config_value(const ConfigKey& key, std::string_view text);

/// Parses the KEY=VALUE arguments of "config set", in the order given.
/// Throws UsageError when there are none, on bad syntax, unknown keys, bad values and repeated
/// keys.
Config parse_assignments(std::span<const std::string> args);

}  // namespace wqctl
