#!/usr/bin/env bash
# The AddressSanitizer build (issue 12): gc-core's tests, the Lua corpus under every
# collector and under --gc-stress, and every workload at smoke size, all built with
# nightly's -Zsanitizer=address and `--cfg gc_poison`, under which every space poisons
# the blocks it frees (gc-core/src/heap/poison.rs). A use of a dead object then aborts
# at the access with a stack. Then the deliberately broken reads of gc-core/tests/poison.rs
# must each abort with a report, or the sanitizer is not watching.
set -euo pipefail
cd "$(dirname "$0")/.."

export RUSTFLAGS="-Zsanitizer=address --cfg gc_poison"
# Its own target directory (other flags), and an explicit target so that build scripts
# and proc macros are built without the sanitizer.
export CARGO_TARGET_DIR=target/asan
TARGET=x86_64-unknown-linux-gnu
asan_test() { cargo +nightly test --release --target "$TARGET" "$@"; }

start=$SECONDS
# Every gc-core test but the 5 GiB churn (its page-residency checks measure the OS, not
# the heap's use of memory, and the sanitizer's shadow memory would dominate them).
asan_test -p gc-core --tests -- --skip churns_through_five_gib
# Under the sanitizer only the stress runs: they run every collector that frees (each in
# each of its modes) through the same VM code as plain runs, and free far more often.
# The corpus under --gc-stress 1 (through the ASan luagc).
asan_test -p vm-harness --test corpus -- --exact corpus_passes_under_gc_stress
# Every workload at smoke size under --gc-stress 997.
asan_test -p benches --test workloads_smoke -- --exact every_workload_agrees_under_gc_stress

# Each deliberate read of a freed block must abort with AddressSanitizer's report.
poison_tests=$(asan_test -p gc-core --test poison --no-run 2>&1 |
  sed -n 's/.*Executable tests\/poison.rs (\(.*\))/\1/p')
for name in an_object_the_bitmap_sweep_freed a_block_in_the_free_bins \
  a_leaf_in_an_arena_the_sweep_released a_huge_block_the_lazy_sweep_took; do
  if out=$("$poison_tests" --ignored --exact "$name" 2>&1); then
    echo "asan.sh: $name read a freed block and did not abort" >&2
    exit 1
  fi
  if ! grep -q "ERROR: AddressSanitizer: use-after-poison" <<<"$out"; then
    echo "asan.sh: $name failed without an AddressSanitizer report:" >&2
    echo "$out" >&2
    exit 1
  fi
  echo "asan.sh: $name aborted with an AddressSanitizer report, as it must"
done
echo "asan.sh: done in $((SECONDS - start)) s"
