"""Trains one cross-validation fold of the shipped brain-extraction model (see ../train_brain_model).

Data: the shared IXI heads (T1 with skull, neck and face, 2 mm) with their
DLMUSE parcellations as silver-standard targets, two nested regions:
"intracranial" (label > 0: brain tissue, ventricles and the CSF around the
brain) and "tissue" (label > 1: without the CSF around the brain). Folds are by
subject. Augmentation stands in for the scanners, heads and fields of view the
30 heads do not cover: rotation and scaling, left-right mirroring, gamma,
smooth multiplicative bias, noise, lower resolution along one axis, a field of
view cut above the neck, and skull-stripped inputs (zero outside a dilated
silver mask).

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
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, "..", "learn"))
import preprocess  # noqa: E402
from augment import folds_by_subject, rotated_patch  # noqa: E402
from training import (add_fold_arguments, export_traced, fold_stream, load_checkpoint,  # noqa: E402
                      stacked_batch, train_iterations, write_fold_summary)
from unet3d import UNet3D  # noqa: E402


def subjects_of(ixi):
    return sorted(f[:-len("_T1.nii.gz")] for f in os.listdir(os.path.join(ixi, "t1")) if f.endswith("_T1.nii.gz"))


def load_subject(ixi, subject):
    """Raw T1 (Z, Y, X) in RAS and the two nested silver targets (2, Z, Y, X)."""
    t1, _ = preprocess.load_zyx(os.path.join(ixi, "t1", subject + "_T1.nii.gz"))
    labels, _ = preprocess.load_zyx(os.path.join(ixi, "dlmuse", subject + "_T1_DLMUSE.nii.gz"))
    targets = np.stack([labels > 0, labels > 1]).astype(np.float32)
    return t1, targets


def whole_volume_augment(t1, targets, rng):
    """Changes that alter the normalisation's statistics, so they come before it: skull stripping and a field
    of view cut above the neck (both: zeros where the scanner or a tool left none)."""
    t1 = t1.copy()
    if rng.random() < 0.15:
        keep = ndimage.binary_dilation(targets[0] > 0.5, iterations=int(rng.integers(0, 3))) \
            if rng.random() < 0.7 else targets[0] > 0.5
        t1[~keep] = 0
    elif rng.random() < 0.2:
        brain_z = np.flatnonzero((targets[0] > 0.5).any(axis=(1, 2)))
        cut = int(rng.integers(0, max(1, brain_z[0] + 1)))  # anywhere below the lowest brain slice
        t1[:cut] = 0
    return t1


def random_patch(image, targets, patch, rng):
    """A patch of the normalised image and targets, rotated and scaled (0.85-1.15); 80 % centred in the brain."""
    return rotated_patch(image, targets, patch, rng, np.argwhere(targets[0] > 0.5), 0.8, (0.85, 1.15))


def intensity_augment(x, rng):
    """Contrast and acquisition changes on the normalised [0, 1] patch."""
    head = x > 0
    if rng.random() < 0.3:  # gamma (nnU-Net's), bends the contrast curve
        gamma = rng.uniform(0.7, 1.0) if rng.random() < 0.5 else rng.uniform(1.0, 1.5)
        x = np.where(head, np.clip(x, 0, None) ** gamma, 0)
    if rng.random() < 0.3:  # smooth multiplicative bias: exp of a random linear + quadratic field
        axes = np.meshgrid(*[np.linspace(-1, 1, s) for s in x.shape], indexing="ij")
        field = sum(rng.normal(0, 0.15) * a + rng.normal(0, 0.1) * a * a for a in axes)
        x = x * np.exp(field)
    if rng.random() < 0.2:  # lower resolution along one axis (thick slices), back to the grid
        axis = int(rng.integers(3))
        factor = rng.uniform(1.5, 3.0)
        zoom = [1.0] * 3
        zoom[axis] = 1 / factor
        small = ndimage.zoom(x, zoom, order=1)
        x = ndimage.zoom(small, np.array(x.shape) / np.array(small.shape), order=1)[:x.shape[0], :x.shape[1],
                                                                                    :x.shape[2]]
    if rng.random() < 0.3:  # scanner noise
        x = x + rng.normal(0, rng.uniform(0.01, 0.06), x.shape)
    x = x * rng.normal(1.0, 0.1) + rng.normal(0.0, 0.05)
    return x.astype(np.float32)


def learning_rate(it, a):
    return a.lr * (1 - it / a.iterations) ** 0.9


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ixi", required=True, help="the shared IXI folder (t1/, dlmuse/)")
    add_fold_arguments(ap, iterations=700, patch_help="z y x at 2 mm")
    a = ap.parse_args()

    stream = fold_stream(a)
    subjects = subjects_of(a.ixi)
    fold_of = folds_by_subject(subjects, a.folds, a.seed)
    # Fold -1 trains on every subject: the shipped model, whose accuracy the five folds' out-of-fold figures
    # estimate (nnU-Net's "all" fold).
    train_subjects = [s for s in subjects if fold_of[s] != a.fold]
    held_out = [s for s in subjects if fold_of[s] == a.fold]
    data = {s: load_subject(a.ixi, s) for s in train_subjects}

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
        t1, targets = data[train_subjects[int(rng.integers(len(train_subjects)))]]
        image = preprocess.normalize_range_nonzero(whole_volume_augment(t1, targets, rng))
        x, y = random_patch(image, targets, a.patch, rng)
        if rng.random() < 0.5:  # left-right mirroring (the test-time mirror); RAS x is the last axis
            x, y = x[:, :, ::-1], y[:, :, :, ::-1]
        return intensity_augment(np.ascontiguousarray(x), rng)[None], np.ascontiguousarray(y)

    def next_batch(it):
        return stacked_batch(sample, a.batch)

    train_iterations(model, opt, rng, log, start, a.iterations, lambda it: learning_rate(it, a), next_batch,
                     ckpt_path, a.checkpoint_every, f"fold {a.fold}")

    export_traced(model, (1, 1, *a.patch), a.out_model)
    summary = {"fold": a.fold, "seed": a.seed, "train_subjects": train_subjects, "held_out_subjects": held_out,
               "iterations": a.iterations, "batch": a.batch, "patch": a.patch, "base": a.base, "lr": a.lr,
               "final_loss_mean_last_25": float(np.mean(log[-25:])), "seconds_this_run": time.time() - t0}
    write_fold_summary(a.work, summary)


if __name__ == "__main__":
    main()
