#include "axon/register/displacement_field.hpp"

#include <algorithm>

#include "axon/core/error.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/itk_bridge.hpp"

namespace axon::registration {
namespace {
constexpr int kIntentVector = 1007;        // NIFTI_INTENT_VECTOR (what ANTs writes)
constexpr int kIntentDisplacement = 1006;  // NIFTI_INTENT_DISPVECT (also a displacement)
}  // namespace

ImageHeader displacement_field_header(const ImageHeader& grid_header) {
  ImageHeader h = grid_header;
  h.dim = {5, grid_header.nx(), grid_header.ny(), grid_header.nz(), 1, 3, 1, 1};
  h.pixdim[4] = 0;  // no time axis
  h.pixdim[5] = 1;
  h.pixdim[6] = h.pixdim[7] = 1;
  h.datatype = static_cast<int>(DataType::float32);
  h.scl_slope = h.scl_inter = 0;
  h.cal_min = h.cal_max = 0;
  h.intent_code = kIntentVector;
  h.intent_p1 = h.intent_p2 = h.intent_p3 = 0;
  h.intent_name.clear();
  h.time_units = 0;
  h.toffset = 0;
  h.slice_code = 0;
  h.slice_duration = 0;
  h.slice_start = h.slice_end = 0;
  h.descrip = "axon-register displacement field (LPS mm)";
  return h;
}

void require_displacement_field(const ImageHeader& h, const std::string& path) {
  const bool shape = h.ndim() == 5 && h.dim[4] == 1 && h.dim[5] == 3;
  if (!shape)
    throw InputError(path, "not a displacement field: expected a 5D NIfTI image with dim[4] = 1 and dim[5] = 3 "
                           "(ANTs' convention), found dim[0] = " + std::to_string(h.ndim()));
  if (h.intent_code != 0 && h.intent_code != kIntentVector && h.intent_code != kIntentDisplacement)
    throw InputError(path, "not a displacement field: intent code " + std::to_string(h.intent_code) +
                               " (expected vector, 1007)");
}

ItkField::Pointer to_itk_field(const DisplacementField& field) {
  const Image<float>& image = field.image;
  auto out = ItkField::New();
  set_itk_geometry(out, grid_of(image.header));
  out->Allocate();
  const std::size_t n = static_cast<std::size_t>(image.voxels_per_volume());
  auto* buffer = out->GetBufferPointer();
  const float* x = image.volume(0);
  const float* y = image.volume(1);
  const float* z = image.volume(2);
  for (std::size_t i = 0; i < n; ++i) {
    buffer[i][0] = x[i];
    buffer[i][1] = y[i];
    buffer[i][2] = z[i];
  }
  return out;
}

DisplacementField from_itk_field(const ItkField* field, const ImageHeader& grid_header) {
  DisplacementField out;
  out.image.header = displacement_field_header(grid_header);
  const std::size_t n = static_cast<std::size_t>(out.image.voxels_per_volume());
  if (field->GetBufferedRegion().GetNumberOfPixels() != n)
    throw Error(ExitCode::other, "internal error: displacement field size does not match its grid");
  out.image.data.resize(3 * n);
  const auto* buffer = field->GetBufferPointer();
  for (int c = 0; c < 3; ++c) {
    float* dst = out.image.volume(c);
    for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<float>(buffer[i][c]);
  }
  return out;
}

ItkField::Pointer zero_itk_field(const itk::ImageBase<3>* grid) {
  auto field = ItkField::New();
  field->CopyInformation(grid);
  field->SetRegions(grid->GetLargestPossibleRegion());
  field->Allocate();
  field->FillBuffer(ItkField::PixelType(0.0));
  return field;
}

}  // namespace axon::registration
