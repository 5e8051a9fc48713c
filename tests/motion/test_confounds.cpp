// The pieces of the confounds file that are not FD/DVARS: the
// non-steady-state detector and aCompCor against nipype (the code fMRIPrep
// runs), tSNR against its definition, and the table's fMRIPrep column names.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include <random>
#include "axon/motion/compcor.hpp"
#include "axon/motion/confounds.hpp"
#include "axon/motion/non_steady_state.hpp"
#include "axon/motion/tsnr.hpp"
#include "common/python_peer.hpp"

namespace {
using namespace axon;
using namespace axon::motion;
using axon::test::ScratchDir;

// Global signals with 0 to 4 leading high volumes, an all-equal tail
// (MAD 0) and a series that only starts high in its second volume.
TEST(NonSteadyState, CountsTheLeadingVolumesAsNipypeIsOutlier) {
  ASSERT_TRUE(test::python_has("nipype.algorithms.confounds"));
  ScratchDir dir;
  std::vector<Eigen::VectorXd> cases;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0.0, 1.0);  // only makes fixtures; values are written out
  for (int lead : {0, 1, 2, 4}) {
    Eigen::VectorXd v(40);
    for (int t = 0; t < 40; ++t) v[t] = 1000 + 3 * noise(rng) + (t < lead ? 80.0 - 10 * t : 0.0);
    cases.push_back(v);
  }
  Eigen::VectorXd second = cases[0];
  second[1] += 100;
  cases.push_back(second);
  Eigen::VectorXd flat = Eigen::VectorXd::Constant(30, 5.0);
  flat[0] = 9;
  cases.push_back(flat);
  std::string script = "import numpy as np\nfrom nipype.algorithms.confounds import is_outlier\nout = []\n";
  for (std::size_t c = 0; c < cases.size(); ++c) {
    test::write_matrix(cases[c], dir / ("gs" + std::to_string(c) + ".txt"));
    script += "out.append(is_outlier(np.loadtxt('gs" + std::to_string(c) + ".txt')))\n";
  }
  script += "np.savetxt('n.txt', out)\n";
  ASSERT_EQ(test::run_python(dir, script), 0);
  const auto theirs = test::read_numbers(dir / "n.txt");
  ASSERT_EQ(theirs.size(), cases.size());
  for (std::size_t c = 0; c < cases.size(); ++c)
    EXPECT_EQ(leading_outliers(cases[c]), static_cast<int64_t>(theirs[c])) << "case " << c;
}

TEST(CompCor, CosineBasisIsNipypes) {
  ASSERT_TRUE(test::python_has("nipype.algorithms.confounds"));
  ScratchDir dir;
  ASSERT_EQ(test::run_python(dir, "import numpy as np\nfrom nipype.algorithms.confounds import _cosine_drift\n"
                                  "np.savetxt('b.txt', _cosine_drift(128.0, 2.0 * np.arange(150)))\n"),
            0);
  const Eigen::MatrixXd ours = cosine_basis(150, 2.0, 128.0);
  const auto theirs = test::read_numbers(dir / "b.txt");
  ASSERT_EQ(theirs.size(), static_cast<std::size_t>(ours.size()));
  for (Eigen::Index r = 0; r < ours.rows(); ++r)
    for (Eigen::Index c = 0; c < ours.cols(); ++c)
      EXPECT_NEAR(ours(r, c), theirs[static_cast<std::size_t>(r * ours.cols() + c)], 1e-12);
}

// nipype's compute_noise_components (cosine filter, 50 % variance) on a
// noise-mask series with a few shared time courses: the same number of
// components, the same variance explained, the same components up to sign.
TEST(CompCor, ComponentsAndVarianceAsNipype) {
  ASSERT_TRUE(test::python_has("nipype.algorithms.confounds") && test::python_has("nibabel"));
  ScratchDir dir;
  const int voxels = 300, volumes = 80;
  std::mt19937_64 rng(3);
  std::normal_distribution<double> n01(0.0, 1.0);
  Eigen::MatrixXd shared(volumes, 3);
  for (int t = 0; t < volumes; ++t)
    for (int k = 0; k < 3; ++k) shared(t, k) = n01(rng);
  Eigen::MatrixXf series(voxels, volumes);
  for (int v = 0; v < voxels; ++v) {
    const double w0 = n01(rng) * 4, w1 = n01(rng) * 2, w2 = n01(rng);
    for (int t = 0; t < volumes; ++t)
      series(v, t) = static_cast<float>(500 + 10 * v % 37 + 0.05 * t + w0 * shared(t, 0) + w1 * shared(t, 1) +
                                        w2 * shared(t, 2) + n01(rng));
  }
  test::write_matrix(series.cast<double>(), dir / "series.txt");
  ASSERT_EQ(test::run_python(dir,
                             "import numpy as np, nibabel as nb\n"
                             "from nipype.algorithms.confounds import compute_noise_components\n"
                             "m = np.loadtxt('series.txt').astype(np.float32)\n"
                             "img = m.reshape(300, 1, 1, 80)\n"
                             "mask = nb.Nifti1Image(np.ones((300, 1, 1), np.uint8), np.eye(4))\n"
                             "c, basis, md = compute_noise_components(img, [mask], 0.5, filter_type='cosine', period_cut=128.0, repetition_time=2.0)\n"
                             "np.savetxt('c.txt', c)\n"
                             "np.savetxt('var.txt', md['variance_explained'])\n"),
            0);
  CompCorOptions options;
  options.tr_seconds = 2.0;
  const CompCorResult ours = acompcor(series, options);
  const auto var = test::read_numbers(dir / "var.txt");
  const auto comp = test::read_numbers(dir / "c.txt");
  ASSERT_EQ(static_cast<std::size_t>(ours.variance_explained.size()), var.size());
  for (std::size_t i = 0; i < var.size(); ++i) EXPECT_NEAR(ours.variance_explained[i], var[i], 1e-5);
  ASSERT_EQ(comp.size(), static_cast<std::size_t>(volumes * ours.kept));
  for (int64_t c = 0; c < ours.kept; ++c) {
    double dot = 0;
    for (int t = 0; t < volumes; ++t) dot += ours.components(t, c) * comp[static_cast<std::size_t>(t * ours.kept + c)];
    EXPECT_NEAR(std::abs(dot), 1.0, 1e-4) << "component " << c;
  }
}

