#!/usr/bin/env bash
# Pipeline-file validation: each mistake is refused before anything runs,
# with one error line pointing at the file's line, exit 3, no output folder.
source "$(dirname "$0")/../cli/lib.sh"
source "$(dirname "$0")/lib.sh"
cd "$work"
make_bids bids
write_tiny_pipeline good.yaml
"$P" run good.yaml --dry-run --out out >/dev/null || fail "the valid pipeline is refused"

# expect_invalid NAME LINE PATTERN: a copy of good.yaml edited by the sed
# script on stdin is refused with "NAME.yaml:LINE: ...PATTERN...".
expect_invalid() {
  local name=$1 line=$2 pattern=$3
  sed -f /dev/stdin good.yaml >"$name.yaml"
  "$P" run "$name.yaml" --out "out-$name" >/dev/null 2>"$name.err"
  local rc=$?
  [ "$rc" -eq 3 ] || fail "$name: exit $rc, expected 3: $(cat "$name.err")"
  [ "$(wc -l <"$name.err")" -eq 1 ] || fail "$name: $(wc -l <"$name.err") lines on stderr: $(cat "$name.err")"
  grep -q "^axon-pipeline: error: $name.yaml:$line: .*$pattern" "$name.err" ||
    fail "$name: expected '$name.yaml:$line: ...$pattern', got: $(cat "$name.err")"
  [ -e "out-$name" ] && fail "$name: the output folder was created"
  return 0
}
expect_invalid unknown_tool 11 "unknown tool 'axon-nosuch'" <<<'11s/axon-image/axon-nosuch/'
expect_invalid unknown_command 12 "unknown command 'tmeen'" <<<'s/command: tmean/command: tmeen/'
expect_invalid unknown_option 20 "unknown option 'level'" <<<'s/options: {levels:/options: {level:/'
expect_invalid bad_choice 26 "'cubic' is not one of" <<<'s/interp: linear/interp: cubic/'
expect_invalid undefined_parameter 20 "undefined parameter or entity {depth}" <<<'s/"{levels}"/"{depth}"/'
expect_invalid undefined_entity 14 "{run} in .* is not an entity of step 'mean'" <<<'s/desc-mean_bold.nii.gz}/"sub-{subject}\/run-{run}_mean.nii.gz"}/'
expect_invalid missing_input 24 "missing input file .*nosuch.nii.gz" <<<'s/like: mean.OUT/like: nosuch.nii.gz/'
expect_invalid no_bids_match 8 "no file under .* matches" <<<'8s/_bold.nii.gz/_T1w.nii.gz/'
expect_invalid cycle 10 "cycle: mean -> denoise -> mean" <<<'s/SERIES: bold/SERIES: denoise.OUT/'
expect_invalid same_output 25 "two steps write sub-01/func/sub-01_task-rest_desc-mean_bold.nii.gz" <<<'s/desc-resampled_bold/desc-mean_bold/'
expect_invalid no_such_output 18 "step 'mean' has no output 'OUTPUT'" <<<'s/IN: mean.OUT}/IN: mean.OUTPUT}/'
expect_invalid missing_required 21 "needs --like (required)" <<<'s/, like: mean.OUT//'
expect_invalid wrong_section 26 "'like' .* is an input file: list it under inputs" <<<'s/, like: mean.OUT//;s/interp: linear/like: x.nii.gz/'
expect_invalid yaml_syntax 20 "not valid YAML" <<<'s/options: {levels: "{levels}"}/options: {levels: [2}/'
expect_invalid not_integer 20 "'two' is not an integer" <<<'s/"{levels}"/two/'
expect_invalid report_output 15 "report: step 'mean' has no output 'OUTPUT' (its outputs: OUT)" <<<'14a\    report: [{output: OUTPUT, key: a}]'
# Routes: a condition is decided from parameters only; a step that is in may
# not read one that is out; NAME inside an output needs a folder output.
expect_invalid when_entity 13 "condition '{subject} == 01' uses the entity {subject}" <<<'12a\    when: "{subject} == 01"'
expect_invalid when_off_read 19 "step 'denoise' reads 'mean.OUT', but step 'mean' is off (when: {levels} == 9)" <<<'12a\    when: "{levels} == 9"'
expect_invalid inside_a_file 18 "output 'OUT' of step 'mean' is a file, not a folder" <<<'s/IN: mean.OUT}/IN: mean.OUT\/x.nii.gz}/'
# A step's when: and an input's {if, then, else} follow --set.
sed -e '/^  upsample:/a\    when: "{levels} != 2"' -e 's/like: mean.OUT}/like: {if: "{levels} == 2", then: mean.OUT, else: denoise.OUT}}/' \
  good.yaml >routes.yaml
