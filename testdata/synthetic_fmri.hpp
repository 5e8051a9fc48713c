#pragma once
// A synthetic resting-state BOLD run with known ground truth, built on real
// anatomy (Colin27 + AAL on a 3 mm grid): the true region covariance, the
// true confound time courses and the true head motion are all known.
//
// The model, in head space (before motion), for voxel v of region r(v):
//   y_v(t) = b_v * (1 + A s_r(t) + drift(t) + global(t)
//                   + [v in WM] white_matter(t) + [v in CSF] csf(t)
//                   + w_v motion_signal(t))
// then the volume is moved by the true rigid motion (linear interpolation)
// and scanner noise N(0, sigma^2) is added in scanner space.
//  - b_v: the ch2 T1 intensity scaled so that the brain's mean is 1000;
//    outside the brain mask a tenth of that.
//  - s_r: region signals, drawn iid per volume from N(0, true covariance)
//    (region_covariance.hpp); A = signal_percent / 100. Voxels outside the
//    atlas have no region signal.
//  - drift: c1 tau + c2 (tau^2 - 1/12), tau = t/(T-1) - 1/2, c1 ~ U[-2, 2] %,
//    c2 ~ U[-1, 1] %, in every voxel (scanner drift scales with signal).
//  - global (sd 0.5 %) in every brain voxel; white_matter (sd 0.5 %) in
//    brain voxels outside the atlas brighter than the atlas voxels' median
//    T1; csf (sd 1 %) in the other brain voxels outside the atlas: smooth
//    AR(1) series (phi 0.8), normalised to their sd.
//  - motion_signal: 0.5 % per mm of a fixed random combination of the six
//    motion parameters (rotations as arc length at 50 mm), loaded by
//    w_v = clamp((z_v - z_centre) / 60 mm, -1, 1) in brain voxels: a
//    spin-history-like signal a user can regress out with the motion
//    parameters. Zero without motion.
// Every confound column of true_confounds.tsv is the time course above, as
// a fraction of the baseline b_v.
#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "axon/core/atomic_output.hpp"
#include "axon/image/image.hpp"
#include "testdata/anatomy.hpp"
#include "testdata/region_covariance.hpp"
#include "testdata/true_motion.hpp"

namespace axon::testdata {

struct FmriOptions {
  int64_t volumes = 100;
  double tr = 2.0;               // seconds, written to pixdim[4]
  double voxel_mm = 3.0;
  double noise_percent = 1.0;    // scanner noise sd, % of the brain's mean baseline (1000)
  double signal_percent = 2.0;   // A: % signal change per unit of region signal
  int networks = 6;              // networks of correlated regions
  double independent_fraction = 0.25;  // of regions, in no network
  MotionKind motion = MotionKind::jumps;
  int jumps = 3;                 // with motion jumps
  std::uint64_t seed = 42;
  std::string template_dir = kDefaultTemplateDir;
};

struct SyntheticFmri {
  FmriOptions options;
  Image<float> bold;             // float32, TR in the header
  Image<int32_t> atlas;          // int16 on disk, on the BOLD grid
  Image<int32_t> brainmask;      // uint8 on disk
  std::vector<int32_t> labels;   // every region (anatomy.hpp)
  std::vector<std::string> label_names;
  std::vector<int64_t> voxels_per_label;
  RegionCovariance truth;        // covariance over `labels`, in order
  Eigen::MatrixXd correlation;   // the true correlation
  Eigen::MatrixXd region_signals;  // volumes x regions: the s_r(t) drawn
  std::vector<std::string> confound_names;
  Eigen::MatrixXd confounds;     // volumes x confounds, fractions of baseline
  double drift_linear = 0, drift_quadratic = 0;
  MotionTruth motion;
  int64_t white_matter_voxels = 0, csf_voxels = 0, brain_voxels = 0;
  double noise_sd = 0;           // in image intensity units
  std::optional<RigidParams> scanner_space;  // set by move_to_scanner_space
  Eigen::Matrix4d scanner_move = Eigen::Matrix4d::Identity();
};

// Deterministic for `options.seed` and any thread count: every random part
// has its own RNG stream, so e.g. switching motion off leaves the region
// signals and the noise unchanged.
SyntheticFmri make_synthetic_fmri(const FmriOptions& options);

// Moves the run out of MNI space: the headers of the BOLD series, the atlas
// and the brain mask get the affine M A (A the MNI-space one, M =
// rigid_matrix(params) about the grid's centre, axon's rigid convention), the
// voxel arrays stay. So the scanner-space run is exact (nothing resampled),
// and atlas.nii.gz is still the true label of every BOLD voxel. The truth
// records M (ground_truth.json "scanner_space"); true_motion.tsv stays in the
// MNI world the motion was made in.
void move_to_scanner_space(SyntheticFmri& fmri, const RigidParams& params);

// Everything a test or a user needs to know, as JSON (ground_truth.json).
nlohmann::json synthetic_fmri_truth(const SyntheticFmri& fmri);

// Adds to `outputs` and writes (to their temporaries) OUTDIR/bold.nii.gz,
// atlas.nii.gz, brainmask.nii.gz, true_motion.tsv, true_confounds.tsv,
// true_region_signals.tsv, true_covariance.tsv, true_correlation.tsv and
// ground_truth.json (with `extra` merged in, e.g. provenance).
void write_synthetic_fmri(const SyntheticFmri& fmri, const std::string& outdir, OutputSet& outputs,
                          const nlohmann::json& extra = nlohmann::json::object());
// The same, committed at once; `outdir` is created when missing.
void write_synthetic_fmri(const SyntheticFmri& fmri, const std::string& outdir, bool force = false);

}  // namespace axon::testdata
