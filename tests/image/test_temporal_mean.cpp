#include <gtest/gtest.h>

#include "axon/core/error.hpp"
#include "axon/image/temporal_mean.hpp"
#include "axon/io/nifti.hpp"

TEST(TemporalMean, EqualsTheMeanOfTheVolumes) {
  const std::string path = "/usr/lib/python3/dist-packages/nipy/testing/functional.nii.gz";
  auto series = axon::read_image<double>(path);
  auto mean = axon::temporal_mean(path);
  EXPECT_EQ(mean.nt(), 1);
  EXPECT_EQ(mean.header.ndim(), 3);
  for (int64_t v = 0; v < series.voxels_per_volume(); v += 37) {
    double s = 0;
    for (int64_t t = 0; t < series.nt(); ++t) s += series.volume(t)[v];
    EXPECT_NEAR(mean.data[v], s / series.nt(), 1e-3);
  }
}

TEST(TemporalMean, ThreeDimensionalInputIsRefused) {
  EXPECT_THROW(axon::temporal_mean("/usr/share/mricron/templates/ch2.nii.gz"), axon::InputError);
}
