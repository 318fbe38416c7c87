#!/bin/sh
# Reruns every measurement of the paper from scratch: builds luagc (dist profile) and
# gcbench, runs the paper's three matrices (suite, sweep, large heaps; see README.md for
# how long each takes and how much memory), copies their results into papers/results/
# and regenerates every report, figure and table from them (regenerate.sh).
#
# The runs write to target/paper-runs/ so that the tree stays clean while they run (a
# results file records the commit and any uncommitted change). Run again after an
# interruption: a matrix whose results are complete there is skipped, an interrupted
# one is resumed (gcbench refuses when the commit has changed since it started).
set -eu
cd "$(dirname "$0")/.."
cargo build --profile dist -p vm-harness
cargo build --release -p benches --bin gcbench
mkdir -p target/paper-runs
for name in paper-suite paper-sweep paper-large; do
    out="target/paper-runs/$name.json"
    if [ ! -e "$out" ]; then
        target/release/gcbench run "benches/matrices/$name.toml" --out "$out"
    elif ! grep -q '"complete": true' "$out"; then
        target/release/gcbench run --resume "$out"
    fi
done
for name in paper-suite paper-sweep paper-large; do
    cp "target/paper-runs/$name.json" "papers/results/$name.json"
done
papers/regenerate.sh
