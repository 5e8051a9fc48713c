"""Samples for the CNN probe (bench/quality_cnn_probe/run.sh): a clean volume is
augmented in numpy (resolution 1.3-3 mm, gamma/log/sigmoid contrast, bias
field, Rician noise, intensity scale; optionally a field-of-view box inside
the head), corrupted by `axon-motion simulate` with random motion (0-8 deg,
0-8 mm, 1-8 pose changes, ghosting in 25 %, 5 % still, random phase-encode
axis), and scikit-image's 3D SSIM map against the augmented clean volume is
kept as the per-voxel target. This augmentation is written independently of
axon's C++ one (quality/augmentation.cpp) on purpose: both models are then
scored on draws neither was tuned on.

Usage: make_samples.py AXON_MOTION VOLUMES(comma-separated) N FIRST_SEED OUTDIR [crop]
"""
import json, os, subprocess, sys
import nibabel as nib
import numpy as np
from scipy import ndimage
from skimage.metrics import structural_similarity

tool, volumes = sys.argv[1], sys.argv[2].split(",")
count, first_seed, outdir = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
crops = len(sys.argv) > 6 and sys.argv[6] == "crop"
os.makedirs(outdir, exist_ok=True)
cache = {}


def load(path):
    """The volume as float32 at no finer than 1 mm (ch2better is 0.5 mm)."""
    if path not in cache:
        image = nib.load(path)
        data = np.asarray(image.dataobj, dtype=np.float32)
        zooms = np.array(image.header.get_zooms()[:3], float)
        if zooms.min() < 1.0:
            data, zooms = ndimage.zoom(data, zooms, order=1), np.ones(3)
        cache[path] = (data, zooms)
    return cache[path]


def augment(data, zooms, rng):
    res = rng.uniform(1.3, 3.0)
    a = np.maximum(ndimage.zoom(data, zooms / res, order=1).astype(np.float32), 0)
    a /= np.percentile(a[a > 0], 99.5)
    kind = rng.integers(4)
    if kind == 1:
        a = a ** rng.uniform(0.5, 2.0)
    elif kind == 2:
        a = np.log1p(a * rng.uniform(1, 10))
    elif kind == 3:
        c, w = rng.uniform(0.3, 0.7), rng.uniform(0.05, 0.3)
        a = (1 / (1 + np.exp(-(a - c) / w)) - 1 / (1 + np.exp(c / w))) * (a > 0)
    g = np.meshgrid(*[np.linspace(-1, 1, m) for m in a.shape], indexing="ij")
    a = a * np.exp(sum(rng.uniform(-0.3, 0.3) * gi for gi in g) + rng.uniform(-0.2, 0.2) * g[0] * g[1])
    sigma = rng.uniform(0, 0.04) * np.percentile(a, 99)
    a = np.sqrt((a + rng.normal(0, sigma, a.shape)) ** 2 + rng.normal(0, sigma, a.shape) ** 2)
    a = (a * rng.uniform(50, 2000)).astype(np.float32)
    if crops and rng.uniform() < 0.5:
        inside = np.argwhere(a > np.percentile(a, 60))
        lo, hi = inside.min(0), inside.max(0)
        box = []
        for axis in range(3):
            width = max(int((hi[axis] - lo[axis]) * rng.uniform(0.35, 0.8)), 24)
            start = int(rng.integers(lo[axis], max(lo[axis] + 1, hi[axis] - width + 1)))
            box.append(slice(start, start + width))
        a = np.ascontiguousarray(a[tuple(box)])
    return a, res


for seed in range(first_seed, first_seed + count):
    if os.path.exists(f"{outdir}/s_{seed}.npz"):  # a re-run resumes
        continue
    rng = np.random.default_rng(seed)
    path = volumes[rng.integers(len(volumes))]
    clean, res = augment(*load(path), rng)
    clean_path, out = f"{outdir}/clean_{seed}.nii", f"{outdir}/corr_{seed}.nii.gz"
    nib.save(nib.Nifti1Image(clean, np.diag([res, res, res, 1.0])), clean_path)
    still = rng.uniform() < 0.05
    cmd = [tool, "simulate", clean_path, out, "--degrees", f"{0 if still else rng.uniform(0, 8):.4f}",
           "--translation", f"{0 if still else rng.uniform(0, 8):.4f}", "--num-transforms", str(int(rng.integers(1, 9))),
           "--axis", "xyz"[rng.integers(3)], "--seed", str(seed), "--threads", "1", "-q", "--force"]
    if rng.uniform() < 0.25:
        cmd.append("--ghosting")
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    corrupted = nib.load(out).get_fdata(dtype=np.float32)
    sidecar = json.load(open(out.replace(".nii.gz", ".json")))
    _, ssim_map = structural_similarity(clean, corrupted, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                        data_range=float(clean.max() - clean.min()), full=True)
    np.savez_compressed(f"{outdir}/s_{seed}.part.npz", corr=corrupted, smap=ssim_map.astype(np.float32), clean=clean,
                        vol=path, ssim3d=sidecar["SSIM"]["volume_3d"])
    os.replace(f"{outdir}/s_{seed}.part.npz", f"{outdir}/s_{seed}.npz")
    os.remove(clean_path)
