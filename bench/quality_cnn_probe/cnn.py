"""The seed paper's model class, small: a fully convolutional 2D network
(3x3 convolutions, batch norm, two poolings, global mean and max pooling, a
two-layer head, sigmoid) that predicts the SSIM of a slice, or of a crop of
one, from the corrupted image alone. Any input size (global pooling), so
whole slices of any field of view can be scored."""
import json
import numpy as np
import torch
import torch.nn as nn
from scipy import ndimage
from skimage.filters import threshold_otsu


def load_sample(path):
    """Image scaled by its own 99th percentile (what a scorer can do without
    the clean image), the SSIM map, and the weights where simulate's SSIM is
    averaged: the clean image's Otsu head mask (holes filled), 5 voxels in
    from the border (scikit-image's convention)."""
    z = np.load(path)
    corr, clean = z["corr"].astype(np.float32), z["clean"]
    head = ndimage.binary_fill_holes(clean > threshold_otsu(clean))
    inner = np.zeros_like(head)
    inner[5:-5, 5:-5, 5:-5] = True
    return dict(x=corr / (np.percentile(corr, 99) + 1e-6), smap=z["smap"], w=(head & inner).astype(np.float32),
                ssim3d=float(z["ssim3d"]))


class SliceNet(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        def block(i, o):
            return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]
        w = width
        self.features = nn.Sequential(*block(1, w), *block(w, w), nn.MaxPool2d(2), *block(w, 2 * w), *block(2 * w, 2 * w),
                                      nn.MaxPool2d(2), *block(2 * w, 4 * w), *block(4 * w, 4 * w))
        self.head = nn.Sequential(nn.Linear(8 * w, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        f = self.features(x)
        return torch.sigmoid(self.head(torch.cat([f.mean((2, 3)), f.amax((2, 3))], 1))).squeeze(1)


def random_crops(samples, rng, n, size):
    """n crops of size x size from random planes (any of the 3 orientations)
    with at least 30 % scored voxels; target: the mean SSIM map over them."""
    X, Y, k = np.zeros((n, 1, size, size), np.float32), np.zeros(n, np.float32), 0
    while k < n:
        s, o = samples[rng.integers(len(samples))], int(rng.integers(3))
        x, m, w = (np.moveaxis(s[key], o, 0) for key in ("x", "smap", "w"))
        i = int(rng.integers(x.shape[0]))
        if x.shape[1] < size or x.shape[2] < size or w[i].sum() < 0.3 * size * size:
            continue
        r, c = int(rng.integers(x.shape[1] - size + 1)), int(rng.integers(x.shape[2] - size + 1))
        ww = w[i, r:r + size, c:c + size]
        if ww.sum() < 0.3 * size * size:
            continue
        crop = x[i, r:r + size, c:c + size]
        if rng.uniform() < 0.5:
            crop = crop[::-1]
        if rng.uniform() < 0.5:
            crop = crop[:, ::-1]
        X[k, 0], Y[k] = crop, (m[i, r:r + size, c:c + size] * ww).sum() / ww.sum()
        k += 1
    return torch.from_numpy(X), torch.from_numpy(Y)


def predict_volume(net, s):
    """Every axial slice with scored voxels, whole; the volume's prediction is
    their mean weighted by scored voxels. Returns (volume prediction, slice
    predictions, slice targets)."""
    x, m, w = s["x"], s["smap"], s["w"]
    preds, truths, weights = [], [], []
    with torch.no_grad():
        for k in range(x.shape[2]):
            if w[:, :, k].sum() < 20:
                continue
            preds.append(net(torch.from_numpy(np.ascontiguousarray(x[:, :, k]))[None, None]).item())
            truths.append((m[:, :, k] * w[:, :, k]).sum() / w[:, :, k].sum())
            weights.append(w[:, :, k].sum())
    p, t, wt = np.array(preds), np.array(truths), np.array(weights)
    return (p * wt).sum() / wt.sum(), p, t
