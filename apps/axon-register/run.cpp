#include <optional>
#include <string>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/report/raster.hpp"
#include "axon/register/apply_transforms.hpp"
#include "axon/register/overlay_figure.hpp"
#include "axon/register/register_images.hpp"
#include "axon/register/transform_file.hpp"
#include "commands.hpp"

using namespace axon::cli;
namespace rg = axon::registration;

namespace {

nlohmann::json stage_json(const rg::StageReport& r) {
  return {{"stage", r.stage}, {"method", r.method}, {"levels_shrink_sigma_iterations", r.levels},
          {"iterations_run", r.iterations}, {"final_metric_value", r.metric_value}, {"seconds", r.seconds}};
}

nlohmann::json matrix_json(const Eigen::Matrix4d& m) {
  nlohmann::json rows = nlohmann::json::array();
  for (int r = 0; r < 4; ++r) rows.push_back({m(r, 0), m(r, 1), m(r, 2), m(r, 3)});
  return rows;
}

const nlohmann::json kConvention{
    {"points", "LPS millimetres (ITK's and ANTs' world coordinates: NIfTI RAS with x and y negated)"},
    {"direction", "each transform maps a point of the FIXED image to the MOVING image: warped(x) = moving(T(x))"},
    {"chain", "T(x) = Affine(x + Warp(x)): antsApplyTransforms -r FIXED -i MOVING -t PREFIX1Warp.nii.gz -t "
              "PREFIX0GenericAffine.txt"},
    {"inverse", "moving to fixed: x' = A^-1(y); x' + InverseWarp(x') (antsApplyTransforms -r MOVING -i FIXED "
                "-t [PREFIX0GenericAffine.txt,1] -t PREFIX1InverseWarp.nii.gz)"},
    {"fields", "NIfTI on the fixed grid, dim = (5, nx, ny, nz, 1, 3), intent vector (1007), float32, "
               "volume c = LPS component c of the displacement in mm"}};

// A 3D float volume with finite values (InputError naming the file).
axon::Image<float> read_input(const std::string& path) {
  axon::Image<float> image = axon::read_image<float>(path);
  rg::require_registration_input({&image, path});
  return image;
}

}  // namespace

