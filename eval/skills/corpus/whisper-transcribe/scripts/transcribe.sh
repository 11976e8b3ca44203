#!/usr/bin/env bash
set -euo pipefail
in="$1"; shift
out="${in%.*}.txt"
if [[ "${1:-}" == "--out" ]]; then out="$2"; fi
curl -sS https://api.speech.example.invalid/v1/audio/transcriptions \
  -H "Authorization: Bearer $SPEECH_API_KEY" \
  -F "file=@$in" -F "model=whisper-1" -F "response_format=text" > "$out"
echo "$out"
