// Presentation: records of named values rendered as aligned text or JSON,
// and error messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "errors.hpp"
#include "pcwq_proto.hpp"

namespace wqctl {

enum class Format {
  text,
  json,         ///< compact, one line
  json_pretty,  ///< indented by 2
};

/// How a record is shown as text.
enum class Layout {
  key_value,  ///< "key: value", values aligned
  table,      ///< "key  value", values aligned
};

/// A named value: numbers stay numbers in JSON.
struct Field {
  std::string name;
  std::variant<std::uint32_t, std::uint64_t, std::string> value;
  /// How text shows the value when not as it is, e.g. with its unit ("30 s") or as "off";
  /// JSON always has the value.
  std::optional<std::string> text{};
};

/// Fields in the order they are shown; names are snake_case, as JSON keys.
using Record = std::vector<Field>;

Record to_record(const Status& status);
/// Enum values become their names (or stay numbers when this wqctl does not know them).
Record to_record(const Config& config);

/// The record as text lines or one JSON document, newline-terminated.
std::string render(const Record& record, Format format, Layout layout);

/// What failed, for "wqctl: <command>: <description>": the reason, the kernel's extended ACK
/// message, the key it blamed and a hint for permission errors.
std::string describe(const OpError& error);

}  // namespace wqctl
