#!/usr/bin/env bash
# Runs the gc-core micro-benchmarks once per arena size (64 KB, 256 KB, 1 MB), each build in
# its own target directory, and prints the criterion medians side by side.
# Usage: benches/scripts/arena_sizes.sh [SHIFT...]   (default: 16 18 20)
set -euo pipefail
cd "$(dirname "$0")/../.."
shifts=("${@:-16 18 20}")
for shift in ${shifts[@]}; do
  echo "== arena 2^$shift bytes"
  GC_CORE_ARENA_SHIFT=$shift CARGO_TARGET_DIR="$PWD/target/arena-$shift" \
    cargo bench -q -p benches -- --noplot 2>/dev/null |
    grep -E '^[a-z_0-9]+/|time:|thrpt:'
done
