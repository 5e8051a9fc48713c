"""Brute-force reference for the voxel-wise graph maps (issue 5): the full
float64 correlation matrix (numpy.corrcoef), thresholded; degree, weighted
degree, and triangles as diag(A^3)/2.
Usage: brute_force_graph.py DIR THRESHOLD SPARSITY
DIR/series.txt: time x voxels. Writes DIR/ref_graph.txt: one row per voxel
(degree, weighted degree, triangles) and DIR/ref_threshold.txt."""
import sys
import numpy as np

d, threshold, sparsity = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
x = np.loadtxt(f"{d}/series.txt", ndmin=2)
keep = x.std(axis=0) > 0  # constant voxels take no part
r = np.corrcoef(x[:, keep], rowvar=False)
n = r.shape[0]
np.fill_diagonal(r, -np.inf)
if sparsity > 0:
    iu = np.triu_indices(n, 1)
    k = max(1, int(round(sparsity * n * (n - 1) / 2)))
    threshold = np.sort(r[iu])[::-1][k - 1]
    a = r >= threshold
else:
    a = r > threshold
w = np.where(a, r, 0.0)
ai = a.astype(np.float64)  # counts far below 2^53: exact in float64 BLAS
tri = np.rint(np.einsum("ij,ji->i", ai @ ai, ai) / 2)
out = np.zeros((x.shape[1], 3))
out[keep, 0] = ai.sum(axis=1)
out[keep, 1] = w.sum(axis=1)
out[keep, 2] = tri
np.savetxt(f"{d}/ref_graph.txt", out, fmt="%.17g")
np.savetxt(f"{d}/ref_threshold.txt", [threshold], fmt="%.17g")
