#include "axon/segment/surface_mesh.hpp"

#include <X11/Xlib.h>
#include <omp.h>
#include <vtkActor.h>
#include <vtkAppendPolyData.h>
#include <vtkCallbackCommand.h>
#include <vtkCamera.h>
#include <vtkCommand.h>
#include <vtkDiscreteFlyingEdges3D.h>
#include <vtkFieldData.h>
#include <vtkImageData.h>
#include <vtkIntArray.h>
#include <vtkMassProperties.h>
#include <vtkMatrix4x4.h>
#include <vtkNew.h>
#include <vtkOBJWriter.h>
#include <vtkPLYWriter.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkPolyDataNormals.h>
#include <vtkPolyDataWriter.h>
#include <vtkProperty.h>
#include <vtkQuadricDecimation.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkReverseSense.h>
#include <vtkSMPTools.h>
#include <vtkSTLWriter.h>
#include <vtkSmartPointer.h>
#include <vtkStringArray.h>
#include <vtkTransform.h>
#include <vtkTransformPolyDataFilter.h>
#include <vtkUnsignedCharArray.h>
#include <vtkWindowToImageFilter.h>
#include <vtkWindowedSincPolyDataFilter.h>
#include <vtkXMLPolyDataWriter.h>

#include <Eigen/LU>
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "axon/core/error.hpp"
#include "axon/image/grid.hpp"
#include "axon/report/raster.hpp"

namespace axon::segment {

struct SurfaceMesh::Impl {
  vtkSmartPointer<vtkPolyData> poly;
  std::vector<int32_t> labels;
  MeshCoordinates coordinates = MeshCoordinates::ras;
};

SurfaceMesh::SurfaceMesh() : impl_(std::make_unique<Impl>()) {}
SurfaceMesh::~SurfaceMesh() = default;
SurfaceMesh::SurfaceMesh(SurfaceMesh&&) noexcept = default;
SurfaceMesh& SurfaceMesh::operator=(SurfaceMesh&&) noexcept = default;

namespace {

// Collects the error and warning messages of a VTK object instead of
// letting VTK print them: one line on stderr is ours to write.
class VtkMessages {
 public:
  explicit VtkMessages(vtkObject* object) : object_(object) {
    callback_->SetClientData(this);
    callback_->SetCallback([](vtkObject*, unsigned long event, void* client, void* data) {
      auto* self = static_cast<VtkMessages*>(client);
      const std::string text = data ? static_cast<const char*>(data) : "";
      if (event == vtkCommand::ErrorEvent) self->errors_ += (self->errors_.empty() ? "" : "; ") + text;
    });
    error_tag_ = object->AddObserver(vtkCommand::ErrorEvent, callback_);
    warning_tag_ = object->AddObserver(vtkCommand::WarningEvent, callback_);
  }
  ~VtkMessages() {
    object_->RemoveObserver(error_tag_);
    object_->RemoveObserver(warning_tag_);
  }
  VtkMessages(const VtkMessages&) = delete;
  VtkMessages& operator=(const VtkMessages&) = delete;
  bool failed() const { return !errors_.empty(); }
  // VTK's messages end in a newline and carry the class and file; keep the gist.
  std::string what() const {
    std::string s = errors_;
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    const auto colon = s.rfind(": ");
    return colon == std::string::npos ? s : s.substr(colon + 2);
  }

