#include "table.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace wqctl {

Table::Table(std::vector<std::string> header) { lines_.push_back(std::move(header)); }

void Table::add_row(std::vector<std::string> cells) {
  if (cells.size() != lines_.front().size()) {
    throw std::logic_error("table row of " + std::to_string(cells.size()) + " cells, expected " +
                           std::to_string(lines_.front().size()));
  }
  lines_.push_back(std::move(cells));
}

std::string Table::render() const {
  constexpr std::size_t gap = 2;
  std::vector<std::size_t> widths(lines_.front().size());
  for (const auto& line : lines_) {
    for (std::size_t i = 0; i < line.size(); ++i) {
      widths[i] = std::max(widths[i], line[i].size());
    }
  }
  std::string text;
  for (const auto& line : lines_) {
    std::string row;
    for (std::size_t i = 0; i < line.size(); ++i) {
      row += line[i];
      if (i + 1 < line.size()) {
        row.append(widths[i] - line[i].size() + gap, ' ');
      }
    }
    // An empty last cell must not leave blanks behind.
    row.erase(row.find_last_not_of(' ') + 1);
    text += row + "\n";
  }
  return text;
}

}  // namespace wqctl
