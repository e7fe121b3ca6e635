#include "output.hpp"

#include <algorithm>
#include <cerrno>

#include <nlohmann/json.hpp>

#include "json_text.hpp"

namespace wqctl {
namespace {

std::string to_text(const Field& field) {
  if (field.text) {
    return *field.text;
  }
  return std::visit(
      [](const auto& value) -> std::string {
        if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string>) {
          return value;
        } else {
          return std::to_string(value);
        }
      },
      field.value);
}

std::string render_text(const Record& record, Layout layout) {
  const std::string suffix = layout == Layout::key_value ? ":" : "";
  const std::size_t gap = layout == Layout::key_value ? 1 : 2;
  std::size_t width = 0;
  for (const Field& field : record) {
    width = std::max(width, field.name.size() + suffix.size());
  }
  std::string text;
  for (const Field& field : record) {
    const std::string label = field.name + suffix;
    text += label + std::string(width - label.size() + gap, ' ') + to_text(field) + "\n";
  }
  return text;
}

std::string render_json(const Record& record, Format format) {
  // ordered_json keeps the fields in the record's order.
  auto object = nlohmann::ordered_json::object();
  for (const Field& field : record) {
    std::visit([&](const auto& value) { object[field.name] = value; }, field.value);
  }
  return json_text(object, format);
}

}  // namespace

Record to_record(const Status& status) {
  return {
      {"module", "pcwq"},
      {"version", status.version},
      {"online_cpus", status.online_cpus},
      {"possible_cpus", status.possible_cpus},
  };
}

Record to_record(const Config& config) {
  Record record;
  record.reserve(config.size());
  for (const auto& [key, value] : config) {
    Field field{std::string(key->name), value};
    if (const auto name = key->value_name(value)) {
      field.value = std::string(*name);
    }
    record.push_back(std::move(field));
  }
  return record;
}

std::string render(const Record& record, Format format, Layout layout) {
  switch (format) {
    case Format::json:
    case Format::json_pretty:
      return render_json(record, format);
    case Format::text:
      break;
  }
  return render_text(record, layout);
}

std::string describe(const OpError& error) {
  std::string text = error.what();
  if (!error.ext_msg().empty()) {
    text += ": " + error.ext_msg();
  }
  if (const auto attr = error.attr()) {
    if (const auto name = attr_name(*attr)) {
      text += " (" + std::string(*name) + ")";
    }
  }
  // The kernel explains its other permission errors ("queue was not created with wqctl").
  if ((error.errnum() == EPERM || error.errnum() == EACCES) && error.ext_msg().empty()) {
    text += ": changing pcwq needs CAP_NET_ADMIN (run as root)";
  }
  return text;
}

}  // namespace wqctl
