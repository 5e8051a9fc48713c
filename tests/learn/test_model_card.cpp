// Model cards: a valid card reads with every field; each kind of broken card
// is an InputError (exit 3) whose one-line message names the card.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "axon/core/error.hpp"
#include "axon/learn/model_card.hpp"
#include "common/scratch_dir.hpp"

namespace {

using axon::learn::OutputKind;
using axon::test::ScratchDir;
using nlohmann::json;

json valid_card() {
  return json::parse(R"({
    "format": "axon-model-card", "format_version": 1,
    "name": "test-unet", "description": "a card for tests",
    "inputs": ["t1", "t1ce", "t2", "flair"],
    "normalization": {"kind": "zscore-nonzero", "clip_percentiles": [0.5, 99.5]},
    "spacing_mm": [2.0, 2.0, 2.0], "orientation": "LPS",
    "patch_size": [64, 48, 32], "mirror_axes": [0, 1, 2], "tensor_layout": "NCZYX",
    "output": {"kind": "sigmoid_regions",
               "channels": [{"name": "WT", "labels": [1, 2, 4]}, {"name": "TC", "labels": [1, 4]},
                            {"name": "ET", "labels": [4]}],
               "paint_order": [["WT", 2], ["TC", 1], ["ET", 4]]},
    "label_convention": "brats2018",
    "models": ["fold0.pt", "sub/fold1.pt"],
    "training": {"cases": 15}, "cross_validation": {"dice_wt": 0.9}, "licence": "CC-BY-4.0"
  })");
}

// Writes `card` and its (empty) model files into `dir`; returns the card path.
std::string write_card(const ScratchDir& dir, const json& card) {
  std::filesystem::create_directories(dir / "sub");
  std::ofstream(dir / "fold0.pt") << "x";
  std::ofstream(dir / "sub/fold1.pt") << "x";
  const std::string path = dir / "card.json";
  std::ofstream(path) << card.dump(2);
  return path;
}

// Reading `card` fails with an InputError: exit 3, one line, naming the card
// and mentioning `fragment`.
void expect_rejected(const json& card, const std::string& fragment) {
  ScratchDir dir;
  const std::string path = write_card(dir, card);
  try {
    axon::learn::read_model_card(path);
    FAIL() << "accepted a card that should fail with: " << fragment;
  } catch (const axon::InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.code(), axon::ExitCode::invalid_input);
    EXPECT_NE(what.find(path), std::string::npos) << what;
    EXPECT_NE(what.find(fragment), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

TEST(ModelCard, ValidCardReadsEveryField) {
  ScratchDir dir;
  const std::string path = write_card(dir, valid_card());
  const auto card = axon::learn::read_model_card(path);
  EXPECT_EQ(card.path, path);
  EXPECT_EQ(card.name, "test-unet");
  EXPECT_EQ(card.input_channels, (std::vector<std::string>{"t1", "t1ce", "t2", "flair"}));
  EXPECT_EQ(card.normalization.kind, "zscore-nonzero");
  ASSERT_TRUE(card.normalization.clip_percentiles.has_value());
  EXPECT_DOUBLE_EQ((*card.normalization.clip_percentiles)[1], 99.5);
  EXPECT_EQ(card.spacing_mm, (std::array<double, 3>{2, 2, 2}));
  EXPECT_EQ(card.orientation, "LPS");
  EXPECT_EQ(card.patch_size, (std::array<int64_t, 3>{64, 48, 32}));
  EXPECT_EQ(card.mirror_axes, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(card.output_kind, OutputKind::sigmoid_regions);
  ASSERT_EQ(card.outputs.size(), 3u);
  EXPECT_EQ(card.outputs[1].name, "TC");
  EXPECT_EQ(card.outputs[1].labels, (std::vector<int32_t>{1, 4}));
  ASSERT_EQ(card.paint_order.size(), 3u);
  EXPECT_EQ(card.paint_order[2], (std::pair<std::string, int32_t>{"ET", 4}));
  EXPECT_EQ(card.label_convention, "brats2018");
  ASSERT_EQ(card.model_files.size(), 2u);
  // Resolved against the card's folder, absolute.
  EXPECT_EQ(card.model_files[1], (std::filesystem::path(dir.str()) / "sub" / "fold1.pt").string());
  EXPECT_TRUE(std::filesystem::path(card.model_files[0]).is_absolute());
  EXPECT_EQ(card.training["cases"], 15);
  EXPECT_EQ(card.licence, "CC-BY-4.0");
  EXPECT_EQ(card.raw["format_version"], 1);
}

TEST(ModelCard, OptionalFieldsDefault) {
  json j = valid_card();
  for (const char* key : {"description", "orientation", "mirror_axes", "tensor_layout", "label_convention",
                          "training", "cross_validation", "licence"})
    j.erase(key);
  j["normalization"].erase("clip_percentiles");
  j["output"] = json::parse(R"({"kind": "softmax", "channels": [{"name": "bg", "labels": [0]},
                                                                 {"name": "tumour", "labels": [1]}]})");
  ScratchDir dir;
  const auto card = axon::learn::read_model_card(write_card(dir, j));
  EXPECT_EQ(card.orientation, "");
  EXPECT_TRUE(card.mirror_axes.empty());
  EXPECT_FALSE(card.normalization.clip_percentiles.has_value());
  EXPECT_EQ(card.output_kind, OutputKind::softmax);
  EXPECT_TRUE(card.paint_order.empty());
  EXPECT_TRUE(card.training.is_null());
}

TEST(ModelCard, MissingFieldNamesCardAndField) {
  for (const char* key : {"format", "name", "inputs", "normalization", "spacing_mm", "patch_size", "output", "models"}) {
    json j = valid_card();
    j.erase(key);
    expect_rejected(j, key);
  }
}

TEST(ModelCard, WrongPatchSize) {
  for (const char* patch : {"[64, 0, 64]", "[64, 64]", "[64, -8, 64]", "[64.5, 64, 64]", "\"64\""}) {
    json j = valid_card();
    j["patch_size"] = json::parse(patch);
    expect_rejected(j, "patch_size");
  }
}

TEST(ModelCard, WrongTypesAndValues) {
  struct Case {
    const char* pointer;
    const char* value;
    const char* fragment;
  };
  const Case cases[] = {
      {"/format", "\"nnunet-plans\"", "format"},
      {"/format_version", "2", "format_version"},
      {"/inputs", "[\"t1\", \"t1\"]", "inputs"},
      {"/inputs", "[]", "inputs"},
      {"/normalization/kind", "\"minmax\"", "minmax"},
      {"/normalization/clip_percentiles", "[99.5, 0.5]", "clip_percentiles"},
      {"/spacing_mm", "[2, -2, 2]", "spacing_mm"},
      {"/orientation", "\"LLS\"", "orientation"},
      {"/mirror_axes", "[0, 3]", "mirror_axes"},
      {"/tensor_layout", "\"NCXYZ\"", "tensor_layout"},
      {"/output/kind", "\"logits\"", "logits"},
      {"/output/paint_order", "[[\"WT\", 2], [\"TC\", 1]]", "paint_order"},
      {"/output/paint_order", "[[\"WT\", 2], [\"TC\", 1], [\"NET\", 4]]", "NET"},
      {"/models", "[]", "models"},
      {"/output/channels/0/threshold", "1.5", "threshold"},
      {"/output/channels/1/threshold", "0", "threshold"},
      {"/output/channels/2/threshold", "\"high\"", "threshold"},
  };
  for (const auto& c : cases) {
    json j = valid_card();
    j[json::json_pointer(c.pointer)] = json::parse(c.value);
    SCOPED_TRACE(c.pointer);
    expect_rejected(j, c.fragment);
  }
}

TEST(ModelCard, RegionThresholdsAndRangeNormalization) {
  json j = valid_card();
  j["output"]["channels"][1]["threshold"] = 0.25;
  j["normalization"]["kind"] = "range-nonzero";
  ScratchDir dir;
  const auto card = axon::learn::read_model_card(write_card(dir, j));
  EXPECT_DOUBLE_EQ(card.outputs[0].threshold, 0.5);  // the default where the card names none
  EXPECT_DOUBLE_EQ(card.outputs[1].threshold, 0.25);
  EXPECT_EQ(card.normalization.kind, "range-nonzero");
  // range-nonzero maps the clip range to [0, 1]: it needs the percentiles.
  j["normalization"].erase("clip_percentiles");
  expect_rejected(j, "clip_percentiles");
  // A softmax has no per-region threshold.
  json s = valid_card();
  s["output"] = json::parse(R"({"kind": "softmax", "channels": [{"name": "bg", "labels": [0], "threshold": 0.3},
                                                                 {"name": "tumour", "labels": [1]}]})");
  expect_rejected(s, "threshold");
}

