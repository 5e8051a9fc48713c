#!/usr/bin/env python3
"""Independent reference of axon-segment tumour (steps 2-10), numpy + torch.

The nnU-Net way of running a network on the CPU, written again from the
rules in docs/axon-segment.md#tumour without looking at the C++ (nibabel for
orientation, numpy for crop / z-score / resampling, torch for the sliding
window, mirroring and the fold ensemble). ctest compares its probabilities
with the C++ tool's on a tiny random-weight model; bench/ times it as the
peer on a real BraTS case.

Usage:
  tumour_reference.py T1 T1CE T2 FLAIR CARD OUT_PROBABILITIES [--tta mirror|none]
                      [--out-labels L] [--out-uncertainty U] [--threads N]
OUT_PROBABILITIES: float32 4D on the input grid, one volume per card output
channel. Labels: step 10 only (no post-processing), brats labels of the card.
"""
import argparse
import itertools
import json
import math
import os
import sys
import time

import nibabel as nib
import numpy as np
import torch


def read_card(path):
    with open(path) as f:
        card = json.load(f)
    folder = os.path.dirname(os.path.abspath(path))
    card["model_paths"] = [os.path.join(folder, m) for m in card["models"]]
    return card


def resample_axis(a, axis, n_new, ratio):
    """Linear along one axis: new voxel k samples old index (k + 0.5) * ratio - 0.5."""
    n = a.shape[axis]
    u = np.clip((np.arange(n_new) + 0.5) * ratio - 0.5, 0, n - 1)
    i0 = np.floor(u).astype(np.int64)
    f = u - i0
    i1 = np.minimum(i0 + 1, n - 1)
    shape = [1] * a.ndim
    shape[axis] = n_new
    f = f.reshape(shape)
    return (1 - f) * np.take(a, i0, axis=axis) + f * np.take(a, i1, axis=axis)


def resampled(s, t):
    return t > 0 and abs(s - t) > 1e-6 * t


def window_starts(size, patch, overlap=0.5):
    target = patch * (1 - overlap)
    num = int(math.ceil((size - patch) / target)) + 1
    if num <= 1:
        return [0]
    step = (size - patch) / (num - 1)
    return [int(math.floor(step * i + 0.5)) for i in range(num)]


def gaussian(patch_zyx):
    g = []
    for p in patch_zyx:
        i = np.arange(p, dtype=np.float64)
        sigma = p / 8.0
        g.append(np.exp(-((i - (p - 1) / 2.0) ** 2) / (2 * sigma ** 2)))
    w = g[0][:, None, None] * g[1][None, :, None] * g[2][None, None, :]
    return (w / w.max()).astype(np.float32)


