#include <string>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/register/apply_transforms.hpp"
#include "axon/register/transform_file.hpp"
#include "commands.hpp"

using namespace axon::cli;
namespace rg = axon::registration;

axon::cli::Command apply_command() {
  return Command("apply", "resample an image through transforms onto a reference grid")
      .positional(argument("IN", ValueKind::input_file, "3D or 4D image (4D: every volume)"))
      .positional(argument("OUT", ValueKind::output_file, "IN on the grid of REF"))
      .option(required(value(ValueKind::input_file, "reference", "REF", "the output grid and its header (dims, sform/qform and codes); a path or a template name (colin27)")))
      .option(required(repeated(value(ValueKind::input_file, "transform", "T",
                                      "ITK linear transform file (.txt, .tfm, .mat) or displacement field (.nii.gz), "
                                      "repeatable, in antsApplyTransforms' order: a REF point goes through "
                                      "the first one given first (e.g. --transform P1Warp.nii.gz --transform "
                                      "P0GenericAffine.txt)"))))
      .option(flag("inverse", "apply the inverse of the chain (REF is then the fixed image of `run`'s MOVING side): "
                              "the transforms in reverse order, linear ones inverted, each XWarp.nii.gz replaced by "
                              "XInverseWarp.nii.gz beside it"))
      .option(choice("interpolation", {"linear", "bspline", "nearest", "label"}, "linear",
                     "linear, cubic B-spline, nearest neighbour, or label: per-label Gaussian-weighted voting "
                     "(sigma half the input's voxel size), every output value one of the input's labels"))
      .description(
          "Every voxel centre x of REF takes IN's value at T(x), T the chain of transforms (ANTs' meaning: "
          "axon-register run's PREFIX1Warp.nii.gz then PREFIX0GenericAffine.txt take FIXED to MOVING, so "
          "`apply MOVING_IMAGE OUT --reference FIXED --transform PREFIX1Warp.nii.gz --transform PREFIX0GenericAffine.txt` brings "
          "MOVING's image onto FIXED). Points outside IN get 0; a field is the identity outside its grid. The "
          "output keeps IN's datatype and time axis (linear and bspline of an integer image: float32) and takes "
          "REF's grid and header. Transforms written by ANTs and ITK are read too.")
      .example("axon-register apply moving.nii.gz warped.nii.gz --reference fixed.nii.gz --transform r_1Warp.nii.gz "
               "--transform r_0GenericAffine.txt",
               "The moving image on the fixed grid")
      .example("axon-register apply aal.nii.gz aal_native.nii.gz --reference t1.nii.gz --inverse --interpolation label "
               "--transform t1_to_mni_1Warp.nii.gz --transform t1_to_mni_0GenericAffine.txt",
               "A template-space atlas brought into the subject's space, labels kept exact")
      .run([](const Args& args, Context& ctx) {
        const std::string in_path = args.list("IN").front(), out_path = args.list("OUT").front();
        const std::string reference_path = args.text("reference");
        axon::check_output_path(axon::sidecar_path(out_path), ctx.force);
        const auto interpolation = rg::parse_apply_interpolation(args.text("interpolation"));
        const rg::TransformChain chain = rg::read_chain(args.list("transform"), args.flag("inverse"));
        const axon::ImageHeader reference = axon::read_header(reference_path);
        const axon::Image<float> input = axon::read_image<float>(in_path);
        const axon::Image<float> output = rg::apply_transforms(input, reference, chain, interpolation);

        nlohmann::json steps = nlohmann::json::array();
        for (const auto& s : chain) steps.push_back(s.path);
        axon::OutputSet outputs(ctx.force);
        axon::write_image(output, outputs.add(out_path));
        axon::write_sidecar(outputs, out_path, ctx,
                            {{"Transforms", steps}, {"Inverse", args.flag("inverse")},
                             {"Interpolation", rg::interpolation_name(interpolation)}, {"Reference", reference_path}});
        outputs.commit_all();
        ctx.summary = {{"output", out_path}, {"transforms", steps}, {"volumes", output.nt()}};
      });
}
