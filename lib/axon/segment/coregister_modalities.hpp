#pragma once
// Bringing other contrasts of one subject onto a reference image's grid:
// rigid registration with Mattes mutual information (any pair of MRI
// contrasts; the head moves rigidly between the scans of one session), then
// linear resampling onto the reference grid. Used by axon-segment tumour
// (T1, T2 and FLAIR onto T1ce, docs/axon-segment.md#tumour); nothing in it
// is specific to tumours.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "axon/image/image.hpp"
#include "axon/register/register_images.hpp"
#include "axon/register/stage_report.hpp"
#include "axon/register/transform.hpp"

namespace axon::segment {

// What co-registration did to one image.
struct Coregistration {
  std::string path;
  // Registered and resampled; false: it was on the reference grid already
  // and was left untouched (then nothing below is set).
  bool moved = false;
  // Maps a reference point (LPS mm) to the point of the image's own space
  // that is pulled there (ITK's / axon-register's sense).
  registration::LinearTransform transform;
  registration::StageReport rigid;  // metric value (ITK's sign: lower is better), iterations, seconds
  double seconds = 0;               // registration and resampling
  // The matrix (4x4, LPS), the centre, the rotation angle (degrees) and the
  // displacement of the centre (mm), the metric, iterations and seconds.
  nlohmann::json to_json() const;
};

struct CoregisterOptions {
  // Grids whose affines differ by at most this (axon::same_grid) are one.
  double grid_tolerance_mm = 1e-4;
  std::uint64_t seed = 42;  // the metric's sample points
};

// The registration coregister_to_reference runs: one rigid stage (Euler
// angles + translation) with Mattes MI (32 bins), started from the
// translation that aligns the intensity centres of mass, ANTs' shrink
// 8/4/2/1 schedule down to full resolution (stopping at 2 mm on 1 mm BraTS
// grids halved the time but left 0.5 mm instead of 0.38 mm on a T2 with
// 1.5 mm slices).
registration::RegistrationOptions rigid_mi_options(const CoregisterOptions& options);

// When `image` is on the grid of `reference` (same dimensions, affines equal
// within options.grid_tolerance_mm, axon::same_grid), leaves it alone (bit for
// bit). Otherwise registers it rigidly to the reference and replaces it by
// its linear resampling onto the reference grid (header: the reference's
// grid, the image's own datatype and scaling; 0 outside its field of view).
// Linear, not B-spline: no over- or undershoot, so a skull-stripped
// image's zero background stays zero. Deterministic for any thread count.
// Throws InputError naming `path` when it cannot be registered (no
// overlap, fewer than 4 voxels along an axis, a failed stage).
Coregistration coregister_to_reference(const registration::NamedImage& reference, Image<float>& image,
                                       const std::string& path, const CoregisterOptions& options = {});

}  // namespace axon::segment
