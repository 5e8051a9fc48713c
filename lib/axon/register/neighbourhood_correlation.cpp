#include "axon/register/neighbourhood_correlation.hpp"

#include "axon/register/itk_parallel.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <vector>

namespace axon::registration {
namespace {

// Sums over the window [i - r, i + r] along `axis`, clipped to the grid,
// for each of the `k` interleaved channels of `data` (in place, through
// one line of scratch).
void box_sum_along(std::vector<double>& data, int k, const std::array<int64_t, 3>& n, int axis, int64_t r) {
  const std::array<int64_t, 3> stride{1, n[0], n[0] * n[1]};
  const int a = axis, b = axis == 0 ? 1 : 0, c = axis == 2 ? 1 : 2;
  const int64_t lines = n[b] * n[c];
  itk_parallel_for(lines, [&](int64_t l) {
    std::vector<double> line(static_cast<std::size_t>(n[a] * k));
    const int64_t base = (l % n[b]) * stride[b] + (l / n[b]) * stride[c];
    for (int64_t i = 0; i < n[a]; ++i)
      for (int q = 0; q < k; ++q)
        line[static_cast<std::size_t>(i * k + q)] = data[static_cast<std::size_t>((base + i * stride[a]) * k + q)];
    for (int64_t i = 0; i < n[a]; ++i) {
      const int64_t lo = std::max<int64_t>(0, i - r), hi = std::min<int64_t>(n[a] - 1, i + r);
      for (int q = 0; q < k; ++q) {
        double s = 0;
        for (int64_t j = lo; j <= hi; ++j) s += line[static_cast<std::size_t>(j * k + q)];
        data[static_cast<std::size_t>((base + i * stride[a]) * k + q)] = s;
      }
    }
  });
}

// The moving image's gradient in physical (LPS) coordinates as ITK's
// CentralDifferenceImageFunction::Evaluate(point) gives it: along each
// physical axis, the linear interpolation half a voxel ahead minus half a
// voxel behind, over the voxel size; zero where either point leaves the
// buffer ([-0.5, n - 0.5) in index units), the start clamped to the first
// voxel. That is exact arithmetic on voxel values for grids whose direction
// is diagonal (+-1, the usual case; then the last voxel of an axis gets 0
// and the first a half difference). An oblique grid gets index-space
// central differences turned into LPS: the same gradient to first order.
class MovingGradient {
 public:
  MovingGradient(const Volume* moving, const std::array<int64_t, 3>& n) : n_(n) {
    const auto spacing = moving->GetSpacing();
    direction_ = moving->GetDirection();
    for (int r = 0; r < 3; ++r) {
      spacing_[r] = spacing[r];
      for (int c = 0; c < 3; ++c)
        if (r != c && direction_[r][c] != 0) diagonal_ = false;
      if (std::fabs(std::fabs(direction_[r][r]) - 1) > 1e-12) diagonal_ = false;
    }
  }

  itk::Vector<double, 3> operator()(const float* m, int64_t x, int64_t y, int64_t z) const {
    const std::array<int64_t, 3> at{x, y, z};
    const std::array<int64_t, 3> stride{1, n_[0], n_[0] * n_[1]};
    const std::size_t i = static_cast<std::size_t>(x + n_[0] * (y + n_[1] * z));
    itk::Vector<double, 3> g(0.0);
    if (diagonal_) {
      for (int d = 0; d < 3; ++d) {
        if (at[d] >= n_[d] - 1) continue;
        const auto step = static_cast<std::size_t>(stride[d]);
        const double here = m[i], next = m[i + step];
        const double ahead = here + (next - here) * 0.5;  // index + 1/2
        const double behind = at[d] == 0 ? here : m[i - step] + (here - m[i - step]) * 0.5;
        // Physical +x is index +x where the direction is +1, -x where -1.
        g[d] = (direction_[d][d] > 0 ? ahead - behind : behind - ahead) / spacing_[d];
      }
      return g;
    }
    itk::Vector<double, 3> index_gradient(0.0);
    for (int d = 0; d < 3; ++d)
      if (at[d] >= 1 && at[d] <= n_[d] - 2) {
        const auto step = static_cast<std::size_t>(stride[d]);
        index_gradient[d] = (static_cast<double>(m[i + step]) - static_cast<double>(m[i - step])) * (0.5 / spacing_[d]);
      }
    return direction_ * index_gradient;
  }

