// Surfaces of label images against ground truth: the enclosed volume against
// the voxel-count volume, the bounding box against the label's world extent
// (computed here from the affine, independently of VTK), the triangles'
// orientation by an independent signed-volume sum, and every writer read
// back by VTK's reader for that format.
#include <gtest/gtest.h>
#include <unistd.h>
#include <vtkCellArray.h>
#include <vtkFieldData.h>
#include <vtkNew.h>
#include <vtkOBJReader.h>
#include <vtkPLYReader.h>
#include <vtkPolyData.h>
#include <vtkPolyDataReader.h>
#include <vtkSTLReader.h>
#include <vtkSmartPointer.h>
#include <vtkStringArray.h>
#include <vtkXMLPolyDataReader.h>

#include <Eigen/Geometry>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "axon/core/error.hpp"
#include "axon/image/grid.hpp"
#include "axon/io/nifti.hpp"
#include "axon/segment/surface_mesh.hpp"

namespace sg = axon::segment;
namespace fs = std::filesystem;

namespace {

// An ellipsoid (semi-axes 15, 11, 17 mm, rotated) drawn on an anisotropic
// grid (1.0 x 1.3 x 2.5 mm) whose affine is oblique (rotated 25 degrees
// about an axis tilted from all three) and mirrored in x (det < 0, as
// radiological LAS storage) unless `mirrored` is false, with label 3
// inside, 0 outside.
axon::Image<int32_t> oblique_ellipsoid(bool mirrored = true) {
  axon::Image<int32_t> img;
  img.header.dim = {3, 44, 40, 22, 1, 1, 1, 1};
  Eigen::Matrix3d rotation = Eigen::AngleAxisd(25 * M_PI / 180, Eigen::Vector3d(0.3, -0.5, 0.8).normalized()).matrix();
  Eigen::Matrix4d affine = Eigen::Matrix4d::Identity();
  affine.topLeftCorner<3, 3>() = rotation * Eigen::Vector3d(mirrored ? -1.0 : 1.0, 1.3, 2.5).asDiagonal();
  affine.topRightCorner<3, 1>() = Eigen::Vector3d(30, -40, -20);
  img.header.set_affine(affine, 1, 1);
  img.header.datatype = static_cast<int>(axon::DataType::int16);
  img.data.assign(static_cast<std::size_t>(img.voxels_per_volume()), 0);
  const axon::Grid grid = axon::grid_of(img.header);
  const Eigen::Vector3d centre = grid.world(21.5, 19.5, 10.5);
  const Eigen::Matrix3d axes = Eigen::AngleAxisd(0.6, Eigen::Vector3d(1, 1, 0).normalized()).matrix();
  const Eigen::Vector3d semi(15, 11, 17);
  for (int64_t k = 0; k < img.nz(); ++k)
    for (int64_t j = 0; j < img.ny(); ++j)
      for (int64_t i = 0; i < img.nx(); ++i) {
        const Eigen::Vector3d local = axes.transpose() * (grid.world(i, j, k) - centre);
        if (local.cwiseQuotient(semi).squaredNorm() <= 1) img.at(i, j, k) = 3;
      }
  return img;
}

double voxel_volume_mm3(const axon::Image<int32_t>& img, int32_t label) {
  int64_t n = 0;
  for (int32_t v : img.data) n += v == label;
  return n * std::abs(axon::grid_of(img.header).affine.topLeftCorner<3, 3>().determinant());
}

// Per world axis: the extent of the label's voxels (the boxes around the
// voxel centres, which reach half a voxel's projected width beyond them).
struct Extent {
  Eigen::Vector3d lo = Eigen::Vector3d::Constant(1e300), hi = Eigen::Vector3d::Constant(-1e300), half_voxel;
};
Extent world_extent(const axon::Image<int32_t>& img, int32_t label, bool lps) {
  const axon::Grid grid = axon::grid_of(img.header);
  Extent e;
  Eigen::Matrix3d a = grid.affine.topLeftCorner<3, 3>();
  const Eigen::Vector3d flip = lps ? Eigen::Vector3d(-1, -1, 1) : Eigen::Vector3d(1, 1, 1);
  e.half_voxel = 0.5 * a.cwiseAbs().rowwise().sum();
  for (int64_t k = 0; k < img.nz(); ++k)
    for (int64_t j = 0; j < img.ny(); ++j)
      for (int64_t i = 0; i < img.nx(); ++i)
        if (img.at(i, j, k) == label) {
          const Eigen::Vector3d w = grid.world(i, j, k).cwiseProduct(flip);
          e.lo = e.lo.cwiseMin(w - e.half_voxel);
          e.hi = e.hi.cwiseMax(w + e.half_voxel);
        }
  return e;
}

// The surface's bounding box lies within half a voxel of the label's world
// extent; without smoothing it never leaves it (every point is the midpoint
// of a label voxel's centre and a neighbour's).
void expect_bounds_match(const sg::MeshSummary& s, const Extent& e, bool smoothed, const std::string& what) {
  for (int d = 0; d < 3; ++d) {
    EXPECT_NEAR(s.bounds[2 * d], e.lo[d], e.half_voxel[d]) << what << " axis " << d << " min";
    EXPECT_NEAR(s.bounds[2 * d + 1], e.hi[d], e.half_voxel[d]) << what << " axis " << d << " max";
    if (!smoothed) {
      EXPECT_GE(s.bounds[2 * d], e.lo[d] - 1e-6) << what << " axis " << d << " min";
      EXPECT_LE(s.bounds[2 * d + 1], e.hi[d] + 1e-6) << what << " axis " << d << " max";
    }
  }
}

// Sum over triangles of p0 . (p1 x p2) / 6: the enclosed volume, positive
// when the triangles turn counter-clockwise seen from outside.
double signed_volume(vtkPolyData* poly) {
  double v = 0;
  vtkCellArray* polys = poly->GetPolys();
  polys->InitTraversal();
  vtkIdType n;
  const vtkIdType* ids;
  while (polys->GetNextCell(n, ids)) {
    if (n != 3) continue;
    Eigen::Vector3d p[3];
    for (int c = 0; c < 3; ++c) poly->GetPoint(ids[c], p[c].data());
    v += p[0].dot(p[1].cross(p[2])) / 6;
  }
  return v;
}

// Writes `mesh` as `format` to `path` and reads it back with VTK's Reader.
template <class Reader>
vtkSmartPointer<Reader> write_and_read(const sg::SurfaceMesh& mesh, sg::MeshFormat format, sg::MeshCoordinates frame,
                                       const std::string& path) {
  sg::write_surface_mesh(mesh, format, frame, path);
  auto reader = vtkSmartPointer<Reader>::New();
  reader->SetFileName(path.c_str());
  reader->Update();
  return reader;
}

fs::path scratch_dir() {
  fs::path dir = fs::temp_directory_path() / ("axon_mesh_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST(SurfaceMesh, EnclosedVolumeMatchesVoxelVolumeOnObliqueAnisotropicGrid) {
  const auto img = oblique_ellipsoid();
  const double truth = voxel_volume_mm3(img, 3);
  ASSERT_GT(truth, 5000);
  for (int iterations : {0, 20, 50}) {
    sg::MeshOptions o;
    o.label = 3;
    o.smoothing_iterations = iterations;
    const auto s = sg::build_surface_mesh(img, o, "ellipsoid").summary();
    EXPECT_NEAR(s.volume_mm3 / truth, 1.0, 0.02) << iterations << " smoothing iterations";
    EXPECT_GT(s.triangles, 1000);
  }
}

TEST(SurfaceMesh, DecimationKeepsVolumeAndRemovesTriangles) {
  const auto img = oblique_ellipsoid();
  sg::MeshOptions o;
  o.label = 3;
  const auto full = sg::build_surface_mesh(img, o, "ellipsoid").summary();
  o.decimate = 0.5;
  const auto half = sg::build_surface_mesh(img, o, "ellipsoid").summary();
  EXPECT_NEAR(static_cast<double>(half.triangles) / full.triangles, 0.5, 0.05);
  EXPECT_NEAR(half.volume_mm3 / voxel_volume_mm3(img, 3), 1.0, 0.02);
}

TEST(SurfaceMesh, BoundsMatchTheLabelsWorldExtentInRasAndLps) {
  const auto img = oblique_ellipsoid();
  for (int iterations : {0, 20}) {
    sg::MeshOptions o;
    o.smoothing_iterations = iterations;
    expect_bounds_match(sg::build_surface_mesh(img, o, "ellipsoid").summary(), world_extent(img, 3, false),
                        iterations > 0, "RAS, smoothing " + std::to_string(iterations));
    o.coordinates = sg::MeshCoordinates::lps;
    expect_bounds_match(sg::build_surface_mesh(img, o, "ellipsoid").summary(), world_extent(img, 3, true),
                        iterations > 0, "LPS, smoothing " + std::to_string(iterations));
  }
}

TEST(SurfaceMesh, RealAalLabel) {
  const auto aal = axon::read_volume<int32_t>("/usr/share/mricron/templates/aal.nii.gz");
  // 77: Thalamus_L, 1: Precentral_L (a thin, folded cortical region).
  for (int32_t label : {77, 1}) {
    const double truth = voxel_volume_mm3(aal, label);
    for (int iterations : {0, 20}) {
      sg::MeshOptions o;
      o.label = label;
      o.smoothing_iterations = iterations;
      const auto s = sg::build_surface_mesh(aal, o, "aal").summary();
      EXPECT_NEAR(s.volume_mm3 / truth, 1.0, 0.02) << "label " << label << ", smoothing " << iterations;
      expect_bounds_match(s, world_extent(aal, label, false), iterations > 0,
                          "AAL " + std::to_string(label) + ", smoothing " + std::to_string(iterations));
    }
  }
}

TEST(SurfaceMesh, EveryWriterReadsBackWithTheSamePointsTrianglesAndSpaceTag) {
  const auto img = oblique_ellipsoid();
  sg::MeshOptions o;
  o.label = 3;
  o.decimate = 0.3;
  const auto mesh = sg::build_surface_mesh(img, o, "ellipsoid");
  const auto s = mesh.summary();
  const fs::path dir = scratch_dir();
  auto check = [&](vtkPolyData* read, const std::string& what) {
    EXPECT_EQ(read->GetNumberOfPoints(), s.points) << what;
    EXPECT_EQ(read->GetNumberOfPolys(), s.triangles) << what;
    // Outward triangles: the independent signed volume is the enclosed volume.
    EXPECT_NEAR(signed_volume(read) / s.volume_mm3, 1.0, 1e-3) << what;
  };
  {
    const auto r = write_and_read<vtkPolyDataReader>(mesh, sg::MeshFormat::vtk_legacy, sg::MeshCoordinates::ras,
                                                     (dir / "m.vtk").string());
    check(r->GetOutput(), "vtk");
    EXPECT_NE(std::string(r->GetHeader()).find("SPACE=RAS"), std::string::npos);
  }
  {
    const auto r = write_and_read<vtkXMLPolyDataReader>(mesh, sg::MeshFormat::vtk_xml, sg::MeshCoordinates::ras,
                                                        (dir / "m.vtp").string());
    check(r->GetOutput(), "vtp");
    auto* space = vtkStringArray::SafeDownCast(r->GetOutput()->GetFieldData()->GetAbstractArray("SPACE"));
    ASSERT_NE(space, nullptr);
    EXPECT_EQ(space->GetValue(0), "RAS");
  }
  {
    // STL repeats the corners per triangle; VTK's reader merges them back.
    const auto r =
        write_and_read<vtkSTLReader>(mesh, sg::MeshFormat::stl, sg::MeshCoordinates::lps, (dir / "m.stl").string());
    check(r->GetOutput(), "stl");
    EXPECT_NE(std::string(r->GetHeader()).find("SPACE=LPS"), std::string::npos);
  }
  {
    const auto r =
        write_and_read<vtkOBJReader>(mesh, sg::MeshFormat::obj, sg::MeshCoordinates::ras, (dir / "m.obj").string());
    check(r->GetOutput(), "obj");
    EXPECT_NE(std::string(r->GetComment() ? r->GetComment() : "").find("SPACE=RAS"), std::string::npos);
  }
  {
    const auto r =
        write_and_read<vtkPLYReader>(mesh, sg::MeshFormat::ply, sg::MeshCoordinates::ras, (dir / "m.ply").string());
    check(r->GetOutput(), "ply");
    bool tagged = false;
    for (vtkIdType i = 0; i < r->GetComments()->GetNumberOfValues(); ++i)
      tagged = tagged || r->GetComments()->GetValue(i).find("SPACE=RAS") != std::string::npos;
    EXPECT_TRUE(tagged);
  }
  fs::remove_all(dir);
}

TEST(SurfaceMesh, NormalsPointOutwardForMirroredAndUnmirroredAffinesInRasAndLps) {
  const fs::path dir = scratch_dir();
  const std::string p = (dir / "o.vtk").string();
  for (bool mirrored : {true, false})
    for (auto frame : {sg::MeshCoordinates::ras, sg::MeshCoordinates::lps}) {
      const auto img = oblique_ellipsoid(mirrored);
      sg::MeshOptions o;
      o.coordinates = frame;
      const auto mesh = sg::build_surface_mesh(img, o, "ellipsoid");
      const auto r = write_and_read<vtkPolyDataReader>(mesh, sg::MeshFormat::vtk_legacy, frame, p);
      EXPECT_NEAR(signed_volume(r->GetOutput()) / voxel_volume_mm3(img, 3), 1.0, 0.02)
          << (mirrored ? "mirrored" : "unmirrored") << (frame == sg::MeshCoordinates::lps ? " LPS" : " RAS");
    }
  fs::remove_all(dir);
}

TEST(SurfaceMesh, EveryLabelGetsASurfaceAndAbsentLabelsAreInputErrors) {
  auto img = oblique_ellipsoid();
  img.at(2, 2, 2) = 7;
  img.at(3, 2, 2) = 7;
  const auto s = sg::build_surface_mesh(img, sg::MeshOptions{}, "two labels").summary();
  EXPECT_EQ(s.labels, (std::vector<int32_t>{3, 7}));
  sg::MeshOptions o;
  o.label = 5;
  EXPECT_THROW(sg::build_surface_mesh(img, o, "x"), axon::InputError);
  std::fill(img.data.begin(), img.data.end(), 0);
  EXPECT_THROW(sg::build_surface_mesh(img, sg::MeshOptions{}, "x"), axon::InputError);
}

// Labels are meshed one at a time (to bound the peak memory): a label's
// surface is the same meshed alone (--label) or with the others, also after
// smoothing and decimation, and a label cut by the image border still
// closes (its enclosed volume is its voxel volume).
TEST(SurfaceMesh, EachLabelIsMeshedAsIfAlone) {
  auto img = oblique_ellipsoid();
  for (int64_t k = 0; k < 6; ++k)  // a slab on the border, touching the ellipsoid's label
    for (int64_t j = 0; j < img.ny(); ++j)
      for (int64_t i = 0; i < img.nx(); ++i)
        if (img.at(i, j, k) == 0) img.at(i, j, k) = 7;
  for (const auto& [smooth, decimate] : {std::pair{0, 0.0}, std::pair{20, 0.5}}) {
    sg::MeshOptions o;
    o.smoothing_iterations = smooth;
    o.decimate = decimate;
    const auto both = sg::build_surface_mesh(img, o, "two labels").summary();
    o.label = 3;
    const auto three = sg::build_surface_mesh(img, o, "label 3").summary();
    o.label = 7;
    const auto seven = sg::build_surface_mesh(img, o, "label 7").summary();
    EXPECT_EQ(both.points, three.points + seven.points) << smooth;
    EXPECT_EQ(both.triangles, three.triangles + seven.triangles) << smooth;
    EXPECT_NEAR(both.area_mm2 / (three.area_mm2 + seven.area_mm2), 1.0, 1e-12) << smooth;
    if (smooth == 0) {
      EXPECT_NEAR(seven.volume_mm3 / voxel_volume_mm3(img, 7), 1.0, 0.02);
    }
  }
}

TEST(SurfaceMesh, FormatFromExtension) {
  EXPECT_EQ(sg::mesh_format_of("a/b.VTK"), sg::MeshFormat::vtk_legacy);
  EXPECT_EQ(sg::mesh_format_of("b.vtp"), sg::MeshFormat::vtk_xml);
  EXPECT_EQ(sg::mesh_format_of("b.stl"), sg::MeshFormat::stl);
  EXPECT_EQ(sg::mesh_format_of("b.obj"), sg::MeshFormat::obj);
  EXPECT_EQ(sg::mesh_format_of("b.ply"), sg::MeshFormat::ply);
  EXPECT_FALSE(sg::mesh_format_of("b.nii.gz"));
  EXPECT_FALSE(sg::mesh_format_of("dir.stl/b"));
  EXPECT_FALSE(sg::mesh_format_of("b"));
}
