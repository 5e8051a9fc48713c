#pragma once
// Bridges between axon images and ITK images, for ITK's filters. ITK works
// in LPS world coordinates and NIfTI in RAS: the first two world axes flip.
#include <itkImage.h>

#include "axon/image/grid.hpp"
#include "axon/image/image.hpp"

namespace axon {

template <class T>
using ItkVolume = itk::Image<T, 3>;

// Sets origin, spacing and direction of `image` from `grid` (RAS -> LPS).
void set_itk_geometry(itk::ImageBase<3>* image, const Grid& grid);
// The grid of an ITK image (LPS -> RAS).
Grid grid_of_itk(const itk::ImageBase<3>* image);

// An ITK view of volume `t` of `image`: the ITK image points into the axon
// buffer (no copy), so `image` must outlive it and stay unresized.
template <class T>
typename ItkVolume<T>::Pointer itk_view(const Image<T>& image, int64_t t = 0);

// Copies an ITK volume's voxels into volume `t` of `out` (grid must match).
template <class T>
void copy_from_itk(const ItkVolume<T>* volume, Image<T>& out, int64_t t = 0);

}  // namespace axon
