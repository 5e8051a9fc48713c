#!/usr/bin/env bash
# The Snakemake export, run by the real Snakemake (Debian `snakemake`),
# reproduces the local runner's outputs byte for byte; its SLURM profile
# parses (a dry run with the profile).
source "$(dirname "$0")/../cli/lib.sh"
source "$(dirname "$0")/lib.sh"
command -v snakemake >/dev/null || { fail "snakemake is not installed (scripts/bootstrap installs it)"; finish; }
cd "$work"
make_bids bids
write_tiny_pipeline p.yaml
"$P" run p.yaml --out local --jobs 2 -q || fail "local run failed"
"$P" export p.yaml --out smk --snakemake wf -q || fail "export failed"
for f in wf/Snakefile wf/config.yaml wf/profiles/slurm/config.yaml; do [ -s "$f" ] || fail "export did not write $f"; done
grep -q '^rule upsample:' wf/Snakefile && grep -q 'threads: 2' wf/Snakefile || fail "Snakefile lacks the rule or its threads"
grep -q 'sbatch .*--cpus-per-task={threads} --mem={resources.mem_mb}M' wf/profiles/slurm/config.yaml || fail "profile does not submit with sbatch resources"

# The commands Snakemake runs are the local runner's, word for word.
(cd wf && snakemake -s Snakefile --cores 2 --quiet >../smk.log 2>&1) || fail "snakemake failed: $(tail -20 smk.log)"
[ "$(outputs_of smk)" = "$(outputs_of local)" ] || fail "different outputs: $(outputs_of smk) vs $(outputs_of local)"
for f in $(outputs_of local); do cmp -s "local/$f" "smk/$f" || fail "$f differs between Snakemake and the local runner"; done
"$AXON_PYTHON" - local smk <<'PY' || fail "command lines differ"
import json, glob, os, sys
loc = sorted(json.load(open(f))["command_line"] for f in glob.glob(sys.argv[1] + "/.axon-pipeline/jobs/*.json"))
smk = sorted(json.load(open(f))["Provenance"]["command_line"] for f in glob.glob(sys.argv[2] + "/sub-*/func/*.json"))
assert len(loc) == 6 and loc == smk, (loc, smk)
PY
# Nothing left to do for Snakemake either, and the SLURM profile is well formed.
(cd wf && snakemake -s Snakefile --cores 2 -n >../noop.log 2>&1); grep -q 'Nothing to be done' noop.log || fail "snakemake wants to re-run"

(cd wf && snakemake -s Snakefile --profile profiles/slurm --forceall -n >../profile.log 2>&1) || fail "dry run with the SLURM profile failed: $(tail -20 profile.log)"
grep -q 'upsample' profile.log || fail "the profile dry run plans nothing: $(tail profile.log)"
finish
