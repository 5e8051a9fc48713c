#pragma once
// Everything a NIfTI header says that neuroimagers rely on, kept verbatim so
// that a read/write round trip changes nothing: both spatial transforms AND
// their codes, the quaternion parameters as stored, units, TR and toffset,
// intent, descrip, scaling and slice timing fields.
#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <string>

namespace axon {

// NIfTI datatype codes (the subset axon reads and writes).
enum class DataType : int {
  uint8 = 2, int16 = 4, int32 = 8, float32 = 16, float64 = 64,
  int8 = 256, uint16 = 512, uint32 = 768, int64 = 1024, uint64 = 1280,
};
const char* datatype_name(int code);  // "uint8", ..., "unsupported"
bool datatype_supported(int code);
bool datatype_is_integer(int code);

struct ImageHeader {
  int nifti_version = 1;         // 1 or 2: written back the same way
  std::array<int64_t, 8> dim{};  // dim[0] = number of dimensions
  std::array<double, 8> pixdim{};
  int datatype = static_cast<int>(DataType::float32);
  double scl_slope = 0, scl_inter = 0;  // as stored; 0 slope means none
  double cal_min = 0, cal_max = 0;
  int qform_code = 0, sform_code = 0;
  double quatern_b = 0, quatern_c = 0, quatern_d = 0;
  double qoffset_x = 0, qoffset_y = 0, qoffset_z = 0, qfac = 1;
  Eigen::Matrix4d qform = Eigen::Matrix4d::Identity();  // derived from the quaternion
  Eigen::Matrix4d sform = Eigen::Matrix4d::Identity();  // srow_x/y/z as stored
  int xyz_units = 0, time_units = 0;   // NIFTI_UNITS_* codes
  double toffset = 0;
  int intent_code = 0;
  double intent_p1 = 0, intent_p2 = 0, intent_p3 = 0;
  std::string intent_name, descrip, aux_file;
  int freq_dim = 0, phase_dim = 0, slice_dim = 0, slice_code = 0;
  int64_t slice_start = 0, slice_end = 0;
  double slice_duration = 0;

  int64_t nx() const { return dim[0] >= 1 ? dim[1] : 1; }
  int64_t ny() const { return dim[0] >= 2 ? dim[2] : 1; }
  int64_t nz() const { return dim[0] >= 3 ? dim[3] : 1; }
  // Volumes: the product of dims 4..7 (a 3D image has one).
  int64_t nt() const;
  int64_t voxels_per_volume() const { return nx() * ny() * nz(); }
  int ndim() const { return static_cast<int>(dim[0]); }

  // Voxel index -> world (mm, RAS+) following the NIfTI rules: the sform
  // when its code is set, else the qform, else the voxel sizes alone.
  Eigen::Matrix4d affine() const;
  // Repetition time in seconds from pixdim[4] and the time units; 0 if unset.
  double repetition_time() const;
  // A reason to distrust repetition_time() (e.g. pixdim[4] = 2000 with units
  // "sec", a header that really meant ms), or "" when it looks plausible.
  std::string repetition_time_problem() const;
  // Spatial units as a factor to millimetres (1 when unknown).
  double spatial_unit_to_mm() const;

  // Sets both transforms from `affine` (qform through the quaternion, sform
  // verbatim), with the given codes, and updates pixdim[1..3].
  void set_affine(const Eigen::Matrix4d& affine, int qcode, int scode);
  // Makes this a header for `volumes` volumes (3D when 1) of the same grid.
  void set_volumes(int64_t volumes);
};

}  // namespace axon
