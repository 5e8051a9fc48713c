#pragma once
// Registration of a moving image to a fixed image: initialisation, then the
// stages of options.stages in order (rigid, affine: linear_stage.hpp; SyN:
// syn_stage.hpp), each starting where the one before it ended.
#include <optional>
#include <string>
#include <vector>

#include "axon/image/image.hpp"
#include "axon/register/registration_options.hpp"
#include "axon/register/stage_report.hpp"
#include "axon/register/transform.hpp"

namespace axon::registration {

// An input image with the path its messages name.
struct NamedImage {
  const Image<float>* image = nullptr;
  std::string path;
};

struct RegistrationResult {
  LinearTransform linear;                    // initialisation and linear stages
  std::optional<DisplacementField> forward;  // SyN: on the fixed grid (transform.hpp)
  std::optional<DisplacementField> inverse;
  std::vector<StageReport> stages;
  // The chain that maps fixed points into the moving image
  // ({forward field, linear}), and the one that maps moving points back.
  TransformChain forward_chain() const;
  TransformChain inverse_chain() const;
};

// Checks what registration needs of its inputs and throws InputError naming
// the file: 3D images with finite values; masks 3D, on their image's grid,
// not empty.
void require_registration_input(const NamedImage& image);
void require_mask(const NamedImage& mask, const NamedImage& image);

// Masks may be null (image == nullptr). Throws InputError when the images
// do not overlap after initialisation or a stage fails.
RegistrationResult register_images(const NamedImage& fixed, const NamedImage& moving, const NamedImage& fixed_mask,
                                   const NamedImage& moving_mask, const RegistrationOptions& options);

}  // namespace axon::registration
