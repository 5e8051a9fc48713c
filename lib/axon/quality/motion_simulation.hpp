#pragma once
// Physically motivated k-space motion corruption of a 3D image (after
// Shaw et al. 2019, "MRI k-space motion artefact augmentation", the model
// behind TorchIO's RandomMotion/RandomGhosting used by the seed paper).
//
// The model: during the acquisition the head takes a sequence of rigid
// poses. k-space is acquired plane by plane along the phase-encode axis in
// linear order (most negative frequency first), so plane f is acquired at
// time (f + n/2) / n in [0, 1) and holds the k-space of the pose active at
// that time. The pose active when the centre of k-space (f = 0, t = 0.5) is
// acquired is the reference: every pose is expressed relative to it, so the
// corrupted image stays registered to the input. The corrupted image is the
// magnitude of the inverse transform of that mixed k-space.
//
// Why only 1D transforms: the mixing depends on the phase-encode frequency
// alone, so IFFT3(M(k_pe) . FFT3(x)) = IFFT_pe(M(k_pe) . FFT_pe(x)): the
// transforms along the two other axes cancel exactly. Each line along the
// phase-encode axis is transformed once per pose (FFTW; real input, so half
// spectra, the other bins being their conjugates; or, for a pose that holds
// only a few bins, direct DFT sums of those bins), which is exact and
// several times cheaper than full 3D transforms. The volume is processed slab
// by slab (whole phase-encode lines), each pose's slab resampled straight
// into the transform's buffer: no moved volume is ever held whole.
//
// Ghosting (optional): every `period`-th phase-encode plane (the centre
// excluded) is scaled by (1 - intensity), as in TorchIO's RandomGhosting:
// the periodic modulation puts ghost copies at n/period voxel spacing.
//
// The mixing itself is kspace_mixing.hpp's, shared with the other
// corruption models (corruption_models.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "axon/denoise/image_quality.hpp"
#include "axon/image/image.hpp"
#include "axon/image/rigid.hpp"
#include "axon/quality/kspace_mixing.hpp"

namespace axon::quality {

struct MotionSettings {
  double max_degrees = 3;         // each rotation angle uniform in [-max, max]
  double max_translation_mm = 3;  // each translation uniform in [-max, max]
  int transforms = 4;             // pose changes during the acquisition
  bool ghosting = false;
};

// --severity presets: low (1 degree, 1 mm, 2 changes), medium (3, 3, 4),
// high (6, 6, 8). Throws UsageError for another name.
MotionSettings severity_settings(const std::string& severity);

// A pose within `settings`: each rotation uniform in +-max_degrees, each
// translation in +-max_translation_mm, drawn in the order rx, ry, rz, tx,
// ty, tz (every simulator draws its poses this way).
RigidParams draw_rigid_pose(Rng& rng, const MotionSettings& settings);

struct Pose {
  double start_time = 0;  // acquisition time in [0, 1) from which it is active
  RigidParams params;     // relative to the reference pose
};

struct MotionPlan {
  int axis = 1;               // phase-encode voxel axis (0, 1, 2)
  std::vector<Pose> poses;    // sorted by start_time; poses[0].start_time == 0
  std::optional<Ghosting> ghosting;
  int reference_pose = 0;     // index of the pose at the centre of k-space
};

// Draws `settings.transforms` change times uniformly in (0, 1) and a pose
// per segment; then makes every pose relative to the reference pose.
// Deterministic in `seed`.
MotionPlan draw_motion_plan(const MotionSettings& settings, int axis, std::uint64_t seed);

// The index of the pose active at acquisition time t.
int pose_at(const MotionPlan& plan, double t);

// The corrupted 3D image (same header). Zero motion and no ghosting give
// the input back to float precision. Throws InputError for a 4D input.
// Deterministic for any thread count.
Image<float> simulate_motion(const Image<float>& volume, const MotionPlan& plan);

// The SSIM simulate reports and the models predict, from one pass: the 3D
// SSIM (scikit-image's definition) of `test` against `reference` over
// `mask`, and the 2D SSIM of every axial slice (NaN for a slice without a
// scored voxel); data range = max - min of the reference.
denoise::SsimWithSlices reference_ssim(const Image<float>& test, const Image<float>& reference,
                                       const std::vector<std::uint8_t>& mask);

}  // namespace axon::quality
