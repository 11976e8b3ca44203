#!/usr/bin/env bash
set -euo pipefail
ctx=$(kubectl config current-context)
read -r -p "Deploy to $ctx? [y/N] " ok
[[ "$ok" == "y" ]] || exit 1
helm upgrade --install "$1" "./charts/$1" -n "${NS:-default}" --wait
kubectl rollout status "deploy/$1" -n "${NS:-default}"