TEST(CompCor, ErosionKeepsOnlyVoxelsWithAllSixNeighbours) {
  Mask cube{Grid{}, {}};
  cube.grid.dims = {5, 5, 5};
  for (int64_t k = 0; k < 5; ++k)
    for (int64_t j = 0; j < 5; ++j)
      for (int64_t i = 0; i < 5; ++i)
        if (i >= 1 && i <= 3 && j >= 1 && j <= 3 && k >= 1 && k <= 3) cube.indices.push_back((k * 5 + j) * 5 + i);
  const Mask eroded = erode_mask(cube, 1);
  ASSERT_EQ(eroded.count(), 1u);
  EXPECT_EQ(eroded.indices[0], (2 * 5 + 2) * 5 + 2);
}

TEST(Tsnr, IsMeanOverPopulationSd) {
  Image<float> s;
  s.header.dim = {4, 2, 1, 1, 4, 1, 1, 1};
  s.header.pixdim = {1, 1, 1, 1, 2, 0, 0, 0};
  s.data = {10, 5, 12, 5, 10, 5, 12, 5};  // voxel 0: 10,12,10,12 (mean 11, sd 1); voxel 1 constant
  const Image<float> t = tsnr_map(s);
  ASSERT_EQ(t.data.size(), 2u);
  EXPECT_FLOAT_EQ(t.data[0], 11.0f);
  EXPECT_FLOAT_EQ(t.data[1], 0.0f);
}

// The columns fMRIPrep writes, in its names, and outliers where FD or
// std_dvars cross their thresholds.
TEST(Confounds, FmriprepColumnNamesAndOutliers) {
  const int nt = 6;
  ParameterSeries p = ParameterSeries::Zero(nt, 6);
  p(3, 0) = 1.0;  // a 1 mm jump at volume 3 and back at 4: FD 1 at both
  DvarsResult d;
  d.dvars = Eigen::VectorXd::Constant(nt, 10.0);
  d.std_dvars = Eigen::VectorXd::Constant(nt, 1.0);
  d.global_signal = Eigen::VectorXd::Constant(nt, 1000.0);
  d.dvars[0] = d.std_dvars[0] = NAN;
  d.std_dvars[1] = 2.0;  // a DVARS-only outlier
  ConfoundSettings s;
  s.non_steady_volumes = 1;
  const MotionConfounds c = build_confounds(p, d, TissueSignals{}, s);
  const std::vector<std::string> expected_start{"trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z",
                                                "trans_x_derivative1", "trans_x_power2", "trans_x_derivative1_power2"};
  for (std::size_t i = 0; i < expected_start.size(); ++i) EXPECT_EQ(c.table.columns[i], expected_start[i]);
  for (const char* name : {"rot_z_derivative1_power2", "framewise_displacement", "rmsd", "dvars", "std_dvars",
                           "global_signal", "non_steady_state_outlier_00", "motion_outlier_00", "motion_outlier_01",
                           "motion_outlier_02"})
    EXPECT_TRUE(c.table.has_column(name)) << name;
  EXPECT_FALSE(c.table.has_column("motion_outlier_03"));
  EXPECT_EQ(c.motion_outliers, (std::vector<int64_t>{1, 3, 4}));
  EXPECT_EQ(c.table.rows[0][c.table.column_index("framewise_displacement")], "n/a");
  EXPECT_EQ(c.table.rows[3][c.table.column_index("motion_outlier_01")], "1");
  EXPECT_EQ(c.table.rows[0][c.table.column_index("non_steady_state_outlier_00")], "1");
}

}  // namespace
