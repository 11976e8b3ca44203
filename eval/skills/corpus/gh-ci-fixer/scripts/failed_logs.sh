#!/usr/bin/env bash
set -euo pipefail
pr="${1:-}"
ids=$(gh pr checks $pr --json link,state -q '.[] | select(.state=="FAILURE") | .link' | sed -E 's#.*/runs/([0-9]+).*#\1#' | sort -u)
for id in $ids; do
  echo "== run $id"
  gh run view "$id" --log-failed | tail -n 200
done
