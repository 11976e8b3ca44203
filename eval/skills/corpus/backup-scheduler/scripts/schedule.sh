#!/usr/bin/env bash
set -euo pipefail
hh="${1%%:*}"; mm="${1##*:}"
(crontab -l 2>/dev/null | grep -v restic-backup; echo "$mm $hh * * * restic -r ~/backups backup ~/Documents # restic-backup") | crontab -
echo "scheduled at $1"
