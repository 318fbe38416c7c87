#!/bin/sh
# Instructions (callgrind, load-independent) of luagc and lua5.4 on the interpreter
# benchmarks of this directory and fib, at sizes callgrind runs in seconds.
#   benches/scripts/interp/compare.sh [LUAGC]   (default target/dist/luagc)
set -eu
luagc=${1:-target/dist/luagc}
dir=$(dirname "$0")
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '%-16s %14s %14s %6s\n' program luagc lua5.4 ratio
for job in "workloads/lua/fib.lua 25" "$dir/method_calls.lua 300000" \
  "$dir/closure_calls.lua 300000" "$dir/field_loops.lua 300"; do
  set -- $job
  g=$(count "$luagc" --gc newgc --gc-step-deadline off "$@")
  l=$(count lua5.4 "$@")
  printf '%-16s %14d %14d %6.2f\n' "$(basename "$1" .lua)" "$g" "$l" \
    "$(echo "$g / $l" | bc -l)"
done
