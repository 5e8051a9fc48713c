"""Small inputs for the axon-register CLI tests, from Debian's mricron-data:
Colin27 with skull (ch2) at 4 mm (means of 4x4x4 blocks), the AAL atlas on
the same grid (the voxel nearest each block's centre), and broken files for
the refusals.
Usage: make_inputs.py OUTDIR"""
import sys

import nibabel as nib
import numpy as np

T = "/usr/share/mricron/templates"
out = sys.argv[1]


def save(data, affine, name, like=None):
    img = nib.Nifti1Image(data, affine)
    img.header.set_sform(affine, 4)
    img.header.set_qform(affine, 1)
    nib.save(img, f"{out}/{name}")


head = nib.load(f"{T}/ch2.nii.gz")
affine = head.affine.copy()
affine[:3, 3] += affine[:3, :3] @ [1.5, 1.5, 1.5]
affine[:3, :3] *= 4
fine = np.asarray(head.dataobj)[:180, :216, :180].astype(np.float32)
h = fine.reshape(45, 4, 54, 4, 45, 4).mean(axis=(1, 3, 5)).astype(np.float32)
save(h, affine, "head.nii.gz")
save(np.asarray(nib.load(f"{T}/aal.nii.gz").dataobj)[2:180:4, 2:216:4, 2:180:4].astype(np.int16), affine, "aal.nii.gz")
save((h > 40).astype(np.uint8), affine, "mask.nii.gz")
save(np.zeros_like(h, dtype=np.uint8), affine, "empty_mask.nii.gz")
save((h[:-1] > 40).astype(np.uint8), affine, "mask_other_grid.nii.gz")
nan = h.copy()
nan[20, 20, 20] = np.nan
save(nan, affine, "nan.nii.gz")
save(h[:, :, 20], affine, "slice2d.nii.gz")
save(np.stack([h, h], axis=-1), affine, "two_volumes.nii.gz")
far = affine.copy()
far[:3, 3] += 5000
save(h, far, "far_away.nii.gz")
