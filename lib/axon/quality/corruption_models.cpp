#include "axon/quality/corruption_models.hpp"

#include <algorithm>

#include "axon/core/error.hpp"
#include "axon/quality/drift_motion.hpp"
#include "axon/quality/shot_motion.hpp"

namespace axon::quality {

CorruptionModel parse_corruption_model(const std::string& name) {
  if (name == "kspace") return CorruptionModel::kspace;
  if (name == "shots") return CorruptionModel::shots;
  if (name == "drift") return CorruptionModel::drift;
  throw UsageError("'" + name + "' is not a motion corruption model (kspace, shots, drift)");
}

std::string corruption_model_name(CorruptionModel model) {
  switch (model) {
    case CorruptionModel::kspace: return "kspace";
    case CorruptionModel::shots: return "shots";
    case CorruptionModel::drift: return "drift";
  }
  return "";
}

std::vector<CorruptionModel> parse_corruption_models(const std::string& list) {
  std::vector<CorruptionModel> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string name = list.substr(start, comma - start);
    if (!name.empty()) out.push_back(parse_corruption_model(name));
    start = comma + 1;
  }
  if (out.empty()) throw UsageError("no motion corruption model given (kspace, shots, drift)");
  return out;
}

Image<float> corrupt(const Image<float>& volume, CorruptionModel model, const MotionSettings& settings, int axis,
                     std::uint64_t seed) {
  switch (model) {
    case CorruptionModel::shots: return simulate_shot_motion(volume, draw_shot_plan(settings, axis, seed));
    case CorruptionModel::drift: return simulate_drift(volume, draw_drift_plan(settings, axis, seed));
    case CorruptionModel::kspace: break;
  }
  return simulate_motion(volume, draw_motion_plan(settings, axis, seed));
}

}  // namespace axon::quality
