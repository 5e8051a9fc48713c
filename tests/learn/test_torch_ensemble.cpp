// TorchEnsemble's failures: a file that is not TorchScript (random bytes, a
// truncated real model) and a network whose output does not fit the card are
// InputErrors naming the model file in one line, never torch's backtrace.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "axon/core/error.hpp"
#include "axon/learn/torch_ensemble.hpp"
#include "learn_support.hpp"

namespace {

using namespace axon::learn;
using axon::test::ScratchDir;

// Loading `file` as the card's only member fails with one line naming it.
void expect_load_error(const std::string& file) {
  ModelCard card;
  card.path = "card.json";
  card.model_files = {file};
  try {
    TorchEnsemble ensemble(card);
    FAIL() << "loaded " << file;
  } catch (const axon::InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.code(), axon::ExitCode::invalid_input);
    EXPECT_EQ(what.rfind(file, 0), 0u) << what;
    EXPECT_NE(what.find("TorchScript"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

// One 8^3 random-weight network and its card in `dir` (no reference run).
bool write_one_small_model(const ScratchDir& dir) {
  axon::test::ReferenceCase r;
  r.z = r.y = r.x = 8;
  r.pz = r.py = r.px = 8;
  r.members = 1;
  r.reference = false;
  return axon::test::run_reference(dir, r);
}

TEST(TorchEnsemble, RandomBytesAreInputError) {
  ScratchDir dir;
  const std::string file = dir / "random.pt";
  std::mt19937 rng(5);
  std::ofstream out(file, std::ios::binary);
  for (int i = 0; i < 4096; ++i) out.put(static_cast<char>(rng() & 0xff));
  out.close();
  expect_load_error(file);
}

TEST(TorchEnsemble, EmptyAndTruncatedFilesAreInputError) {
  ScratchDir dir;
  ASSERT_TRUE(write_one_small_model(dir));
  const std::string bytes = axon::test::file_bytes(dir / "member0.pt");
  ASSERT_GT(bytes.size(), 1000u);
  const std::string truncated = dir / "truncated.pt";
  std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  expect_load_error(truncated);
  const std::string empty = dir / "empty.pt";
  std::ofstream(empty, std::ios::binary).close();
  expect_load_error(empty);
}

TEST(TorchEnsemble, ForwardChecksOutputShape) {
  ScratchDir dir;
  ASSERT_TRUE(write_one_small_model(dir));
  const ModelCard card = read_model_card(dir / "card.json");
  const TorchEnsemble ensemble(card);
  const std::vector<float> batch(2 * 4 * 8 * 8 * 8, 0.5f);
  // The network gives 3 channels per patch, as the card says.
  EXPECT_EQ(ensemble.forward(0, batch, 2, 4, 8, 8, 8, 3).size(), 2u * 3u * 8u * 8u * 8u);
  // A card claiming 2 output channels does not fit the network.
  try {
    ensemble.forward(0, batch, 2, 4, 8, 8, 8, 2);
    FAIL() << "a 3-channel output passed as 2 channels";
  } catch (const axon::InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(card.model_files[0], 0), 0u) << what;
    EXPECT_NE(what.find("(2, 3, 8, 8, 8)"), std::string::npos) << what;
  }
  // An input the network cannot take (5 channels where its first
  // convolution wants 4): torch's error, cut to one line.
  const std::vector<float> wrong(1 * 5 * 8 * 8 * 8, 0.f);
  try {
    ensemble.forward(0, wrong, 1, 5, 8, 8, 8, 3);
    FAIL() << "a 5-channel input ran";
  } catch (const axon::InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(card.model_files[0], 0), 0u) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

}  // namespace
