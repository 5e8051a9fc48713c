#!/usr/bin/env bash
# MP-PCA, axon vs MRtrix3 dwidenoise, on the same files: a 60-volume series
# on a 2 mm grid built from Colin27 (ch2bet block-averaged to 2 mm as S0;
# per voxel a mono-exponential decay over 60 b-values/directions whose
# rate depends on the tissue's intensity, so the clean series has low
# rank), plus Gaussian noise of known sigma (seeded). Both run masked
# (ch2bet > 0) with their defaults (extent 5^3, Cordero-Grande estimator).
# Reports wall time and peak memory (medians of REPEATS alternating runs),
# RMSE to the clean series in the mask (in units of sigma), the noise-map
# error, and the correlation of the two outputs.
# Usage: bench/denoise_mppca.sh [BUILD] [REPEATS] [THREADS]
set -euo pipefail
build=${1:-build}; repeats=${2:-3}; threads=${3:-2}
PY=/usr/bin/python3
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dn="$build/apps/axon-denoise"
"$PY" - "$work" <<'PY'
import sys, nibabel as nib, numpy as np
w = sys.argv[1]
img = nib.load("/usr/share/mricron/templates/ch2bet.nii.gz")
x = np.asanyarray(img.dataobj).astype(np.float64)[:180, :216, :180]
s0 = x.reshape(90, 2, 108, 2, 90, 2).mean(axis=(1, 3, 5)) * (1000.0 / x.max())
mask = s0 > 0
aff = img.affine.copy(); aff[:3, :3] *= 2
rng = np.random.default_rng(7)
b = np.linspace(0, 3.0, 60)                    # ms/um^2
g = rng.uniform(0.7, 1.3, 60)                  # anisotropy-like per-volume factor
rate = 0.4 + 1.2 * (1 - s0 / max(s0.max(), 1)) # darker tissue (CSF-like) decays faster
clean = s0[..., None] * np.exp(-b[None, None, None, :] * g * rate[..., None])
sigma = 20.0
noisy = clean + rng.normal(0, sigma, clean.shape)
for name, arr in (("clean", clean), ("noisy", noisy)):
    nib.save(nib.Nifti1Image(arr.astype(np.float32), aff), f"{w}/{name}.nii")
nib.save(nib.Nifti1Image(mask.astype(np.uint8), aff), f"{w}/mask.nii")
open(f"{w}/sigma", "w").write(str(sigma))
PY
run() { local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>&1
  read -r t u s m < "$work/t"
  echo -e "$name\t$t\t$(echo "$u + $s" | bc)\t$m" >> "$work/times.tsv"; }
echo "load: $(uptime)"
for r in $(seq "$repeats"); do
  run "axon mppca ($threads threads)" "$dn" mppca -q --force --threads "$threads" "$work/noisy.nii" "$work/axon.nii" \
    --mask "$work/mask.nii" --noise-map "$work/axon_sigma.nii"
  run "dwidenoise ($threads threads)" dwidenoise -quiet -force -nthreads "$threads" "$work/noisy.nii" "$work/mr.nii" \
    -mask "$work/mask.nii" -noise "$work/mr_sigma.nii"
  run "axon mppca (1 thread)" "$dn" mppca -q --force --threads 1 "$work/noisy.nii" "$work/axon1.nii" --mask "$work/mask.nii"
  run "dwidenoise (1 thread)" dwidenoise -quiet -force -nthreads 1 "$work/noisy.nii" "$work/mr1.nii" -mask "$work/mask.nii"
done
"$PY" - "$work" "$repeats" <<'PY'
import sys, statistics, collections
import nibabel as nib, numpy as np
w = sys.argv[1]
times, cpu, rss, order = collections.defaultdict(list), collections.defaultdict(list), collections.defaultdict(list), []
for line in open(f"{w}/times.tsv"):
    name, t, c, m = line.rstrip("\n").split("\t")
    if name not in order: order.append(name)
    times[name].append(float(t)); cpu[name].append(float(c)); rss[name].append(float(m))
sigma = float(open(f"{w}/sigma").read())
mask = nib.load(f"{w}/mask.nii").get_fdata() > 0
clean = nib.load(f"{w}/clean.nii").get_fdata()[mask]
noisy = nib.load(f"{w}/noisy.nii").get_fdata()[mask]
out = {"axon": nib.load(f"{w}/axon.nii").get_fdata()[mask], "dwidenoise": nib.load(f"{w}/mr.nii").get_fdata()[mask]}
smap = {"axon": nib.load(f"{w}/axon_sigma.nii").get_fdata()[mask], "dwidenoise": nib.load(f"{w}/mr_sigma.nii").get_fdata()[mask]}
rmse = lambda a: np.sqrt(np.mean((a - clean) ** 2)) / sigma
print(f"MP-PCA of a 60-volume 90x108x90 2 mm series ({mask.sum()} voxels in the mask), Gaussian sigma {sigma:g}; "
      f"median of {sys.argv[2]} alternating runs")
print(f"noisy input: RMSE {rmse(noisy):.3f} sigma")
print(f"{'method':26s} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} {'dwidenoise wall / this':>23} {'CPU ratio':>10}")
for name in order:
    peer = "dwidenoise" + name[name.index(" ("):]  # the same thread count
    t, c = statistics.median(times[name]), statistics.median(cpu[name])
    print(f"{name:26s} {t:7.2f} {c:7.2f} {statistics.median(rss[name]) / 1024:8.0f} "
          f"{statistics.median(times[peer]) / t:22.2f}x {statistics.median(cpu[peer]) / c:9.2f}x")
for k in ("axon", "dwidenoise"):
    err = np.abs(smap[k] - sigma) / sigma
    print(f"{k:10s}: RMSE to clean {rmse(out[k]):.3f} sigma; noise map median |error| {np.median(err) * 100:.1f} %, "
          f"mean sigma {smap[k].mean():.2f}")
print(f"correlation of the outputs {np.corrcoef(out['axon'].ravel(), out['dwidenoise'].ravel())[0, 1]:.6f}; "
      f"of the removed noise {np.corrcoef((noisy - out['axon']).ravel(), (noisy - out['dwidenoise']).ravel())[0, 1]:.4f}")
PY
