#include "axon/register/registration_options.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "axon/core/error.hpp"

namespace axon::registration {
namespace {

// ANTs' four levels, coarse to fine, with our iteration caps.
std::vector<Level> schedule(const Grid& fixed, const std::vector<unsigned>& iterations) {
  if (iterations.size() != 4) throw UsageError("registration: four iteration caps are needed (levels 8, 4, 2, 1)");
  const std::vector<unsigned> shrink{8, 4, 2, 1};
  const std::vector<double> smoothing{3, 2, 1, 0};
  const int64_t shortest = std::min({fixed.dims[0], fixed.dims[1], fixed.dims[2]});
  std::vector<Level> out;
  for (std::size_t l = 0; l < shrink.size(); ++l)
    if (level_fits(shortest, shrink[l])) out.push_back({shrink[l], smoothing[l], iterations[l]});
  return out;
}

}  // namespace

bool level_fits(int64_t shortest, unsigned shrink) { return shrink == 1 || shortest / shrink >= 12; }

std::vector<Stage> parse_stages(const std::string& text) {
  std::vector<Stage> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    Stage s;
    if (item == "rigid") s = Stage::rigid;
    else if (item == "affine") s = Stage::affine;
    else if (item == "syn") s = Stage::syn;
    else throw UsageError("--stages: unknown stage '" + item + "' (rigid, affine, syn)");
    if (!out.empty() && static_cast<int>(s) <= static_cast<int>(out.back()))
      throw UsageError("--stages: stages run in the order rigid, affine, syn, each at most once: '" + text + "'");
    out.push_back(s);
  }
  if (out.empty()) throw UsageError("--stages: no stage given");
  return out;
}

Metric parse_metric(const std::string& text) {
  if (text == "mi") return Metric::mattes;
  if (text == "cc") return Metric::correlation;
  if (text == "ms") return Metric::mean_squares;
  throw UsageError("--metric: unknown metric '" + text + "' (mi, cc, ms)");
}

Initialisation parse_initialisation(const std::string& text) {
  if (text == "centre" || text == "center") return Initialisation::centre;
  if (text == "moments") return Initialisation::moments;
  if (text == "none") return Initialisation::none;
  throw UsageError("--init: unknown initialisation '" + text + "' (centre, moments, none)");
}

const char* stage_name(Stage stage) {
  switch (stage) {
    case Stage::rigid: return "rigid";
    case Stage::affine: return "affine";
    default: return "syn";
  }
}

const char* metric_name(Metric metric) {
  switch (metric) {
    case Metric::mattes: return "Mattes mutual information";
    case Metric::correlation: return "normalised cross-correlation";
    default: return "mean squares";
  }
}

std::vector<Level> default_linear_levels(const Grid& fixed, const std::vector<unsigned>& iterations) {
  return schedule(fixed, iterations);
}

std::vector<Level> default_syn_levels(const Grid& fixed, const std::vector<unsigned>& iterations) {
  return schedule(fixed, iterations);
}

SplitLevels split_levels(const std::vector<Level>& levels, unsigned factor) {
  SplitLevels out;
  for (const Level& l : levels)
    if (l.shrink >= factor) out.coarse.push_back({l.shrink / factor, l.smoothing / factor, l.iterations});
    else out.fine.push_back(l);
  return out;
}

std::vector<unsigned> parse_iterations(const std::string& text, const std::string& option) {
  std::vector<unsigned> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, 'x')) {
    std::size_t used = 0;
    long v = -1;
    try {
      v = std::stol(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != item.size() || v < 0 || v > 100000)
      throw UsageError(option + ": '" + text + "' is not four iteration counts like 100x70x40x5");
    out.push_back(static_cast<unsigned>(v));
  }
  if (out.size() != 4) throw UsageError(option + ": '" + text + "' is not four iteration counts like 100x70x40x5");
  return out;
}

std::string describe_levels(const std::vector<Level>& levels) {
  std::string out;
  char buffer[64];
  for (const Level& l : levels) {
    std::snprintf(buffer, sizeof buffer, "%s%u/%g/%u", out.empty() ? "" : ",", l.shrink, l.smoothing, l.iterations);
    out += buffer;
  }
  return out;
}

}  // namespace axon::registration
