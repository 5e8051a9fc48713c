// Transform files: ITK's text and Matlab formats written and read back
// exactly, transforms other tools write (an Euler3D file as ANTs' or
// Slicer's text output) read as the same map, displacement fields in ANTs'
// NIfTI convention, and refusals naming the file.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <fstream>

#include "axon/core/error.hpp"
#include "axon/io/nifti.hpp"
#include "axon/register/apply_transforms.hpp"
#include "axon/register/displacement_field.hpp"
#include "axon/register/transform_file.hpp"
#include "common/scratch_dir.hpp"

namespace {
using namespace axon;
using namespace axon::registration;

LinearTransform example() {
  LinearTransform t;
  t.matrix << 1.05, 0.02, -0.03, 4.5, -0.04, 0.97, 0.05, -6.25, 0.01, -0.02, 1.02, 3.125, 0, 0, 0, 1;
  t.centre = {1.5, -20.25, 14};
  return t;
}

TEST(RegisterTransformFile, LinearRoundTripTextAndMatlab) {
  test::ScratchDir dir;
  for (const std::string name : {"a.txt", "a.tfm", "a.mat"}) {
    write_linear_transform(example(), dir / name);
    const LinearTransform back = read_linear_transform(dir / name);
    EXPECT_LT((back.matrix - example().matrix).cwiseAbs().maxCoeff(), 1e-12) << name;
    EXPECT_LT((back.centre - example().centre).norm(), 1e-12) << name;
  }
  std::ifstream in(dir / "a.txt");
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "#Insight Transform File V1.0");
}

TEST(RegisterTransformFile, ReadsAnEulerTransformAsOtherToolsWriteIt) {
  test::ScratchDir dir;
  // Euler3DTransform: angles (x, y, z) in radians, translation; fixed
  // parameters: the centre (and ITK's ComputeZYX flag).
  std::ofstream(dir / "euler.txt") << "#Insight Transform File V1.0\n#Transform 0\n"
                                      "Transform: Euler3DTransform_double_3_3\n"
                                      "Parameters: 0 0 1.5707963267948966 10 0 0\n"
                                      "FixedParameters: 0 0 0 0\n";
  const LinearTransform t = read_linear_transform(dir / "euler.txt");
  // A quarter turn about z, then 10 mm along x: (1, 0, 0) -> (10, 1, 0).
  const Eigen::Vector3d p = t.apply({1, 0, 0});
  EXPECT_NEAR(p[0], 10, 1e-9);
  EXPECT_NEAR(p[1], 1, 1e-9);
  EXPECT_NEAR(p[2], 0, 1e-9);
}

TEST(RegisterTransformFile, InverseIsExact) {
  const LinearTransform t = example();
  const Eigen::Vector3d p(12, -7, 30);
  EXPECT_LT((t.inverse().apply(t.apply(p)) - p).norm(), 1e-12);
}

TEST(RegisterTransformFile, FieldInAntsConvention) {
  test::ScratchDir dir;
  ImageHeader grid;
  grid.dim = {3, 4, 5, 6, 1, 1, 1, 1};
  Eigen::Matrix4d affine = Eigen::Matrix4d::Identity();
  affine.diagonal().head<3>() << 2, 2, 2;
  affine.col(3).head<3>() << -10, 20, 5;
  grid.set_affine(affine, 1, 4);
  DisplacementField field;
  field.image.header = displacement_field_header(grid);
  field.image.data.resize(3 * 4 * 5 * 6);
  for (std::size_t i = 0; i < field.image.data.size(); ++i) field.image.data[i] = 0.25f * static_cast<float>(i % 17);
  write_displacement_field(field, dir / "xWarp.nii.gz");

  const ImageHeader h = read_header(dir / "xWarp.nii.gz");
  EXPECT_EQ(h.ndim(), 5);
  EXPECT_EQ(h.dim[4], 1);
  EXPECT_EQ(h.dim[5], 3);
  EXPECT_EQ(h.intent_code, 1007);
  EXPECT_EQ(h.datatype, static_cast<int>(DataType::float32));
  EXPECT_EQ(h.sform_code, 4);
  const DisplacementField back = read_displacement_field(dir / "xWarp.nii.gz");
  EXPECT_EQ(back.image.data, field.image.data);
  EXPECT_EQ(inverse_field_path(dir / "xWarp.nii.gz"), dir / "xInverseWarp.nii.gz");
  EXPECT_EQ(inverse_field_path("a.nii.gz"), "");

  // At a voxel centre the field's transform is x + d(x), d as stored: voxel
  // (1, 2, 3) of component c is element c*120 + 1 + 4*(2 + 5*3).
  const TransformChain chain{{"f", std::nullopt, std::make_shared<const DisplacementField>(back)}};
  const Eigen::Vector3d ras = (affine * Eigen::Vector4d(1, 2, 3, 1)).head<3>();
  const Eigen::Vector3d lps(-ras[0], -ras[1], ras[2]);
  const Eigen::Vector3d q = transform_points(chain, {lps})[0];
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(q[c] - lps[c], field.image.data[static_cast<std::size_t>(c * 120 + 1 + 4 * (2 + 5 * 3))], 1e-6);
}

TEST(RegisterTransformFile, RefusalsNameTheFile) {
  test::ScratchDir dir;
  std::ofstream(dir / "garbage.txt") << "this is not a transform\n";
  try {
    read_linear_transform(dir / "garbage.txt");
    FAIL() << "garbage was read";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::invalid_input);
    EXPECT_NE(std::string(e.what()).find("garbage.txt"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_linear_transform(dir / "missing.txt"), InputError);
  // A 3D image is not a field.
  Image<float> image;
  image.header.dim = {3, 4, 4, 4, 1, 1, 1, 1};
  image.header.set_affine(Eigen::Matrix4d::Identity(), 1, 1);
  image.data.assign(64, 1.0f);
  write_image(image, dir / "image.nii.gz");
  EXPECT_THROW(read_displacement_field(dir / "image.nii.gz"), InputError);
  // --inverse of a field without its inverse beside it.
  EXPECT_THROW(read_chain({dir / "image.nii.gz"}, true), InputError);
}

}  // namespace
