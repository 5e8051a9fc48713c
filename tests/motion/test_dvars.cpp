// DVARS, standardised DVARS and the global signal against nipype's
// compute_dvars (ComputeDVARS's defaults) on nipy's real functional.nii.gz.
#include <gtest/gtest.h>

#include <cmath>

#include "axon/core/error.hpp"
#include "axon/io/nifti.hpp"
#include "axon/motion/dvars.hpp"
#include "common/python_peer.hpp"

namespace {
using namespace axon;
using namespace axon::motion;
using axon::test::ScratchDir;

const char* kFunctional = "/usr/lib/python3/dist-packages/nipy/testing/functional.nii.gz";

// The peer writes a brain mask (temporal mean above the mean of the
// temporal mean), optionally a copy of the series with `constant` masked
// voxels frozen at a fixed value (zero variance), and nipype's three DVARS
// series plus the masked mean per volume.
void run_nipype(const ScratchDir& dir, int constant) {
  ASSERT_TRUE(test::python_has("nipype.algorithms.confounds") && test::python_has("nitime"))
      << "python3-nipype and python3-nitime are needed: run scripts/bootstrap";
  const std::string script = std::string("import nibabel as nb, numpy as np\n") +
                             "from nipype.algorithms.confounds import compute_dvars\n"
                             "img = nb.load('" + kFunctional + "')\n"
                             "data = np.asarray(img.dataobj, dtype=np.float32)\n"
                             "mean = data.mean(-1)\n"
                             "mask = (mean > mean.mean()).astype(np.uint8)\n"
                             "inside = np.argwhere(mask)\n"
                             "for i, j, k in inside[:" + std::to_string(constant) + "]:\n"
                             "    data[i, j, k, :] = 1234.5\n"
                             "nb.save(nb.Nifti1Image(mask, img.affine), 'mask.nii.gz')\n"
                             "nb.save(nb.Nifti1Image(data, img.affine, img.header), 'bold.nii.gz')\n"
                             "std, nstd, vxstd = compute_dvars('bold.nii.gz', 'mask.nii.gz',\n"
                             "    remove_zerovariance=True, variance_tol=1e-7, intensity_normalization=1000)\n"
                             "np.savetxt('std.txt', std)\n"
                             "np.savetxt('nstd.txt', nstd)\n"
                             "np.savetxt('vxstd.txt', vxstd)\n"
                             "np.savetxt('global.txt', data[mask > 0].astype(np.float64).mean(0))\n";
  ASSERT_EQ(test::run_python(dir, script), 0);
}

void expect_series_near(const Eigen::VectorXd& ours, const std::vector<double>& theirs, const char* what) {
  ASSERT_EQ(static_cast<Eigen::Index>(theirs.size()) + 1, ours.size()) << what;
  EXPECT_TRUE(std::isnan(ours(0))) << what;
  for (std::size_t t = 0; t < theirs.size(); ++t)
    EXPECT_NEAR(ours(static_cast<Eigen::Index>(t) + 1), theirs[t], 1e-4 * std::max(1.0, std::abs(theirs[t])))
        << what << " at volume " << t + 1;
}

void expect_matches_nipype(int constant) {
  ScratchDir dir;
  run_nipype(dir, constant);
  if (::testing::Test::HasFatalFailure()) return;
  const Mask mask = mask_from_image(read_image<float>(dir / "mask.nii.gz"), dir / "mask.nii.gz");
  const DvarsResult ours = compute_dvars(dir / "bold.nii.gz", mask);
  EXPECT_EQ(ours.voxels_used, ours.voxels - constant);
  expect_series_near(ours.dvars, test::read_numbers(dir / "nstd.txt"), "dvars");
  expect_series_near(ours.std_dvars, test::read_numbers(dir / "std.txt"), "std_dvars");
  expect_series_near(ours.voxel_std_dvars, test::read_numbers(dir / "vxstd.txt"), "voxel_std_dvars");
  const auto global = test::read_numbers(dir / "global.txt");
  ASSERT_EQ(static_cast<Eigen::Index>(global.size()), ours.global_signal.size());
  for (std::size_t t = 0; t < global.size(); ++t)
    EXPECT_NEAR(ours.global_signal(static_cast<Eigen::Index>(t)), global[t], 1e-4 * std::abs(global[t]));
}

TEST(Dvars, MatchesNipypeOnRealBold) { expect_matches_nipype(0); }
// Frozen voxels must be left out exactly as nipype's remove_zerovariance does.
TEST(Dvars, MatchesNipypeWithZeroVarianceVoxels) { expect_matches_nipype(7); }

TEST(Dvars, NeedsTwoVolumes) {
  Eigen::MatrixXf one = Eigen::MatrixXf::Ones(4, 1);
  EXPECT_THROW(compute_dvars(one), InputError);
}

}  // namespace
