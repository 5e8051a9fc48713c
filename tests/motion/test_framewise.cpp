// Framewise displacement and friends: against nipype on a fixed parameter
// fixture, and rmsd against a direct numerical mean over the ball.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <fstream>

#include "axon/io/tsv.hpp"
#include "axon/motion/framewise.hpp"
#include "common/python_peer.hpp"

namespace {
using namespace axon;
using namespace axon::motion;
using axon::test::ScratchDir;

const std::string kFixture = std::string(AXON_SOURCE_DIR) + "/tests/motion/fixtures/motion_params.tsv";

ParameterSeries fixture() {
  const Table t = read_tsv(kFixture);
  ParameterSeries s(static_cast<Eigen::Index>(t.rows.size()), 6);
  const char* names[] = {"trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"};
  for (int c = 0; c < 6; ++c) {
    const auto col = t.numeric(names[c], kFixture);
    for (std::size_t r = 0; r < col.size(); ++r) s(static_cast<Eigen::Index>(r), c) = col[r];
  }
  return s;
}

void expect_fd_matches_nipype(double radius) {
  ASSERT_TRUE(test::python_has("nipype.algorithms.confounds")) << "python3-nipype is missing: run scripts/bootstrap";
  const ParameterSeries params = fixture();
  ScratchDir dir;
  {
    // FSL's .par order is rot_x rot_y rot_z trans_x trans_y trans_z; nipype's
    // normalize_mc_params(source="FSL") moves columns 3..5 (translations) first.
    std::ofstream par(dir / "params.par");
    par.precision(17);
    for (Eigen::Index t = 0; t < params.rows(); ++t)
      par << params(t, 3) << ' ' << params(t, 4) << ' ' << params(t, 5) << ' ' << params(t, 0) << ' '
          << params(t, 1) << ' ' << params(t, 2) << '\n';
  }
  const std::string script =
      "from nipype.algorithms.confounds import FramewiseDisplacement\n"
      "FramewiseDisplacement(in_file='params.par', parameter_source='FSL', radius=" +
      std::to_string(radius) + ", out_file='fd.txt').run()\n";
  ASSERT_EQ(test::run_python(dir, script), 0);
  const auto theirs = test::read_numbers(dir / "fd.txt");  // T-1 values: no row for volume 0
  const Eigen::VectorXd ours = framewise_displacement(params, radius);
  ASSERT_EQ(static_cast<Eigen::Index>(theirs.size()) + 1, ours.size());
  EXPECT_TRUE(std::isnan(ours(0)));
  for (std::size_t t = 0; t < theirs.size(); ++t)
    EXPECT_NEAR(ours(static_cast<Eigen::Index>(t) + 1), theirs[t], 1e-4) << "volume " << t + 1;
}

TEST(Framewise, DisplacementMatchesNipypeFsl) { expect_fd_matches_nipype(50.0); }
TEST(Framewise, DisplacementMatchesNipypeOtherRadius) { expect_fd_matches_nipype(65.0); }

TEST(Framewise, ExpansionsFollowFmriprep) {
  const ParameterSeries p = fixture();
  const Eigen::MatrixXd d = derivative1(p);
  const Eigen::MatrixXd d2 = power2(d);
  for (int c = 0; c < 6; ++c) {
    EXPECT_TRUE(std::isnan(d(0, c)));
    EXPECT_TRUE(std::isnan(d2(0, c)));
    EXPECT_DOUBLE_EQ(d(4, c), p(4, c) - p(3, c));
    EXPECT_DOUBLE_EQ(d2(4, c), (p(4, c) - p(3, c)) * (p(4, c) - p(3, c)));
    EXPECT_DOUBLE_EQ(power2(p)(7, c), p(7, c) * p(7, c));
  }
}

// rmsd must be the root mean square displacement over a solid ball of
// radius 80 mm about the centre of rotation: check the closed form against
// a direct average over a fine lattice of points in the ball.
TEST(Framewise, RelativeRmsIsTheMeanOverTheBall) {
  const ParameterSeries p = fixture();
  const Eigen::VectorXd rms = relative_rms(p, 80.0);
  EXPECT_TRUE(std::isnan(rms(0)));
  for (Eigen::Index t : {Eigen::Index(4), Eigen::Index(8)}) {
    const auto params = rigid_params(p);
    const Eigen::Matrix4d a = rigid_matrix(params[t], Eigen::Vector3d::Zero());
    const Eigen::Matrix4d b = rigid_matrix(params[t - 1], Eigen::Vector3d::Zero());
    const Eigen::Matrix4d step = a * b.inverse();  // where a point at volume t-1 goes at volume t
    double sum = 0;
    long n = 0;
    const double h = 1.0;
    for (double x = -80 + h / 2; x < 80; x += h)
      for (double y = -80 + h / 2; y < 80; y += h)
        for (double z = -80 + h / 2; z < 80; z += h) {
          if (x * x + y * y + z * z > 80.0 * 80.0) continue;
          const Eigen::Vector4d q(x, y, z, 1);
          sum += ((step * q) - q).head<3>().squaredNorm();
          ++n;
        }
    EXPECT_NEAR(rms(t), std::sqrt(sum / static_cast<double>(n)), 1e-3 * rms(t)) << "volume " << t;
  }
}

TEST(Framewise, PureTranslationRmsIsTheShift) {
  ParameterSeries p = ParameterSeries::Zero(2, 6);
  p.row(1) << 3, 4, 0, 0, 0, 0;
  EXPECT_NEAR(relative_rms(p)(1), 5.0, 1e-12);
  EXPECT_NEAR(framewise_displacement(p)(1), 7.0, 1e-12);
}

TEST(Framewise, OutlierColumnsAreOneHot) {
  Eigen::VectorXd fd(6);
  fd << std::nan(""), 0.1, 0.7, 0.5, 0.9, 0.2;
  const auto over = volumes_over(fd, 0.5);
  ASSERT_EQ(over, (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(merge_volumes(over, {1, 4}), (std::vector<int64_t>{1, 2, 4}));
  const auto cols = one_hot_columns("motion_outlier_", over, 6);
  ASSERT_EQ(cols.names, (std::vector<std::string>{"motion_outlier_00", "motion_outlier_01"}));
  EXPECT_EQ(cols.values.col(0).sum(), 1.0);
  EXPECT_EQ(cols.values(2, 0), 1.0);
  EXPECT_EQ(cols.values(4, 1), 1.0);
}

}  // namespace
