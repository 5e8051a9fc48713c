"""The tumour model's input preparation, in numpy, for training.

The same fixed sequence `axon-segment tumour` runs in C++ (docs/axon-segment.md,
"tumour"): brain mask = any modality non-zero, crop to its bounding box,
per-channel z-score inside the brain after clipping to the 0.5/99.5
percentiles, then a separable linear resampling to the working spacing whose
1 mm -> 2 mm case is the 2x2x2 block average. Training targets are the BraTS
regions (WT, TC, ET) resampled by the same function, so they are soft
(partial-volume fractions) at 2 mm.

Arrays here are (C, Z, Y, X), the networks' layout (card: tensor_layout NCZYX).
"""
import math

import nibabel as nib
import numpy as np

MODALITIES = ("t1", "t1ce", "t2", "flair")
REGIONS = (("WT", (1, 2, 4)), ("TC", (1, 4)), ("ET", (4,)))


def load_zyx(path):
    """A 3D NIfTI as float32 (Z, Y, X), its voxel spacing (x, y, z) and axis codes."""
    img = nib.load(path)
    data = np.asarray(img.dataobj, dtype=np.float32)
    return np.ascontiguousarray(data.transpose(2, 1, 0)), tuple(float(s) for s in img.header.get_zooms()[:3]), \
        "".join(nib.aff2axcodes(img.affine))


def bounding_box(mask):
    """Inclusive-exclusive slices of the mask's bounding box, per axis."""
    box = []
    for axis in range(mask.ndim):
        other = tuple(a for a in range(mask.ndim) if a != axis)
        hit = np.flatnonzero(mask.any(axis=other))
        box.append(slice(int(hit[0]), int(hit[-1]) + 1))
    return tuple(box)


def zscore_in_mask(channel, mask, clip=(0.5, 99.5)):
    values = channel[mask].astype(np.float64)
    if clip is not None:
        lo, hi = np.percentile(values, clip)
        values = np.clip(values, lo, hi)
    mean, std = values.mean(), values.std()
    out = np.zeros(channel.shape, np.float32)
    out[mask] = ((values - mean) / max(std, 1e-8)).astype(np.float32)
    return out


def resample_axis(array, axis, old_spacing, new_spacing):
    """Linear resampling along one axis: new voxel k samples old index (k + 0.5) * t / s - 0.5 (clamped)."""
    n = array.shape[axis]
    if new_spacing == 0 or abs(old_spacing - new_spacing) <= 1e-6 * new_spacing:
        return array
    n_new = max(1, math.ceil(n * old_spacing / new_spacing - 1e-6))
    u = np.clip((np.arange(n_new) + 0.5) * (new_spacing / old_spacing) - 0.5, 0, n - 1)
    i0 = np.floor(u).astype(np.int64)
    f = (u - i0).astype(np.float32)
    i1 = np.minimum(i0 + 1, n - 1)
    shape = [1] * array.ndim
    shape[axis] = n_new
    f = f.reshape(shape)
    return (1 - f) * np.take(array, i0, axis=axis) + f * np.take(array, i1, axis=axis)


def resample_zyx(volume, spacing_xyz, target_xyz):
    """Resample (..., Z, Y, X) from spacing (x, y, z) to target (x, y, z): x first, then y, then z."""
    out = volume
    for xyz_axis, array_axis in ((0, -1), (1, -2), (2, -3)):
        out = resample_axis(out, out.ndim + array_axis, spacing_xyz[xyz_axis], target_xyz[xyz_axis])
    return out.astype(np.float32)


def prepare_case(folder, case, target_xyz=(2.0, 2.0, 2.0), clip=(0.5, 99.5), with_labels=True):
    """Images (4, Z, Y, X) at the working spacing, soft targets (3, Z, Y, X), and the crop."""
    channels, spacing = [], None
    for m in MODALITIES:
        data, spacing, codes = load_zyx(f"{folder}/{case}/{case}_{m}.nii.gz")
        channels.append(data)
    stack = np.stack(channels)
    mask = (stack != 0).any(axis=0)
    box = bounding_box(mask)
    stack, mask = stack[(slice(None),) + box], mask[box]
    norm = np.stack([zscore_in_mask(c, mask, clip) for c in stack])
    images = resample_zyx(norm, spacing, target_xyz)
    targets = None
    if with_labels:
        seg, _, _ = load_zyx(f"{folder}/{case}/{case}_seg.nii.gz")
        seg = seg[box]
        regions = np.stack([np.isin(seg, labels).astype(np.float32) for _, labels in REGIONS])
        targets = resample_zyx(regions, spacing, target_xyz)
    return images, targets, {"box": [(s.start, s.stop) for s in box], "spacing": spacing, "axcodes": codes}
