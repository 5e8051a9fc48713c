"""Independent numpy/scipy/sklearn reference for tests/signal: reads the
fixture written by the C++ test from the folder given as argv[1] and writes
the reference results there. The cleaning follows nilearn.signal.clean's
documented order (nilearn 0.10), written out with scipy so that nilearn
itself is not needed."""
import json
import sys

import numpy as np
from scipy import linalg, signal
from scipy.interpolate import CubicSpline
from sklearn.covariance import LedoitWolf

d = sys.argv[1]
p = json.load(open(f"{d}/params.json"))
x = np.loadtxt(f"{d}/signals.txt", ndmin=2)
conf = np.loadtxt(f"{d}/confounds.txt", ndmin=2)
keep = np.loadtxt(f"{d}/keep.txt", ndmin=1).astype(bool)
tr, order = p["tr"], p["order"]
hp, lp = p["high_pass"], p["low_pass"]
nyq = 0.5 / tr


def design():
    if hp > 0 and lp > 0:
        return signal.butter(order, [hp / nyq, lp / nyq], btype="bandpass")
    if lp > 0:
        return signal.butter(order, lp / nyq, btype="lowpass")
    return signal.butter(order, hp / nyq, btype="highpass")


def zscore_sample(a):
    a = a - a.mean(0)
    s = a.std(0, ddof=1)
    s[s < np.finfo(np.float64).eps] = 1.0
    return a / s


def interpolate(v):
    t = np.arange(v.shape[0]) * tr
    spline = CubicSpline(t[keep], v[keep], axis=0, bc_type="not-a-knot", extrapolate=True)
    v = v.copy()
    v[~keep] = spline(t[~keep])
    return v


b, a = design()
np.savetxt(f"{d}/ref_b.txt", b)
np.savetxt(f"{d}/ref_a.txt", a)
np.savetxt(f"{d}/ref_filtfilt.txt", signal.filtfilt(b, a, x, axis=0))
np.savetxt(f"{d}/ref_detrend.txt", signal.detrend(x, axis=0, type="linear"))
np.savetxt(f"{d}/ref_interpolate.txt", interpolate(x))

# nilearn.signal.clean: detrend -> interpolate censored -> filter signals
# and confounds -> censor -> z-score confounds, pivoted-QR projection ->
# z-score (sample standard deviation).
s = signal.detrend(x, axis=0, type="linear")
c = signal.detrend(conf, axis=0, type="linear")
s, c = interpolate(s), interpolate(c)
s = signal.filtfilt(b, a, s, axis=0)
c = signal.filtfilt(b, a, c, axis=0)
s, c = s[keep], c[keep]
c = zscore_sample(c)
q, r, _ = linalg.qr(c, mode="economic", pivoting=True)
q = q[:, np.abs(np.diag(r)) > np.finfo(np.float64).eps * 100.0]
s = s - q @ (q.T @ s)
s = zscore_sample(s)
np.savetxt(f"{d}/ref_clean.txt", s)

# Measures on the cleaned series.
np.savetxt(f"{d}/ref_correlation.txt", np.corrcoef(s, rowvar=False))
lw = LedoitWolf().fit(s)
np.savetxt(f"{d}/ref_lw_covariance.txt", lw.covariance_)
np.savetxt(f"{d}/ref_lw_shrinkage.txt", [lw.shrinkage_])
prec = linalg.pinvh(lw.covariance_)
np.savetxt(f"{d}/ref_precision.txt", prec)
dg = np.sqrt(np.diag(prec))
partial = -prec / np.outer(dg, dg)
np.fill_diagonal(partial, 1.0)
np.savetxt(f"{d}/ref_partial.txt", partial)