def sliding_window(nets, x, patch_zyx, kind, mirror_xyz, want_var):
    """x: (C, Z, Y, X) float32 -> probabilities (K, Z, Y, X), uncertainty (Z, Y, X)."""
    c, *size = x.shape
    pads = [max(0, p - s) for p, s in zip(patch_zyx, size)]
    before = [p // 2 for p in pads]
    xp = np.pad(x, [(0, 0)] + [(b, p - b) for b, p in zip(before, pads)])
    psize = xp.shape[1:]
    starts = [window_starts(s, p) for s, p in zip(psize, patch_zyx)]
    w = torch.from_numpy(gaussian(patch_zyx)).double()
    dims = {0: 4, 1: 3, 2: 2}  # x, y, z -> tensor dims of (N, C, Z, Y, X)
    flips = [()]
    for k in range(1, len(mirror_xyz) + 1):
        flips += [tuple(dims[a] for a in combo) for combo in itertools.combinations(mirror_xyz, k)]
    acc = wsum = accv = None
    xt = torch.from_numpy(xp)
    with torch.no_grad():
        for z0 in starts[0]:
            for y0 in starts[1]:
                for x0 in starts[2]:
                    patch = xt[None, :, z0:z0 + patch_zyx[0], y0:y0 + patch_zyx[1], x0:x0 + patch_zyx[2]]
                    outs = []
                    for net in nets:
                        for fl in flips:
                            inp = torch.flip(patch, fl) if fl else patch
                            y = net(inp)
                            if fl:
                                y = torch.flip(y, fl)
                            y = torch.sigmoid(y) if kind == "sigmoid_regions" else torch.softmax(y, 1)
                            outs.append(y[0].double())
                    stack = torch.stack(outs)
                    mean = stack.mean(0)
                    if acc is None:
                        k = mean.shape[0]
                        acc = torch.zeros((k,) + tuple(psize), dtype=torch.float64)
                        accv = torch.zeros_like(acc)
                        wsum = torch.zeros(tuple(psize), dtype=torch.float64)
                    sl = (slice(z0, z0 + patch_zyx[0]), slice(y0, y0 + patch_zyx[1]), slice(x0, x0 + patch_zyx[2]))
                    acc[(slice(None),) + sl] += w * mean
                    wsum[sl] += w
                    if want_var:
                        accv[(slice(None),) + sl] += w * stack.var(0, unbiased=False)
    crop = tuple(slice(b, b + s) for b, s in zip(before, size))
    prob = (acc / wsum)[(slice(None),) + crop].numpy()
    unc = torch.sqrt(accv / wsum).max(0).values[crop].numpy() if want_var else None
    return prob, unc


def run(paths, card, tta, want_uncertainty, timings):
    t = time.perf_counter()
    imgs = [nib.load(p) for p in paths]
    data = [np.asarray(i.get_fdata(dtype=np.float32), dtype=np.float64) for i in imgs]
    for p, d in zip(paths, data):
        if d.ndim != 3:
            raise SystemExit(f"{p}: not a 3D image")
    affine = imgs[0].affine
    shape = data[0].shape
    timings["read"] = time.perf_counter() - t
    t = time.perf_counter()
    x = np.stack(data)  # (C, i, j, k)
    mask = np.any(x != 0, axis=0)
    spacing = np.sqrt((affine[:3, :3] ** 2).sum(0))
    # 3: orientation, by nibabel's own rules.
    ornt = None
    codes = "".join(nib.aff2axcodes(affine))
    if card.get("orientation") and card["orientation"] != codes:
        ornt = nib.orientations.ornt_transform(nib.orientations.axcodes2ornt(codes),
                                               nib.orientations.axcodes2ornt(card["orientation"]))
        x = np.stack([nib.orientations.apply_orientation(c, ornt) for c in x])
        mask = nib.orientations.apply_orientation(mask, ornt).astype(bool)
        new_spacing = np.zeros(3)
        for i in range(3):
            new_spacing[int(ornt[i, 0])] = spacing[i]
        spacing = new_spacing
    full_shape = mask.shape
    # 4: crop.
    nz = np.nonzero(mask)
    lo = [int(a.min()) for a in nz]
    hi = [int(a.max()) + 1 for a in nz]
    box = tuple(slice(a, b) for a, b in zip(lo, hi))
    x = x[(slice(None),) + box].copy()
    m = mask[box]
    # 5: z-score.
    norm = card.get("normalization", {})
    clip = norm.get("clip_percentiles")
    for c in range(x.shape[0]):
        v = x[c][m]
        if clip:
            a, b = np.percentile(v, clip)
            v = np.clip(v, a, b)
        mean, std = v.mean(), v.std()
        out = np.zeros_like(x[c])
        out[m] = (v - mean) / max(std, 1e-8)
        x[c] = out
    # 6: resample.
    target = card["spacing_mm"]
    crop_shape = x.shape[1:]
    for axis in range(3):
        if resampled(spacing[axis], target[axis]):
            n = x.shape[axis + 1]
            n_new = max(1, int(math.ceil(n * spacing[axis] / target[axis] - 1e-6)))
            x = resample_axis(x, axis + 1, n_new, target[axis] / spacing[axis])
    timings["preprocess"] = time.perf_counter() - t
    t = time.perf_counter()
    # 7: sliding window on (C, Z, Y, X).
    nets = [torch.jit.load(p, map_location="cpu").eval() for p in card["model_paths"]]
    xs = np.ascontiguousarray(x.transpose(0, 3, 2, 1)).astype(np.float32)
    patch = card["patch_size"]
    kind = card["output"]["kind"]
    mirror = card.get("mirror_axes", []) if tta == "mirror" else []
    prob, unc = sliding_window(nets, xs, (patch[2], patch[1], patch[0]), kind, mirror, want_uncertainty)
    timings["inference"] = time.perf_counter() - t
    t = time.perf_counter()
    prob = prob.transpose(0, 3, 2, 1)  # (K, x, y, z)
    if unc is not None:
        unc = unc.transpose(2, 1, 0)[None]
    # 8: back to the crop's grid.
    for axis in range(3):
        if resampled(spacing[axis], target[axis]):
            ratio = spacing[axis] / target[axis]
            prob = resample_axis(prob, axis + 1, crop_shape[axis], ratio)
            if unc is not None:
                unc = resample_axis(unc, axis + 1, crop_shape[axis], ratio)
    # 9: paste.
    k = prob.shape[0]
    full = np.zeros((k,) + full_shape)
    if kind == "softmax":
        full[0] = 1
    full[(slice(None),) + box] = prob
    ufull = np.zeros(full_shape)
    if unc is not None:
        ufull[box] = unc[0]
    # 10: labels.
    channels = card["output"]["channels"]
    labels = np.zeros(full_shape, np.int32)
    if kind == "sigmoid_regions":
        names = [c["name"] for c in channels]
        for region, lab in card["output"]["paint_order"]:
            labels[full[names.index(region)] > 0.5] = lab
    else:
        labels = np.array([c["labels"][0] for c in channels], np.int32)[np.argmax(full, axis=0)]
    labels[~mask] = 0
    # Back to the input's axes.
    if ornt is not None:
        inv = nib.orientations.ornt_transform(nib.orientations.axcodes2ornt(card["orientation"]),
                                              nib.orientations.axcodes2ornt(codes))
        full = np.stack([nib.orientations.apply_orientation(c, inv) for c in full])
        labels = nib.orientations.apply_orientation(labels, inv)
        ufull = nib.orientations.apply_orientation(ufull, inv)
    assert full.shape[1:] == shape
    timings["postprocess"] = time.perf_counter() - t
    return imgs[0], full, labels, ufull


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("t1", "t1ce", "t2", "flair", "card", "out_probabilities"):
        ap.add_argument(name)
    ap.add_argument("--tta", choices=["mirror", "none"], default="mirror")
    ap.add_argument("--out-labels")
    ap.add_argument("--out-uncertainty")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (default: torch's choice)")
    ap.add_argument("--timings", help="write the stage timings (s) as JSON here")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    card = read_card(a.card)
    names = card["inputs"]
    given = {"t1": a.t1, "t1ce": a.t1ce, "t2": a.t2, "flair": a.flair}
    if sorted(names) != sorted(given):
        sys.exit(f"{a.card}: the card's inputs {names} are not t1, t1ce, t2, flair")
    timings = {}
    start = time.perf_counter()
    ref, prob, labels, unc = run([given[n] for n in names], card, a.tta, a.out_uncertainty is not None, timings)

    def save(array, path, dtype):
        img = nib.Nifti1Image(array.astype(dtype), ref.affine, ref.header)
        img.set_data_dtype(dtype)
        img.header["scl_slope"], img.header["scl_inter"] = 1, 0
        nib.save(img, path)

    save(np.moveaxis(prob, 0, -1), a.out_probabilities, np.float32)
    if a.out_labels:
        save(labels, a.out_labels, np.uint8)
    if a.out_uncertainty:
        save(unc, a.out_uncertainty, np.float32)
    timings["total"] = time.perf_counter() - start
    if a.timings:
        with open(a.timings, "w") as f:
            json.dump(timings, f, indent=1)


if __name__ == "__main__":
    main()
