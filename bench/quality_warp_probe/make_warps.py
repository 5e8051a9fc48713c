"""Synthetic subjects for the SSIM regressor's training set: each clean
training volume under smooth random non-linear warps.

A warp is a per-axis stretch about the volume's centre (uniform 0.88-1.12)
plus a smooth displacement field: normal control-point displacements of
standard deviation AMP_MM on a 5x5x5 grid, upsampled by cubic spline
interpolation (scipy.ndimage.zoom). The volume is resampled through it
linearly (scipy.ndimage.map_coordinates). Anatomy changes (ventricles,
gyri, head shape); texture, contrast and noise do not.

Usage: make_warps.py OUT_DIR PER_VOLUME AMP_MM VOLUME...
Writes OUT_DIR/<stem>_w<i>.nii.gz and OUT_DIR/list.txt (the originals and
the warps, one path a line, for `axon-motion train --images`).
"""
import os
import sys

import nibabel as nib
import numpy as np
from scipy import ndimage


def warp(data, spacing, amp_mm, rng):
    shape = np.array(data.shape)
    centre = (shape - 1) / 2.0
    stretch = rng.uniform(0.88, 1.12, 3)
    grid = np.meshgrid(*[np.arange(n, dtype=np.float32) for n in shape], indexing="ij")
    coords = []
    for a in range(3):
        coarse = rng.normal(0.0, amp_mm / spacing[a], (5, 5, 5)).astype(np.float32)
        field = ndimage.zoom(coarse, shape / 5.0, order=3)[: shape[0], : shape[1], : shape[2]]
        coords.append(centre[a] + (grid[a] - centre[a]) * stretch[a] + field)
    return ndimage.map_coordinates(data, coords, order=1, mode="constant", cval=0.0).astype(np.float32)


def main():
    out, per, amp = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    volumes = sys.argv[4:]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(7)
    names = []
    for path in volumes:
        img = nib.load(path)
        data = np.asarray(img.dataobj, dtype=np.float32)
        spacing = np.array(img.header.get_zooms()[:3], dtype=float)
        stem = os.path.basename(path).split(".nii")[0]
        for i in range(per):
            name = os.path.join(out, f"{stem}_w{i}.nii.gz")
            nib.save(nib.Nifti1Image(warp(data, spacing, amp, rng), img.affine), name)
            names.append(name)
    with open(os.path.join(out, "list.txt"), "w") as f:
        f.write("\n".join(volumes + names) + "\n")


if __name__ == "__main__":
    main()
