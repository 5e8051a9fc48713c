#pragma once
// A T1-like brain phantom with three tissue classes whose labels and
// partial-volume fractions are known exactly: the ground truth for tissue
// classification. Geometry (in coordinates u scaled to [-1, 1] per axis):
// a brain ellipsoid; an outer CSF shell; a cortical grey-matter ribbon whose
// inner (GM/WM) boundary is folded by a product of sines; white matter
// inside; two CSF ventricles. Fractions are the share of 4x4x4 sub-samples
// of each voxel in each class; the true label is the class with the largest
// fraction. Intensity = sum_k fraction_k * intensity_k, where each class
// has a smooth intensity (mean x (1 + 3 % smooth variation)); then times a
// smooth multiplicative bias field and Rician noise (Gudbjartsson & Patz
// 1995) with sigma = noise % of the white-matter mean.
#include <array>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "axon/core/atomic_output.hpp"
#include "axon/image/image.hpp"

namespace axon::testdata {

struct TissuePhantomOptions {
  std::array<int64_t, 3> dims{72, 84, 66};
  double voxel_mm = 2.0;
  double noise_percent = 3.0;  // of the white-matter mean (850)
  double bias_amplitude = 0.2;  // log-field amplitude: field in about exp(+-0.2)
  std::uint64_t seed = 42;
};

struct TissuePhantom {
  Image<float> t1;             // float32
  Image<int32_t> labels;       // 0 outside the brain, 1 CSF, 2 GM, 3 WM (uint8 on disk)
  Image<float> fractions;      // 3 volumes: CSF, GM, WM fractions in [0, 1]
  Image<int32_t> mask;         // brain: any tissue fraction > 0 (uint8 on disk)
  Image<float> bias;           // the multiplicative field
  std::array<double, 3> class_means{250, 600, 850};
  double sigma = 0;
  TissuePhantomOptions options;
};

TissuePhantom make_tissue_phantom(const TissuePhantomOptions& options);

// Adds to `outputs` and writes OUTDIR/{t1,labels,fractions,mask,bias}.nii.gz
// and OUTDIR/truth.json.
void write_tissue_phantom(const TissuePhantom& phantom, const std::string& outdir, OutputSet& outputs,
                          const nlohmann::json& extra = nlohmann::json::object());

}  // namespace axon::testdata
