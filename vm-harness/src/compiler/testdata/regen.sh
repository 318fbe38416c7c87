#!/bin/sh
# Regenerates the expected listings from Debian's real Lua 5.1 compiler.
# Run from this directory: sh regen.sh
set -e
cd bytecode
for f in *.lua; do
  luac5.1 -o /dev/null -l -l "$f" > "${f%.lua}.luac.txt"
done
cd ../errors
for f in *.lua; do
  # luac5.1 prints "luac5.1: <message>"; keep the message only.
  luac5.1 -p "$f" 2>&1 | sed 's/^luac5\.1: //' > "${f%.lua}.expected" || true
done
