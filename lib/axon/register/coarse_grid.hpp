#pragma once
// The coarse grid registration levels run on. ITK's multi-resolution
// methods smooth the full images at every level and sample them there; on
// a 1 mm image (8 million voxels) that smoothing, and cache misses on the
// full-size images, took most of the linear stages' time, and a dense
// deformable stage costs in proportion to the voxels of its finest level,
// eight times those of a 2 mm grid, while the field it finds is smooth on a
// scale of several millimetres (its local correlation looks 4 mm around
// each voxel, its update field is smoothed over ~2 voxels). So the levels
// at or coarser than a set spacing run on the images brought to that
// spacing once: the linear stages then finish on the full images, SyN stops
// there and its fields are interpolated back onto the fixed grid.
#include "axon/register/displacement_field.hpp"
#include "axon/register/image_pair.hpp"

namespace axon::registration {

// `image` on a grid with the same centre, axes and extent whose spacing is
// at least `spacing_mm` along each axis (axes already as coarse, within
// 5 %, keep theirs), after a Gaussian blur that brings its resolution to
// the new spacing (sigma = sqrt(new^2 - old^2) / 2.355 mm, FWHM matched);
// linear interpolation. The image itself when no axis is finer, or when
// `spacing_mm` <= 0.
Volume::Pointer coarsened(const Volume::Pointer& image, double spacing_mm);

// `image` cropped to the world box of `content`'s non-zero voxels (their
// voxel centres; `content` is `image` itself or the same image on a finer
// grid, as before coarsened() blurred its zeros away) grown by `margin_mm`
// on every side and clipped to the grid: an image of its own (same
// spacing, axes and world positions), or `image` itself when the box is
// the whole grid (a head with a noisy background) or `content` is all
// zero. A skull-stripped image's zero background fills half or more of its
// grid, and SyN, which works on every voxel of its grid, has nothing to
// match there.
Volume::Pointer cropped_to_content(const Volume::Pointer& image, const Volume* content, double margin_mm);

// The power of two nearest to the ratio of the two grids' finest spacings
// (1 when `coarse` is `fine`): how many times coarser the levels' grid is.
unsigned coarsening_factor(const Volume* fine, const Volume* coarse);

// `field` (displacements in mm) on the geometry of `grid`, interpolated
// linearly per component. A coarsened grid covers the fine grid's extent:
// fine voxels in its outer half voxel take the edge voxels' values (zero
// for SyN's fields, whose boundary SyN holds at zero); beyond, zero.
ItkField::Pointer field_on_grid(const ItkField* field, const itk::ImageBase<3>* grid);

}  // namespace axon::registration
