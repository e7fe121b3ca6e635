// Load averages as wqctl shows them: items with two decimals in text, a number in JSON.
#pragma once

#include <cstdint>
#include <string>

namespace wqctl {

/// A load in units of 1/PCWQ_LOAD_SCALE item as items, rounded to two decimals (halves up):
/// 1234 is "1.23", 5 is "0.01", 0 is "0.00".
std::string load_text(std::uint64_t scaled);

/// A load in units of 1/PCWQ_LOAD_SCALE item as a number of items: 1234 is 1.234.
double load_items(std::uint64_t scaled);

}  // namespace wqctl
