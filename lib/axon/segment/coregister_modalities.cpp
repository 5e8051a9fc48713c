#include "axon/segment/coregister_modalities.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "axon/image/grid.hpp"
#include "axon/register/apply_transforms.hpp"

namespace axon::segment {

nlohmann::json Coregistration::to_json() const {
  nlohmann::json j{{"path", path}, {"moved", moved}};
  if (!moved) return j;
  nlohmann::json rows = nlohmann::json::array();
  for (int r = 0; r < 4; ++r)
    rows.push_back(std::vector<double>{transform.matrix(r, 0), transform.matrix(r, 1), transform.matrix(r, 2),
                                       transform.matrix(r, 3)});
  const Eigen::Matrix3d rotation = transform.matrix.topLeftCorner<3, 3>();
  const double cos_angle = std::clamp((rotation.trace() - 1) / 2, -1.0, 1.0);
  const Eigen::Vector3d shift = transform.apply(transform.centre) - transform.centre;
  j["matrix_lps"] = rows;
  j["centre_lps"] = {transform.centre[0], transform.centre[1], transform.centre[2]};
  j["rotation_deg"] = std::acos(cos_angle) * 180 / M_PI;
  j["translation_of_centre_mm"] = {shift[0], shift[1], shift[2]};
  j["method"] = rigid.method;
  j["levels_shrink_sigma_iterations"] = rigid.levels;
  j["iterations_run"] = rigid.iterations;
  j["final_metric_value"] = rigid.metric_value;
  j["seconds"] = seconds;
  return j;
}

registration::RegistrationOptions rigid_mi_options(const CoregisterOptions& options) {
  registration::RegistrationOptions out;
  out.stages = {registration::Stage::rigid};
  out.metric = registration::Metric::mattes;
  // Centres of mass, not the grids' centres: two scans of one head rarely
  // have the same field of view, and skull-stripped images have no
  // background to bias the centre of mass.
  out.initialisation = registration::Initialisation::moments;
  out.seed = options.seed;
  return out;
}

Coregistration coregister_to_reference(const registration::NamedImage& reference, Image<float>& image,
                                       const std::string& path, const CoregisterOptions& options) {
  Coregistration out;
  out.path = path;
  if (same_grid(grid_of(reference.image->header), grid_of(image.header), options.grid_tolerance_mm)) return out;
  const auto start = std::chrono::steady_clock::now();
  const registration::NamedImage moving{&image, path};
  registration::require_registration_input(reference);
  registration::require_registration_input(moving);
  const registration::RegistrationResult result =
      registration::register_images(reference, moving, {}, {}, rigid_mi_options(options));
  image = registration::apply_transforms(image, reference.image->header, result.forward_chain(),
                                         registration::ApplyInterpolation::linear);
  out.moved = true;
  out.transform = result.linear;
  out.rigid = result.stages.front();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace axon::segment
