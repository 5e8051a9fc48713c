"""Trains one cross-validation fold of the shipped tumour model (see ../train_tumour_model).

Deterministic for a given seed: every random draw comes from generators seeded
from (seed, fold), and training runs on a fixed number of CPU threads.
Checkpoints every --checkpoint-every iterations (model, optimiser and RNG
states) so that a killed run resumes where it stopped with the same result.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "learn"))
from training import export_traced, load_checkpoint, stacked_batch, train_iterations, write_fold_summary  # noqa: E402
from unet3d import UNet3D  # noqa: E402


def folds_by_case(cases, n_folds, seed):
    """Case -> fold. Low-grade cases (TCIA10_*, often without enhancing tumour) are spread over folds first."""
    rng = np.random.default_rng(seed)
    lgg = [c for c in cases if "_TCIA10_" in c]
    hgg = [c for c in cases if c not in lgg]
    order = list(rng.permutation(lgg)) + list(rng.permutation(hgg))
    return {c: i % n_folds for i, c in enumerate(order)}


def random_patch(images, targets, patch, rng, foreground_fraction):
    """A patch (C, pz, py, px); with probability foreground_fraction centred on a random tumour voxel."""
    pad = [max(0, p - s) for p, s in zip(patch, images.shape[1:])]
    if any(pad):
        widths = [(0, 0)] + [(q // 2, q - q // 2) for q in pad]
        images, targets = np.pad(images, widths), np.pad(targets, widths)
    shape = images.shape[1:]
    if rng.random() < foreground_fraction and (targets[0] > 0.5).any():
        fg = np.argwhere(targets[0] > 0.5)
        centre = fg[rng.integers(len(fg))]
        start = [int(np.clip(c - p // 2, 0, s - p)) for c, p, s in zip(centre, patch, shape)]
    else:
        start = [int(rng.integers(0, s - p + 1)) for p, s in zip(patch, shape)]
    box = tuple(slice(a, a + p) for a, p in zip(start, patch))
    return images[(slice(None),) + box], targets[(slice(None),) + box]


def augment(images, targets, rng):
    """Mirroring on each axis (the test-time mirrors), per-channel intensity scale and shift."""
    for axis in (1, 2, 3):
        if rng.random() < 0.5:
            images, targets = np.flip(images, axis), np.flip(targets, axis)
    scale = rng.normal(1.0, 0.1, size=(images.shape[0], 1, 1, 1)).astype(np.float32)
    shift = rng.normal(0.0, 0.1, size=(images.shape[0], 1, 1, 1)).astype(np.float32)
    brain = images != 0
    images = np.where(brain, images * scale + shift, 0).astype(np.float32)
    return np.ascontiguousarray(images), np.ascontiguousarray(targets)


def augment_gamma(images, rng, probability=0.3, low=0.7, high=1.5):
    """nnU-Net's gamma augmentation per channel, inside the brain: rescale to [0, 1], raise to a random gamma,
    rescale back. It bends each contrast's intensity curve, which mirroring and scale/shift cannot, and is
    what other sites' contrasts (BraTS's 2013 cases) differ by."""
    for c in range(images.shape[0]):
        brain = images[c] != 0
        if rng.random() >= probability or not brain.any():
            continue
        values = images[c][brain]
        lo, hi = float(values.min()), float(values.max())
        if hi <= lo:
            continue
        gamma = float(rng.uniform(low, 1.0)) if rng.random() < 0.5 else float(rng.uniform(1.0, high))
        images[c][brain] = ((values - lo) / (hi - lo)) ** gamma * (hi - lo) + lo
    return images


def learning_rate(it, a):
    """nnU-Net's polynomial decay over stage 1, then a warm restart (SGDR-style) for each later stage."""
    if it < a.iterations:
        return a.lr * (1 - it / a.iterations) ** 0.9
    it -= a.iterations
    if it < a.stage2_iterations:
        return a.stage2_lr * (1 - it / a.stage2_iterations) ** 0.9
    return a.stage3_lr * (1 - (it - a.stage2_iterations) / a.stage3_iterations) ** 0.9


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--prepared", required=True, help="folder of <case>.npz from prepare.py")
    ap.add_argument("--fold", type=int, required=True)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--iterations", type=int, default=300)
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--patch", type=int, nargs=3, default=[48, 48, 48], help="z y x at the working spacing")
    ap.add_argument("--base", type=int, default=8)
    ap.add_argument("--norm", choices=["batch", "instance"], default="batch")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--stage2-iterations", type=int, default=0,
                    help="iterations after a warm restart of the learning rate (0: none)")
    ap.add_argument("--stage2-lr", type=float, default=2e-3)
    ap.add_argument("--stage2-gamma", action="store_true", help="gamma augmentation from stage 2 on")
    ap.add_argument("--stage3-iterations", type=int, default=0,
                    help="iterations after a second warm restart (0: none)")
    ap.add_argument("--stage3-lr", type=float, default=1e-3)
    ap.add_argument("--foreground-fraction", type=float, default=0.33)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--checkpoint-every", type=int, default=25)
    ap.add_argument("--work", required=True, help="folder for checkpoints and the fold's log")
    ap.add_argument("--out-model", required=True, help="TorchScript file written when the fold finishes")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed * 100 + a.fold)
    cases = sorted(f[:-4] for f in os.listdir(a.prepared) if f.endswith(".npz"))
    fold_of = folds_by_case(cases, a.folds, a.seed)
    train_cases = [c for c in cases if fold_of[c] != a.fold]
    held_out = [c for c in cases if fold_of[c] == a.fold]
    data = {c: np.load(os.path.join(a.prepared, c + ".npz")) for c in train_cases}
    data = {c: (d["images"], d["targets"]) for c, d in data.items()}

    model = UNet3D(base=a.base, norm=a.norm)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-4)
    rng = np.random.default_rng([a.seed, a.fold])
    os.makedirs(a.work, exist_ok=True)
    ckpt_path = os.path.join(a.work, "checkpoint.pt")
    start, log = load_checkpoint(ckpt_path, model, opt, rng)
    if start:
        print(f"fold {a.fold}: resuming at iteration {start}", flush=True)

    t0 = time.time()
    total = a.iterations + a.stage2_iterations + a.stage3_iterations

    def sample(it):
        images, targets = data[train_cases[int(rng.integers(len(train_cases)))]]
        x, y = augment(*random_patch(images, targets, a.patch, rng, a.foreground_fraction), rng)
        if it >= a.iterations and a.stage2_gamma:
            x = augment_gamma(x, rng)
        return x, y

    def next_batch(it):
        return stacked_batch(lambda: sample(it), a.batch)

    train_iterations(model, opt, rng, log, start, total, lambda it: learning_rate(it, a), next_batch, ckpt_path,
                     a.checkpoint_every, f"fold {a.fold}")

    # Traced, not scripted: the network has no data-dependent control flow.
    export_traced(model, (1, 4, *a.patch), a.out_model)
    summary = {"fold": a.fold, "train_cases": train_cases, "held_out_cases": held_out, "iterations": a.iterations,
               "stage2_iterations": a.stage2_iterations, "stage2_lr": a.stage2_lr, "stage2_gamma": a.stage2_gamma,
               "stage3_iterations": a.stage3_iterations, "stage3_lr": a.stage3_lr,
               "final_loss_mean_last_25": float(np.mean(log[-25:])), "seconds_this_run": time.time() - t0}
    write_fold_summary(a.work, summary)


if __name__ == "__main__":
    main()
