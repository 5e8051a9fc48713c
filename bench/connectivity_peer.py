"""The numpy/nibabel/scipy/sklearn pipeline equivalent to
`axon-connectivity roi --strategy 36P --high-pass 0.01 --low-pass 0.1
--censor-fd 0.5 --kind correlation --kind partial` (nilearn.signal.clean's
order, written out with scipy). Usage: connectivity_peer.py BOLD ATLAS MASK
CONFOUNDS OUT.tsv [LOW_PASS_HZ (default 0.1; 0: high-pass only)]"""
import sys

import nibabel as nib
import numpy as np
from scipy import linalg, signal, sparse
from scipy.interpolate import CubicSpline
from sklearn.covariance import LedoitWolf

bold, atlas_path, mask_path, conf_path, out = sys.argv[1:6]
low_pass = float(sys.argv[6]) if len(sys.argv) > 6 else 0.1
img = nib.load(bold)
tr = float(img.header["pixdim"][4])
data = img.get_fdata(dtype=np.float32)
atlas = np.asanyarray(nib.load(atlas_path).dataobj).astype(np.int32)
mask = np.asanyarray(nib.load(mask_path).dataobj) > 0
sel = mask & (atlas > 0)
x = data[sel]  # voxels x volumes
del data
labels, col = np.unique(atlas[sel], return_inverse=True)
onehot = sparse.csr_matrix((np.ones(col.size), (col, np.arange(col.size))), shape=(labels.size, col.size))
counts = np.asarray(onehot.sum(axis=1)).ravel()
series = (onehot @ x).T / counts  # volumes x parcels

names = open(conf_path).readline().rstrip("\n").split("\t")
table = np.genfromtxt(conf_path, delimiter="\t", skip_header=1, missing_values="n/a", filling_values=np.nan)
motion = ["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"]
base = motion + ["csf", "white_matter", "global_signal"]
cols = [c + s for s in ["", "_derivative1", "_power2", "_derivative1_power2"] for c in base]
conf = np.nan_to_num(table[:, [names.index(c) for c in cols]])
fd = table[:, names.index("framewise_displacement")]
keep = ~(fd > 0.5)

s = signal.detrend(series, axis=0)
c = signal.detrend(conf, axis=0)
t = np.arange(s.shape[0]) * tr
for a in (s, c):
    a[~keep] = CubicSpline(t[keep], a[keep], axis=0)(t[~keep])
nyq = 0.5 / tr
if low_pass > 0:
    b, a_ = signal.butter(2, [0.01 / nyq, low_pass / nyq], btype="bandpass")
else:
    b, a_ = signal.butter(2, 0.01 / nyq, btype="highpass")
s = signal.filtfilt(b, a_, s, axis=0)[keep]
c = signal.filtfilt(b, a_, c, axis=0)[keep]
sd = c.std(0, ddof=1)
sd[sd < np.finfo(np.float64).eps] = 1.0  # nilearn: constant confounds stay 0
c = (c - c.mean(0)) / sd
q, r, _ = linalg.qr(c, mode="economic", pivoting=True)
q = q[:, np.abs(np.diag(r)) > np.finfo(np.float64).eps * 100]
s -= q @ (q.T @ s)
s = (s - s.mean(0)) / s.std(0, ddof=1)
corr = np.corrcoef(s, rowvar=False)
prec = linalg.pinvh(LedoitWolf().fit(s).covariance_)
d = np.sqrt(np.diag(prec))
partial = -prec / np.outer(d, d)
np.savetxt(out, corr, delimiter="\t")
