"""Independent numpy/scipy/scikit-image implementation of the MRIQC IQM
formulas (mriqc.qc.anatomical, documented in docs/axon-motion-quality.md)
and of per-slice 2D SSIM, on the image and masks test_iqm_peer.cpp writes.
Usage: iqm_peer.py DIR  (reads DIR/image, head, brain, tissue .nii.gz; writes DIR/peer.json).
With DIR/pve_1..3.nii.gz and DIR/bias.nii.gz (a tissue classification's
partial volumes and bias field), as MRIQC's StructuralQC: intensity metrics
on the bias-corrected image, summary masks from the partial volumes (> 0.85,
eroded by generate_binary_structure(3, 2) when every voxel is under 1.9 mm),
inu_* from the field over the tissues, icvs_* and rpve_*."""
import os
import json
import sys

import nibabel as nib
import numpy as np
from scipy import ndimage, stats
from skimage.metrics import structural_similarity

d = sys.argv[1]
img = np.asarray(nib.load(f"{d}/image.nii.gz").dataobj).astype(np.float64)
head = np.asarray(nib.load(f"{d}/head.nii.gz").dataobj) > 0
brain = np.asarray(nib.load(f"{d}/brain.nii.gz").dataobj) > 0
tissue = np.asarray(nib.load(f"{d}/tissue.nii.gz").dataobj).astype(int)
ref = np.asarray(nib.load(f"{d}/reference.nii.gz").dataobj).astype(np.float64)
zooms = nib.load(f"{d}/image.nii.gz").header.get_zooms()[:3]
classified = os.path.exists(f"{d}/bias.nii.gz")
given = img
if classified:
    pvms = [np.asarray(nib.load(f"{d}/pve_{k}.nii.gz").dataobj).astype(np.float64) for k in (1, 2, 3)]
    bias = np.asarray(nib.load(f"{d}/bias.nii.gz").dataobj).astype(np.float64)
    img = np.clip(img / bias, 0, None)  # MRIQC's in_noinu, negatives to 0
    erode = all(z < 1.9 for z in zooms)
    region = {"bg": ~head, "csf": pvms[0] > 0.85, "gm": pvms[1] > 0.85, "wm": pvms[2] > 0.85}
    if erode:
        region = {k: ndimage.binary_erosion(m, structure=ndimage.generate_binary_structure(3, 2))
                  for k, m in region.items()}
else:
    region = {"bg": ~head, "csf": tissue == 1, "gm": tissue == 2, "wm": tissue == 3}


def summary(x):
    return {"mean": x.mean(), "stdv": x.std(), "median": np.median(x),
            "mad": stats.median_abs_deviation(x, scale="normal"),
            "k": stats.kurtosis(x), "p05": np.percentile(x, 5), "p95": np.percentile(x, 95), "n": float(x.size)}


out = {}
st = {k: summary(img[m]) for k, m in region.items()}
for r, s in st.items():
    for k, v in s.items():
        out[f"summary_{r}_{k}"] = float(v)
bg = st["bg"]
for t in ("csf", "gm", "wm"):
    s = st[t]
    out[f"snr_{t}"] = s["median"] / (s["stdv"] * np.sqrt(s["n"] / (s["n"] - 1)))
    out[f"snrd_{t}"] = 0.6551364 * s["median"] / (bg["mad"] if bg["mad"] > 1 else bg["stdv"])
