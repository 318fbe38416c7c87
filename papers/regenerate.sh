#!/bin/sh
# Regenerates everything in papers/ that comes from raw data, without running anything:
# for each results file papers/results/NAME.json, its report and figures in
# papers/results/NAME/ (gcbench report), then the generated tables of papers/newgc.md
# (gcbench report --paper). benches/tests/paper_regeneration.rs fails when these differ
# from what is checked in.
set -eu
cd "$(dirname "$0")/.."
cargo build --release -p benches --bin gcbench
for results in papers/results/*.json; do
    dir="${results%.json}"
    rm -rf "$dir"
    target/release/gcbench report "$results" --out "$dir"
done
target/release/gcbench report --paper papers/newgc.md
