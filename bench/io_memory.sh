#!/usr/bin/env bash
# Peak memory of reading a 2 mm MNI 4D series under a brain mask: axon's
# streaming masked read vs nibabel loading the series (get_fdata as float32),
# printed against the uncompressed size of the data; then the inflaters
# alone (ISA-L, zlib) and gzip -dc on the .nii.gz. Usage: bench/io_memory.sh [BUILD] [VOLUMES]
set -euo pipefail
build=${1:-build}; volumes=${2:-300}
PY=/usr/bin/python3
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
T=/usr/share/mricron/templates
echo "making a 91x109x91x$volumes float32 series (seeded noise on the ch2bet brain at 2 mm)..."
"$build/apps/axon-image" resample -q $T/ch2bet.nii.gz "$work/mask.nii.gz" --like $T/AICHAmc.nii.gz --interp nearest
"$PY" - "$work" "$volumes" <<'PY'
import sys, numpy as np, nibabel as nib
work, n = sys.argv[1], int(sys.argv[2])
mask = nib.load(f"{work}/mask.nii.gz")
rng = np.random.default_rng(0)
data = np.empty(mask.shape + (n,), np.float32)
base = np.asanyarray(mask.dataobj).astype(np.float32)
for t in range(n):
    data[..., t] = base * (1 + 0.01 * rng.standard_normal(mask.shape, dtype=np.float32))
img = nib.Nifti1Image(data, mask.affine); img.header.set_xyzt_units("mm", "sec"); img.header["pixdim"][4] = 2.0
nib.save(img, f"{work}/bold.nii")
PY
"$build/apps/axon-image" convert -q "$work/bold.nii" "$work/bold.nii.gz"
raw_mb=$(( $(stat -c %s "$work/bold.nii") / 1048576 ))
gz_mb=$(( $(stat -c %s "$work/bold.nii.gz") / 1048576 ))
for f in bold.nii bold.nii.gz; do
  axon=$("$build/bench/bench_masked_read" "$work/$f" "$work/mask.nii.gz")
  peer=$(/usr/bin/time -f '%M %e' "$PY" -c "
import nibabel as nib, numpy as np, sys
img = nib.load(sys.argv[1]); m = np.asanyarray(nib.load(sys.argv[2]).dataobj) > 0
x = img.get_fdata(dtype=np.float32)[m]" "$work/$f" "$work/mask.nii.gz" 2>&1 >/dev/null | tail -1)
  "$PY" - "$f" "$raw_mb" "$gz_mb" "$axon" "$peer" <<'PY'
import json, sys
name, raw, gz, axon, peer = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), json.loads(sys.argv[4]), sys.argv[5].split()
peer_mb, peer_s = float(peer[0]) / 1024, float(peer[1])
print(f"{name:12s} uncompressed {raw:.0f} MB (gz {gz:.0f} MB), mask {axon['voxels']} voxels x {axon['volumes']} volumes")
print(f"  axon masked read : {axon['seconds']:6.2f} s, peak {axon['peak_rss_mb']:7.1f} MB = {axon['peak_rss_mb']/raw:.2f} x uncompressed")
print(f"  nibabel get_fdata: {peer_s:6.2f} s, peak {peer_mb:7.1f} MB = {peer_mb/raw:.2f} x uncompressed")
print(f"  ratio nibabel/axon: time {peer_s/axon['seconds']:.2f}x, memory {peer_mb/axon['peak_rss_mb']:.2f}x")
PY
done
# The inflaters alone on the .nii.gz (lib/axon/io/gzip_stream.hpp), and gzip -dc.
inflate=$("$build/bench/bench_inflate" "$work/bold.nii.gz")
gz_s=$(/usr/bin/time -f '%e' gzip -dc "$work/bold.nii.gz" 2>&1 >/dev/null | tail -1)
"$PY" - "$inflate" "$gz_s" "$raw_mb" <<'PY'
import json, sys
r, gz, raw = json.loads(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
for k, v in r.items():
    print(f"  inflate {k:4s}      : {v['seconds']:6.2f} s ({raw / v['seconds']:.0f} MB/s of data)")
print(f"  gzip -dc          : {gz:6.2f} s ({raw / gz:.0f} MB/s)")
if "isal" in r:
    print(f"  zlib/isal: {r['zlib']['seconds'] / r['isal']['seconds']:.2f}x")
PY
