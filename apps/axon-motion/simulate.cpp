#include <cmath>
#include <future>
#include <iostream>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/denoise/image_quality.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/quality/head_masks.hpp"
#include "axon/quality/inputs.hpp"
#include "axon/quality/motion_simulation.hpp"
#include "commands.hpp"

using namespace axon::cli;
namespace q = axon::quality;

namespace {

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json plan_json(const q::MotionPlan& plan) {
  nlohmann::json poses = nlohmann::json::array();
  for (std::size_t i = 0; i < plan.poses.size(); ++i) {
    const auto& p = plan.poses[i];
    const double end = i + 1 < plan.poses.size() ? plan.poses[i + 1].start_time : 1.0;
    poses.push_back({{"start_time", p.start_time}, {"end_time", end},
                     {"trans_x", p.params.tx}, {"trans_y", p.params.ty}, {"trans_z", p.params.tz},
                     {"rot_x", p.params.rx}, {"rot_y", p.params.ry}, {"rot_z", p.params.rz}});
  }
  return {{"phase_encode_axis", std::string(1, "xyz"[plan.axis])}, {"poses", poses},
          {"reference_pose", plan.reference_pose},
          {"ghosting", plan.ghosting ? nlohmann::json{{"period", plan.ghosting->period},
                                                      {"intensity", plan.ghosting->intensity}}
                                     : nlohmann::json(nullptr)}};
}

}  // namespace

