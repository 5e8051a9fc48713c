"""MRIQC's qi_2 (mriqc.qc.anatomical.art_qi2, documented in
lib/axon/quality/qi2.hpp and docs/axon-motion-quality.md) computed with the
libraries MRIQC itself calls: scikit-learn's KernelDensity (Gaussian,
bandwidth 0.05 * P98) on 1000 points from 0 to P99, the cut-off at half the
density's maximum counted from the top, scipy.stats.chi2.fit(x, 32) on the
values below P95, and the mean absolute difference over the cut-off points.
Usage: qi2_peer.py DIR  (reads DIR/image.nii.gz and DIR/air.nii.gz, writes
DIR/qi2_peer.json). Needs fewer than 300,000 air values (MRIQC subsamples
above that with numpy's generator)."""
import json
import sys

import nibabel as nib
import numpy as np
from scipy.stats import chi2
from sklearn.neighbors import KernelDensity

d = sys.argv[1]
img = np.asarray(nib.load(f"{d}/image.nii.gz").dataobj).astype(np.float64)
air = np.asarray(nib.load(f"{d}/air.nii.gz").dataobj) > 0
data = img[air]
data = data[data > 0]
assert 1000 <= len(data) < 300000, len(data)
grid = np.linspace(0.0, np.percentile(data, 99), 1000)
density = KernelDensity(bandwidth=0.05 * np.percentile(data, 98), kernel="gaussian").fit(data[:, np.newaxis])
kde = np.exp(density.score_samples(grid[:, np.newaxis]))
cut = int(np.argmax(kde[::-1] > kde.max() * 0.5))
df, loc, scale = chi2.fit(data[data < np.percentile(data, 95)], 32)
fitted = chi2.pdf(grid, df, loc=loc, scale=scale)
gof = float(np.abs(kde[-cut:] - fitted[-cut:]).mean())
json.dump({"qi_2": gof, "df": df, "loc": loc, "scale": scale, "n": int(len(data)), "cut": cut,
           "kde_peak": float(kde.max())}, open(f"{d}/qi2_peer.json", "w"))
