"""Trains one cross-validation fold of the learned tissue model (see ../train_tissue_model).

Data: the 10 IBSR v2.0 scans of ../shared/data/ibsr18 with MANUAL labels
(1 CSF, 2 GM, 3 WM; IBSR's convention: sulcal CSF is grey matter, CSF is the
ventricles). The network predicts two nested regions as sigmoids at 1 mm:
"parenchyma" (GM + WM, label >= 2) and "wm" (label 3); inside the brain mask a
voxel in neither is CSF. Folds are by subject (5 folds of 2 scans).

Input preparation is the one `axon-segment tissue --method learned` runs: the
T1 zeroed outside the brain mask, "range-nonzero" normalisation on the native
grid (../brain_model/preprocess.py), then linear resampling to 1 mm. The
masks a user brings differ from IBSR's manual brain, so training draws the
mask as the manual brain (p 0.5), IBSR's own skull strip (the scan's non-zero
voxels, p 0.25) or the manual brain dilated 2 voxels inside it (p 0.25).
Augmentation: rotation and scaling, left-right mirroring, gamma, smooth
multiplicative bias, noise, thick slices, intensity scale and shift.

Deterministic for a given seed: every random draw comes from generators seeded
from (seed, fold), and training runs on a fixed number of CPU threads.
Checkpoints every --checkpoint-every iterations so that a killed run resumes
with the same result.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
from scipy import ndimage

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "brain_model"))
sys.path.insert(0, os.path.join(here, "..", "learn"))
import preprocess  # noqa: E402
from augment import folds_by_subject, rotated_patch  # noqa: E402
from training import (add_fold_arguments, export_traced, fold_stream, load_checkpoint,  # noqa: E402
                      stacked_batch, train_iterations, write_fold_summary)
from unet3d import UNet3D  # noqa: E402

WORKING_MM = 1.0


def subjects_of(ibsr):
    return sorted(f[:-len("_seg.nii.gz")] for f in os.listdir(ibsr) if f.endswith("_seg.nii.gz"))


def to_working_grid(volume, spacing_xyz):
    """Linear resampling of a (Z, Y, X) volume to WORKING_MM (as the C++ runtime resamples the input)."""
    zoom = [spacing_xyz[2] / WORKING_MM, spacing_xyz[1] / WORKING_MM, spacing_xyz[0] / WORKING_MM]
    return ndimage.zoom(volume, zoom, order=1, mode="nearest", grid_mode=True)


def load_subject(ibsr, subject):
    """Raw T1 and labels (Z, Y, X) in RAS on the native grid, with the spacing (x, y, z)."""
    t1, spacing = preprocess.load_zyx(os.path.join(ibsr, subject + ".nii.gz"))
    labels, _ = preprocess.load_zyx(os.path.join(ibsr, subject + "_seg.nii.gz"))
    return t1, np.rint(labels).astype(np.int16), spacing


def prepared(t1, labels, spacing):
    """A scan on the working grid, cropped to its non-zero voxels: the T1 under each of the three brain masks
    training draws from, masked and normalised, and the two nested region targets (soft, from linear
    resampling of the binary regions). Computed once per scan: a draw costs about a second."""
    brain = labels > 0
    head = t1 != 0
    masks = [brain, head, ndimage.binary_dilation(brain, iterations=2) & head | brain]
    box = tuple(slice(i.min(), i.max() + 1) for i in np.nonzero(head | brain))
    images = [to_working_grid(preprocess.normalize_range_nonzero(np.where(m, t1, 0))[box], spacing) for m in masks]
    targets = [to_working_grid((t[box]).astype(np.float32), spacing) for t in (labels >= 2, labels == 3)]
    return [i.astype(np.float32) for i in images], np.stack(targets).astype(np.float32)


def random_patch(image, targets, patch, rng):
    """A patch, rotated and scaled (0.9-1.1); 90 % centred in the mask."""
    return rotated_patch(image, targets, patch, rng, np.argwhere(image > 0), 0.9, (0.9, 1.1))


def intensity_augment(x, rng):
    """Contrast and acquisition changes on the normalised [0, 1] patch, zero (outside the mask) kept zero."""
    inside = x > 0
    if rng.random() < 0.3:  # gamma (nnU-Net's), bends the contrast curve
        gamma = rng.uniform(0.7, 1.0) if rng.random() < 0.5 else rng.uniform(1.0, 1.5)
        x = np.clip(x, 0, None) ** gamma
    if rng.random() < 0.3:  # smooth multiplicative bias: exp of a random linear + quadratic field
        axes = np.meshgrid(*[np.linspace(-1, 1, s) for s in x.shape], indexing="ij")
        x = x * np.exp(sum(rng.normal(0, 0.1) * a + rng.normal(0, 0.05) * a * a for a in axes))
    if rng.random() < 0.15:  # lower resolution along one axis (thick slices), back to the grid
        axis = int(rng.integers(3))
        zoom = [1.0] * 3
        zoom[axis] = 1 / rng.uniform(1.3, 2.0)
        small = ndimage.zoom(x, zoom, order=1)
        x = ndimage.zoom(small, np.array(x.shape) / np.array(small.shape), order=1)[:x.shape[0], :x.shape[1],
                                                                            :x.shape[2]]
    if rng.random() < 0.3:  # scanner noise
        x = x + rng.normal(0, rng.uniform(0.01, 0.04), x.shape)
    x = x * rng.normal(1.0, 0.1) + rng.normal(0.0, 0.03)
    return np.where(inside, x, 0).astype(np.float32)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ibsr", required=True, help="the shared IBSR folder (IBSR_NN.nii.gz, IBSR_NN_seg.nii.gz)")
    add_fold_arguments(ap, iterations=1000, patch_help="z y x at 1 mm")
    a = ap.parse_args()

    stream = fold_stream(a)
    subjects = subjects_of(a.ibsr)
    fold_of = folds_by_subject(subjects, a.folds, a.seed)
    train_subjects = [s for s in subjects if fold_of[s] != a.fold]
    held_out = [s for s in subjects if fold_of[s] == a.fold]
    data = {s: prepared(*load_subject(a.ibsr, s)) for s in train_subjects}

    model = UNet3D(in_channels=1, out_channels=2, base=a.base, norm="batch")
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-4)
    rng = np.random.default_rng([a.seed, stream])
    os.makedirs(a.work, exist_ok=True)
    ckpt_path = os.path.join(a.work, "checkpoint.pt")
    start, log = load_checkpoint(ckpt_path, model, opt, rng)
    if start:
        print(f"fold {a.fold}: resuming at iteration {start}", flush=True)
    t0 = time.time()

    def sample():
        images, targets = data[train_subjects[int(rng.integers(len(train_subjects)))]]
        pick = rng.random()
        x, y = random_patch(images[0 if pick < 0.5 else 1 if pick < 0.75 else 2], targets, a.patch, rng)
        if rng.random() < 0.5:  # left-right mirroring (the test-time mirror); RAS x is the last axis
            x, y = x[:, :, ::-1], y[:, :, :, ::-1]
        return intensity_augment(np.ascontiguousarray(x), rng)[None], np.ascontiguousarray(y)

    def next_batch(it):
        return stacked_batch(sample, a.batch)

    train_iterations(model, opt, rng, log, start, a.iterations,
                 lambda it: a.lr * (1 - it / a.iterations) ** 0.9, next_batch,
                 ckpt_path, a.checkpoint_every, f"fold {a.fold}")

    export_traced(model, (1, 1, *a.patch), a.out_model)
    summary = {"fold": a.fold, "seed": a.seed, "train_subjects": train_subjects, "held_out_subjects": held_out,
           "iterations": a.iterations, "batch": a.batch, "patch": a.patch, "base": a.base, "lr": a.lr,
           "working_spacing_mm": WORKING_MM,
           "final_loss_mean_last_25": float(np.mean(log[-25:])), "seconds_this_run": time.time() - t0}
    write_fold_summary(a.work, summary)


if __name__ == "__main__":
    main()
