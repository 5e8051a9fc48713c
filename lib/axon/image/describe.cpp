#include "axon/image/describe.hpp"

#include <nifti2_io.h>

#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>
#include <vector>

#include "axon/image/grid.hpp"
#include "axon/io/nifti.hpp"

namespace axon {
namespace {
nlohmann::json matrix_json(const Eigen::Matrix4d& m) {
  nlohmann::json rows = nlohmann::json::array();
  for (int r = 0; r < 4; ++r) rows.push_back({m(r, 0), m(r, 1), m(r, 2), m(r, 3)});
  return rows;
}
const char* units_name(int code) {
  const char* s = nifti_units_string(code);
  return s ? s : "unknown";
}
}  // namespace

nlohmann::json describe_image(const std::string& path, bool values) {
  VolumeReader reader(path);
  const ImageHeader& h = reader.header();
  Grid g = grid_of(h);
  nlohmann::json j;
  j["path"] = path;
  j["nifti_version"] = h.nifti_version;
  std::vector<int64_t> dims;
  for (int d = 1; d <= h.dim[0]; ++d) dims.push_back(h.dim[d]);
  j["dimensions"] = dims;
  Eigen::Vector3d sp = g.spacing();
  j["spacing_mm"] = {sp[0], sp[1], sp[2]};
  j["volumes"] = h.nt();
  j["datatype"] = datatype_name(h.datatype);
  j["orientation"] = g.orientation();
  j["repetition_time_s"] = h.repetition_time();
  if (std::string problem = h.repetition_time_problem(); !problem.empty()) j["repetition_time_warning"] = problem;
  j["pixdim4"] = h.pixdim[4];
  j["xyz_units"] = units_name(h.xyz_units);
  j["time_units"] = units_name(h.time_units);
  j["toffset"] = h.toffset;
  j["qform_code"] = h.qform_code;
  j["sform_code"] = h.sform_code;
  j["qform"] = matrix_json(h.qform);
  j["sform"] = matrix_json(h.sform);
  j["affine"] = matrix_json(h.affine());
  j["scl_slope"] = h.scl_slope;
  j["scl_inter"] = h.scl_inter;
  j["intent_code"] = h.intent_code;
  j["descrip"] = h.descrip.substr(0, h.descrip.find(std::string(1, 0)));  // text before any NUL
  if (values) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo, sum = 0;
    int64_t finite = 0, nonfinite = 0;
    std::vector<double> vol(static_cast<size_t>(h.voxels_per_volume()));
    for (int64_t t = 0; t < h.nt(); ++t) {
      reader.read_next(vol.data());
      for (double v : vol) {
        if (!std::isfinite(v)) {
          ++nonfinite;
          continue;
        }
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        sum += v;
        ++finite;
      }
    }
    j["min"] = finite ? lo : std::numeric_limits<double>::quiet_NaN();
    j["max"] = finite ? hi : std::numeric_limits<double>::quiet_NaN();
    j["mean"] = finite ? sum / static_cast<double>(finite) : std::numeric_limits<double>::quiet_NaN();
    j["nonfinite_voxels"] = nonfinite;
  }
  return j;
}

std::string describe_as_text(const nlohmann::json& j) {
  std::ostringstream out;
  out << std::setprecision(6);
  auto list = [](const nlohmann::json& a) {
    std::string s;
    for (const auto& v : a) s += (s.empty() ? "" : " x ") + v.dump();
    return s;
  };
  out << j["path"].get<std::string>() << "\n";
  out << "  format:       NIfTI-" << j["nifti_version"] << ", " << j["datatype"].get<std::string>() << "\n";
  out << "  dimensions:   " << list(j["dimensions"]) << "\n";
  out << "  spacing (mm): " << j["spacing_mm"][0].get<double>() << " x " << j["spacing_mm"][1].get<double>() << " x "
      << j["spacing_mm"][2].get<double>() << "\n";
  out << "  orientation:  " << j["orientation"].get<std::string>() << "\n";
  if (j["volumes"].get<int64_t>() > 1)
    out << "  TR:           " << j["repetition_time_s"].get<double>() << " s (pixdim[4] " << j["pixdim4"].get<double>()
        << " " << j["time_units"].get<std::string>() << ")\n";
  if (j.contains("repetition_time_warning"))
    out << "  warning:      " << j["repetition_time_warning"].get<std::string>() << "\n";
  out << "  units:        " << j["xyz_units"].get<std::string>() << ", " << j["time_units"].get<std::string>() << "\n";
  out << "  qform_code:   " << j["qform_code"] << "   sform_code: " << j["sform_code"] << "\n";
  out << "  affine:\n";
  for (const auto& row : j["affine"]) {
    out << "   ";
    for (const auto& v : row) out << " " << std::setw(10) << v.get<double>();
    out << "\n";
  }
  if (j.contains("min")) {
    out << "  values:       min " << j["min"].get<double>() << ", max " << j["max"].get<double>() << ", mean "
        << j["mean"].get<double>();
    if (j["nonfinite_voxels"].get<int64_t>() > 0) out << ", " << j["nonfinite_voxels"] << " non-finite voxels";
    out << "\n";
  }
  return out.str();
}

}  // namespace axon
