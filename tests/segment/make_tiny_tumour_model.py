#!/usr/bin/env python3
"""Tiny fixtures for the axon-segment tumour tests (no real data needed).

Writes into OUTDIR:
  fold0.pt, fold1.pt        a tiny random-weight 3D conv net (4 inputs -> 3 sigmoid
                            regions WT/TC/ET), two "folds" from two seeds, exported
                            with torch.jit.trace (as a user exports nnU-Net/MedNeXt)
  softmax0.pt, softmax1.pt  the same shape with 4 softmax classes (0, 1, 2, 4)
  card.json                 sigmoid card: 2 mm, LPS, patch 12x16x20, mirror x/y/z,
                            clipping at the 0.5/99.5th percentiles
  card_softmax.json         softmax card: spacing 2 x 1.5 x keep, RAS, no clipping
  card_three.json           a card taking three channels (bad input)
  card_corrupt.json         a card whose model file is not TorchScript (bad input)
  lps/{t1,t1ce,t2,flair}.nii.gz   40x48x36 int16, 1 x 1 x 1.2 mm, LPS axes, a brain
                            ellipsoid with random intensities and a brighter "tumour"
  ras/..., ail/...          the same images with voxel axes flipped (RAS) or
                            permuted and flipped (AIL): the same anatomy
Usage: make_tiny_tumour_model.py OUTDIR
"""
import json
import os
import sys

import nibabel as nib
import numpy as np
import torch

CHANNELS = ["t1", "t1ce", "t2", "flair"]


class TinyNet(torch.nn.Module):
    """Two 3x3x3 convolutions: enough spatial context that window borders,
    padding and mirroring change the output."""

    def __init__(self, channels_out, seed):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.conv1 = torch.nn.Conv3d(4, 6, 3, padding=1)
        self.conv2 = torch.nn.Conv3d(6, channels_out, 3, padding=1)
        with torch.no_grad():
            for p in self.parameters():
                p.copy_(torch.randn(p.shape, generator=g) * 0.4)
            self.conv2.bias[0] += 0.5  # a larger whole tumour than core

    def forward(self, x):
        return self.conv2(torch.tanh(self.conv1(x)))


def export(net, path):
    net.eval()
    example = torch.randn(1, 4, 16, 16, 16)
    traced = torch.jit.trace(net, example)
    traced.save(path)


def card(name, models, **kw):
    c = {
        "format": "axon-model-card", "format_version": 1, "name": name,
        "description": "tiny random-weight network for tests (not a real model)",
        "inputs": CHANNELS,
        "normalization": {"kind": "zscore-nonzero", "clip_percentiles": [0.5, 99.5]},
        "spacing_mm": [2.0, 2.0, 2.0], "orientation": "LPS", "patch_size": [12, 16, 20],
        "mirror_axes": [0, 1, 2], "tensor_layout": "NCZYX",
        "output": {"kind": "sigmoid_regions",
                   "channels": [{"name": "WT", "labels": [1, 2, 4]}, {"name": "TC", "labels": [1, 4]},
                                {"name": "ET", "labels": [4]}],
                   "paint_order": [["WT", 2], ["TC", 1], ["ET", 4]]},
        "label_convention": "brats2018", "models": models,
        "training": {"data": "none (random weights)", "seed": [0, 1]},
        "cross_validation": {"note": "not trained"}, "licence": "CC0-1.0",
    }
    c.update(kw)
    return c


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)


def make_images(out):
    rng = np.random.default_rng(17)
    shape = (40, 48, 36)
    x, y, z = np.meshgrid(*[np.arange(n) for n in shape], indexing="ij")
    brain = ((x - 20) / 15.0) ** 2 + ((y - 23) / 19.0) ** 2 + ((z - 18) / 13.0) ** 2 <= 1.0
    tumour = ((x - 25) / 6.0) ** 2 + ((y - 20) / 7.0) ** 2 + ((z - 20) / 5.0) ** 2 <= 1.0
    core = ((x - 25) / 3.0) ** 2 + ((y - 20) / 3.5) ** 2 + ((z - 20) / 2.5) ** 2 <= 1.0
    affine = np.array([[-1.0, 0, 0, 20], [0, -1.0, 0, 24], [0, 0, 1.2, -20], [0, 0, 0, 1]])
    base = {"t1": 400, "t1ce": 450, "t2": 300, "flair": 350}
    boost = {"t1": -80, "t1ce": 300, "t2": 400, "flair": 500}
    images = {}
    for name in CHANNELS:
        v = base[name] + 60 * np.sin(x / 5.0 + len(name)) + rng.normal(0, 40, shape)
        v = v + boost[name] * tumour + (150 if name == "t1ce" else -100) * core
        v[x == 8] += 900  # a few bright voxels so clipping matters
        v = np.where(brain, np.clip(np.round(v), 1, 3000), 0).astype(np.int16)
        images[name] = nib.Nifti1Image(v, affine)
        images[name].header.set_xyzt_units("mm")
    for variant, codes in [("lps", "LPS"), ("ras", "RAS"), ("ail", "AIL")]:
        os.makedirs(os.path.join(out, variant), exist_ok=True)
        for name, img in images.items():
            ornt = nib.orientations.ornt_transform(nib.orientations.axcodes2ornt("LPS"),
                                                   nib.orientations.axcodes2ornt(codes))
            re = img.as_reoriented(ornt)
            re.set_qform(re.affine, 1)
            re.set_sform(re.affine, 1)
            assert "".join(nib.aff2axcodes(re.affine)) == codes
            nib.save(re, os.path.join(out, variant, name + ".nii.gz"))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    for fold in (0, 1):
        export(TinyNet(3, seed=fold), os.path.join(out, f"fold{fold}.pt"))
        export(TinyNet(4, seed=10 + fold), os.path.join(out, f"softmax{fold}.pt"))
    write_json(os.path.join(out, "card.json"), card("tiny-sigmoid", ["fold0.pt", "fold1.pt"]))
    write_json(os.path.join(out, "card_softmax.json"), card(
        "tiny-softmax", ["softmax0.pt", "softmax1.pt"], spacing_mm=[2.0, 1.5, 0.0], orientation="RAS",
        patch_size=[16, 16, 16], mirror_axes=[0, 2],
        normalization={"kind": "zscore-nonzero", "clip_percentiles": None},
        output={"kind": "softmax", "channels": [{"name": "background", "labels": [0]},
                                                {"name": "core", "labels": [1]},
                                                {"name": "oedema", "labels": [2]},
                                                {"name": "enhancing", "labels": [4]}]}))
    write_json(os.path.join(out, "card_three.json"), card("three", ["fold0.pt"], inputs=["t1", "t2", "flair"]))
    with open(os.path.join(out, "corrupt.pt"), "wb") as f:
        f.write(b"PK\x03\x04 this is not a TorchScript archive" * 10)
    write_json(os.path.join(out, "card_corrupt.json"), card("corrupt", ["corrupt.pt"]))
    make_images(out)


if __name__ == "__main__":
    main()