 private:
  vtkObject* object_;
  vtkNew<vtkCallbackCommand> callback_;
  unsigned long error_tag_ = 0, warning_tag_ = 0;
  std::string errors_;
};

// A label's index bounding box (inclusive).
struct IndexBox {
  std::array<int64_t, 3> lo, hi;
};

// The bounding box of every non-zero label, from one pass over the image.
std::map<int32_t, IndexBox> label_boxes(const Image<int32_t>& labels) {
  std::map<int32_t, IndexBox> boxes;
  for (int64_t k = 0; k < labels.nz(); ++k)
    for (int64_t j = 0; j < labels.ny(); ++j)
      for (int64_t i = 0; i < labels.nx(); ++i) {
        const int32_t v = labels.at(i, j, k);
        if (v == 0) continue;
        const std::array<int64_t, 3> c{i, j, k};
        auto [it, fresh] = boxes.try_emplace(v, IndexBox{c, c});
        if (fresh) continue;
        for (int a = 0; a < 3; ++a)
          it->second.lo[a] = std::min(it->second.lo[a], c[a]), it->second.hi[a] = std::max(it->second.hi[a], c[a]);
      }
  return boxes;
}

// The voxels of `label` inside `box` grown by one voxel on every side, as a
// VTK image in index coordinates (voxel (i, j, k) sits at point (i, j, k),
// as in the whole image). Other labels, and the margin beyond the image's
// border, read as background, so the surface closes where the label touches
// the border.
vtkSmartPointer<vtkImageData> label_volume(const Image<int32_t>& labels, int32_t label, const IndexBox& box) {
  auto volume = vtkSmartPointer<vtkImageData>::New();
  volume->SetExtent(static_cast<int>(box.lo[0] - 1), static_cast<int>(box.hi[0] + 1), static_cast<int>(box.lo[1] - 1),
                    static_cast<int>(box.hi[1] + 1), static_cast<int>(box.lo[2] - 1), static_cast<int>(box.hi[2] + 1));
  volume->SetOrigin(0, 0, 0);
  volume->SetSpacing(1, 1, 1);
  volume->AllocateScalars(VTK_INT, 1);
  auto* out = static_cast<int*>(volume->GetScalarPointer());
  const int64_t px = box.hi[0] - box.lo[0] + 3, py = box.hi[1] - box.lo[1] + 3, pz = box.hi[2] - box.lo[2] + 3;
  std::fill(out, out + px * py * pz, 0);
  for (int64_t k = box.lo[2]; k <= box.hi[2]; ++k)
    for (int64_t j = box.lo[1]; j <= box.hi[1]; ++j)
      for (int64_t i = box.lo[0]; i <= box.hi[0]; ++i)
        if (labels.at(i, j, k) == label)
          out[((k - box.lo[2] + 1) * py + (j - box.lo[1] + 1)) * px + (i - box.lo[0] + 1)] = label;
  return volume;
}

// Index -> output frame: the image's affine (sform, else qform), then the
// LPS flip when asked.
Eigen::Matrix4d output_affine(const Image<int32_t>& labels, MeshCoordinates coordinates) {
  Eigen::Matrix4d m = grid_of(labels.header).affine;
  if (coordinates == MeshCoordinates::lps) m = Eigen::Vector4d(-1, -1, 1, 1).asDiagonal() * m;
  return m;
}

template <class Filter>
vtkSmartPointer<vtkPolyData> run_filter(Filter* filter, const char* step, const std::string& path) {
  VtkMessages messages(filter);
  filter->Update();
  if (messages.failed()) throw InputError(path, std::string(step) + " failed: " + messages.what());
  auto out = vtkSmartPointer<vtkPolyData>::New();
  out->ShallowCopy(filter->GetOutput());
  return out;
}

// One label's closed surface through the whole chain. Labels are meshed
// one at a time: the peak memory is then the largest label's chain, not all
// labels' together (quadric decimation alone needs about 0.8 kB per point:
// 1.5 GB for the three tissue classes of a 1 mm brain when they were
// decimated together), and a label's surface is the same whether it is
// meshed alone (--label) or with the others (smoothing normalises each
// label's own coordinates).
// `to_world` maps index to output coordinates (output_affine).
vtkSmartPointer<vtkPolyData> label_surface(const Image<int32_t>& labels, int32_t label, const IndexBox& box,
                                           const Eigen::Matrix4d& to_world, const MeshOptions& options,
                                           const std::string& path) {
  // Discrete flying edges (Schroeder et al. 2015, the discrete variant of
  // marching cubes): the label's closed surface, halfway between its
  // voxel centres and its neighbours', in index coordinates.
  vtkSmartPointer<vtkPolyData> poly;
  {
    vtkNew<vtkDiscreteFlyingEdges3D> contour;
    contour->SetInputData(label_volume(labels, label, box));
    contour->SetNumberOfContours(1);
    contour->SetValue(0, label);
    contour->ComputeNormalsOff();
    contour->ComputeGradientsOff();
    contour->ComputeScalarsOn();  // the label, per point
    poly = run_filter(contour.Get(), "surface extraction", path);
  }

  // Into world coordinates with the full affine (shear and obliquity too).
  vtkNew<vtkMatrix4x4> matrix;
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) matrix->SetElement(r, c, to_world(r, c));
  vtkNew<vtkTransform> transform;
  transform->SetMatrix(matrix);
  {
    vtkNew<vtkTransformPolyDataFilter> transformer;
    transformer->SetTransform(transform);
    transformer->SetInputData(poly);
    transformer->SetOutputPointsPrecision(vtkAlgorithm::DOUBLE_PRECISION);
    poly = run_filter(transformer.Get(), "world transform", path);
  }
  // A mirroring affine (det < 0, e.g. LAS storage or the LPS flip) turns the
  // triangles inside out; reverse them so normals point out of the label.
  if (to_world.topLeftCorner<3, 3>().determinant() < 0) {
    vtkNew<vtkReverseSense> reverse;
    reverse->ReverseCellsOn();
    reverse->ReverseNormalsOff();
    reverse->SetInputData(poly);
    poly = run_filter(reverse.Get(), "orientation", path);
  }

