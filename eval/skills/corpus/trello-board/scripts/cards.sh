#!/usr/bin/env bash
set -euo pipefail
: "${TRELLO_API_KEY:?set TRELLO_API_KEY}"
: "${TRELLO_TOKEN:?set TRELLO_TOKEN}"
list="$1"
curl -s "https://api.trello.example.invalid/1/lists/$list/cards?key=$TRELLO_API_KEY&token=$TRELLO_TOKEN" | jq -r '.[] | "\(.id) \(.name)"'
