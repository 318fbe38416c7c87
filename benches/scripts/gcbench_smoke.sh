#!/usr/bin/env bash
# Builds luagc as it is timed (the dist profile: fat LTO) and runs the quick matrix once over every
# workload at its smoke size, with every collector and every interpreter on PATH: a
# check that the whole comparison works end to end, in seconds. Its numbers mean nothing.
# Usage: benches/scripts/gcbench_smoke.sh [gcbench run options...]   (e.g. --out smoke.json)
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build -q --profile dist -p vm-harness
cargo build -q --release -p benches --bin gcbench
"$target/release/gcbench" run --size smoke --invocations 1 --luagc "$target/dist/luagc" "$@"
