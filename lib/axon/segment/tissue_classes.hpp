#pragma once
// Tissue classification of a brain image: a Gaussian mixture fitted by EM
// with a Potts Markov-random-field prior evaluated by mean field (Zhang,
// Brady & Smith 2001, the model of FSL FAST; Ashburner & Friston's unified
// view for the bias step), interleaved with bias-field estimation as FAST
// and antsAtroposN4 do, and partial-volume fractions at class boundaries.
//
// Each iteration: (1) M-step: class means, variances, proportions from the
// soft memberships on the bias-corrected intensities; (2) bias: the log
// residual log(y) - log(sum_k p_k mu_k) is fitted by a smooth cubic
// polynomial in the voxel coordinates (weighted least squares) and divided
// out; (3) E-step: p_k(i) ~ pi_k N(y_i; mu_k, s_k) exp(beta sum_{j in N(i)} p_k(j))
// (mean field, all voxels updated from the previous memberships, so the
// result does not depend on the order or the number of threads).
// Classes are numbered by increasing mean (T1: 1 CSF, 2 GM, 3 WM). Sums run
// over fixed blocks in a fixed order: identical output for any --threads.
#include <cstdint>
#include <string>
#include <vector>

#include "axon/image/image.hpp"

namespace axon::segment {

enum class TissueInit { kmeans, otsu };

struct TissueOptions {
  int classes = 3;
  double mrf_beta = 0.1;  // Potts interaction per neighbour; 0 = plain GMM
  int neighbourhood = 6;  // 6 or 26
  bool bias = true;
  TissueInit init = TissueInit::kmeans;
  int max_iterations = 20;
  double tolerance = 1e-4;  // relative change of every class mean
};

struct TissueResult {
  std::vector<int32_t> labels;  // per voxel: 0 outside the mask, 1..K by mean
  std::vector<float> pve;       // K volumes of fractions (class k at k*n + i)
  std::vector<float> posteriors;  // K volumes of memberships
  std::vector<float> bias;      // per voxel multiplicative field (1 outside)
  std::vector<double> means, sds, proportions;
  int iterations = 0;
};

// `mask` has one byte per voxel; at least 10 voxels per class inside.
TissueResult classify_tissues(const Image<float>& image, const std::vector<std::uint8_t>& mask,
                              const TissueOptions& options, const std::string& path);

// Multi-level Otsu thresholds (K-1 of them) of `values` on a 128-bin
// histogram, by exhaustive search (Liao, Chen & Chung 2001); K <= 4.
std::vector<double> otsu_thresholds(const std::vector<float>& values, int classes);

}  // namespace axon::segment