  // Windowed-sinc smoothing (Taubin et al. 1996) in mm: a low-pass filter
  // that removes the voxel staircase without the shrinkage of Laplacian
  // smoothing. Coordinates normalised so the pass band does not depend on
  // the object's size.
  if (options.smoothing_iterations > 0) {
    vtkNew<vtkWindowedSincPolyDataFilter> smooth;
    smooth->SetInputData(poly);
    smooth->SetNumberOfIterations(options.smoothing_iterations);
    smooth->SetPassBand(options.passband);
    smooth->BoundarySmoothingOff();
    smooth->FeatureEdgeSmoothingOff();
    smooth->NonManifoldSmoothingOn();
    smooth->NormalizeCoordinatesOn();
    poly = run_filter(smooth.Get(), "smoothing", path);
  }

  // Quadric-error decimation (Garland & Heckbert 1997) with volume
  // preservation (Lindstrom & Turk 1998).
  if (options.decimate > 0) {
    vtkNew<vtkQuadricDecimation> decimate;
    decimate->SetInputData(poly);
    decimate->SetTargetReduction(options.decimate);
    decimate->VolumePreservationOn();
    poly = run_filter(decimate.Get(), "decimation", path);
  }

  // Point normals for shading; no splitting, so the surface stays closed.
  vtkNew<vtkPolyDataNormals> normals;
  normals->SetInputData(poly);
  normals->SplittingOff();
  normals->ConsistencyOn();
  normals->AutoOrientNormalsOff();
  normals->ComputePointNormalsOn();
  normals->ComputeCellNormalsOff();
  poly = run_filter(normals.Get(), "normals", path);

  return poly;
}

std::string space_tag(MeshCoordinates c) { return c == MeshCoordinates::lps ? "SPACE=LPS" : "SPACE=RAS"; }

}  // namespace

std::optional<MeshFormat> mesh_format_of(const std::string& path) {
  const auto dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return std::nullopt;
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == "vtk") return MeshFormat::vtk_legacy;
  if (ext == "vtp") return MeshFormat::vtk_xml;
  if (ext == "stl") return MeshFormat::stl;
  if (ext == "obj") return MeshFormat::obj;
  if (ext == "ply") return MeshFormat::ply;
  return std::nullopt;
}

