#include "load_avg.hpp"

#include "pcwq_genl.h"

namespace wqctl {

std::string load_text(std::uint64_t scaled) {
  constexpr std::uint64_t hundredths = 100;
  constexpr std::uint64_t per_hundredth = PCWQ_LOAD_SCALE / hundredths;
  // Halves up: adding half a hundredth cannot overflow for a sum of u32 loads.
  const std::uint64_t rounded = (scaled + per_hundredth / 2) / per_hundredth;
  const std::uint64_t fraction = rounded % hundredths;
  return std::to_string(rounded / hundredths) + (fraction < 10 ? ".0" : ".") +
         std::to_string(fraction);
}

double load_items(std::uint64_t scaled) { return static_cast<double>(scaled) / PCWQ_LOAD_SCALE; }

}  // namespace wqctl
