#include "axon/quality/motion_simulation.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>

#include "axon/core/error.hpp"
#include "axon/core/random.hpp"
#include "axon/image/grid.hpp"
#include "axon/quality/line_fft.hpp"

namespace axon::quality {

MotionSettings severity_settings(const std::string& severity) {
  MotionSettings s;
  if (severity == "low") s.max_degrees = 1, s.max_translation_mm = 1, s.transforms = 2;
  else if (severity == "medium") s.max_degrees = 3, s.max_translation_mm = 3, s.transforms = 4;
  else if (severity == "high") s.max_degrees = 6, s.max_translation_mm = 6, s.transforms = 8;
  else throw UsageError("--severity: '" + severity + "' is not one of low, medium, high");
  return s;
}

int pose_at(const MotionPlan& plan, double t) {
  int p = 0;
  for (int i = 0; i < static_cast<int>(plan.poses.size()); ++i)
    if (plan.poses[i].start_time <= t) p = i;
  return p;
}

MotionPlan draw_motion_plan(const MotionSettings& settings, int axis, std::uint64_t seed) {
  if (settings.transforms < 0 || settings.max_degrees < 0 || settings.max_translation_mm < 0)
    throw UsageError("motion settings must not be negative");
  Rng rng(seed);
  MotionPlan plan;
  plan.axis = axis;
  std::vector<double> times(settings.transforms);
  for (double& t : times) t = rng.uniform();
  std::sort(times.begin(), times.end());
  times.insert(times.begin(), 0.0);
  const double rad = settings.max_degrees * M_PI / 180.0, mm = settings.max_translation_mm;
  // Absolute poses first (the head at each segment), drawn in a fixed order.
  std::vector<Eigen::Matrix4d> absolute;
  for (std::size_t i = 0; i < times.size(); ++i) {
    Pose p;
    p.start_time = times[i];
    p.params.rx = rng.uniform(-rad, rad), p.params.ry = rng.uniform(-rad, rad), p.params.rz = rng.uniform(-rad, rad);
    p.params.tx = rng.uniform(-mm, mm), p.params.ty = rng.uniform(-mm, mm), p.params.tz = rng.uniform(-mm, mm);
    plan.poses.push_back(p);
  }
  if (settings.ghosting) {
    Ghosting g;
    g.period = static_cast<int>(rng.uniform_int(3, 10));
    g.intensity = rng.uniform(0.2, 0.2 + 0.1 * settings.max_degrees);
    g.intensity = std::min(g.intensity, 0.9);
    plan.ghosting = g;
  }
  // Relative to the pose at the centre of k-space: M_i' = M_i M_ref^-1, so
  // the reference pose becomes the identity. The centre is the origin here;
  // rigid_matrix with centre 0 composes exactly and the parameters keep
  // their meaning about any fixed centre because the image code applies
  // them about the grid centre (the composition of motions about the same
  // centre c is a motion about c).
  plan.reference_pose = pose_at(plan, 0.5);
  const Eigen::Vector3d zero = Eigen::Vector3d::Zero();
  const Eigen::Matrix4d ref_inverse = rigid_matrix(plan.poses[plan.reference_pose].params, zero).inverse();
  for (Pose& p : plan.poses) p.params = rigid_params_from_matrix(rigid_matrix(p.params, zero) * ref_inverse, zero);
  plan.poses[plan.reference_pose].params = RigidParams{};
  return plan;
}

namespace {
bool is_identity(const RigidParams& p) {
  return p.tx == 0 && p.ty == 0 && p.tz == 0 && p.rx == 0 && p.ry == 0 && p.rz == 0;
}
}  // namespace

Image<float> simulate_motion(const Image<float>& volume, const MotionPlan& plan) {
  if (volume.nt() != 1) throw InputError("", "motion simulation needs a 3D image");
  if (plan.axis < 0 || plan.axis > 2) throw UsageError("phase-encode axis must be 0, 1 or 2");
  LineLayout layout{{volume.nx(), volume.ny(), volume.nz()}, plan.axis};
  const int64_t n = layout.length(), lines = layout.lines(), stride = layout.stride();

  // Which pose each k-space plane (DFT bin) comes from, and its ghost scale.
  std::vector<int> bin_pose(n);
  std::vector<float> bin_scale(n, 1.0f);
  for (int64_t bin = 0; bin < n; ++bin) {
    const int64_t f = signed_frequency(bin, n);
    const double t = static_cast<double>(f + n / 2) / static_cast<double>(n);
    bin_pose[bin] = pose_at(plan, t);
    if (plan.ghosting && f != 0 && plan.ghosting->period > 0 && f % plan.ghosting->period == 0)
      bin_scale[bin] = static_cast<float>(1.0 - plan.ghosting->intensity);
  }

  // The mixed spectrum, line after line (n bins per line).
  std::vector<cfloat> spectrum(static_cast<std::size_t>(lines * n));
  for (int p = 0; p < static_cast<int>(plan.poses.size()); ++p) {
    if (std::find(bin_pose.begin(), bin_pose.end(), p) == bin_pose.end()) continue;  // no plane acquired
    const RigidParams& params = plan.poses[p].params;
    // The head in pose p: linear interpolation (ITK), zero outside.
    Image<float> moved;
    const Image<float>* source = &volume;
    if (!is_identity(params)) {
      moved = move_rigid_linear(volume, params, 0.0f);
      source = &moved;
    }
    const float* src = source->data.data();
#pragma omp parallel
    {
      LineFft fft(n);
      cfloat* buf = fft.buffer();
#pragma omp for schedule(static)
      for (int64_t l = 0; l < lines; ++l) {
        const int64_t s = layout.start(l);
        for (int64_t i = 0; i < n; ++i) buf[i] = cfloat(src[s + i * stride], 0.0f);
        fft.forward();
        cfloat* out = spectrum.data() + l * n;
        for (int64_t b = 0; b < n; ++b)
          if (bin_pose[b] == p) out[b] = buf[b] * bin_scale[b];
      }
    }
  }

  Image<float> result = volume;
  float* dst = result.data.data();
  const float inv_n = 1.0f / static_cast<float>(n);
#pragma omp parallel
  {
    LineFft fft(n);
    cfloat* buf = fft.buffer();
#pragma omp for schedule(static)
    for (int64_t l = 0; l < lines; ++l) {
      std::copy(spectrum.begin() + l * n, spectrum.begin() + (l + 1) * n, buf);
      fft.inverse();
      const int64_t s = layout.start(l);
      // Magnitude image, as a scanner reconstructs it.
      for (int64_t i = 0; i < n; ++i) dst[s + i * stride] = std::abs(buf[i]) * inv_n;
    }
  }
  return result;
}

}  // namespace axon::quality
