// Text tables: a header and rows of cells, in columns aligned with two spaces between them.
#pragma once

#include <string>
#include <vector>

namespace wqctl {

class Table {
 public:
  explicit Table(std::vector<std::string> header);

  /// Adds a row; it has as many cells as the header.
  void add_row(std::vector<std::string> cells);

  /// The header line and one line per row, each newline-terminated, without trailing blanks.
  [[nodiscard]] std::string render() const;

 private:
  std::vector<std::vector<std::string>> lines_;  ///< the header first
};

}  // namespace wqctl
