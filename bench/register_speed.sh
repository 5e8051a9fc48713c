#!/usr/bin/env bash
# Registration speed to the template (issue 20), axon-register beside
# elastix in the same run, on the same inputs, with the same threads:
#   2 mm  an IXI head with skull (../shared/data/ixi, 2 mm) to Colin27
#         (mricron-data's ch2, block means to 2 mm), rigid + affine + SyN;
#   1 mm  a BraTS 2018 T1 (skull-stripped, 1 mm, 240 x 240 x 155) to
#         colin27-brain (ch2bet, 1 mm, 181 x 217 x 181), rigid + affine + SyN.
# elastix runs its usual affine + B-spline maps (bench/elastix_maps.sh).
# Prints wall seconds, peak memory and the ratio axon / elastix per case.
# Usage: bench/register_speed.sh [BUILD] [THREADS]
set -euo pipefail
build=${1:-build}; threads=${2:-2}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
shared="${AXON_SHARED_DATA:-$root/../shared/data}"
[ -d "$shared/ixi/t1" ] && [ -d "$shared/brats2018" ] || { echo "register_speed: SKIP: no IXI or BraTS data under $shared"; exit 0; }
rg="$build/apps/axon-register"
have_elastix=1; command -v elastix >/dev/null || have_elastix=0
[ $have_elastix = 1 ] || echo "register_speed: elastix not installed (scripts/bootstrap): axon rows only" >&2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
source "$here/elastix_maps.sh"
write_elastix_maps "$work"
T=/usr/share/mricron/templates
"$PY" - "$work" "$T" <<'PY'
import sys
import nibabel as nib, numpy as np
w, T = sys.argv[1:]
b = nib.load(f"{T}/ch2.nii.gz")
a = b.affine.copy(); a[:3, 3] += a[:3, :3] @ [0.5, 0.5, 0.5]; a[:3, :3] *= 2
d = np.asarray(b.dataobj)[:180, :216, :180].astype(np.float32).reshape(90, 2, 108, 2, 90, 2).mean(axis=(1, 3, 5))
img = nib.Nifti1Image(d, a); img.header.set_sform(a, 4); img.header.set_qform(a, 1)
nib.save(img, f"{w}/colin27_2mm.nii.gz")
PY
head2=$(ls "$shared/ixi/t1"/*_T1.nii.gz | sort | head -1)
brats=$(ls -d "$shared/brats2018"/*/ | sort | head -1); brats1=$(ls "$brats"*_t1.nii.gz)
# peak MB and wall s of a command: /usr/bin/time's %M (KB) and %e.
measure() { /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }
            awk '{printf "%.1f\t%.0f", $1, $2 / 1024}' "$work/t"; }
uptime >&2
printf "case\ttool\twall_s\tpeak_MB\n" | tee "$work/rows.tsv"
run_case() {  # NAME FIXED MOVING
  local name=$1 fixed=$2 moving=$3
  printf "%s\taxon\t%s\n" "$name" "$(measure "$rg" run -q --threads "$threads" "$fixed" "$moving" --out-transform "$work/r${name%%:*}_")" \
    | tee -a "$work/rows.tsv"
  if [ $have_elastix = 1 ]; then
    mkdir -p "$work/e${name%%:*}"
    printf "%s\telastix\t%s\n" "$name" "$(measure elastix -f "$fixed" -m "$moving" -p "$work/affine.txt" \
      -p "$work/bspline.txt" -out "$work/e${name%%:*}" -threads "$threads")" | tee -a "$work/rows.tsv"
  fi
}
run_case "2mm:$(basename "$head2" .nii.gz)->colin27" "$work/colin27_2mm.nii.gz" "$head2"
run_case "1mm:$(basename "$brats1" .nii.gz)->colin27-brain" "$T/ch2bet.nii.gz" "$brats1"   # a path: elastix reads no template names
"$PY" - "$work/rows.tsv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
for case in dict.fromkeys(r["case"] for r in rows):
    t = {r["tool"]: float(r["wall_s"]) for r in rows if r["case"] == case}
    if "elastix" in t:
        print(f"{case}: axon {t['axon']:.1f} s, elastix {t['elastix']:.1f} s, axon / elastix {t['axon'] / t['elastix']:.2f}")
PY
