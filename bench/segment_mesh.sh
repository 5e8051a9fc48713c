#!/usr/bin/env bash
# axon-segment mesh on the AAL atlas (181x217x181, 116 labels):
# 1. accuracy: for every STEP-th label, the enclosed volume of its surface
#    (sidecar volume_mm3) over its voxel-count volume (nibabel), without and
#    with smoothing (20 windowed-sinc iterations), and with decimation 0.5;
# 2. speed: all 116 labels in one run (flying edges + smoothing + normals,
#    .vtp) against scikit-image's marching_cubes (Lewiner) run per label on
#    the same image with the affine applied, no smoothing: wall time, peak
#    memory, CPU seconds and the ratio;
# 3. memory: the three tissue classes of ch2bet at 1 mm (axon-segment
#    tissue), meshed as the t1-structural pipeline's surfaces step does
#    (--smooth 20 --decimate 0.5): wall time, peak memory, points.
# Usage: bench/segment_mesh.sh [BUILD] [STEP] [THREADS]
set -euo pipefail
build=${1:-build}; step=${2:-10}; threads=${3:-2}
PY=/usr/bin/python3
aal=/usr/share/mricron/templates/aal.nii.gz
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
sg="$build/apps/axon-segment"
uptime
echo "label voxels_mm3 ratio_smooth0 ratio_smooth20 ratio_smooth20_decimate0.5"
for label in $(seq 1 "$step" 116); do
  v=$("$PY" -c "import nibabel as n, numpy as np, sys; print(int((np.asarray(n.load('$aal').dataobj) == $label).sum()))")
  row="$label $v"
  for opts in "--smooth 0" "--smooth 20" "--smooth 20 --decimate 0.5"; do
    # shellcheck disable=SC2086
    "$sg" mesh -q --threads "$threads" "$aal" "$work/m.vtp" --label "$label" $opts --force
    row="$row $("$PY" -c "import json; print('%.4f' % (json.load(open('$work/m.json'))['SurfaceMesh']['volume_mm3'] / $v))")"
  done
  echo "$row"
done
cat > "$work/peer.py" <<'PY'
import sys, nibabel as nib, numpy as np
from skimage.measure import marching_cubes
img = nib.load(sys.argv[1]); d = np.pad(np.asarray(img.dataobj), 1)
a = img.affine
n = 0
for label in np.unique(d)[1:]:
    v, f, _, _ = marching_cubes((d == label).astype(np.float32), 0.5)
    v = (v - 1) @ a[:3, :3].T + a[:3, 3]
    n += len(f)
print(n)
PY
timed() { /usr/bin/time -f "%e %M %U %S" -o "$work/t" "$@" >/dev/null 2>&1; cat "$work/t"; }
a=$(timed "$sg" mesh -q --threads "$threads" "$aal" "$work/all.vtp" --force)
p=$(OMP_NUM_THREADS=1 timed "$PY" "$work/peer.py" "$aal")
echo "tool wall_s peak_MB cpu_s"
echo "$a" | awk '{printf "axon-mesh %.2f %.0f %.2f\n", $1, $2/1024, $3+$4}'
echo "$p" | awk '{printf "skimage-mc %.2f %.0f %.2f\n", $1, $2/1024, $3+$4}'
echo "$a $p" | awk '{printf "speed ratio (skimage / axon, wall): %.1f\n", $5/$1}'
ch2bet=/usr/share/mricron/templates/ch2bet.nii.gz
"$sg" tissue -q --threads "$threads" "$ch2bet" --mask "$ch2bet" --out-labels "$work/tissue.nii.gz"
t=$(timed "$sg" mesh -q --threads "$threads" "$work/tissue.nii.gz" "$work/tissue.vtp" --smooth 20 --decimate 0.5 --force)
pts=$("$PY" -c "import json; print(json.load(open('$work/tissue.json'))['SurfaceMesh']['points'])")
echo "tissue classes of ch2bet, --smooth 20 --decimate 0.5:"
echo "$t $pts" | awk '{printf "axon-mesh %.2f s, peak %.0f MB, cpu %.2f s, %d points\n", $1, $2/1024, $3+$4, $5}'