TEST(ModelCard, MissingModelFileNamesCardAndFile) {
  json j = valid_card();
  j["models"] = {"fold0.pt", "fold9.pt"};
  expect_rejected(j, "fold9.pt");
}

TEST(ModelCard, NotJsonNamesCard) {
  ScratchDir dir;
  const std::string path = dir / "card.json";
  std::ofstream(path) << "{ \"format\": ";
  EXPECT_THROW(axon::learn::read_model_card(path), axon::InputError);
  try {
    axon::learn::read_model_card(path);
  } catch (const axon::InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path, 0), 0u) << e.what();
  }
}

// Found by tests/fuzz/fuzz_model_card.cpp: a number too large for a double
// made nlohmann-json throw its out_of_range (not a parse_error), which
// escaped as exit 1 instead of the card's InputError.
TEST(ModelCard, NumberTooLargeForADoubleIsAnInputError) {
  for (const char* number : {"1e400", "-1e99999", "1e800000000000000000006271810455000550967"}) {
    SCOPED_TRACE(number);
    ScratchDir dir;
    json card = valid_card();
    const std::string path = write_card(dir, card);
    std::string text = card.dump();
    text.replace(text.find("64,"), 2, number);  // patch_size[0]
    std::ofstream(path) << text;
    try {
      axon::learn::read_model_card(path);
      FAIL() << "accepted " << number;
    } catch (const axon::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(path + ": invalid JSON"), std::string::npos) << e.what();
    }
  }
}

TEST(ModelCard, RequireInputChannels) {
  ScratchDir dir;
  json j = valid_card();
  const std::vector<std::string> four{"t1", "t1ce", "t2", "flair"};
  const auto card4 = axon::learn::read_model_card(write_card(dir, j));
  EXPECT_NO_THROW(axon::learn::require_input_channels(card4, four));
  // The same channels in another order are a different network input.
  EXPECT_THROW(axon::learn::require_input_channels(card4, {"t1ce", "t1", "t2", "flair"}), axon::InputError);

  j["inputs"] = {"t1", "t2", "flair"};
  const auto card3 = axon::learn::read_model_card(write_card(dir, j));
  try {
    axon::learn::require_input_channels(card3, four);
    FAIL() << "a three-channel card was accepted for four inputs";
  } catch (const axon::InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.code(), axon::ExitCode::invalid_input);
    EXPECT_EQ(what.rfind(card3.path, 0), 0u) << what;
    EXPECT_NE(what.find("3 input channels"), std::string::npos) << what;
  }
}

}  // namespace
