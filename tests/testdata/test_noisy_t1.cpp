// The Rician noisy T1 against its known sigma.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>

#include "axon/core/atomic_output.hpp"
#include "axon/core/threads.hpp"
#include "axon/io/json.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "common/scratch_dir.hpp"
#include "testdata/noisy_t1.hpp"

namespace {

using axon::test::ScratchDir;

TEST(NoisyT1, CleanIsCh2betScaledTo0To1000) {
  const auto t1 = axon::testdata::make_noisy_t1(3.0, 1);
  const auto bet = axon::read_volume<float>(std::string(axon::testdata::kDefaultTemplateDir) + "/ch2bet.nii.gz");
  ASSERT_EQ(t1.clean.data.size(), bet.data.size());
  EXPECT_EQ(*std::min_element(t1.clean.data.begin(), t1.clean.data.end()), 0.0f);
  EXPECT_EQ(*std::max_element(t1.clean.data.begin(), t1.clean.data.end()), 1000.0f);
  // ch2bet is 0..133: linear scaling keeps every ratio.
  for (size_t i = 0; i < bet.data.size(); i += 997) EXPECT_NEAR(t1.clean.data[i], bet.data[i] * 1000.0 / 133.0, 1e-3);
  EXPECT_DOUBLE_EQ(t1.sigma, 30.0);
}

TEST(NoisyT1, EmpiricalSigmaMatchesTheRequest) {
  const auto t1 = axon::testdata::make_noisy_t1(5.0, 42);
  // Where clean >= 500 the SNR is >= 10 and Rician noise is nearly Gaussian:
  // noisy - clean ~ n1 + n2^2 / (2 clean), whose sd is sigma within 1 %.
  double sum = 0, sum2 = 0, n = 0;
  // In the background (clean = 0) the magnitude is Rayleigh: mean
  // sigma sqrt(pi/2) = 1.2533 sigma. Additive Gaussian noise would give 0.
  double background = 0, nb = 0;
  for (size_t i = 0; i < t1.clean.data.size(); ++i) {
    const double c = t1.clean.data[i], d = t1.noisy.data[i] - c;
    if (c >= 500) {
      sum += d;
      sum2 += d * d;
      n += 1;
    } else if (c == 0) {
      background += t1.noisy.data[i];
      nb += 1;
    }
  }
  ASSERT_GT(n, 10000);
  ASSERT_GT(nb, 10000);
  const double sd = std::sqrt((sum2 - sum * sum / n) / (n - 1));
  EXPECT_NEAR(sd, t1.sigma, 0.05 * t1.sigma);
  EXPECT_NEAR(background / nb, t1.sigma * std::sqrt(3.14159265358979323846 / 2), 0.02 * t1.sigma);
}

TEST(NoisyT1, DeterministicForASeedAndAnyThreadCount) {
  const auto a = axon::testdata::make_noisy_t1(2.0, 9);
  axon::apply_thread_count(1);
  const auto b = axon::testdata::make_noisy_t1(2.0, 9);
  axon::apply_thread_count(axon::resolve_thread_count(std::nullopt));
  const auto c = axon::testdata::make_noisy_t1(2.0, 10);
  EXPECT_EQ(a.noisy.data, b.noisy.data);
  EXPECT_NE(a.noisy.data, c.noisy.data);
  EXPECT_EQ(a.clean.data, c.clean.data);
}

TEST(NoisyT1, WritesBothImagesAndTheSigma) {
  ScratchDir dir;
  const auto t1 = axon::testdata::make_noisy_t1(4.0, 5);
  axon::OutputSet outputs(false);
  axon::testdata::write_noisy_t1(t1, dir / "noisy.nii.gz", dir / "clean.nii.gz", outputs);
  outputs.commit_all();
  const auto truth = axon::read_json(axon::sidecar_path(dir / "noisy.nii.gz"));
  EXPECT_DOUBLE_EQ(truth["sigma"].get<double>(), 40.0);
  EXPECT_EQ(truth["seed"].get<std::uint64_t>(), 5u);
  const auto noisy = axon::read_image<float>(dir / "noisy.nii.gz");
  const auto clean = axon::read_image<float>(dir / "clean.nii.gz");
  EXPECT_EQ(noisy.data, t1.noisy.data);
  EXPECT_EQ(clean.data, t1.clean.data);
  EXPECT_EQ(noisy.header.datatype, static_cast<int>(axon::DataType::float32));
  EXPECT_EQ(noisy.header.sform_code, 4);
}

}  // namespace
