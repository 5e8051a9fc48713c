#!/usr/bin/env python3
"""Independent reference for lib/axon/learn/sliding_window (SPEC step 7).

Writes into OUT:
  member0.pt, member1.pt, ...  tiny random-weight 3D conv nets (TorchScript;
                               member 0 scripted, the others traced, as users
                               export nnU-Net/MedNeXt networks)
  card.json                    an axon model card naming them
  input.bin                    the input volume, float32 (C, Z, Y, X), C order
and, unless --no-reference:
  prob.bin                     probabilities (channels_out, Z, Y, X), float32
  unc.bin                      uncertainty (1, Z, Y, X), float32

The sliding window here is written from the spec with numpy, one network call
per mirroring (batch 1), never sharing code with the C++ side: padding,
nnU-Net window starts, the closed-form Gaussian map, itertools-order
mirrorings, member x mirror averaging, population variance -> uncertainty.
"""
import argparse
import itertools
import json
import math
import os

import numpy as np
import torch


class Net(torch.nn.Module):
    def __init__(self, cin, cout, width):
        super().__init__()
        self.conv1 = torch.nn.Conv3d(cin, width, 3, padding=1)
        self.conv2 = torch.nn.Conv3d(width, width, 3, padding=1)
        self.conv3 = torch.nn.Conv3d(width, cout, 1)

    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = torch.relu(self.conv2(x))
        return self.conv3(x)


def make_member(seed, cin, cout, width, patch_zyx, scripted):
    torch.manual_seed(seed)
    net = Net(cin, cout, width).eval()
    with torch.no_grad():
        # Logits of order 1-10, so that probabilities spread over (0, 1) and a
        # misplaced window or mirror shows up well above the tolerance.
        net.conv3.weight.mul_(20.0)
    if scripted:
        return torch.jit.script(net)
    return torch.jit.trace(net, torch.zeros((1, cin) + tuple(patch_zyx)))


def window_starts(size, patch, overlap=0.5):
    if size <= patch:
        return [0]
    target = patch * (1 - overlap)
    num = int(math.ceil((size - patch) / target)) + 1
    step = (size - patch) / (num - 1)
    return [int(math.floor(step * i + 0.5)) for i in range(num)]  # half away from zero (x >= 0)


def gaussian(patch_zyx):
    axes = []
    for p in patch_zyx:
        i = np.arange(p, dtype=np.float64)
        axes.append(np.exp(-((i - (p - 1) / 2.0) ** 2) / (2 * (p / 8.0) ** 2)))
    w = axes[0][:, None, None] * axes[1][None, :, None] * axes[2][None, None, :]
    return (w / w.max()).astype(np.float32)


