// predict_sliding_window against the independent Python implementation
// (tests/learn/sliding_window_reference.py) on tiny random-weight
// TorchScript networks: probabilities and uncertainty within 1e-4. Then the
// determinism the CLI promises: byte-identical for 1 and 2 LibTorch threads,
// and for any batching of the mirrorings.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "axon/learn/sliding_window.hpp"
#include "axon/learn/torch_ensemble.hpp"
#include "learn_support.hpp"

namespace {

using namespace axon::learn;
using axon::test::ReferenceCase;
using axon::test::ScratchDir;

float max_abs_difference(const std::vector<float>& a, const std::vector<float>& b) {
  EXPECT_EQ(a.size(), b.size());
  float worst = 0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
  return worst;
}

void expect_matches_reference(const ReferenceCase& r) {
  ScratchDir dir;
  ASSERT_TRUE(axon::test::run_reference(dir, r)) << "the Python reference failed";
  const ModelCard card = read_model_card(dir / "card.json");
  const TorchEnsemble ensemble(card);
  ASSERT_EQ(ensemble.size(), static_cast<std::size_t>(r.members));
  set_torch_threads(1);
  const auto result = predict_sliding_window(ensemble, axon::test::read_input(dir, r), axon::test::options_from(card));

  const auto& p = result.probabilities;
  EXPECT_EQ(p.channels, r.channels_out);
  EXPECT_EQ(p.nz, r.z);
  EXPECT_EQ(p.ny, r.y);
  EXPECT_EQ(p.nx, r.x);
  EXPECT_LT(max_abs_difference(p.data, axon::test::read_floats(dir / "prob.bin")), 1e-4f);
  ASSERT_EQ(result.uncertainty.channels, 1);
  EXPECT_LT(max_abs_difference(result.uncertainty.data, axon::test::read_floats(dir / "unc.bin")), 1e-4f);
  if (r.kind == "softmax")  // probabilities sum to 1 per voxel
    for (int64_t v = 0; v < p.voxels(); ++v) {
      double s = 0;
      for (int64_t c = 0; c < p.channels; ++c) s += p.channel(c)[v];
      ASSERT_NEAR(s, 1.0, 1e-5);
    }
}

// Sigmoid regions, all three mirror axes, two members; z (11) is shorter than
// the patch (16): padded 2 before, 3 after. Non-cubic patch, so a swapped
// axis fails; x has 3 windows at a half-voxel step (0, 9, 17).
TEST(SlidingWindowReference, SigmoidRegionsWithPadding) {
  ReferenceCase r;
  r.z = 11, r.y = 30, r.x = 37;
  r.pz = 16, r.py = 12, r.px = 20;
  expect_matches_reference(r);
}

// Softmax over 3 classes, mirroring over x and z only, several windows on
// every axis and a patch larger than the input along y.
TEST(SlidingWindowReference, SoftmaxMirrorSubset) {
  ReferenceCase r;
  r.kind = "softmax";
  r.z = 20, r.y = 14, r.x = 24;
  r.pz = 12, r.py = 16, r.px = 16;
  r.mirror = {0, 2};
  expect_matches_reference(r);
}

// Runs one prediction on a freshly loaded ensemble (fresh TorchScript
// executors, as in a new process).
SlidingWindowResult predict(const ScratchDir& dir, const ReferenceCase& r, int threads, int64_t max_batch) {
  const ModelCard card = read_model_card(dir / "card.json");
  const TorchEnsemble ensemble(card);
  set_torch_threads(threads);
  auto options = axon::test::options_from(card);
  options.max_batch = max_batch;
  return predict_sliding_window(ensemble, axon::test::read_input(dir, r), options);
}

bool same_bytes(const TensorVolume& a, const TensorVolume& b) {
  return a.data.size() == b.data.size() &&
         std::memcmp(a.data.data(), b.data.data(), a.data.size() * sizeof(float)) == 0;
}

// Wide enough (16 features, 24^3 patches, 4 mirrorings per call) that
// LibTorch splits each convolution over both threads.
ReferenceCase threaded_case() {
  ReferenceCase r;
  r.z = 24, r.y = 30, r.x = 40;
  r.pz = 24, r.py = 24, r.px = 24;
  r.mirror = {0, 1};
  r.members = 1;
  r.width = 16;
  r.reference = false;
  return r;
}

// Two predictions of the same case must agree bit for bit.
template <class Prediction>
void expect_same_bytes(const Prediction& a, const Prediction& b) {
  EXPECT_TRUE(same_bytes(a.probabilities, b.probabilities))
      << "max difference " << max_abs_difference(a.probabilities.data, b.probabilities.data);
  EXPECT_TRUE(same_bytes(a.uncertainty, b.uncertainty))
      << "max difference " << max_abs_difference(a.uncertainty.data, b.uncertainty.data);
}

TEST(SlidingWindowReference, ThreadCountDoesNotChangeABit) {
  ScratchDir dir;
  const ReferenceCase r = threaded_case();
  ASSERT_TRUE(axon::test::run_reference(dir, r));
  expect_same_bytes(predict(dir, r, 1, 0), predict(dir, r, 2, 0));
  set_torch_threads(1);
}

TEST(SlidingWindowReference, BatchingDoesNotChangeABit) {
  ScratchDir dir;
  const ReferenceCase r = threaded_case();
  ASSERT_TRUE(axon::test::run_reference(dir, r));
  expect_same_bytes(predict(dir, r, 1, 0), predict(dir, r, 1, 1));
}

}  // namespace
