#include "axon/quality/ssim_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <exception>
#include <sstream>

#include <omp.h>
#include <xgboost/c_api.h>

#include "axon/core/error.hpp"
#include "axon/core/model_dir.hpp"
#include "axon/quality/features.hpp"
#include "axon/quality/slice_features.hpp"

namespace axon::quality {
namespace {
constexpr const char* kFormat = "axon-motion-ssim-model";
constexpr int kVersion = 2;

void check(int status, const std::string& what) {
  if (status != 0) throw Error(ExitCode::other, what + ": " + XGBGetLastError());
}

struct Matrix {
  DMatrixHandle handle = nullptr;
  Matrix(std::vector<float> values, std::size_t cols) {
    const std::size_t rows = cols ? values.size() / cols : 0;
    // A feature that could not be computed (NaN, or +-inf from a division
    // by zero) is "missing" to XGBoost, which refuses infinities.
    for (float& v : values)
      if (!std::isfinite(v)) v = std::nanf("");
    check(XGDMatrixCreateFromMat(values.data(), rows, cols, std::nanf(""), &handle), "XGBoost matrix");
  }
  ~Matrix() { XGDMatrixFree(handle); }
};

// XGBoost prints to stdout by default; route its messages away from the
// --json channel.
void quiet_xgboost() {
  static bool done = [] {
    XGBSetGlobalConfig("{\"verbosity\": 0}");
    return true;
  }();
  (void)done;
}

void* train_booster(const std::vector<float>& features, std::size_t cols, const std::vector<float>& targets,
                    const BoostingParameters& p, std::uint64_t seed) {
  if (targets.empty() || features.size() != targets.size() * cols)
    throw std::invalid_argument("SsimModel::train: features and targets do not match");
  Matrix m(features, cols);
  check(XGDMatrixSetFloatInfo(m.handle, "label", targets.data(), targets.size()), "XGBoost labels");
  BoosterHandle booster = nullptr;
  check(XGBoosterCreate(&m.handle, 1, &booster), "XGBoost booster");
  auto set = [&](const char* k, const std::string& v) { check(XGBoosterSetParam(booster, k, v.c_str()), k); };
  set("objective", "reg:squarederror");
  set("tree_method", "exact");
  set("nthread", "1");
  set("seed", std::to_string(seed % 2147483647));
  set("max_depth", std::to_string(p.max_depth));
  set("eta", std::to_string(p.learning_rate));
  set("subsample", std::to_string(p.subsample));
  set("colsample_bytree", std::to_string(p.colsample_bytree));
  set("min_child_weight", std::to_string(p.min_child_weight));
  set("base_score", "0.8");
  for (int i = 0; i < p.rounds; ++i) check(XGBoosterUpdateOneIter(booster, i, m.handle), "XGBoost training");
  return booster;
}

// A booster from its JSON in a model file, refused (naming `path`) when
// its feature list is not `names`.
void* load_booster(const nlohmann::json& j, const char* features_key, const char* booster_key,
                   const std::vector<std::string>& names, const std::string& path) {
  if (!j.contains(features_key) || j[features_key] != nlohmann::json(names))
    throw InputError(path, "the model was trained on another feature set: retrain it with this axon-motion");
  if (!j.contains(booster_key) || !j[booster_key].is_object())
    throw InputError(path, std::string("the model has no \"") + booster_key + "\" object");
  BoosterHandle booster = nullptr;
  check(XGBoosterCreate(nullptr, 0, &booster), "XGBoost booster");
  const std::string text = j[booster_key].dump();
  if (XGBoosterLoadModelFromBuffer(booster, text.data(), text.size()) != 0) {
    const std::string why = XGBGetLastError();
    XGBoosterFree(booster);
    throw InputError(path, "XGBoost cannot read the model: " + why);
  }
  check(XGBoosterSetParam(booster, "nthread", "1"), "nthread");
  return booster;
}

nlohmann::json booster_json(void* booster) {
  bst_ulong len = 0;
  const char* buf = nullptr;
  check(XGBoosterSaveModelToBuffer(booster, "{\"format\": \"json\"}", &len, &buf), "XGBoost save");
  return nlohmann::json::parse(std::string(buf, len));
}

std::vector<double> predict_rows(void* booster, const std::vector<float>& features, std::size_t cols) {
  if (features.size() % cols != 0) throw std::invalid_argument("SsimModel::predict: bad feature matrix");
  if (features.empty()) return {};
  Matrix m(features, cols);
  bst_ulong len = 0;
  const float* out = nullptr;
  check(XGBoosterPredict(booster, m.handle, 0, 0, 0, &len, &out), "XGBoost prediction");
  std::vector<double> result(out, out + len);
  for (double& v : result) v = std::clamp(v, 0.0, 1.0);
  return result;
}
}  // namespace

SsimModel::SsimModel() = default;
SsimModel::~SsimModel() {
  if (booster_) XGBoosterFree(booster_);
  if (slice_booster_) XGBoosterFree(slice_booster_);
}
SsimModel::SsimModel(SsimModel&& o) noexcept
    : booster_(o.booster_), slice_booster_(o.slice_booster_), training_info_(std::move(o.training_info_)) {
  o.booster_ = o.slice_booster_ = nullptr;
}
SsimModel& SsimModel::operator=(SsimModel&& o) noexcept {
  std::swap(booster_, o.booster_);
  std::swap(slice_booster_, o.slice_booster_);
  std::swap(training_info_, o.training_info_);
  return *this;
}

SsimModel SsimModel::train(const std::vector<float>& features, const std::vector<float>& targets,
                           const std::vector<float>& slice_rows, const std::vector<float>& slice_targets,
                           const BoostingParameters& p, std::uint64_t seed) {
  quiet_xgboost();
  SsimModel model;
  void* boosters[2] = {nullptr, nullptr};
  std::exception_ptr failure[2];
  // The two regressors are independent: train them side by side (each
  // single-threaded, so the result does not depend on the thread count).
#pragma omp parallel for schedule(static, 1) num_threads(2) if (omp_get_max_threads() > 1)
  for (int b = 0; b < 2; ++b) {
    try {
      boosters[b] = b == 0 ? train_booster(features, feature_names().size(), targets, p, seed)
                           : train_booster(slice_rows, slice_feature_names().size(), slice_targets, p, seed);
    } catch (...) {
      failure[b] = std::current_exception();
    }
  }
  model.booster_ = boosters[0], model.slice_booster_ = boosters[1];
  for (auto& f : failure)
    if (f) std::rethrow_exception(f);
  model.training_info_ = {{"rounds", p.rounds}, {"max_depth", p.max_depth}, {"learning_rate", p.learning_rate},
                          {"subsample", p.subsample}, {"colsample_bytree", p.colsample_bytree},
                          {"min_child_weight", p.min_child_weight}, {"samples", targets.size()},
                          {"slice_rows", slice_targets.size()}};
  return model;
}

SsimModel SsimModel::load(const std::string& path) {
  quiet_xgboost();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot read the model file");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.str());
  } catch (const std::exception&) {
    throw InputError(path, "not an axon-motion model (not JSON)");
  }
  if (!j.is_object() || j.value("format", "") != kFormat)
    throw InputError(path, std::string("not an axon-motion model (\"format\" is not \"") + kFormat + "\")");
  if (j.value("version", 0) != kVersion)
    throw InputError(path, "model version " + j.value("version", nlohmann::json(0)).dump() + " is not supported (expected " +
                               std::to_string(kVersion) + "): retrain it with this axon-motion");
  SsimModel model;
  model.booster_ = load_booster(j, "features", "xgboost", feature_names(), path);
  model.slice_booster_ = load_booster(j, "slice_features", "slice_xgboost", slice_feature_names(), path);
  model.training_info_ = j.value("training", nlohmann::json::object());
  return model;
}

