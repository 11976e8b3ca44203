#!/usr/bin/env bash
# Read-only cryptojacking triage: lists suspicious processes and pool connections.
set -u
echo "== top CPU"
ps -eo pid,user,pcpu,comm --sort=-pcpu | head -15
echo "== miner-like process names"
pgrep -a -f 'xmrig|xmr-stak|cpuminer|minerd' || echo none
echo "== stratum ports"
ss -tnp 2>/dev/null | grep -E ':(3333|4444|5555|14444)\b' || echo none