SurfaceMesh build_surface_mesh(const Image<int32_t>& labels, const MeshOptions& options, const std::string& path) {
  if (labels.nt() != 1) throw InputError(path, "a label image must be 3D");
  if (options.smoothing_iterations < 0) throw UsageError("--smooth must be 0 or more iterations");
  if (!(options.decimate >= 0 && options.decimate < 1)) throw UsageError("--decimate must be in [0, 1)");
  if (!(options.passband > 0 && options.passband <= 2)) throw UsageError("--passband must be in (0, 2]");

  // VTK's threads (TBB) follow --threads; flying edges' output is the same
  // for any thread count (its passes write to precomputed offsets).
  vtkSMPTools::Initialize(omp_get_max_threads());

  const std::map<int32_t, IndexBox> boxes = label_boxes(labels);
  std::vector<int32_t> meshed;
  if (options.label) {
    if (!boxes.count(*options.label))
      throw InputError(path, "label " + std::to_string(*options.label) + " is not in the image");
    meshed.push_back(*options.label);
  } else {
    if (boxes.empty()) throw InputError(path, "the label image has no non-zero label");
    for (const auto& entry : boxes) meshed.push_back(entry.first);
  }

  const Eigen::Matrix4d to_world = output_affine(labels, options.coordinates);
  vtkNew<vtkAppendPolyData> all;
  for (int32_t label : meshed)
    all->AddInputData(label_surface(labels, label, boxes.at(label), to_world, options, path));
  auto poly = run_filter(all.Get(), "joining the labels' surfaces", path);

  SurfaceMesh mesh;
  mesh.impl_->poly = poly;
  mesh.impl_->labels = meshed;
  mesh.impl_->coordinates = options.coordinates;
  return mesh;
}

MeshSummary SurfaceMesh::summary() const {
  MeshSummary s;
  vtkPolyData* poly = impl_->poly;
  if (!poly) return s;
  s.points = poly->GetNumberOfPoints();
  s.triangles = poly->GetNumberOfPolys();
  s.labels = impl_->labels;
  poly->GetBounds(s.bounds.data());
  if (s.triangles > 0) {
    vtkNew<vtkMassProperties> mass;
    mass->SetInputData(poly);
    mass->Update();
    s.volume_mm3 = mass->GetVolume();
    s.area_mm2 = mass->GetSurfaceArea();
  }
  return s;
}

void write_surface_mesh(const SurfaceMesh& mesh, MeshFormat format, MeshCoordinates coordinates,
                        const std::string& path) {
  vtkPolyData* poly = mesh.impl_->poly;
  if (!poly) throw OutputError(path, "no surface to write");
  const std::string tag = space_tag(coordinates);
  const std::string header = "axon-segment mesh " + tag;
  int ok = 0;
  std::string why;
  auto write = [&](auto* writer) {
    VtkMessages messages(writer);
    writer->SetFileName(path.c_str());
    ok = writer->Write();
    if (messages.failed()) {
      ok = 0;
      why = messages.what();
    }
  };
  switch (format) {
    case MeshFormat::vtk_legacy: {
      vtkNew<vtkPolyDataWriter> w;
      w->SetInputData(poly);
      w->SetFileVersion(vtkPolyDataWriter::VTK_LEGACY_READER_VERSION_4_2);  // readable by VTK < 9, Slicer, ParaView
      w->SetFileTypeToBinary();
      w->SetHeader(header.c_str());  // Slicer reads SPACE=... from here
      write(w.Get());
      break;
    }
    case MeshFormat::vtk_xml: {
      // Slicer reads the frame from a field-data string array "SPACE".
      vtkNew<vtkPolyData> tagged;
      tagged->ShallowCopy(poly);
      vtkNew<vtkFieldData> fields;
      vtkNew<vtkStringArray> space;
      space->SetName("SPACE");
      space->InsertNextValue(coordinates == MeshCoordinates::lps ? "LPS" : "RAS");
      fields->AddArray(space);
      tagged->SetFieldData(fields);
      vtkNew<vtkXMLPolyDataWriter> w;
      w->SetInputData(tagged);
      w->SetCompressorTypeToZLib();
      write(w.Get());
      break;
    }
    case MeshFormat::stl: {
      vtkNew<vtkSTLWriter> w;
      w->SetInputData(poly);
      w->SetFileTypeToBinary();
      w->SetHeader(header.c_str());
      write(w.Get());
      break;
    }
    case MeshFormat::ply: {
      vtkNew<vtkPLYWriter> w;
      w->SetInputData(poly);
      w->SetFileTypeToBinary();
      w->AddComment(header);
      write(w.Get());
      break;
    }
    case MeshFormat::obj: {
      vtkNew<vtkOBJWriter> w;
      w->SetInputData(poly);
      write(w.Get());
      if (ok) {
        // vtkOBJWriter takes no comment; Slicer reads the leading comment
        // lines, so the tag goes first.
        std::ifstream in(path, std::ios::binary);
        std::stringstream body;
        body << in.rdbuf();
        in.close();
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << "# " << header << '\n' << body.str();
        ok = static_cast<bool>(out.flush());
      }
      break;
    }
  }
  if (!ok) throw OutputError(path, "cannot write the surface" + (why.empty() ? std::string() : ": " + why));
}

