#include "sigma_option.hpp"

#include <cmath>
#include <exception>

#include "axon/core/error.hpp"

std::optional<double> parse_sigma_option(const std::string& text) {
  if (text == "auto") return std::nullopt;
  std::size_t used = 0;
  double v = -1;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !(v >= 0) || !std::isfinite(v))
    throw axon::UsageError("--sigma: '" + text + "' is neither auto nor a non-negative number");
  return v;
}
