// sidecar_path: every output's provenance sidecar, and the rule that a JSON
// output (a model file) cannot share its sidecar's name.
#include <gtest/gtest.h>

#include "axon/io/sidecar.hpp"

TEST(SidecarPath, JsonOutputGetsSidecarJson) {
  EXPECT_EQ(axon::sidecar_path("model.json"), "model.sidecar.json");
  EXPECT_EQ(axon::sidecar_path("out/motion_ssim_default.json"), "out/motion_ssim_default.sidecar.json");
  EXPECT_EQ(axon::sidecar_path("a.b.json"), "a.b.sidecar.json");
  EXPECT_NE(axon::sidecar_path("x.json"), "x.json");
}

TEST(SidecarPath, OtherOutputsReplaceTheirExtension) {
  EXPECT_EQ(axon::sidecar_path("t1.nii.gz"), "t1.json");
  EXPECT_EQ(axon::sidecar_path("dir/t1.nii"), "dir/t1.json");
  EXPECT_EQ(axon::sidecar_path("qc.tsv"), "qc.json");
  EXPECT_EQ(axon::sidecar_path("qc.tsv.gz"), "qc.json");
  EXPECT_EQ(axon::sidecar_path("report.html"), "report.json");
  EXPECT_EQ(axon::sidecar_path("view.png"), "view.json");
  for (const char* ext : {".vtk", ".vtp", ".stl", ".obj", ".ply"})
    EXPECT_EQ(axon::sidecar_path(std::string("lh.white") + ext), "lh.white.json") << ext;
}

TEST(SidecarPath, UnknownExtensionAppendsJson) {
  EXPECT_EQ(axon::sidecar_path("weights.bin"), "weights.bin.json");
  EXPECT_EQ(axon::sidecar_path("noext"), "noext.json");
  // Only a trailing extension counts: ".json" or ".nii" inside a name is kept.
  EXPECT_EQ(axon::sidecar_path("x.json.bak"), "x.json.bak.json");
  EXPECT_EQ(axon::sidecar_path("sub.nii.d/file.tsv"), "sub.nii.d/file.json");
  // A bare extension is not stripped to an empty stem.
  EXPECT_EQ(axon::sidecar_path(".json"), ".json.json");
}