axon::cli::Command run_command() {
  return Command("run", "register MOVING to FIXED: rigid, affine and SyN stages, multi-resolution")
      .positional(argument("FIXED", ValueKind::input_file, "3D fixed (reference) image, or a template name (axon-image templates: colin27, colin27-brain)"))
      .positional(argument("MOVING", ValueKind::input_file, "3D moving image, brought onto FIXED"))
      .option(required(value(ValueKind::text, "out-transform", "PREFIX",
                             "writes PREFIX0GenericAffine.txt (ITK affine transform file) and, with the syn stage, "
                             "PREFIX1Warp.nii.gz and PREFIX1InverseWarp.nii.gz (ANTs' names and conventions)")))
      .option(value(ValueKind::text, "stages", "LIST", "stages in order, from rigid, affine, syn", "rigid,affine,syn"))
      .option(choice("metric", {"mi", "cc", "ms"}, "mi",
                     "metric of the linear stages: Mattes mutual information (32 bins; any modalities), "
                     "normalised cross-correlation, mean squares (same modality and scale). SyN always uses "
                     "local cross-correlation (radius 4 mm)"))
      .option(value(ValueKind::input_file, "fixed-mask", "M", "the metric counts only FIXED voxels inside this mask (FIXED's grid)"))
      .option(value(ValueKind::input_file, "moving-mask", "M", "the metric counts only MOVING voxels inside this mask (MOVING's grid)"))
      .option(value(ValueKind::output_file, "out-warped", "W", "MOVING resampled onto FIXED's grid (linear, float32)"))
      .option(value(ValueKind::output_file, "out-inverse-warped", "W",
                    "FIXED resampled onto MOVING's grid through the inverse (linear, float32)"))
      .option(value(ValueKind::output_file, "qc", "PNG",
                    "registration check: MOVING warped onto FIXED in grey with FIXED's edges (Canny) in red, "
                    "three orthogonal slices"))
      .option(value(ValueKind::text, "linear-iterations", "AxBxCxD",
                    "iteration caps of the rigid and affine stages at shrink 8, 4, 2, 1", "100x100x50x25"))
      .option(value(ValueKind::text, "syn-iterations", "AxBxCxD",
                    "iteration caps of SyN at shrink 8, 4, 2, 1 (0: the level only resamples the field; "
                    "ANTs' quick preset is 100x70x50x0)", "100x70x20x5"))
      .option(value(ValueKind::real, "grid-spacing", "MM",
                    "levels at or coarser than MM run on both images resampled to MM once (blurred to match): the "
                    "linear stages then finish on the full images, SyN goes no finer and its fields are "
                    "interpolated onto FIXED's grid. 0: every level on the full images, as ANTs (on a 1 mm "
                    "image about 3x the time and 8x SyN's memory)",
                    "2"))
      .option(choice("init", {"moments", "centre", "none"}, "moments",
                     "starting translation: centres of mass (inside the masks), geometric centres of the grids, or none"))
      .description(
          "Registration on ITK 5.2's v4 framework, as ANTs' antsRegistrationSyN.sh: each stage runs shrink "
          "factors 8/4/2/1 with Gaussian smoothing 3/2/1/0 voxels (levels where the shrunk image would be "
          "thinner than 12 voxels are left out). Rigid (itk::Euler3DTransform) and affine stages: the metric "
          "on 25 % of the voxels (at most 60000 per level) on a regular grid with jitter drawn from --seed, "
          "conjugate gradient with line search, at most --linear-iterations. SyN (itk::SyNImageRegistrationMethod): "
          "neighbourhood cross-correlation, gradient step 0.1, update field variance 3 voxels^2, at most "
          "--syn-iterations. Transforms map fixed points to moving points (LPS mm); apply them with "
          "`axon-register apply` or antsApplyTransforms (docs/axon-register.md). Results are identical for any "
          "--threads.")
      .example("axon-register run t1.nii.gz bold_mean.nii.gz --out-transform bold2t1_ --stages rigid",
               "Mean BOLD to T1, rigid, mutual information")
      .example("axon-register run colin27-brain t1_brain.nii.gz --out-transform t1_to_mni_ --out-warped w.nii.gz "
               "--qc t1_to_mni.png",
               "T1 brain to Colin27 (a template name: axon-image templates): rigid + affine + SyN, the warped T1 on "
               "the template grid and the overlay figure")
      .run([](const Args& args, Context& ctx) {
        const std::string fixed_path = args.list("FIXED").front(), moving_path = args.list("MOVING").front();
        const std::string prefix = args.text("out-transform");
        rg::RegistrationOptions options;
        options.stages = rg::parse_stages(args.text("stages"));
        options.metric = rg::parse_metric(args.text("metric"));
        options.initialisation = rg::parse_initialisation(args.text("init"));
        options.seed = ctx.seed;
        options.linear_iterations = rg::parse_iterations(args.text("linear-iterations"), "--linear-iterations");
        options.syn_iterations = rg::parse_iterations(args.text("syn-iterations"), "--syn-iterations");
        options.grid_spacing_mm = args.real("grid-spacing");
        if (!(options.grid_spacing_mm >= 0) || options.grid_spacing_mm > 20)
          throw axon::UsageError("--grid-spacing: '" + args.text("grid-spacing") + "' is not a spacing from 0 to 20 mm");
        const bool deformable = options.stages.back() == rg::Stage::syn;

        const std::string affine_path = prefix + "0GenericAffine.txt";
        const std::string warp_path = prefix + "1Warp.nii.gz", inverse_path = prefix + "1InverseWarp.nii.gz";
        const auto out_warped = args.maybe_text("out-warped"), out_inverse = args.maybe_text("out-inverse-warped");
        std::vector<std::string> outputs_planned{affine_path, axon::sidecar_path(affine_path)};
        if (deformable)
          for (const auto& p : {warp_path, inverse_path}) outputs_planned.insert(outputs_planned.end(), {p, axon::sidecar_path(p)});
        for (const auto& p : {out_warped, out_inverse})
          if (p) outputs_planned.insert(outputs_planned.end(), {*p, axon::sidecar_path(*p)});
        const auto qc_path = args.maybe_text("qc");
        if (qc_path) outputs_planned.push_back(*qc_path);
        for (const auto& p : outputs_planned) axon::check_output_path(p, ctx.force);

        const axon::Image<float> fixed = read_input(fixed_path), moving = read_input(moving_path);
        std::optional<axon::Image<float>> fixed_mask, moving_mask;
        rg::NamedImage fixed_mask_in, moving_mask_in;
        if (auto p = args.maybe_text("fixed-mask")) {
          fixed_mask = axon::read_image<float>(*p);
          fixed_mask_in = {&*fixed_mask, *p};
          rg::require_mask(fixed_mask_in, {&fixed, fixed_path});
        }
        if (auto p = args.maybe_text("moving-mask")) {
          moving_mask = axon::read_image<float>(*p);
          moving_mask_in = {&*moving_mask, *p};
          rg::require_mask(moving_mask_in, {&moving, moving_path});
        }

        const rg::RegistrationResult result =
            rg::register_images({&fixed, fixed_path}, {&moving, moving_path}, fixed_mask_in, moving_mask_in, options);

        nlohmann::json stages = nlohmann::json::array();
        double seconds = 0;
        for (const auto& s : result.stages) stages.push_back(stage_json(s)), seconds += s.seconds;
        const nlohmann::json settings{{"stages", args.text("stages")}, {"metric", args.text("metric")},
                                      {"linear_iterations", args.text("linear-iterations")},
                                      {"syn_iterations", args.text("syn-iterations")},
                                      {"grid_spacing_mm", options.grid_spacing_mm},
                                      {"init", args.text("init")}, {"seed", ctx.seed},
                                      {"fixed", fixed_path}, {"moving", moving_path}};

        axon::OutputSet outputs(ctx.force);
        rg::write_linear_transform(result.linear, outputs.add(affine_path));
        axon::write_sidecar(outputs, affine_path, ctx,
                            {{"TransformConvention", kConvention}, {"Settings", settings}, {"Stages", stages},
                             {"AffineMatrixLPS", matrix_json(result.linear.matrix)}});
        if (deformable) {
          rg::write_displacement_field(*result.forward, outputs.add(warp_path));
          axon::write_sidecar(outputs, warp_path, ctx, {{"TransformConvention", kConvention}, {"Field", "forward"}});
          rg::write_displacement_field(*result.inverse, outputs.add(inverse_path));
          axon::write_sidecar(outputs, inverse_path, ctx, {{"TransformConvention", kConvention}, {"Field", "inverse"}});
        }
        const auto as_float = [](axon::Image<float> image) {
          image.header.datatype = static_cast<int>(axon::DataType::float32);
          image.header.scl_slope = image.header.scl_inter = 0;
          return image;
        };
        if (out_warped || qc_path) {
          const auto warped = rg::apply_transforms(moving, fixed.header, result.forward_chain(), rg::ApplyInterpolation::linear);
          if (out_warped) {
            axon::write_image(as_float(warped), outputs.add(*out_warped));
            axon::write_sidecar(outputs, *out_warped, ctx, {{"Description", "MOVING on FIXED's grid (linear interpolation)"}});
          }
          if (qc_path) axon::write_png(rg::registration_overlay_figure(fixed, warped), outputs.add(*qc_path));
        }
        if (out_inverse) {
          const auto warped = rg::apply_transforms(fixed, moving.header, result.inverse_chain(), rg::ApplyInterpolation::linear);
          axon::write_image(as_float(warped), outputs.add(*out_inverse));
          axon::write_sidecar(outputs, *out_inverse, ctx, {{"Description", "FIXED on MOVING's grid (linear interpolation)"}});
        }
        outputs.commit_all();

        ctx.summary = {{"transforms", deformable ? nlohmann::json{warp_path, affine_path} : nlohmann::json{affine_path}},
                       {"inverse_warp", deformable ? nlohmann::json(inverse_path) : nlohmann::json(nullptr)},
                       {"affine_matrix_lps", matrix_json(result.linear.matrix)}, {"stages", stages},
                       {"seconds", seconds}};
        if (!ctx.json) axon::log::info("registered in " + std::to_string(seconds) + " s");
      });
}
