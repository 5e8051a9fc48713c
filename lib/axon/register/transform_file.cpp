#include "axon/register/transform_file.hpp"

// UseITK.cmake defines this for the whole build, and with it ITK's reader
// header includes a registration manager generated only for the IO modules
// the build asked for (none of the transform ones): this file registers the
// two transform IO factories it links itself (register_transform_io).
#undef ITK_IO_FACTORY_REGISTER_MANAGER

#include <itkAffineTransform.h>
#include <itkMatlabTransformIOFactory.h>
#include <itkMatrixOffsetTransformBase.h>
#include <itkTransformFileReader.h>
#include <itkTransformFileWriter.h>
#include <itkTxtTransformIOFactory.h>

#include <cmath>
#include <fstream>
#include <mutex>

#include "axon/core/error.hpp"
#include "axon/io/nifti.hpp"
#include "axon/register/displacement_field.hpp"

namespace axon::registration {
namespace {

// ITK finds transform readers/writers through object factories; axon links
// the text and Matlab ones (lib/axon/CMakeLists.txt) and registers them once.
void register_transform_io() {
  static std::once_flag once;
  std::call_once(once, [] {
    itk::TxtTransformIOFactory::RegisterOneFactory();
    itk::MatlabTransformIOFactory::RegisterOneFactory();
  });
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

void write_linear_transform(const LinearTransform& transform, const std::string& path) {
  register_transform_io();
  using Affine = itk::AffineTransform<double, 3>;
  auto affine = Affine::New();
  Affine::InputPointType centre;
  Affine::MatrixType matrix;
  Affine::OutputVectorType offset;
  for (int r = 0; r < 3; ++r) {
    centre[r] = transform.centre[r];
    for (int c = 0; c < 3; ++c) matrix[r][c] = transform.matrix(r, c);
    offset[r] = transform.matrix(r, 3);
  }
  affine->SetCenter(centre);
  affine->SetMatrix(matrix);
  affine->SetOffset(offset);  // keeps the centre, derives the translation
  auto writer = itk::TransformFileWriterTemplate<double>::New();
  writer->SetInput(affine);
  writer->SetFileName(path);
  try {
    writer->Update();
  } catch (const itk::ExceptionObject&) {
    throw OutputError(path, "cannot write the transform file");
  }
}

LinearTransform read_linear_transform(const std::string& path) {
  register_transform_io();
  {
    std::ifstream probe(path);
    if (!probe) throw InputError(path, "cannot open the transform file");
  }
  auto reader = itk::TransformFileReaderTemplate<double>::New();
  reader->SetFileName(path);
  try {
    reader->Update();
  } catch (const itk::ExceptionObject&) {
    throw InputError(path, "not a readable ITK transform file (text .txt/.tfm or Matlab .mat)");
  }
  const auto* list = reader->GetTransformList();
  if (list->empty()) throw InputError(path, "the transform file holds no transform");
  if (list->size() > 1)
    throw InputError(path, "the transform file holds " + std::to_string(list->size()) +
                               " transforms; give each as its own --transform");
  using Linear = itk::MatrixOffsetTransformBase<double, 3, 3>;
  const auto* linear = dynamic_cast<const Linear*>(list->front().GetPointer());
  if (!linear)
    throw InputError(path, std::string("not a linear 3D transform (") + list->front()->GetNameOfClass() +
                               "): displacement fields are read from NIfTI files");
  LinearTransform out;
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) out.matrix(r, c) = linear->GetMatrix()[r][c];
    out.matrix(r, 3) = linear->GetOffset()[r];
    out.centre[r] = linear->GetCenter()[r];
  }
  if (!out.matrix.allFinite()) throw InputError(path, "the transform has non-finite parameters");
  if (std::abs(out.matrix.topLeftCorner<3, 3>().determinant()) < 1e-12)
    throw InputError(path, "the transform's matrix is singular");
  return out;
}

void write_displacement_field(const DisplacementField& field, const std::string& path) {
  write_image(field.image, path);
}

DisplacementField read_displacement_field(const std::string& path) {
  require_displacement_field(read_header(path), path);
  DisplacementField out;
  out.image = read_image<float>(path);
  for (float v : out.image.data)
    if (!std::isfinite(v)) throw InputError(path, "the displacement field has non-finite values");
  return out;
}

TransformStep read_transform(const std::string& path) {
  TransformStep step;
  step.path = path;
  if (has_nifti_extension(path))
    step.field = std::make_shared<const DisplacementField>(read_displacement_field(path));
  else
    step.linear = read_linear_transform(path);
  return step;
}

std::string inverse_field_path(const std::string& field_path) {
  for (const std::string suffix : {"Warp.nii.gz", "Warp.nii"})
    if (ends_with(field_path, suffix) && !ends_with(field_path, "Inverse" + suffix))
      return field_path.substr(0, field_path.size() - suffix.size()) + "Inverse" + suffix;
  return "";
}

TransformChain read_chain(const std::vector<std::string>& paths, bool inverse) {
  TransformChain out;
  if (!inverse) {
    for (const auto& path : paths) out.push_back(read_transform(path));
    return out;
  }
  for (auto it = paths.rbegin(); it != paths.rend(); ++it) {
    if (!has_nifti_extension(*it)) {
      TransformStep step = read_transform(*it);
      step.linear = step.linear->inverse();
      out.push_back(std::move(step));
      continue;
    }
    const std::string inverse_path = inverse_field_path(*it);
    if (inverse_path.empty())
      throw InputError(*it, "--inverse needs the inverse of this field, and its name does not end in "
                            "Warp.nii.gz (the inverse is looked for as ...InverseWarp.nii.gz)");
    if (!std::ifstream(inverse_path))
      throw InputError(inverse_path, "--inverse needs this inverse field (axon-register run writes it beside the warp)");
    out.push_back(read_transform(inverse_path));
  }
  return out;
}

}  // namespace axon::registration
