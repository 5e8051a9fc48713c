#!/usr/bin/env bash
# The shared conventions: --help/--version, --json on stdout, provenance
# sidecars with input checksums, the TR warning on a header that lies.
source "$(dirname "$0")/lib.sh"
img="$AXON_BIN/axon-image"
PY=${AXON_PYTHON:-/usr/bin/python3}
"$img" --help | grep -q "Commands:" || fail "axon-image --help"
"$img" resample --help | grep -q -- "--like REF" || fail "resample --help lacks --like"
"$img" --version | grep -q "^axon-image [0-9]" || fail "--version"
"$img" >/dev/null 2>&1; [ $? -eq 2 ] || fail "no arguments should exit 2"
"$img" info --json $T/ch2.nii.gz > "$work/info.json" || fail "info --json"
"$PY" -c "import json,sys; j=json.load(open(sys.argv[1])); assert j['images'][0]['sform_code']==4" "$work/info.json" \
  || fail "info --json is not one JSON object with sform_code 4"
# Provenance sidecar
"$img" resample -q $T/aal.nii.gz "$work/aal3.nii.gz" --like $T/AICHAmc.nii.gz || fail "resample"
[ -f "$work/aal3.json" ] || fail "no sidecar"
sum=$(sha256sum $T/aal.nii.gz | cut -d' ' -f1)
"$PY" - "$work/aal3.json" "$sum" <<'PY' || fail "sidecar provenance incomplete"
import json, sys
j = json.load(open(sys.argv[1]))
p = j["Provenance"]
assert p["tool"] == "axon-image" and p["command"] == "resample", p
assert p["version"] and p["git_commit"], p
assert "resample" in p["command_line"], p
assert p["parameters"]["interp"] == "auto", p
assert any(i["sha256"] == sys.argv[2] for i in p["inputs"]), p["inputs"]
PY
# nibabel's example4d stores TR 2000 with units "sec": the summary warns.
"$img" info --header-only /usr/lib/python3/dist-packages/nibabel/tests/data/example4d.nii.gz | grep -q "implausible" \
  || fail "no warning for the implausible TR of example4d"
finish
