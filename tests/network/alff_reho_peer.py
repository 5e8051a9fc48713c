"""Independent numpy/scipy implementations of ALFF, fALFF (Zang 2007, Zou
2008, as XCP-D's compute_alff) and ReHo (Kendall's W, Zang 2004, as
XCP-D's compute_2d_reho) for tests/network/test_alff_reho.cpp.
Usage: alff_reho_peer.py DIR TR LOW HIGH
DIR/series.txt: volumes x voxels (every volume); DIR/keep.txt: 1/0 per
volume; DIR/grid.txt: nx ny nz; DIR/indices.txt: linear (x fastest) index
of each voxel. Writes ref_alff.txt, ref_falff.txt, ref_reho{7,19,27}.txt."""
import sys
import numpy as np
from scipy import signal
from scipy.stats import rankdata

d = sys.argv[1]
tr, low, high = map(float, sys.argv[2:5])
x = np.loadtxt(f"{d}/series.txt", ndmin=2)
keep = np.loadtxt(f"{d}/keep.txt").astype(bool)
n = x.shape[0]
fs = 1 / tr
alff = np.zeros(x.shape[1])
falff = np.zeros(x.shape[1])
for v in range(x.shape[1]):
    y = x[keep, v].copy()
    sd = np.std(y)
    if sd == 0:
        continue
    y = (y - y.mean()) / sd
    if keep.all():
        f, p = signal.periodogram(y, fs, scaling="spectrum")
    else:
        f = np.linspace(0, 0.5 * fs, n // 2 + 1)[1:]
        p = signal.lombscargle(np.arange(n)[keep] * tr, y, 2 * np.pi * f, normalize=True)
    amp = np.sqrt(p)
    ih = np.argmin(np.abs(f - (low if low > 0 else f[0])))
    il = np.argmin(np.abs(f - high))
    alff[v] = 2 * np.mean(amp[ih:il]) * sd
    # Lomb-Scargle's Nyquist bin is 0/0 on a regular grid (scipy returns
    # rounding noise there): the total leaves it out.
    falff[v] = amp[ih:il].sum() / (amp.sum() if keep.all() else amp[:-1].sum())
np.savetxt(f"{d}/ref_alff.txt", alff, fmt="%.17g")
np.savetxt(f"{d}/ref_falff.txt", falff, fmt="%.17g")

dims = np.loadtxt(f"{d}/grid.txt").astype(int)
idx = np.loadtxt(f"{d}/indices.txt").astype(int)
coords = np.stack(np.unravel_index(idx, dims[::-1]), axis=1)[:, ::-1]  # (x, y, z)
where = {tuple(c): i for i, c in enumerate(coords)}
ranks = np.apply_along_axis(rankdata, 0, x)
for size, reach in ((7, 1), (19, 2), (27, 3)):
    w = np.zeros(x.shape[1])
    for i, c in enumerate(coords):
        members = []
        for dz in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    if (dx != 0) + (dy != 0) + (dz != 0) > reach:
                        continue
                    j = where.get((c[0] + dx, c[1] + dy, c[2] + dz))
                    if j is not None:
                        members.append(j)
        r = ranks[:, members].sum(axis=1)
        k = len(members)
        w[i] = 12 * (np.sum(r ** 2) - n * np.mean(r) ** 2) / (k ** 2 * (n ** 3 - n))
    np.savetxt(f"{d}/ref_reho{size}.txt", w, fmt="%.17g")
