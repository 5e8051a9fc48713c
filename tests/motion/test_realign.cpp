// Rigid realignment against known motion: one volume moved by a known
// transform (the LPS <-> RAS conversion), and a synthetic run with known
// per-volume motion (true_motion), after expressing both relative to
// volume 0 (issue 3 asks for RMS errors below 0.05 mm and 0.05 degrees).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "axon/image/rigid.hpp"
#include "axon/motion/framewise.hpp"
#include "axon/motion/realign.hpp"
#include "testdata/synthetic_fmri.hpp"

namespace {
using namespace axon;
using namespace axon::motion;
constexpr double kDeg = 180.0 / M_PI;

Image<float> first_volume(const Image<float>& series) {
  Image<float> v;
  v.header = series.header;
  v.header.set_volumes(1);
  v.data.assign(series.volume(0), series.volume(0) + series.voxels_per_volume());
  return v;
}

const testdata::SyntheticFmri& synthetic_run() {
  static const testdata::SyntheticFmri fmri = [] {
    testdata::FmriOptions o;
    o.volumes = 36;
    o.seed = 11;
    o.jumps = 3;
    return testdata::make_synthetic_fmri(o);
  }();
  return fmri;
}

// A volume moved by apply_rigid with all six parameters non-zero: the
// registration must give the same six numbers back, signs and axes included.
TEST(Realign, RecoversAKnownMotionInOurConvention) {
  const auto& fmri = synthetic_run();
  const Image<float> reference = first_volume(fmri.bold);
  RigidParams truth;
  truth.tx = 1.2;
  truth.ty = -0.7;
  truth.tz = 0.5;
  truth.rx = 1.5 / kDeg;
  truth.ry = -1.0 / kDeg;
  truth.rz = 0.8 / kDeg;
  const Image<float> moved = apply_rigid(reference, truth, Interpolation::linear);
  const RigidParams found = register_rigid(reference, moved, RigidRegistrationOptions{});
  EXPECT_NEAR(found.tx, truth.tx, 0.05);
  EXPECT_NEAR(found.ty, truth.ty, 0.05);
  EXPECT_NEAR(found.tz, truth.tz, 0.05);
  EXPECT_NEAR(found.rx * kDeg, truth.rx * kDeg, 0.05);
  EXPECT_NEAR(found.ry * kDeg, truth.ry * kDeg, 0.05);
  EXPECT_NEAR(found.rz * kDeg, truth.rz * kDeg, 0.05);
}

// Issue 3's three accuracy targets on a synthetic run with known motion
// (drift plus jumps of 0.5-2 mm / 0.5-2 degrees, BOLD-like fluctuations,
// noise): parameters within 0.05 mm and 0.05 degrees RMS of the truth,
// framewise displacement within 0.03 mm RMS of the truth's, and exactly the
// volumes the truth's FD puts over 0.5 mm flagged (the jumps).
TEST(Realign, SyntheticRunWithinTolerancesOfTheTruth) {
  const auto& fmri = synthetic_run();
  const RealignResult r = realign_series(fmri.bold, RealignOptions{});
  const auto& truth = fmri.motion.params;
  ASSERT_EQ(r.relative_to_first.size(), truth.size());
  double sq_mm = 0, sq_deg = 0;
  for (std::size_t t = 0; t < truth.size(); ++t) {
    const auto& e = r.relative_to_first[t];
    const auto& p = truth[t];
    sq_mm += std::pow(e.tx - p.tx, 2) + std::pow(e.ty - p.ty, 2) + std::pow(e.tz - p.tz, 2);
    sq_deg += (std::pow(e.rx - p.rx, 2) + std::pow(e.ry - p.ry, 2) + std::pow(e.rz - p.rz, 2)) * kDeg * kDeg;
  }
  const double n = 3.0 * static_cast<double>(truth.size());
  const double rms_mm = std::sqrt(sq_mm / n), rms_deg = std::sqrt(sq_deg / n);
  const Eigen::VectorXd fd = framewise_displacement(parameter_series(r.relative_to_first));
  const Eigen::VectorXd true_fd = framewise_displacement(parameter_series(truth));
  const double rms_fd = std::sqrt((fd - true_fd).tail(fd.size() - 1).squaredNorm() / static_cast<double>(fd.size() - 1));
  RecordProperty("rms_translation_mm", std::to_string(rms_mm));
  RecordProperty("rms_rotation_deg", std::to_string(rms_deg));
  RecordProperty("rms_fd_mm", std::to_string(rms_fd));
  std::printf("realignment RMS error: %.4f mm, %.4f deg, FD %.4f mm over %zu volumes\n", rms_mm, rms_deg, rms_fd,
              truth.size());
  EXPECT_LT(rms_mm, 0.05);
  EXPECT_LT(rms_deg, 0.05);
  EXPECT_LT(rms_fd, 0.03);
  const std::vector<int64_t> true_flagged = volumes_over(true_fd, 0.5);
  EXPECT_EQ(volumes_over(fd, 0.5), true_flagged);
  // The generator's jumps are what the truth's FD flags (a check of the
  // fixture: drift alone stays far below 0.5 mm per volume).
  EXPECT_EQ(true_flagged, fmri.motion.jump_volumes);
}

}  // namespace
