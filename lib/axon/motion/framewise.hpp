#pragma once
// Per-volume summaries of a head-motion parameter series: the columns of
// fMRIPrep's confounds file that derive from the six rigid parameters.
//
// A series is T x 6, one row per volume, columns in fMRIPrep's order
// trans_x trans_y trans_z (mm) rot_x rot_y rot_z (radians), in the
// convention of axon/image/rigid.hpp (rotations about the grid centre,
// R = Rz Ry Rx). Values that do not exist (a difference at volume 0) are NaN
// and become "n/a" in a TSV.
#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "axon/image/rigid.hpp"

namespace axon::motion {

using ParameterSeries = Eigen::Matrix<double, Eigen::Dynamic, 6>;

ParameterSeries parameter_series(const std::vector<RigidParams>& params);
std::vector<RigidParams> rigid_params(const ParameterSeries& series);

// Backward differences x(t) - x(t-1); row 0 is NaN (fMRIPrep's
// "_derivative1"). Works on any number of columns.
Eigen::MatrixXd derivative1(const Eigen::MatrixXd& series);
// Element-wise squares (fMRIPrep's "_power2"); NaN stays NaN.
Eigen::MatrixXd power2(const Eigen::MatrixXd& series);

// Framewise displacement, Power et al. 2012 (NeuroImage 59:2142), eq. in
// section "Framewise displacement": FD(t) = |dtx| + |dty| + |dtz| +
// r (|drx| + |dry| + |drz|), d = difference with volume t-1, rotations in
// radians turned into arc length on a sphere of radius r (50 mm, "the
// approximate distance from the cerebral cortex to the centre of the head").
// Row 0 is NaN. Identical to nipype's FramewiseDisplacement and
// fsl_motion_outliers --fd.
Eigen::VectorXd framewise_displacement(const ParameterSeries& series, double radius_mm = 50.0);

// Jenkinson's relative RMS deviation between consecutive volumes (M.
// Jenkinson, "Measuring transformation error by RMS deviation", FMRIB
// TR99MJ1, 1999; the value MCFLIRT writes to *_rel.rms and fMRIPrep calls
// "rmsd"): the root mean square, over a ball of radius `radius_mm` (80 mm in
// FSL) centred on the centre of rotation, of how far the points move
// between volume t-1 and t:
//     rms^2 = |t_d|^2 + (r^2 / 5) trace(A^T A),
// with M_t M_{t-1}^-1 - I = [A t_d; 0 0] in coordinates centred on the grid
// centre (the centre FSL uses too). Row 0 is NaN.
Eigen::VectorXd relative_rms(const ParameterSeries& series, double radius_mm = 80.0);

// The volumes whose value exceeds `threshold` (NaN never does), ascending.
std::vector<int64_t> volumes_over(const Eigen::VectorXd& values, double threshold);
// Merges two ascending volume lists into one ascending list without duplicates.
std::vector<int64_t> merge_volumes(const std::vector<int64_t>& a, const std::vector<int64_t>& b);

// fMRIPrep-style one-hot outlier regressors: column k is 1 at volumes[k] and
// 0 elsewhere, named prefix + two-digit index ("motion_outlier_00", ...).
struct OneHotColumns {
  std::vector<std::string> names;
  Eigen::MatrixXd values;  // volumes x names.size()
};
OneHotColumns one_hot_columns(const std::string& prefix, const std::vector<int64_t>& volumes, int64_t total_volumes);

}  // namespace axon::motion