def sliding_window(models, volume, patch_zyx, mirror_axes_xyz, kind):
    c, size = volume.shape[0], volume.shape[1:]
    padded_size = [max(s, p) for s, p in zip(size, patch_zyx)]
    before = [(ps - s) // 2 for ps, s in zip(padded_size, size)]
    padded = np.zeros((c,) + tuple(padded_size), np.float32)
    padded[:, before[0]:before[0] + size[0], before[1]:before[1] + size[1], before[2]:before[2] + size[2]] = volume
    # NCZYX: x is tensor dim 4, y dim 3, z dim 2.
    dim_of_axis = {0: 4, 1: 3, 2: 2}
    flips = [()]
    for k in range(1, len(mirror_axes_xyz) + 1):
        flips += [tuple(dim_of_axis[a] for a in combo) for combo in itertools.combinations(mirror_axes_xyz, k)]
    w = gaussian(patch_zyx).astype(np.float64)
    acc = acc_var = wsum = None
    pz, py, px = patch_zyx
    for z in window_starts(padded_size[0], pz):
        for y in window_starts(padded_size[1], py):
            for x in window_starts(padded_size[2], px):
                patch = torch.from_numpy(np.ascontiguousarray(padded[:, z:z + pz, y:y + py, x:x + px]))[None]
                samples = []
                with torch.no_grad():
                    for model in models:
                        for dims in flips:
                            inp = torch.flip(patch, dims) if dims else patch
                            out = model(inp)
                            out = torch.flip(out, dims) if dims else out
                            prob = torch.sigmoid(out) if kind == "sigmoid_regions" else torch.softmax(out, dim=1)
                            samples.append(prob[0].numpy().astype(np.float64))
                samples = np.stack(samples)
                if acc is None:
                    cout = samples.shape[1]
                    acc = np.zeros((cout,) + tuple(padded_size))
                    acc_var = np.zeros_like(acc)
                    wsum = np.zeros(tuple(padded_size))
                region = (slice(z, z + pz), slice(y, y + py), slice(x, x + px))
                acc[(slice(None),) + region] += w * samples.mean(axis=0)
                acc_var[(slice(None),) + region] += w * samples.var(axis=0)
                wsum[region] += w
    crop = (slice(None),) + tuple(slice(b, b + s) for b, s in zip(before, size))
    prob = (acc / wsum)[crop]
    unc = np.sqrt(acc_var / wsum).max(axis=0, keepdims=True)[crop]
    return prob.astype(np.float32), unc.astype(np.float32)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--kind", choices=["sigmoid_regions", "softmax"], default="sigmoid_regions")
    ap.add_argument("--shape", type=int, nargs=4, required=True, metavar=("C", "Z", "Y", "X"))
    ap.add_argument("--patch", type=int, nargs=3, required=True, metavar=("PZ", "PY", "PX"))
    ap.add_argument("--mirror", type=int, nargs="*", default=[0, 1, 2], help="axes, 0 = x, 1 = y, 2 = z")
    ap.add_argument("--members", type=int, default=2)
    ap.add_argument("--channels-out", type=int, default=3)
    ap.add_argument("--width", type=int, default=8)
    ap.add_argument("--no-reference", action="store_true", help="only the models, card and input")
    a = ap.parse_args()
    torch.set_num_threads(1)

    cin = a.shape[0]
    models = []
    for m in range(a.members):
        model = make_member(1000 + m, cin, a.channels_out, a.width, a.patch, scripted=(m == 0))
        model.save(os.path.join(a.out, "member%d.pt" % m))
        models.append(model)

    rng = np.random.default_rng(7)
    volume = rng.standard_normal(tuple(a.shape)).astype(np.float32)
    volume.tofile(os.path.join(a.out, "input.bin"))

    names = ["WT", "TC", "ET", "C3", "C4", "C5"][:a.channels_out]
    card = {
        "format": "axon-model-card", "format_version": 1, "name": "reference-test",
        "description": "random weights, for tests only",
        "inputs": ["in%d" % i for i in range(cin)],
        "normalization": {"kind": "zscore-nonzero", "clip_percentiles": None},
        "spacing_mm": [0, 0, 0], "orientation": "",
        "patch_size": [a.patch[2], a.patch[1], a.patch[0]],
        "mirror_axes": a.mirror, "tensor_layout": "NCZYX",
        "output": {"kind": a.kind,
                   "channels": [{"name": n, "labels": [i + 1]} for i, n in enumerate(names)]},
        "label_convention": "none",
        "models": ["member%d.pt" % m for m in range(a.members)],
        "licence": "CC0",
    }
    if a.kind == "sigmoid_regions":
        card["output"]["paint_order"] = [[n, i + 1] for i, n in enumerate(names)]
    with open(os.path.join(a.out, "card.json"), "w") as f:
        json.dump(card, f, indent=2)

    if not a.no_reference:
        prob, unc = sliding_window(models, volume, a.patch, a.mirror, a.kind)
        prob.tofile(os.path.join(a.out, "prob.bin"))
        unc.tofile(os.path.join(a.out, "unc.bin"))


if __name__ == "__main__":
    main()
