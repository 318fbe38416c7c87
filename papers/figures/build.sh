#!/bin/sh
# Regenerates the paper's figures: every papers/figures/*.dot to the .svg beside it.
# Needs Graphviz (`apt-get install graphviz`).
set -eu
cd "$(dirname "$0")"
for source in *.dot; do
    dot -Tsvg "$source" -o "${source%.dot}.svg"
done
