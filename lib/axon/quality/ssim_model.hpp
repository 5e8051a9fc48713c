#pragma once
// The SSIM regressor: gradient-boosted regression trees (XGBoost, Debian's
// libxgboost-dev) on image_features(). A model file is JSON:
//   {"format": "axon-motion-ssim-model", "version": 1,
//    "features": [names...], "training": {...}, "xgboost": {XGBoost's JSON model}}
// The feature list is checked on loading, so a model trained on another
// feature set is refused instead of silently mis-read.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace axon::quality {

struct BoostingParameters {
  int rounds = 400;
  int max_depth = 4;
  double learning_rate = 0.05;
  double subsample = 0.8;
  double colsample_bytree = 0.8;
  double min_child_weight = 2;
};

class SsimModel {
 public:
  SsimModel();
  ~SsimModel();
  SsimModel(SsimModel&&) noexcept;
  SsimModel& operator=(SsimModel&&) noexcept;

  // Trains on rows of `features` (row-major, rows x feature_names().size())
  // against `targets`. Single-threaded inside XGBoost, so the model does
  // not depend on the thread count; `seed` drives the row/column sampling.
  static SsimModel train(const std::vector<float>& features, const std::vector<float>& targets,
                         const BoostingParameters& parameters, std::uint64_t seed);

  // Throws InputError naming `path` for an unreadable, malformed or
  // incompatible file.
  static SsimModel load(const std::string& path);
  void save(const std::string& path, const nlohmann::json& training_info) const;

  // Predicted SSIM of each row, clipped to [0, 1].
  std::vector<double> predict(const std::vector<float>& features) const;

  const nlohmann::json& training_info() const { return training_info_; }

 private:
  void* booster_ = nullptr;  // BoosterHandle
  nlohmann::json training_info_;
};

// "default" -> the shipped model (AXON_MODEL_DIR, or the environment
// variable AXON_MODEL_DIR when set); anything else is a path.
std::string resolve_model_path(const std::string& model);

}  // namespace axon::quality
