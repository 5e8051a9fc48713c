#pragma once
// A simple, documented three-class tissue split for the image quality
// metrics: k-means (Lloyd) on the intensities inside the brain mask, on a
// 1024-bin histogram between the 0.5 and 99.5 percentiles, started at the
// 10th, 50th and 90th percentiles; classes ordered by intensity (T1:
// CSF < GM < WM). A stand-in until axon-segment's tissue classification
// (issue 7) lands; replaceable without touching the metrics.
#include <array>
#include <cstdint>
#include <vector>

namespace axon::quality {

// FSL FAST's labels, as MRIQC uses them.
enum TissueLabel : std::uint8_t { kBackground = 0, kCsf = 1, kGm = 2, kWm = 3 };

struct TissueSplit {
  std::vector<std::uint8_t> labels;  // per voxel: 0 outside the brain mask, else 1..3
  std::array<double, 3> centres{};   // class means (intensity), CSF, GM, WM
};

TissueSplit kmeans_tissue_split(const float* image, const std::vector<std::uint8_t>& brain_mask);

}  // namespace axon::quality