 private:
  std::array<int64_t, 3> n_;
  std::array<double, 3> spacing_{};
  itk::Matrix<double, 3, 3> direction_;
  bool diagonal_ = true;
};

}  // namespace

namespace {

CorrelationPair correlation(const Volume* fixed, const Volume* moving, unsigned radius, bool both) {
  const auto size = fixed->GetLargestPossibleRegion().GetSize();
  const std::array<int64_t, 3> n{static_cast<int64_t>(size[0]), static_cast<int64_t>(size[1]),
                                 static_cast<int64_t>(size[2])};
  const std::size_t voxels = static_cast<std::size_t>(n[0] * n[1] * n[2]);
  const float* f = fixed->GetBufferPointer();
  const float* m = moving->GetBufferPointer();
  const auto r = static_cast<int64_t>(radius);

  // Window sums of f, m, f^2, m^2, f m (interleaved), then per-axis counts.
  constexpr int k = 5;
  std::vector<double> sums(voxels * k);
  itk_parallel_for(n[2], [&](int64_t z) {
    for (int64_t i = z * n[0] * n[1]; i < (z + 1) * n[0] * n[1]; ++i) {
      const double fv = f[i], mv = m[i];
      double* s = &sums[static_cast<std::size_t>(i) * k];
      s[0] = fv, s[1] = mv, s[2] = fv * fv, s[3] = mv * mv, s[4] = fv * mv;
    }
  });
  for (int axis = 0; axis < 3; ++axis) box_sum_along(sums, k, n, axis, r);
  std::array<std::vector<double>, 3> count;
  for (int a = 0; a < 3; ++a) {
    count[a].resize(static_cast<std::size_t>(n[a]));
    for (int64_t i = 0; i < n[a]; ++i)
      count[a][static_cast<std::size_t>(i)] =
          static_cast<double>(std::min<int64_t>(n[a] - 1, i + r) - std::max<int64_t>(0, i - r) + 1);
  }

  const auto new_field = [&] {
    auto field = ItkField::New();
    field->CopyInformation(fixed);
    field->SetRegions(fixed->GetLargestPossibleRegion());
    field->Allocate();
    return field;
  };
  CorrelationPair out;
  out.forward.gradient = new_field();
  if (both) out.swapped.gradient = new_field();
  auto* g = out.forward.gradient->GetBufferPointer();
  auto* g_swapped = both ? out.swapped.gradient->GetBufferPointer() : nullptr;
  const MovingGradient gradient_of_moving(moving, n), gradient_of_fixed(fixed, n);
  const double eps = std::numeric_limits<double>::epsilon();
  // One voxel of ITK's metric with `a` as its fixed and `b` as its moving
  // image (sums of a, b, a^2, b^2, a b): ITK's expressions, term for term.
  // Returns the local CC; the derivative with respect to b's position.
  const auto voxel = [&](double sa, double sb, double saa, double sbb, double sab, double c, double a_i, double b_i,
                         const MovingGradient& gradient_of_b, const float* b, int64_t x, int64_t y, int64_t z,
                         itk::Vector<double, 3>& derivative) {
    const double fixed_mean = sa / c, moving_mean = sb / c;
    const double sff = saa - fixed_mean * sa - fixed_mean * sa + c * fixed_mean * fixed_mean;
    const double smm = sbb - moving_mean * sb - moving_mean * sb + c * moving_mean * moving_mean;
    const double sfm = sab - moving_mean * sa - fixed_mean * sb + c * moving_mean * fixed_mean;
    const double sff_smm = sff * smm;
    double local_cc = 1;
    if (std::fabs(sff_smm) > eps) local_cc = sfm * sfm / sff_smm;
    derivative.Fill(0.0);
    if (sff > eps && smm > eps) {
      const itk::Vector<double, 3> moving_gradient = gradient_of_b(b, x, y, z);
      const double fixed_i = a_i - fixed_mean, moving_i = b_i - moving_mean;
      const double factor = 2.0 * sfm / sff_smm * (fixed_i - sfm / smm * moving_i);
      for (int d = 0; d < 3; ++d) derivative[d] = factor * moving_gradient[d];
    }
    return local_cc;
  };
  std::vector<double> slab_value(static_cast<std::size_t>(n[2]), 0.0), slab_swapped(slab_value);
  itk_parallel_for(n[2], [&](int64_t z) {
    double slab = 0, slab_s = 0;
    for (int64_t y = 0; y < n[1]; ++y)
      for (int64_t x = 0; x < n[0]; ++x) {
        const std::size_t i = static_cast<std::size_t>(x + n[0] * (y + n[1] * z));
        const double* s = &sums[i * k];
        const double c = count[0][static_cast<std::size_t>(x)] * count[1][static_cast<std::size_t>(y)] *
                         count[2][static_cast<std::size_t>(z)];
        slab -= voxel(s[0], s[1], s[2], s[3], s[4], c, f[i], m[i], gradient_of_moving, m, x, y, z, g[i]);
        // The window sums of m f are those of f m, bit for bit.
        if (both) slab_s -= voxel(s[1], s[0], s[3], s[2], s[4], c, m[i], f[i], gradient_of_fixed, f, x, y, z, g_swapped[i]);
      }
    slab_value[static_cast<std::size_t>(z)] = slab;
    slab_swapped[static_cast<std::size_t>(z)] = slab_s;
  });
  double total = 0, total_swapped = 0;
  for (double v : slab_value) total += v;
  for (double v : slab_swapped) total_swapped += v;
  out.forward.value = total / static_cast<double>(voxels);
  out.swapped.value = total_swapped / static_cast<double>(voxels);
  return out;
}

}  // namespace

CorrelationGradient neighbourhood_correlation(const Volume* fixed, const Volume* moving, unsigned radius) {
  return correlation(fixed, moving, radius, false).forward;
}

CorrelationPair neighbourhood_correlation_both(const Volume* fixed, const Volume* moving, unsigned radius) {
  return correlation(fixed, moving, radius, true);
}

}  // namespace axon::registration
