#pragma once
// The SSIM regressors: gradient-boosted regression trees (XGBoost, Debian's
// libxgboost-dev), one for the volume's 3D SSIM on image_features(), one for
// each axial slice's 2D SSIM on slice_features(). A model file is JSON:
//   {"format": "axon-motion-ssim-model", "version": 2,
//    "features": [names...], "xgboost": {XGBoost's JSON model},
//    "slice_features": [names...], "slice_xgboost": {...}, "training": {...}}
// The feature lists are checked on loading, so a model trained on another
// feature set is refused instead of silently mis-read.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "axon/image/image.hpp"
#include "axon/quality/features.hpp"
#include "axon/quality/head_masks.hpp"

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

  // Trains the volume regressor on rows of `features` (row-major, rows x
  // feature_names().size()) against `targets`, and the slice regressor on
  // rows of `slice_rows` (slice_feature_names()) against `slice_targets`.
  // Single-threaded inside XGBoost (the two trained side by side), so the
  // model does not depend on the thread count; `seed` drives the row/column
  // sampling.
  static SsimModel train(const std::vector<float>& features, const std::vector<float>& targets,
                         const std::vector<float>& slice_rows, const std::vector<float>& slice_targets,
                         const BoostingParameters& parameters, std::uint64_t seed);

  // Throws InputError naming `path` for an unreadable, malformed or
  // incompatible file.
  static SsimModel load(const std::string& path);
  void save(const std::string& path, const nlohmann::json& training_info) const;

  // Predicted SSIM of each row, clipped to [0, 1]: volumes (3D SSIM) and
  // slices (2D SSIM of an axial slice).
  std::vector<double> predict(const std::vector<float>& features) const;
  std::vector<double> predict_slices(const std::vector<float>& slice_rows) const;

  const nlohmann::json& training_info() const { return training_info_; }

 private:
  void* booster_ = nullptr;        // BoosterHandle, volumes
  void* slice_booster_ = nullptr;  // BoosterHandle, slices
  nlohmann::json training_info_;
};

// Predicted 2D SSIM of every axial slice of `image` (head: its head mask;
// volume: its image_features()); NaN for slices without a head voxel.
std::vector<double> predict_slice_ssim(const SsimModel& model, const Image<float>& image, const ByteMask& head,
                                       const FeatureVector& volume);

// "default" -> the shipped model (AXON_MODEL_DIR, or the environment
// variable AXON_MODEL_DIR when set); anything else is a path.
std::string resolve_model_path(const std::string& model);

}  // namespace axon::quality
