#!/usr/bin/env bash
# Runs every fuzz target for a fixed time from its checked-in corpus and fails on any
# crash, panic, leak of a limit or disagreement between collectors (CI calls it).
# Usage: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]   (default: 60 s, every target)
# Longer runs, a corpus of your own, minimising: see fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")"

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(lua_source binary_chunk lua_programs gc_api)
fi

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

cargo +nightly fuzz build -O

# New inputs go to a scratch directory: the checked-in corpus stays as it is.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in "${targets[@]}"; do
  mkdir -p "$work/$target"
  echo "fuzz: $target for ${seconds}s"
  # -close_fd_mask=1: the programs' own output is not the fuzzer's.
  status=0
  cargo +nightly fuzz run -O "$target" "$work/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -max_len=4096 -timeout=30 -rss_limit_mb=3072 \
    -close_fd_mask=1 -print_final_stats=1 >"$work/$target.log" 2>&1 || status=$?
  grep -a -E "^#[0-9]+ +DONE|^stat::(number_of_executed_units|average_exec_per_sec)" \
    "$work/$target.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$work/$target.log" >&2
    echo "fuzz: $target failed; the input is under fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
