#pragma once
// Displacement fields on disk and in memory (convention: transform.hpp),
// and their exchange with ITK's displacement-field images.
#include <string>

#include <itkImage.h>
#include <itkVector.h>

#include "axon/image/header.hpp"
#include "axon/register/transform.hpp"

namespace axon::registration {

using ItkField = itk::Image<itk::Vector<double, 3>, 3>;

// The header of a displacement field on the grid of `grid_header` (its
// dims, both transforms and their codes, units): 5D (dim[4] = 1,
// dim[5] = 3), intent vector, float32, no scaling.
ImageHeader displacement_field_header(const ImageHeader& grid_header);

// Throws InputError naming `path` unless `header` is a 3D displacement
// field in that convention (5D with dim[4] = 1 and dim[5] = 3; an intent
// other than vector or displacement is refused).
void require_displacement_field(const ImageHeader& header, const std::string& path);

// The field as an ITK image (LPS geometry of its grid), and back onto the
// grid of `grid_header` (sizes must match).
ItkField::Pointer to_itk_field(const DisplacementField& field);
// A zero field on the grid (geometry and largest region) of `grid`.
ItkField::Pointer zero_itk_field(const itk::ImageBase<3>* grid);
DisplacementField from_itk_field(const ItkField* field, const ImageHeader& grid_header);

}  // namespace axon::registration
