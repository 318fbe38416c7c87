#!/usr/bin/env bash
# Regenerate (--regen) or verify (default) the expected outputs of the Lua 5.1
# test corpus against the reference interpreter (Debian's lua5.1 + lua-bitop).
#
# Protocol (see README.md):
#   cd <corpus dir>; lua5.1 NAME.lua </dev/null
#   stdout must equal NAME.expected byte for byte.
#   If NAME.expected_err exists: exit status must be non-zero and the first
#   line of stderr, minus the leading "PROGNAME: ", must equal its content.
#   Otherwise the exit status must be 0.
#
# Scripts named uncaught_*.lua or syntax_*.lua are the ones meant to die;
# --regen refuses to record an error for any other script and refuses to
# record a success for those.
set -u
LUA=${LUA:-lua5.1}
cd "$(dirname "$0")" || exit 2

mode=check
case "${1:-}" in
  --regen) mode=regen ;;
  "") ;;
  *) echo "usage: $0 [--regen]" >&2; exit 2 ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail=0
n=0
for script in *.lua; do
  name=${script%.lua}
  n=$((n + 1))
  "$LUA" "$script" </dev/null >"$tmp/out" 2>"$tmp/err"
  rc=$?
  # first stderr line, leading "PROGNAME: " removed
  head -n 1 "$tmp/err" | sed "s/^$LUA: //" >"$tmp/err1"
  case "$name" in
    uncaught_*|syntax_*) wants_error=1 ;;
    *) wants_error=0 ;;
  esac

  if [ "$mode" = regen ]; then
    if [ "$wants_error" = 1 ] && [ "$rc" = 0 ]; then
      echo "REGEN ERROR: $name should die but exited 0" >&2; fail=1; continue
    fi
    if [ "$wants_error" = 0 ] && [ "$rc" != 0 ]; then
      echo "REGEN ERROR: $name exited $rc: $(cat "$tmp/err1")" >&2; fail=1; continue
    fi
    cp "$tmp/out" "$name.expected"
    if [ "$wants_error" = 1 ]; then
      cp "$tmp/err1" "$name.expected_err"
    else
      rm -f "$name.expected_err"
    fi
  else
    bad=""
    if [ ! -f "$name.expected" ]; then
      bad="missing $name.expected"
    elif ! cmp -s "$tmp/out" "$name.expected"; then
      bad="stdout differs"
    fi
    if [ -f "$name.expected_err" ]; then
      if [ "$rc" = 0 ]; then
        bad="${bad:+$bad; }exit status 0, expected non-zero"
      elif ! cmp -s "$tmp/err1" "$name.expected_err"; then
        bad="${bad:+$bad; }first stderr line differs"
      fi
    elif [ "$rc" != 0 ]; then
      bad="${bad:+$bad; }exit status $rc, expected 0"
    fi
    if [ -n "$bad" ]; then
      echo "MISMATCH $name: $bad"
      fail=1
    fi
  fi
done

# expected files without a script
for f in *.expected *.expected_err; do
  [ -e "$f" ] || continue
  base=${f%.expected_err}; base=${base%.expected}
  if [ ! -f "$base.lua" ]; then
    echo "ORPHAN $f (no $base.lua)"; fail=1
  fi
done

if [ "$mode" = regen ]; then
  [ "$fail" = 0 ] && echo "regenerated $n scripts" || echo "regen had errors"
else
  [ "$fail" = 0 ] && echo "all $n scripts match lua5.1" || echo "some scripts do not match"
fi
exit $fail
