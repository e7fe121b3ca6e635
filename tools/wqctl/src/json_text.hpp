// JSON documents as wqctl prints them.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "output.hpp"

namespace wqctl {

/// doc as one line (Format::json) or indented by 2 (Format::json_pretty), newline-terminated.
/// Strings that are not UTF-8 (names from the kernel might not be) get replacement characters.
std::string json_text(const nlohmann::ordered_json& doc, Format format);

}  // namespace wqctl
