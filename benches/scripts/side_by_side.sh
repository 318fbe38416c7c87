#!/usr/bin/env bash
# Side-by-side runs of luagc's collectors and the real interpreters on the workloads:
# every configuration once per round, rounds alternating, so machine noise hits all
# alike. Raw output (wall time and peak RSS from /usr/bin/time, luagc's --stats-json)
# goes to OUT; benches/scripts/side_by_side_summary.py OUT turns it into the tables of
# papers/newgc-results.md.
#   cargo build --profile dist -p vm-harness && benches/scripts/side_by_side.sh [OUT]
set -u
cd "$(dirname "$0")/../.."
B=${LUAGC:-target/dist/luagc}
W=workloads/lua
OUT=${1:-target/side_by_side}
mkdir -p "$OUT" && rm -f "$OUT"/*

run() { # tag workload arg command...
  local tag=$1 wl=$2 arg=$3
  shift 3
  /usr/bin/time -f "%e %M" -o "$OUT/time_${wl}_${tag}_$r" "$@" "$W/$wl.lua" $arg >/dev/null 2>>"$OUT/err"
}

luagc_all() { # workload arg
  for c in stw epsilon; do run "$c" "$1" "$2" "$B" --gc "$c" --stats-json "$OUT/json_$1_${c}_$r"; done
  run newgc "$1" "$2" "$B" --gc newgc --stats-json "$OUT/json_$1_newgc_$r"
  for m in inc gen; do
    mode=incremental; [ $m = gen ] && mode=generational
    run "newgc-$m" "$1" "$2" "$B" --gc newgc --gc-mode $mode --stats-json "$OUT/json_$1_newgc-${m}_$r"
  done
}

# fib(30) takes tens of ms, near /usr/bin/time's 10 ms resolution: it is also timed as
# five runs in one loop (workload fib_x5), the interpreters alternating per round.
fib_x5() { # tag command...
  local tag=$1
  shift
  /usr/bin/time -f "%e %M" -o "$OUT/time_fib_x5_${tag}_$r" \
    bash -c 'for k in 1 2 3 4 5; do "$@" >/dev/null || exit 1; done' _ "$@" "$W/fib.lua" 30 \
    2>>"$OUT/err"
}

for r in 1 2 3; do
  for wl in binary_trees fib; do
    arg=""
    [ $wl = fib ] && arg=30
    luagc_all $wl "$arg"
    for peer in lua5.4 lua5.1 luajit; do run $peer $wl "$arg" $peer; done
    # The standalone lua5.4 starts in generational mode; its incremental mode too.
    run lua5.4-inc $wl "$arg" lua5.4 -e "collectgarbage('incremental')"
  done
  fib_x5 stw "$B" --gc stw
  for peer in lua5.4 lua5.1 luajit; do fib_x5 $peer $peer; done
done
for r in 1 2 3; do
  luagc_all live_tables ""
  run lua5.4 live_tables "" lua5.4
  run lua5.4-inc live_tables "" lua5.4 -e "collectgarbage('incremental')"
done
# The pause target's workload: newgc's pauses are also timed in thread CPU time, which
# tells a preempted virtual CPU from the collector's own work.
for r in 1 2; do
  for m in inc gen; do
    mode=incremental; [ $m = gen ] && mode=generational
    run "newgc-$m" lru_cache "" "$B" --gc newgc --gc-mode $mode --pause-cpu-time \
      --stats-json "$OUT/json_lru_cache_newgc-${m}_$r"
  done
  run stw lru_cache "" "$B" --gc stw --stats-json "$OUT/json_lru_cache_stw_$r"
done
