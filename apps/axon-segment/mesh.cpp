#ifdef AXON_WITH_VTK
#include <optional>
#include <string>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/report/raster.hpp"
#include "axon/segment/surface_mesh.hpp"
#include "commands.hpp"

using namespace axon::cli;
namespace sg = axon::segment;

axon::cli::Command mesh_command() {
  return Command("mesh", "surfaces of a label image (VTK): flying edges, smoothing, decimation, world coordinates")
      .positional(argument("LABELS", ValueKind::input_file, "3D integer label image"))
      .positional(argument("OUT", ValueKind::output_file, "surface file: .vtk (legacy), .vtp, .stl, .obj or .ply"))
      .option(value(ValueKind::integer, "label", "N", "mesh this label only (default: every non-zero label)"))
      .option(value(ValueKind::integer, "smooth", "ITER", "windowed-sinc smoothing iterations (0 = off)", "20"))
      .option(value(ValueKind::real, "passband", "PB", "windowed-sinc pass band, (0, 2]; smaller smooths more", "0.1"))
      .option(
          value(ValueKind::real, "decimate", "R", "quadric decimation: fraction of triangles to remove, [0, 1)", "0"))
      .option(choice("coordinates", {"ras", "lps"}, "ras",
                     "world frame of the points: NIfTI's RAS+ or LPS (DICOM/ITK); the file is tagged SPACE=RAS/LPS"))
      .option(value(ValueKind::output_file, "png", "PNG",
                    "offscreen rendering of the surface (needs an X display, e.g. xvfb-run; skipped with a warning "
                    "without one)"))
      .description(
          "Discrete flying edges (discrete marching cubes) on the label image padded by one background voxel, so "
          "every surface is closed; the points are mapped through the image's full voxel-to-world affine (sform, "
          "else qform: obliquity and anisotropic voxels included), then windowed-sinc smoothing, quadric decimation "
          "with volume preservation and point normals. The points are in mm in the image's world frame, so the "
          "surface lines up with the image in 3D Slicer (which reads the SPACE tag written into every file) and in "
          "ParaView or nibabel. The JSON sidecar (OUT's stem + .json) records the enclosed volume, area and bounds. "
          "See docs/axon-segment.md.")
      .example("axon-segment mesh aseg.nii.gz hippocampus.stl --label 17", "one structure for 3D printing or Slicer")
      .example("axon-segment mesh atlas.nii.gz atlas.vtp --smooth 30 --decimate 0.5", "every label, lighter mesh")
      .run([](const Args& args, Context& ctx) {
        const std::string in_path = args.text("LABELS"), out_path = args.text("OUT");
        const auto format = sg::mesh_format_of(out_path);
        if (!format) throw axon::InputError(out_path, "unknown surface format (use .vtk, .vtp, .stl, .obj or .ply)");
        sg::MeshOptions o;
        if (args.maybe_text("label")) {
          const long long label = args.integer("label");
          if (label == 0 || label < INT32_MIN || label > INT32_MAX)
            throw axon::UsageError("--label must be a non-zero 32-bit integer");
          o.label = static_cast<int32_t>(label);
        }
        const long long smooth = args.integer("smooth");
        if (smooth < 0 || smooth > 10000) throw axon::UsageError("--smooth must be between 0 and 10000 iterations");
        o.smoothing_iterations = static_cast<int>(smooth);
        o.passband = args.real("passband");
        o.decimate = args.real("decimate");
        o.coordinates = args.text("coordinates") == "lps" ? sg::MeshCoordinates::lps : sg::MeshCoordinates::ras;
        const auto png_path = args.maybe_text("png");

        const auto labels = axon::read_volume<int32_t>(in_path);  // non-integer voxels or 4D: InputError
        const sg::SurfaceMesh mesh = sg::build_surface_mesh(labels, o, in_path);
        const sg::MeshSummary s = mesh.summary();

        const nlohmann::json details{
            {"method", "discrete flying edges + world affine + windowed-sinc smoothing + quadric decimation"},
            {"labels", s.labels},
            {"smoothing_iterations", o.smoothing_iterations},
            {"passband", o.passband},
            {"decimate", o.decimate},
            {"coordinates", args.text("coordinates") == "lps" ? "LPS" : "RAS"},
            {"points", s.points},
            {"triangles", s.triangles},
            {"volume_mm3", s.volume_mm3},
            {"area_mm2", s.area_mm2},
            {"bounds_mm", s.bounds}};
        axon::OutputSet outputs(ctx.force);
        sg::write_surface_mesh(mesh, *format, o.coordinates, outputs.add(out_path));
        axon::write_sidecar(outputs, out_path, ctx, {{"SurfaceMesh", details}});
        // Without a display the PNG is skipped (the issue allows it); the
        // surface is written either way.
        std::optional<std::string> png_written;
        if (png_path) {
          std::string why_not;
          if (const auto picture = sg::render_surface(mesh, 800, why_not)) {
            axon::write_png(*picture, outputs.add(*png_path));
            png_written = *png_path;
          } else {
            axon::log::warn("--png skipped: " + why_not);
          }
        }
        outputs.commit_all();
        ctx.summary = details;
        ctx.summary["surface"] = out_path;
        if (png_path) ctx.summary["png"] = png_written ? nlohmann::json(*png_written) : nlohmann::json(nullptr);
      });
}
#endif
