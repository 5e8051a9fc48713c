#pragma once
// Reading and writing transforms in the formats ITK and ANTs read:
//   * linear: ITK's transform file through itk::TransformFileWriter/Reader,
//     text (.txt, .tfm: "#Insight Transform File V1.0") or Matlab (.mat, the
//     format of ANTs' *GenericAffine.mat); written as
//     AffineTransform_double_3_3, read as any ITK linear 3D transform
//     (MatrixOffsetTransformBase and its subclasses: affine, Euler,
//     versor, similarity, ...);
//   * displacement fields: NIfTI vector images (displacement_field.hpp).
#include <string>

#include "axon/register/transform.hpp"

namespace axon::registration {

void write_linear_transform(const LinearTransform& transform, const std::string& path);  // throws OutputError
LinearTransform read_linear_transform(const std::string& path);                          // throws InputError

void write_displacement_field(const DisplacementField& field, const std::string& path);
DisplacementField read_displacement_field(const std::string& path);

// A field when the path has a NIfTI extension, else a linear transform file.
TransformStep read_transform(const std::string& path);

// "PREFIX1Warp.nii.gz" -> "PREFIX1InverseWarp.nii.gz" (ANTs' naming); ""
// when the name does not end in Warp.nii[.gz].
std::string inverse_field_path(const std::string& field_path);

// The chain of the files at `paths` (antsApplyTransforms order). With
// `inverse`, the chain that maps the other way (moving space to fixed
// space): the steps in reverse order, linear ones inverted exactly, each
// field replaced by the inverse field written beside it (inverse_field_path;
// a missing one is an InputError naming it).
TransformChain read_chain(const std::vector<std::string>& paths, bool inverse);

}  // namespace axon::registration
