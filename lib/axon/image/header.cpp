#include "axon/image/header.hpp"

#include <nifti2_io.h>

#include <cmath>

namespace axon {

const char* datatype_name(int code) {
  switch (static_cast<DataType>(code)) {
    case DataType::uint8: return "uint8";
    case DataType::int16: return "int16";
    case DataType::int32: return "int32";
    case DataType::float32: return "float32";
    case DataType::float64: return "float64";
    case DataType::int8: return "int8";
    case DataType::uint16: return "uint16";
    case DataType::uint32: return "uint32";
    case DataType::int64: return "int64";
    case DataType::uint64: return "uint64";
  }
  return "unsupported";
}

bool datatype_supported(int code) { return std::string(datatype_name(code)) != "unsupported"; }

bool datatype_is_integer(int code) {
  return datatype_supported(code) && code != static_cast<int>(DataType::float32) &&
         code != static_cast<int>(DataType::float64);
}

int64_t ImageHeader::nt() const {
  int64_t n = 1;
  for (int d = 4; d <= 7 && d <= dim[0]; ++d) n *= std::max<int64_t>(dim[d], 1);
  return n;
}

Eigen::Matrix4d ImageHeader::affine() const {
  if (sform_code > 0) return sform;
  if (qform_code > 0) return qform;
  // Analyze-style fallback (nibabel does the same): voxel sizes, no rotation.
  Eigen::Matrix4d a = Eigen::Matrix4d::Identity();
  for (int i = 0; i < 3; ++i) a(i, i) = pixdim[i + 1] > 0 ? pixdim[i + 1] : 1.0;
  return a;
}

double ImageHeader::repetition_time() const {
  if (dim[0] < 4 || pixdim[4] <= 0) return 0;
  switch (time_units) {
    case NIFTI_UNITS_MSEC: return pixdim[4] / 1e3;
    case NIFTI_UNITS_USEC: return pixdim[4] / 1e6;
    default: return pixdim[4];
  }
}

std::string ImageHeader::repetition_time_problem() const {
  if (nt() < 2) return "";
  double tr = repetition_time();
  if (tr <= 0) return "the header gives no repetition time (pixdim[4] is 0)";
  if (tr > 100)
    return "the header's repetition time of " + std::to_string(tr) +
           " s is implausible (milliseconds stored as seconds?); give the TR explicitly";
  return "";
}

double ImageHeader::spatial_unit_to_mm() const {
  switch (xyz_units) {
    case NIFTI_UNITS_METER: return 1e3;
    case NIFTI_UNITS_MICRON: return 1e-3;
    default: return 1.0;
  }
}

void ImageHeader::set_affine(const Eigen::Matrix4d& a, int qcode, int scode) {
  nifti_dmat44 m;
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) m.m[r][c] = a(r, c);
  double dx, dy, dz;
  nifti_dmat44_to_quatern(m, &quatern_b, &quatern_c, &quatern_d, &qoffset_x, &qoffset_y, &qoffset_z, &dx, &dy,
                          &dz, &qfac);
  nifti_dmat44 q = nifti_quatern_to_dmat44(quatern_b, quatern_c, quatern_d, qoffset_x, qoffset_y, qoffset_z, dx,
                                           dy, dz, qfac);
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) qform(r, c) = q.m[r][c];
  sform = a;
  qform_code = qcode;
  sform_code = scode;
  pixdim[1] = dx;
  pixdim[2] = dy;
  pixdim[3] = dz;
  pixdim[0] = qfac;
}

void ImageHeader::set_volumes(int64_t volumes) {
  if (volumes <= 1) {
    dim[0] = 3;
    for (int d = 4; d <= 7; ++d) dim[d] = 1;
  } else {
    dim[0] = 4;
    dim[4] = volumes;
    for (int d = 5; d <= 7; ++d) dim[d] = 1;
    if (pixdim[4] <= 0) pixdim[4] = 1;
  }
}

}  // namespace axon