out["snr_total"] = np.mean([out["snr_csf"], out["snr_gm"], out["snr_wm"]])
out["snrd_total"] = np.mean([out["snrd_csf"], out["snrd_gm"], out["snrd_wm"]])
gm, wm = st["gm"], st["wm"]
out["cnr"] = abs(wm["median"] - gm["median"]) / np.sqrt(bg["stdv"] ** 2 + gm["stdv"] ** 2 + wm["stdv"] ** 2)
out["cjv"] = (wm["mad"] + gm["mad"]) / abs(wm["median"] - gm["median"])
x = np.clip(img, 0, None)
n = x.size
bmax = np.sqrt((x ** 2).sum())
out["efc"] = (1.0 / (n * (1 / np.sqrt(n)) * np.log(1 / np.sqrt(n)))) * np.sum((x / bmax) * np.log((x + 1e-16) / bmax))
out["fber"] = np.median(np.abs(img[head]) ** 2) / np.median(np.abs(img[~head]) ** 2)
out["wm2max"] = wm["median"] / np.percentile(img.reshape(-1), 99.95)
# qi_1: air farther than 10 mm (a cube) from the head; artefacts above
# median + 10 MAD of its positive voxels, opened with the 6-neighbour cross.
r = [int(round(10 / z)) for z in zooms]
near = ndimage.binary_dilation(head, structure=np.ones([2 * a + 1 for a in r], bool))
far = ~near
pos = given[far & (given > 0)]
thr = np.median(pos) + 10 * stats.median_abs_deviation(pos, scale="normal")
art = ndimage.binary_opening(far & (given > thr), structure=ndimage.generate_binary_structure(3, 1))
out["qi_1"] = art.sum() / far.sum()
# fwhm (AFNI 3dFWHMx classic, voxels)
var = given[brain].var()
fw = []
for a in range(3):
    sl0 = [slice(None)] * 3
    sl1 = [slice(None)] * 3
    sl0[a] = slice(0, -1)
    sl1[a] = slice(1, None)
    both = brain[tuple(sl0)] & brain[tuple(sl1)]
    dif = (given[tuple(sl1)] - given[tuple(sl0)])[both]
    rho = 1 - dif.var() / (2 * var)
    fw.append(np.sqrt(-2 * np.log(2) / np.log(rho)))
out["fwhm_x"], out["fwhm_y"], out["fwhm_z"] = fw
out["fwhm_avg"] = np.mean(fw)
if classified:
    # MRIQC: the bias field over the tissue voxels (segmentation > 0)
    field = bias[tissue > 0]
    # icvs: each class's partial-volume sum over the three sums
    sums = [p.sum() for p in pvms]
    for k, name in enumerate(("csf", "gm", "wm")):
        out[f"icvs_{name}"] = sums[k] / sum(sums)
    # rpve, as mriqc.qc.anatomical.rpve
    for k, name in enumerate(("csf", "gm", "wm")):
        pv = pvms[k][tissue == k + 1].copy()
        pv[pv < 0] = 0
        pv[pv >= 1] = 0
        total = np.sum(pv > 0)
        up, lo = np.percentile(pv[pv > 0], 98), np.percentile(pv[pv > 0], 2)
        pv[pv < lo] = 0
        pv[pv > up] = 0
        out[f"rpve_{name}"] = (pv[pv > 0.5].sum() + (1.0 - pv[pv <= 0.5]).sum()) / total
else:
    # inu: exp of a quadratic fitted to log intensity in WM, / its brain median
    ii, jj, kk = np.meshgrid(*[np.linspace(-1, 1, s) for s in img.shape], indexing="ij")
    basis = np.stack([np.ones_like(ii), ii, jj, kk, ii ** 2, jj ** 2, kk ** 2, ii * jj, ii * kk, jj * kk], -1)
    w = (tissue == 3) & (img > 0)
    coef, *_ = np.linalg.lstsq(basis[w], np.log(img[w]), rcond=None)
    field = basis[brain] @ coef
    field = np.exp(field - np.median(field))
out["inu_med"] = np.median(field)
out["inu_range"] = abs(np.percentile(field, 95) - np.percentile(field, 5))
# per-slice 2D SSIM against the reference, inside the head mask
rng = ref.max() - ref.min()
slices = []
for z in range(img.shape[2]):
    _, S = structural_similarity(ref[:, :, z], given[:, :, z], gaussian_weights=True, sigma=1.5,
                                 use_sample_covariance=False, data_range=rng, full=True)
    m = head[:, :, z].copy()
    m[:5, :] = m[-5:, :] = False
    m[:, :5] = m[:, -5:] = False
    slices.append(float(S[m].mean()) if m.any() else None)
out = {k: float(v) for k, v in out.items()}
out["slice_ssim"] = slices
json.dump(out, open(f"{d}/peer.json", "w"))