void SsimModel::save(const std::string& path, const nlohmann::json& training_info) const {
  nlohmann::json j{{"format", kFormat},
                   {"version", kVersion},
                   {"features", feature_names()},
                   {"xgboost", booster_json(booster_)},
                   {"slice_features", slice_feature_names()},
                   {"slice_xgboost", booster_json(slice_booster_)},
                   {"training", training_info}};
  std::ofstream out(path, std::ios::binary);
  out << j.dump() << "\n";
  if (!out) throw OutputError(path, "cannot write the model");
}

std::vector<double> SsimModel::predict(const std::vector<float>& features) const {
  return predict_rows(booster_, features, feature_names().size());
}

std::vector<double> SsimModel::predict_slices(const std::vector<float>& slice_rows) const {
  return predict_rows(slice_booster_, slice_rows, slice_feature_names().size());
}

std::vector<double> predict_slice_ssim(const SsimModel& model, const Image<float>& image, const ByteMask& head,
                                       const FeatureVector& volume) {
  std::vector<double> predicted = model.predict_slices(slice_features(image, head, volume));
  const std::size_t plane = static_cast<std::size_t>(image.nx() * image.ny());
  for (std::size_t z = 0; z < predicted.size(); ++z)
    if (std::none_of(head.begin() + z * plane, head.begin() + (z + 1) * plane, [](std::uint8_t h) { return h != 0; }))
      predicted[z] = std::nan("");
  return predicted;
}

std::string resolve_model_path(const std::string& model) {
  if (model != "default") return model;
  return shipped_model_dir() + "/motion_ssim_default.json";
}

}  // namespace axon::quality