axon::cli::Command simulate_command() {
  return Command("simulate", "corrupt a 3D image with simulated rigid head motion in k-space")
      .positional(argument("IN", ValueKind::input_file, "clean 3D image"))
      .positional(argument("OUT", ValueKind::output_file, "corrupted image (float32; + JSON sidecar)"))
      .option(choice("severity", {"low", "medium", "high"}, "medium",
                     "preset: low 1 deg / 1 mm / 2 changes, medium 3 / 3 / 4, high 6 / 6 / 8 "
                     "(--degrees, --translation, --num-transforms override its values)"))
      .option(value(ValueKind::real, "degrees", "D", "each rotation angle uniform in [-D, D] degrees"))
      .option(value(ValueKind::real, "translation", "MM", "each translation uniform in [-MM, MM] mm"))
      .option(value(ValueKind::integer, "num-transforms", "N", "pose changes during the acquisition"))
      .option(choice("axis", {"phase-encode", "x", "y", "z"}, "phase-encode",
                     "phase-encode voxel axis; phase-encode = the header's phase_dim, else y"))
      .option(flag("ghosting", "also scale every k-th phase-encode plane (ghosts)"))
      .option(value(ValueKind::input_file, "mask", "M",
                    "SSIM is averaged over voxels > 0 of M (default: the head mask of IN)"))
      .description(
          "The head takes N+1 rigid poses at random times of the acquisition; k-space planes along the "
          "phase-encode axis, acquired in linear order, each come from the pose active at their acquisition "
          "time, and the pose at the centre of k-space is the reference (the output stays registered to IN). "
          "The output is the magnitude image. The sidecar holds the poses (mm, radians, relative to the "
          "reference; the axon rigid convention), the ghosting, and the SSIM (scikit-image's definition, 3D and "
          "per axial slice) of the output against IN. --seed picks the motion. Method: docs/axon-motion-quality.md.")
      .example("axon-motion simulate t1.nii.gz t1_motion.nii.gz --severity high --seed 7", "Strong motion")
      .example("axon-motion simulate t1.nii.gz out.nii.gz --degrees 2 --translation 1 --num-transforms 3 --ghosting",
               "Explicit motion range, with ghosting")
      .run([](const Args& args, Context& ctx) {
        const std::string in_path = args.text("IN"), out_path = args.text("OUT");
        axon::check_output_path(out_path, ctx.force);
        axon::check_output_path(axon::sidecar_path(out_path), ctx.force);
        const auto clean = q::read_structural(in_path);
        q::ByteMask mask;
        const auto mask_path = args.maybe_text("mask");
        // The head mask (a serial flood fill) is only needed for the SSIM:
        // with threads to spare it is computed while the motion is simulated.
        std::future<q::ByteMask> head;
        if (mask_path)
          mask = q::read_mask_like(*mask_path, clean, in_path);
        else if (ctx.threads > 1)
          head = std::async(std::launch::async, [&clean] { return q::head_mask(clean); });
        else
          mask = q::head_mask(clean);

        q::MotionSettings settings = q::severity_settings(args.text("severity"));
        if (args.has("degrees")) settings.max_degrees = args.real("degrees");
        if (args.has("translation")) settings.max_translation_mm = args.real("translation");
        if (args.has("num-transforms")) settings.transforms = static_cast<int>(args.integer("num-transforms"));
        if (!(settings.max_degrees >= 0 && settings.max_degrees <= 90))
          throw axon::UsageError("--degrees must be in [0, 90]");
        if (!(settings.max_translation_mm >= 0)) throw axon::UsageError("--translation must not be negative");
        if (settings.transforms < 0 || settings.transforms > 1000)
          throw axon::UsageError("--num-transforms must be in [0, 1000]");
        settings.ghosting = args.flag("ghosting");
        const int axis = q::phase_encode_axis(args.text("axis"), clean.header);
        const q::MotionPlan plan = q::draw_motion_plan(settings, axis, ctx.seed);
        auto corrupted = q::simulate_motion(clean, plan);
        corrupted.header.datatype = static_cast<int>(axon::DataType::float32);
        corrupted.header.scl_slope = corrupted.header.scl_inter = 0;
        if (head.valid()) mask = head.get();

        // The image is compressed and written on a second thread while the
        // SSIM is computed (both only read `corrupted`); committed with the
        // sidecar below, so a failure still leaves no output.
        axon::OutputSet outputs(ctx.force);
        const std::string& image_tmp = outputs.add(out_path);
        std::future<void> written;
        if (ctx.threads > 1)
          written = std::async(std::launch::async, [&] { axon::write_image(corrupted, image_tmp); });
        else
          axon::write_image(corrupted, image_tmp);

        const auto ssim = q::reference_ssim(corrupted, clean, mask);
        const double range = axon::denoise::reference_data_range(clean.data.data(), clean.data.size());  // reported
        const double ssim3d = ssim.volume;
        nlohmann::json per_slice = nlohmann::json::array();
        for (double s : ssim.slices) per_slice.push_back(number_or_null(s));

        const nlohmann::json motion = plan_json(plan);
        nlohmann::json sidecar{
            {"Motion", motion},
            {"Settings", {{"max_degrees", settings.max_degrees}, {"max_translation_mm", settings.max_translation_mm},
                          {"num_transforms", settings.transforms}, {"ghosting", settings.ghosting},
                          {"kspace_order", "linear along the phase-encode axis; the centre plane at time 0.5"},
                          {"interpolation", "linear (ITK) for each pose; zero outside the field of view"}}},
            {"SSIM", {{"volume_3d", number_or_null(ssim3d)}, {"per_slice_axis", "z"}, {"per_slice", per_slice},
                      {"data_range", range}, {"mask", mask_path ? *mask_path : std::string("head mask of IN (Otsu)")},
                      {"definition", "skimage structural_similarity, gaussian_weights, sigma 1.5, "
                                     "use_sample_covariance=False, averaged over mask voxels >= 5 voxels from the border"}}}};
        if (written.valid()) written.get();
        axon::write_sidecar(outputs, out_path, ctx, sidecar);
        outputs.commit_all();
        ctx.summary = {{"output", out_path}, {"ssim", number_or_null(ssim3d)}, {"motion", motion}};
        if (!ctx.json) std::cout << "SSIM " << ssim3d << " (3D, against " << in_path << ")\n";
      });
}
