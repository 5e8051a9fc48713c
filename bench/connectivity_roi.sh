#!/usr/bin/env bash
# axon-connectivity roi vs the equivalent numpy/nibabel/scipy/sklearn
# pipeline (bench/connectivity_peer.py) on a synthetic 2 mm MNI series
# (91x109x91, AAL resampled to it), 36P + band-pass + scrubbing +
# correlation and partial correlation. Prints wall time, peak memory, the
# ratio and gzip -dc's time on the same file (the I/O floor). Runs are
# alternated and repeated; medians are reported.
# Usage: bench/connectivity_roi.sh [BUILD] [VOLUMES] [REPEATS]
# The issue's official size is 600 volumes. BENCH_DATA=DIR keeps the inputs
# in DIR and reuses them on the next run (making 600 volumes takes minutes).
set -euo pipefail
build=${1:-build}; volumes=${2:-600}; repeats=${3:-3}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${BENCH_DATA:-}" ]; then
  work=$BENCH_DATA/$volumes; mkdir -p "$work"
else
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fi
T=/usr/share/mricron/templates
B="$work/sub-01_task-rest_bold.nii.gz"
if [ ! -s "$work/confounds.tsv" ]; then
"$build/apps/axon-image" resample -q --force $T/ch2bet.nii.gz "$work/mask.nii.gz" --like $T/AICHAmc.nii.gz --interp nearest
"$build/apps/axon-image" resample -q --force $T/aal.nii.gz "$work/aal.nii.gz" --like $T/AICHAmc.nii.gz --interp nearest
echo "making a 91x109x91x$volumes float32 series (AAL region signals, global signal, drift, noise)..."
"$PY" - "$work" "$volumes" <<'PY'
import sys, numpy as np, nibabel as nib
work, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(0)
m = nib.load(f"{work}/mask.nii.gz")
mask = np.asanyarray(m.dataobj) > 0
atlas = np.asanyarray(nib.load(f"{work}/aal.nii.gz").dataobj).astype(int)
base = np.where(mask, 1000.0, 100.0).astype(np.float32)
regions = rng.standard_normal((n, atlas.max() + 1)).astype(np.float32)
regions[:, 0] = 0
glob = np.convolve(rng.standard_normal(n + 9), np.ones(10) / 10, "valid")[:n].astype(np.float32)
data = np.empty(mask.shape + (n,), np.float32)
for t in range(n):
    data[..., t] = base * (1 + 0.02 * regions[t][atlas] + 0.005 * glob[t] + 0.0001 * t) \
        + 10 * rng.standard_normal(mask.shape, dtype=np.float32)
img = nib.Nifti1Image(data, m.affine); img.header.set_xyzt_units("mm", "sec"); img.header["pixdim"][4] = 2.0
nib.save(img, f"{work}/sub-01_task-rest_bold.nii.gz")
motion = np.cumsum(rng.normal(0, 0.05, (n, 6)), axis=0)
cols = {c: motion[:, i] for i, c in enumerate(["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"])}
cols.update(csf=rng.standard_normal(n), white_matter=rng.standard_normal(n), global_signal=glob.astype(float))
table = {}
for s in ["", "_derivative1", "_power2", "_derivative1_power2"]:
    for c, v in cols.items():
        d = np.r_[np.nan, np.diff(v)]
        table[c + s] = {"": v, "_derivative1": d, "_power2": v ** 2, "_derivative1_power2": d ** 2}[s]
table["framewise_displacement"] = np.r_[np.nan, np.abs(np.diff(motion, axis=0)).sum(1)]
with open(f"{work}/confounds.tsv", "w") as f:
    f.write("\t".join(table) + "\n")
    for r in range(n):
        f.write("\t".join("n/a" if np.isnan(v[r]) else repr(float(v[r])) for v in table.values()) + "\n")
PY
fi
[ "$repeats" -gt 0 ] || exit 0  # inputs only
raw_mb=$(( 91 * 109 * 91 * volumes * 4 / 1048576 ))
echo "uncompressed 4D: $raw_mb MB; gz: $(( $(stat -c %s "$B") / 1048576 )) MB"
# wall seconds, peak RSS (KB), CPU seconds (user + system): on a loaded
# machine the CPU time is the steadier figure.
measure() { /usr/bin/time -f '%e %M %U %S' "$@" 2>&1 >/dev/null | tail -1; }
axon() {
  rm -rf "$work/out"; mkdir -p "$work/out"
  measure "$build/apps/axon-connectivity" roi --bold "$B" --atlas "$work/aal.nii.gz" --mask "$work/mask.nii.gz" \
    --confounds "$work/confounds.tsv" --strategy 36P --high-pass 0.01 --low-pass 0.1 --censor-fd 0.5 \
    --kind correlation --kind partial --threads "$1" -q --out "$work/out"
}
: >"$work/results"
for r in $(seq "$repeats"); do
  echo "gzip $(measure gzip -dc "$B")" >>"$work/results"
  echo "axon1 $(axon 1)" >>"$work/results"
  echo "axon2 $(axon 2)" >>"$work/results"
  echo "peer1 $(OPENBLAS_NUM_THREADS=1 measure "$PY" "$here/connectivity_peer.py" "$B" "$work/aal.nii.gz" \
    "$work/mask.nii.gz" "$work/confounds.tsv" "$work/peer.tsv")" >>"$work/results"
done
# The two agree (same cleaning): largest difference of the correlation matrices.
"$PY" - "$work" "$raw_mb" <<'PY'
import sys, glob, numpy as np
work, raw = sys.argv[1], float(sys.argv[2])
rows = [l.split() for l in open(f"{work}/results")]
def median(k, col):
    return np.median([float(r[col]) for r in rows if r[0] == k])
med = {k: (median(k, 1), median(k, 2) / 1024, median(k, 3) + median(k, 4)) for k in ["gzip", "axon1", "axon2", "peer1"]}
for k, (s, mb, cpu) in med.items():
    print(f"{k:6s} median {s:6.2f} s wall, {cpu:6.2f} s CPU, peak {mb:7.1f} MB ({mb / raw:.2f} x uncompressed)")
print(f"peer/axon wall time: {med['peer1'][0] / med['axon1'][0]:.2f}x (1 thread), {med['peer1'][0] / med['axon2'][0]:.2f}x "
      f"(2 threads); CPU time (1 thread): {med['peer1'][2] / med['axon1'][2]:.2f}x")
print(f"axon / gzip -dc floor: {med['axon1'][0] / med['gzip'][0]:.2f}x (1 thread), {med['axon2'][0] / med['gzip'][0]:.2f}x "
      f"(2 threads) wall; {med['axon1'][2] / med['gzip'][2]:.2f}x CPU")
print(f"load: {open('/proc/loadavg').read().split()[:3]} (1, 5, 15 min) on {__import__('os').cpu_count()} cores")
(ours,) = glob.glob(f"{work}/out/*_meas-correlation_relmat.tsv")
a = np.genfromtxt(ours, delimiter="\t", skip_header=1, missing_values="n/a", filling_values=np.nan)
p = np.loadtxt(f"{work}/peer.tsv", delimiter="\t")
print(f"matrix {a.shape}, peer {p.shape}; largest |difference| {np.nanmax(np.abs(a - p)) if a.shape == p.shape else 'shapes differ'}")
PY
