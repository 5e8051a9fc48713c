#include "axon/register/image_pair.hpp"

#include "axon/core/error.hpp"

namespace axon::registration {

MaskObject::Pointer mask_object(const Image<float>& mask) {
  using MaskImage = itk::Image<unsigned char, 3>;
  auto image = MaskImage::New();
  set_itk_geometry(image, grid_of(mask.header));
  image->Allocate();
  unsigned char* out = image->GetBufferPointer();
  const std::size_t n = static_cast<std::size_t>(mask.voxels_per_volume());
  for (std::size_t i = 0; i < n; ++i) out[i] = mask.data[i] > 0 ? 1 : 0;
  auto object = MaskObject::New();
  object->SetImage(image);
  object->Update();
  return object;
}

void throw_registration_failure(const std::string& stage, const itk::ExceptionObject& e) {
  std::string what = e.GetDescription();
  what = what.substr(0, what.find('\n'));
  throw InputError("", stage + " registration failed (do the images overlap?): " + what);
}

}  // namespace axon::registration
