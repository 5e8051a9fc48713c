#pragma once
// The real images of ../shared/DATA.md (installed by scripts/bootstrap).
#include <string>
#include <vector>

namespace axon::test {
inline const std::string kTemplates = "/usr/share/mricron/templates/";
inline const std::string kNipy = "/usr/lib/python3/dist-packages/nipy/testing/";
inline const std::string kNibabel = "/usr/lib/python3/dist-packages/nibabel/tests/data/";
inline const std::string kDipy = "/usr/lib/python3/dist-packages/dipy/data/files/";

inline std::vector<std::string> real_images() {
  return {kTemplates + "ch2.nii.gz", kTemplates + "ch2bet.nii.gz", kTemplates + "aal.nii.gz",
          kTemplates + "brodmann.nii.gz", kTemplates + "HarvardOxford-cort-maxprob-thr0-1mm.nii.gz",
          kTemplates + "AICHAmc.nii.gz", kTemplates + "JHU-WhiteMatter-labels-2mm.nii.gz",
          kTemplates + "inia19-NeuroMaps.nii.gz", kNipy + "functional.nii.gz", kNipy + "anatomical.nii.gz",
          kNibabel + "example4d.nii.gz", kNibabel + "example_nifti2.nii.gz", kDipy + "small_64D.nii",
          kDipy + "S0_10slices.nii.gz", kDipy + "aniso_vox.nii.gz"};
}
}  // namespace axon::test
