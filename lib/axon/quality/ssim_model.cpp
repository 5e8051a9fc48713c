#include "axon/quality/ssim_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <xgboost/c_api.h>

#include "axon/core/error.hpp"
#include "axon/quality/features.hpp"

namespace axon::quality {
namespace {
constexpr const char* kFormat = "axon-motion-ssim-model";
constexpr int kVersion = 1;

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
}  // namespace

SsimModel::SsimModel() = default;
SsimModel::~SsimModel() {
  if (booster_) XGBoosterFree(booster_);
}
SsimModel::SsimModel(SsimModel&& o) noexcept : booster_(o.booster_), training_info_(std::move(o.training_info_)) {
  o.booster_ = nullptr;
}
SsimModel& SsimModel::operator=(SsimModel&& o) noexcept {
  std::swap(booster_, o.booster_);
  std::swap(training_info_, o.training_info_);
  return *this;
}

SsimModel SsimModel::train(const std::vector<float>& features, const std::vector<float>& targets,
                           const BoostingParameters& p, std::uint64_t seed) {
  quiet_xgboost();
  const std::size_t cols = feature_names().size();
  if (targets.empty() || features.size() != targets.size() * cols)
    throw std::invalid_argument("SsimModel::train: features and targets do not match");
  Matrix m(features, cols);
  check(XGDMatrixSetFloatInfo(m.handle, "label", targets.data(), targets.size()), "XGBoost labels");
  SsimModel model;
  check(XGBoosterCreate(&m.handle, 1, &model.booster_), "XGBoost booster");
  auto set = [&](const char* k, const std::string& v) { check(XGBoosterSetParam(model.booster_, k, v.c_str()), k); };
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
  for (int i = 0; i < p.rounds; ++i) check(XGBoosterUpdateOneIter(model.booster_, i, m.handle), "XGBoost training");
  model.training_info_ = {{"rounds", p.rounds}, {"max_depth", p.max_depth}, {"learning_rate", p.learning_rate},
                          {"subsample", p.subsample}, {"colsample_bytree", p.colsample_bytree},
                          {"min_child_weight", p.min_child_weight}, {"samples", targets.size()}};
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
                               std::to_string(kVersion) + ")");
  if (!j.contains("features") || j["features"] != nlohmann::json(feature_names()))
    throw InputError(path, "the model was trained on another feature set: retrain it with this axon-motion");
  if (!j.contains("xgboost") || !j["xgboost"].is_object()) throw InputError(path, "the model has no \"xgboost\" object");
  SsimModel model;
  check(XGBoosterCreate(nullptr, 0, &model.booster_), "XGBoost booster");
  const std::string booster = j["xgboost"].dump();
  if (XGBoosterLoadModelFromBuffer(model.booster_, booster.data(), booster.size()) != 0)
    throw InputError(path, std::string("XGBoost cannot read the model: ") + XGBGetLastError());
  check(XGBoosterSetParam(model.booster_, "nthread", "1"), "nthread");
  model.training_info_ = j.value("training", nlohmann::json::object());
  return model;
}

void SsimModel::save(const std::string& path, const nlohmann::json& training_info) const {
  bst_ulong len = 0;
  const char* buf = nullptr;
  check(XGBoosterSaveModelToBuffer(booster_, "{\"format\": \"json\"}", &len, &buf), "XGBoost save");
  nlohmann::json j{{"format", kFormat}, {"version", kVersion}, {"features", feature_names()},
                   {"training", training_info}, {"xgboost", nlohmann::json::parse(std::string(buf, len))}};
  std::ofstream out(path, std::ios::binary);
  out << j.dump() << "\n";
  if (!out) throw OutputError(path, "cannot write the model");
}

std::vector<double> SsimModel::predict(const std::vector<float>& features) const {
  const std::size_t cols = feature_names().size();
  if (features.size() % cols != 0) throw std::invalid_argument("SsimModel::predict: bad feature matrix");
  Matrix m(features, cols);
  bst_ulong len = 0;
  const float* out = nullptr;
  check(XGBoosterPredict(booster_, m.handle, 0, 0, 0, &len, &out), "XGBoost prediction");
  std::vector<double> result(out, out + len);
  for (double& v : result) v = std::clamp(v, 0.0, 1.0);
  return result;
}

std::string resolve_model_path(const std::string& model) {
  if (model != "default") return model;
  const char* env = std::getenv("AXON_MODEL_DIR");
  const std::string dir = env && *env ? env : AXON_MODEL_DIR;
  return dir + "/motion_ssim_default.json";
}

}  // namespace axon::quality
