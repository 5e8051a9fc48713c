#pragma once
// Rigid-body head motion: six parameters, one convention for all of axon.
//
// THE CONVENTION (also that of axon-motion realign's columns trans_x,
// trans_y, trans_z, rot_x, rot_y, rot_z, named as fMRIPrep names them):
//
//   * World coordinates are NIfTI's: RAS+ millimetres (x to the subject's
//     Right, y Anterior, z Superior), through the image's sform/qform.
//   * Rotations are about the centre c of the voxel grid: the world position
//     of voxel ((nx-1)/2, (ny-1)/2, (nz-1)/2).
//   * R = Rz(rot_z) * Ry(rot_y) * Rx(rot_x): first about x, then y, then z
//     (fixed world axes). Each is a right-handed rotation in radians:
//     positive rot_z turns +x (Right) towards +y (Anterior), positive rot_x
//     turns +y towards +z, positive rot_y turns +z towards +x.
//   * A point of the head at world position p in the reference volume is at
//         p' = R (p - c) + c + t,    t = (trans_x, trans_y, trans_z) in mm,
//     in the moved volume: the parameters say where the head went.
//
// So a volume after motion `m` shows, at p', what the reference showed at p:
// moved(p') = reference(p). Zero parameters are the identity.
#include <Eigen/Core>

#include "axon/image/image.hpp"
#include "axon/image/resample.hpp"

namespace axon {

struct RigidParams {
  double tx = 0, ty = 0, tz = 0;  // mm, along RAS x, y, z
  double rx = 0, ry = 0, rz = 0;  // radians, about RAS x, y, z
};

// The world (RAS) centre of rotation of an image: the centre of its voxel grid.
Eigen::Vector3d grid_centre_ras(const ImageHeader& header);

// R = Rz * Ry * Rx for the parameters' angles.
Eigen::Matrix3d rigid_rotation(const RigidParams& params);

// The 4x4 world transform p -> p' = R (p - c) + c + t.
Eigen::Matrix4d rigid_matrix(const RigidParams& params, const Eigen::Vector3d& centre_ras);

// The parameters of a rigid world transform (rotation part orthonormal,
// det +1) about `centre_ras`; the inverse of rigid_matrix. rot_y is taken in
// [-pi/2, pi/2] (the Rz*Ry*Rx decomposition is unique there).
RigidParams rigid_params_from_matrix(const Eigen::Matrix4d& matrix, const Eigen::Vector3d& centre_ras);

// The motion that undoes `params` (same centre).
RigidParams inverse_rigid(const RigidParams& params, const Eigen::Vector3d& centre_ras);

// The 3D `volume` as seen after the head moved by `params`: the same grid
// and header, every voxel q taking the reference's value at
// p = M^-1 q (M = rigid_matrix(params, grid_centre_ras(header))). Resampled
// through ITK's ResampleImageFilter; voxels that come from outside the
// volume get `outside`. A 4D input is an InputError.
Image<float> apply_rigid(const Image<float>& volume3d, const RigidParams& params, Interpolation interpolation,
                         float outside = 0.0f);

// `volume` moved rigidly by `params` (axon's rigid convention, about the
// grid centre, as apply_rigid): trilinear interpolation with ITK's
// LinearInterpolateImageFunction border rule (inside for -0.5 <= index <
// n - 0.5, neighbours clamped), `outside` elsewhere. Same values as
// apply_rigid(..., Interpolation::linear) to float rounding, several times
// faster (no ITK pipeline; OpenMP over slices, deterministic): hand-written
// because the motion simulation moves a whole volume once per pose. Zero
// parameters give the input back exactly.
Image<float> move_rigid_linear(const Image<float>& volume, const RigidParams& params, float outside);

// move_rigid_linear one output row at a time (the voxels (0..nx-1, j, k)),
// for callers that consume the moved volume piece by piece without holding
// it whole (the motion simulation resamples slab by slab). Holds a pointer
// to `volume`'s voxels: the volume must outlive it. row() is const and
// thread-safe.
class RigidLinearSampler {
 public:
  RigidLinearSampler(const Image<float>& volume, const RigidParams& params, float outside);
  void row(int64_t j, int64_t k, float* out) const;  // writes nx values

 private:
  const float* in_;
  int64_t n_[3];
  double to_input_[3][4];  // output voxel -> input voxel (rows x, y, z of the affine)
  float outside_;
  bool identity_;
};

}  // namespace axon
