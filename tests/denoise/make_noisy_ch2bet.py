"""Noisy ch2bet volumes with known ground truth, for axon-denoise tests and benchmarks.

ch2bet (Colin27, brain extracted) scaled to [0, 1000] is the clean image;
Rician noise of sigma = fraction x 1000 is added as
sqrt((clean + sigma n1)^2 + (sigma n2)^2) with n1, n2 standard normal from a
seeded numpy generator, so every run writes the same bytes.

usage: make_noisy_ch2bet.py OUT_DIR [--crop] [--seed S] [--noise 0.03 0.09]
writes OUT_DIR/clean.nii.gz, OUT_DIR/mask.nii.gz (ch2bet > 0) and
OUT_DIR/noisy<percent>.nii.gz (float32), e.g. noisy3.nii.gz, noisy9.nii.gz.
--crop keeps an 80 x 96 x 72 sub-volume across the brain edge (fast tests).
"""
import argparse
import os

import nibabel as nib
import numpy as np

CH2BET = "/usr/share/mricron/templates/ch2bet.nii.gz"

parser = argparse.ArgumentParser()
parser.add_argument("out_dir")
parser.add_argument("--crop", action="store_true")
parser.add_argument("--seed", type=int, default=1234)
parser.add_argument("--noise", type=float, nargs="+", default=[0.03, 0.09])
args = parser.parse_args()

img = nib.load(CH2BET)
if args.crop:
    img = img.slicer[10:90, 60:156, 80:152]  # includes the brain edge: ~60 % brain
data = np.asanyarray(img.dataobj).astype(np.float64)
full = np.asanyarray(nib.load(CH2BET).dataobj).astype(np.float64)
clean = data * (1000.0 / full.max())  # the scale of the whole volume, cropped or not


def save(array, name):
    out = nib.Nifti1Image(array.astype(np.float32), img.affine)
    out.header.set_xyzt_units("mm", "sec")
    nib.save(out, os.path.join(args.out_dir, name))


save(clean, "clean.nii.gz")
save((data > 0).astype(np.float32), "mask.nii.gz")
rng = np.random.default_rng(args.seed)
for fraction in args.noise:
    sigma = fraction * 1000.0
    n1 = rng.standard_normal(clean.shape)
    n2 = rng.standard_normal(clean.shape)
    save(np.sqrt((clean + sigma * n1) ** 2 + (sigma * n2) ** 2), f"noisy{round(fraction * 100)}.nii.gz")
