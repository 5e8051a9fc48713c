#include "axon/register/transform.hpp"

#include <Eigen/Dense>

namespace axon::registration {

LinearTransform LinearTransform::inverse() const {
  LinearTransform out;
  out.matrix = matrix.inverse();
  out.centre = apply(centre);
  return out;
}

Eigen::Vector3d LinearTransform::apply(const Eigen::Vector3d& point_lps) const {
  return matrix.topLeftCorner<3, 3>() * point_lps + matrix.topRightCorner<3, 1>();
}

}  // namespace axon::registration
