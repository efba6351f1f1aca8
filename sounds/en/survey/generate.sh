#!/usr/bin/env bash
# Regenerates the post-call survey prompts (config/ivr.yaml, flow csat) with espeak-ng + sox.
# Output format (see sounds/README.md): 8 kHz, mono, 16-bit signed PCM WAV, normalised to -3 dBFS.
# The file name is the prompt id below sounds/en/: sounds/en/survey/rate.wav = survey/rate.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
for tool in espeak-ng sox soxi; do
    command -v "$tool" >/dev/null || { echo "generate.sh: $tool is missing (apt-get install espeak-ng sox)" >&2; exit 1; }
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

speak() {
    local id="$1" text="$2"
    espeak-ng -v en-us -s 160 -a 180 -w "$tmp/speech22k.wav" "$text"
    sox -V1 "$tmp/speech22k.wav" -r 8000 -c 1 -b 16 -e signed-integer "$id.wav" norm -3
    printf '%-26s %6.2f s  %s Hz  %s ch\n' "survey/$id" "$(soxi -D "$id.wav")" "$(soxi -r "$id.wav")" "$(soxi -c "$id.wav")"
}

speak rate "Before you go, please rate our service today. Press 1 if you were very unhappy, up to 5 if you were very happy."
speak invalid-score "Please press a number from 1 to 5."
speak solved "Was your problem solved? Press 1 for yes, or 2 for no."
speak thank-you "Thank you for your feedback. Goodbye."
