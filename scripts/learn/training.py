"""What every shipped model's training shares: the region loss, the resumable
checkpoint, and the TorchScript export (tumour and brain models)."""
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F


def region_loss(logits, targets):
    """Binary cross-entropy (soft targets) + batch soft Dice per region, as nnU-Net trains BraTS regions."""
    bce = F.binary_cross_entropy_with_logits(logits, targets)
    p = torch.sigmoid(logits)
    dims = (0, 2, 3, 4)
    dice = (2 * (p * targets).sum(dims) + 1e-5) / (p.sum(dims) + targets.sum(dims) + 1e-5)
    return bce + (1 - dice.mean())


def load_checkpoint(path, model, optimizer, rng):
    """Restores model, optimiser and both RNG states; returns (next iteration, loss log), (0, []) if none."""
    if not os.path.exists(path):
        return 0, []
    ckpt = torch.load(path)
    model.load_state_dict(ckpt["model"])
    optimizer.load_state_dict(ckpt["optimizer"])
    rng.bit_generator.state = ckpt["numpy_rng"]
    torch.set_rng_state(ckpt["torch_rng"])
    return ckpt["iteration"], ckpt["log"]


def save_checkpoint(path, model, optimizer, rng, iteration, log):
    """Written to a temporary file and renamed, so a killed run never leaves half a checkpoint."""
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "iteration": iteration,
                "numpy_rng": rng.bit_generator.state, "torch_rng": torch.get_rng_state(), "log": log},
               path + ".tmp")
    os.replace(path + ".tmp", path)


def export_traced(model, example_shape, out_path):
    """The network in eval mode, traced (no data-dependent control flow; also how a user exports nnU-Net or
    MedNeXt) and saved atomically."""
    model.eval()
    with torch.no_grad():
        traced = torch.jit.trace(model, torch.zeros(*example_shape))
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    traced.save(out_path + ".tmp")
    os.replace(out_path + ".tmp", out_path)


def add_fold_arguments(ap, iterations, patch_help):
    """The options every fold trainer takes (the data folder option is each script's own)."""
    ap.add_argument("--fold", type=int, required=True, help="0..folds-1, or -1: every subject (the shipped model)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--iterations", type=int, default=iterations)
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--patch", type=int, nargs=3, default=[48, 48, 48], help=patch_help)
    ap.add_argument("--base", type=int, default=8)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--checkpoint-every", type=int, default=25)
    ap.add_argument("--work", required=True, help="folder for checkpoints and the fold's log")
    ap.add_argument("--out-model", required=True, help="TorchScript file written when the fold finishes")


def fold_stream(a):
    """Caps torch's threads and seeds its stream for the fold; returns the fold's random stream number (fold -1,
    "all", gets its own)."""
    torch.set_num_threads(a.threads)
    stream = a.fold if a.fold >= 0 else a.folds
    torch.manual_seed(a.seed * 100 + stream)
    return stream


def write_fold_summary(work, summary):
    """The fold's record (training and held-out subjects, settings, final loss, wall time) as work/fold.json,
    also printed."""
    with open(os.path.join(work, "fold.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary), flush=True)


def stacked_batch(draw, n):
    """n samples of draw() (each an (x, y) pair of arrays), drawn in order, as two stacked tensors."""
    xs, ys = zip(*[draw() for _ in range(n)])
    return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ys))


def train_iterations(model, optimizer, rng, log, start, total, learning_rate, next_batch, checkpoint_path,
                     checkpoint_every, name):
    """Iterations start..total-1: the learning rate of learning_rate(it), one batch (x, y) of next_batch(it),
    the region loss, a line every 10 iterations, a checkpoint every checkpoint_every and at the end. The batch
    draws come from next_batch alone, so a resumed run draws what an uninterrupted one would."""
    model.train()
    t0 = time.time()
    for it in range(start, total):
        lr = learning_rate(it)
        for g in optimizer.param_groups:
            g["lr"] = lr
        x, y = next_batch(it)
        loss = region_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        log.append(float(loss))
        if (it + 1) % 10 == 0:
            print(f"{name} it {it + 1}/{total} loss {sum(log[-10:]) / len(log[-10:]):.4f} "
                  f"lr {lr:.2e} {time.time() - t0:.0f}s", flush=True)
        if (it + 1) % checkpoint_every == 0 or it + 1 == total:
            save_checkpoint(checkpoint_path, model, optimizer, rng, it + 1, log)