"$P" run routes.yaml --dry-run --out out >routes.txt 2>err || fail "routes.yaml refused: $(cat err)"
[ "$(grep -c '^axon-' routes.txt)" -eq 4 ] || fail "levels=2: $(grep -c '^axon-' routes.txt) jobs, expected 4 (upsample off)"
"$P" run routes.yaml --dry-run --out out --set levels=3 >routes3.txt 2>err || fail "routes.yaml --set levels=3: $(cat err)"
[ "$(grep -c '^axon-' routes3.txt)" -eq 6 ] || fail "levels=3: $(grep -c '^axon-' routes3.txt) jobs, expected 6"
grep -q 'resample .*_desc-wavelet_bold.nii.gz .*--like .*_desc-wavelet_bold.nii.gz' routes3.txt || fail "the else branch was not taken: $(grep resample routes3.txt)"

# A bad --set is a usage error (exit 2), an unknown subject invalid input (3).
"$P" run good.yaml --dry-run --out out --set depth=3 >/dev/null 2>err; rc=$?
[ "$rc" -eq 2 ] && grep -q "has no parameter 'depth'" err || fail "--set depth: exit $rc: $(cat err)"
"$P" run good.yaml --dry-run --out out --subjects 03 >/dev/null 2>err; rc=$?
[ "$rc" -eq 3 ] && grep -q "subject '03' has no input files" err || fail "--subjects 03: exit $rc: $(cat err)"
# --set reaches the command lines; --subjects keeps only those jobs.
"$P" run good.yaml --dry-run --out out --set levels=3 --subjects 02 >dry.txt 2>err || fail "dry run with --set: $(cat err)"
[ "$(grep -c '^axon-' dry.txt)" -eq 3 ] || fail "--subjects 02 gave $(grep -c '^axon-' dry.txt) jobs, expected 3"
grep -q 'wavelet .*--levels 3' dry.txt || fail "--set levels=3 not in the command line: $(cat dry.txt)"
grep -q 'sub-01' dry.txt && fail "--subjects 02 still runs sub-01"
# Every ready-made pipeline in pipelines/ validates against the tools' own
# declarations (a dry run on a tiny BIDS tree holding the files they read).
for s in 01 02; do
  mkdir -p shipped/sub-$s/anat
  for m in T1w ce-gadolinium_T1w T2w FLAIR; do  # t1-structural, brain-tumour
    cp bids/sub-$s/func/sub-${s}_task-rest_bold.nii.gz shipped/sub-$s/anat/sub-${s}_$m.nii.gz
  done
  mkdir -p shipped/sub-$s/func && cp bids/sub-$s/func/* shipped/sub-$s/func/
  cp bids/sub-$s/func/sub-${s}_task-rest_bold.nii.gz shipped/sub-$s/func/sub-${s}_task-rest_desc-brain_mask.nii.gz
  for d in preproc_bold brain_mask; do  # fmriprep-connectivity
    cp bids/sub-$s/func/sub-${s}_task-rest_bold.nii.gz shipped/sub-$s/func/sub-${s}_task-rest_space-MNI152NLin2009cAsym_desc-$d.nii.gz
  done
  printf 'trans_x\n0\n' > shipped/sub-$s/func/sub-${s}_task-rest_desc-confounds_timeseries.tsv
done
for f in "$AXON_SOURCE"/pipelines/*.yaml; do
  folder=bids; [ "$(basename "$f")" = fmriprep-connectivity.yaml ] && folder=fmriprep  # its folder parameter
  "$P" run "$f" --set $folder=shipped --out "out-$(basename "$f")" --dry-run >shipped.txt 2>shipped.err ||
    fail "$(basename "$f") does not validate: $(cat shipped.err)"
  grep -q ' of [1-9][0-9]* jobs would run' shipped.txt || fail "$(basename "$f") plans no jobs: $(cat shipped.txt)"
done
finish
