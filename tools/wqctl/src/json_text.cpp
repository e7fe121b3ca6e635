#include "json_text.hpp"

namespace wqctl {

std::string json_text(const nlohmann::ordered_json& doc, Format format) {
  const int indent = format == Format::json_pretty ? 2 : -1;
  return doc.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace wqctl