std::optional<Raster> render_surface(const SurfaceMesh& mesh, int size, std::string& why_not) {
  // VTK aborts the process when no X server answers, so connect first, and
  // hand VTK this one connection: a second one would race with Xvfb's reset
  // after its last client leaves.
  const char* display = std::getenv("DISPLAY");
  if (!display || !*display) {
    why_not = "no X display (DISPLAY is unset); run under xvfb-run -a to render";
    return std::nullopt;
  }
  std::unique_ptr<Display, int (*)(Display*)> x(XOpenDisplay(nullptr), XCloseDisplay);
  if (!x) {
    why_not = std::string("cannot open the X display ") + display;
    return std::nullopt;
  }
  vtkPolyData* poly = mesh.impl_->poly;
  const auto& labels = mesh.impl_->labels;

  vtkNew<vtkPolyDataMapper> mapper;
  mapper->SetInputData(poly);
  if (labels.size() > 1) {
    mapper->ScalarVisibilityOn();
    mapper->SetScalarRange(labels.front(), labels.back());
  } else {
    mapper->ScalarVisibilityOff();
  }
  vtkNew<vtkActor> actor;
  actor->SetMapper(mapper);
  actor->GetProperty()->SetColor(0.9, 0.72, 0.6);
  vtkNew<vtkRenderer> renderer;
  renderer->AddActor(actor);
  renderer->SetBackground(1, 1, 1);
  vtkNew<vtkRenderWindow> window;
  window->SetDisplayId(x.get());
  VtkMessages messages(window);
  window->SetOffScreenRendering(1);
  window->SetMultiSamples(0);
  window->SetSize(size, size);
  window->AddRenderer(renderer);

  // From the front, left and above (in RAS), head up.
  double b[6];
  poly->GetBounds(b);
  const double centre[3] = {(b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2};
  const double flip = mesh.impl_->coordinates == MeshCoordinates::lps ? -1 : 1;
  vtkCamera* camera = renderer->GetActiveCamera();
  camera->SetFocalPoint(centre);
  camera->SetPosition(centre[0] - flip * 1.0, centre[1] + flip * 1.0, centre[2] + 0.6);
  camera->SetViewUp(0, 0, 1);
  renderer->ResetCamera();
  window->Render();

  vtkNew<vtkWindowToImageFilter> grab;
  grab->SetInput(window);
  grab->SetInputBufferTypeToRGB();
  grab->ReadFrontBufferOff();
  grab->Update();
  if (messages.failed()) throw Error(ExitCode::other, "rendering failed: " + messages.what());
  vtkImageData* image = grab->GetOutput();
  int dims[3];
  image->GetDimensions(dims);
  auto* rgb = static_cast<unsigned char*>(image->GetScalarPointer());
  if (!rgb || dims[0] <= 0 || dims[1] <= 0) throw Error(ExitCode::other, "rendering gave no image");
  Raster raster(dims[0], dims[1]);
  for (int y = 0; y < dims[1]; ++y)
    for (int x = 0; x < dims[0]; ++x) {
      const unsigned char* p = rgb + 3 * (static_cast<std::size_t>(y) * dims[0] + x);
      raster.set(x, dims[1] - 1 - y, Color{p[0], p[1], p[2]});  // VTK's rows go bottom-up
    }
  return raster;
}

}  // namespace axon::segment
