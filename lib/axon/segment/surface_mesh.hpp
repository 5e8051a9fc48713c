#pragma once
// Surfaces of label images (axon-segment mesh), built with VTK: discrete
// flying edges on the labels, the image's full voxel -> world affine applied
// to the points, windowed-sinc smoothing, quadric decimation and normals;
// written as legacy VTK, VTK XML, STL, OBJ or PLY, optionally rendered to an
// image. VTK types stay inside surface_mesh.cpp: callers see only this header.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "axon/image/image.hpp"
#include "axon/report/raster.hpp"

namespace axon::segment {

// World frame of the written points. NIfTI world is RAS+ (x to the right);
// LPS (x, y negated) is DICOM's and ITK's frame and the default of 3D Slicer
// >= 4.11 for model files without a coordinate tag. Every file written also
// carries Slicer's tag "SPACE=RAS" or "SPACE=LPS", so Slicer places it right
// either way.
enum class MeshCoordinates { ras, lps };

enum class MeshFormat { vtk_legacy, vtk_xml, stl, obj, ply };

struct MeshOptions {
  std::optional<int32_t> label;   // none: a surface for every non-zero label
  int smoothing_iterations = 20;  // windowed sinc; 0 = off
  double passband = 0.1;          // windowed-sinc pass band (smaller smooths more)
  double decimate = 0.0;          // target reduction of the triangle count, [0, 1)
  MeshCoordinates coordinates = MeshCoordinates::ras;
};

// What the surface measures, in the output frame (mm).
struct MeshSummary {
  int64_t points = 0, triangles = 0;
  std::vector<int32_t> labels;  // the labels meshed
  // Enclosed volume and area (vtkMassProperties) of the whole surface:
  // meaningful as a volume when one label is meshed.
  double volume_mm3 = 0, area_mm2 = 0;
  std::array<double, 6> bounds{};  // xmin, xmax, ymin, ymax, zmin, zmax
};

class SurfaceMesh {
 public:
  SurfaceMesh();
  ~SurfaceMesh();
  SurfaceMesh(SurfaceMesh&&) noexcept;
  SurfaceMesh& operator=(SurfaceMesh&&) noexcept;
  MeshSummary summary() const;
  struct Impl;  // the vtkPolyData

 private:
  friend SurfaceMesh build_surface_mesh(const Image<int32_t>&, const MeshOptions&, const std::string&);
  friend void write_surface_mesh(const SurfaceMesh&, MeshFormat, MeshCoordinates, const std::string&);
  friend std::optional<Raster> render_surface(const SurfaceMesh&, int, std::string&);
  std::unique_ptr<Impl> impl_;
};

// The format named by the file's extension (.vtk, .vtp, .stl, .obj, .ply;
// case-insensitive), or none.
std::optional<MeshFormat> mesh_format_of(const std::string& path);

// Labels must be a 3D integer image. Throws InputError naming `path` when
// --label is absent from the image or the image has no non-zero label.
SurfaceMesh build_surface_mesh(const Image<int32_t>& labels, const MeshOptions& options, const std::string& path);

// Writes the surface (points already in `coordinates`, which only sets the
// SPACE tag). Throws OutputError naming `path`.
void write_surface_mesh(const SurfaceMesh& mesh, MeshFormat format, MeshCoordinates coordinates,
                        const std::string& path);

// Renders the surface offscreen (size x size pixels, coloured by label when
// there are several, seen from the front-left-above). Debian's VTK draws
// through GLX, so an X display must answer (xvfb-run provides one): without
// one, returns none with the reason in `why_not`. Throws Error when VTK
// fails after the display was opened.
std::optional<Raster> render_surface(const SurfaceMesh& mesh, int size, std::string& why_not);

}  // namespace axon::segment
