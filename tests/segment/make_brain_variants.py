#!/usr/bin/python3
"""Brain-extraction inputs with known truth, made from Colin27 (ch2 with
skull, ch2bet > 0 as its brain mask): the plain pair and four harder
variants. Usage: make_brain_variants.py OUTDIR [--voxel MM] [--seed S]

  plain    ch2 and ch2bet > 0
  bias     ch2 times a smooth multiplicative field (0.55 to 1.55 over the head)
  noise    Rician noise, sigma = 5 % of the white-matter intensity
  rotated  rotated 15 degrees (about an oblique axis through the centre),
           linear interpolation; truth: the mask rotated the same way (> 0.5)
  aniso    1 x 1 x 3 mm voxels (three slices averaged); truth: the mask
           averaged the same way (> 0.5)

--voxel 2 first takes every second ch2 voxel (exact affine) for fast tests.
Each case is OUTDIR/CASE_t1.nii.gz and OUTDIR/CASE_truth.nii.gz (uint8)."""
import argparse
import nibabel as nib
import numpy as np
from scipy import ndimage as ndi

T = "/usr/share/mricron/templates"
p = argparse.ArgumentParser()
p.add_argument("outdir")
p.add_argument("--voxel", type=int, default=1)
p.add_argument("--seed", type=int, default=3)
p.add_argument("--cases", default="plain,bias,noise,rotated,aniso")
args = p.parse_args()
rng = np.random.default_rng(args.seed)

img = nib.load(f"{T}/ch2.nii.gz")
t1 = np.asarray(img.dataobj).astype(np.float32)
truth = np.asarray(nib.load(f"{T}/ch2bet.nii.gz").dataobj) > 0
affine = img.affine.copy()
s = args.voxel
if s > 1:
    t1, truth = t1[::s, ::s, ::s], truth[::s, ::s, ::s]
    affine[:3, :3] *= s
shape = np.array(t1.shape)

def save(case, image, mask, aff=affine):
    hdr = nib.Nifti1Header(); hdr.set_xyzt_units("mm")
    nib.save(nib.Nifti1Image(image.astype(np.float32), aff, hdr), f"{args.outdir}/{case}_t1.nii.gz")
    nib.save(nib.Nifti1Image(mask.astype(np.uint8), aff, hdr), f"{args.outdir}/{case}_truth.nii.gz")

wm = float(np.median(t1[truth & (t1 > np.percentile(t1[truth], 60))]))
cases = args.cases.split(",")
if "plain" in cases:
    save("plain", t1, truth)
if "bias" in cases:
    # A smooth field from two broad Gaussians and a linear ramp, in mm.
    g = np.meshgrid(*[np.linspace(-1, 1, n) for n in shape], indexing="ij")
    log_field = 0.35 * g[0] - 0.25 * g[2] + 0.3 * np.exp(-((g[0] - 0.4) ** 2 + (g[1] + 0.3) ** 2 + g[2] ** 2) / 0.4) \
        - 0.25 * np.exp(-((g[0] + 0.5) ** 2 + (g[1] - 0.5) ** 2 + (g[2] - 0.3) ** 2) / 0.3)
    field = np.exp(log_field)
    field *= 1.0 / np.exp(np.mean(log_field[truth]))
    save("bias", t1 * field, truth)
if "noise" in cases:
    sigma = 0.05 * wm
    n1, n2 = rng.standard_normal(t1.shape), rng.standard_normal(t1.shape)
    save("noise", np.sqrt((t1 + sigma * n1) ** 2 + (sigma * n2) ** 2), truth)
if "rotated" in cases:
    axis = np.array([1.0, 0.6, 0.3]); axis /= np.linalg.norm(axis)
    a = np.deg2rad(15.0)
    K = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    R = np.eye(3) + np.sin(a) * K + (1 - np.cos(a)) * K @ K  # Rodrigues
    c = (shape - 1) / 2.0  # rotate about the grid centre, in voxel units (isotropic grid)
    out_t1 = ndi.affine_transform(t1, R, offset=c - R @ c, order=1)
    out_mask = ndi.affine_transform(truth.astype(np.float32), R, offset=c - R @ c, order=1) > 0.5
    save("rotated", out_t1, out_mask)
if "aniso" in cases:
    nz = shape[2] // 3
    t = t1[:, :, :3 * nz].reshape(shape[0], shape[1], nz, 3).mean(axis=3)
    m = truth[:, :, :3 * nz].reshape(shape[0], shape[1], nz, 3).mean(axis=3) > 0.5
    aff = affine.copy()
    aff[:3, 2] *= 3
    aff[:3, 3] = affine[:3, 3] + affine[:3, 2]  # the centre of the first three-slice block
    save("aniso", t, m, aff)
