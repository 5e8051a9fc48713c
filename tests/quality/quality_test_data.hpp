#pragma once
// Small real inputs for the quality tests: ch2 (Colin27, DATA.md) on a
// 3 mm grid (60 x 72 x 60), so each test runs in seconds.
#include <string>

#include "axon/io/nifti.hpp"
#include "axon/quality/augmentation.hpp"

namespace axon::quality::test {

inline const std::string kCh2 = "/usr/share/mricron/templates/ch2.nii.gz";
inline const std::string kNipyAnatomical = "/usr/lib/python3/dist-packages/nipy/testing/anatomical.nii.gz";

inline const Image<float>& ch2_3mm() {
  static const Image<float> image = [] {
    Image<float> v = resample_isotropic(read_volume<float>(kCh2), 3.0);
    v.header.datatype = static_cast<int>(DataType::float32);
    v.header.scl_slope = v.header.scl_inter = 0;
    return v;
  }();
  return image;
}

}  // namespace axon::quality::test
