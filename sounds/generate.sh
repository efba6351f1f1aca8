#!/usr/bin/env bash
# Regenerates the committed test prompts under sounds/en/ with espeak-ng + sox.
# Output format (see sounds/README.md): 8 kHz, mono, 16-bit signed PCM WAV, normalised to -3 dBFS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
for tool in espeak-ng sox soxi; do
    command -v "$tool" >/dev/null || { echo "generate.sh: $tool is missing (apt-get install espeak-ng sox)" >&2; exit 1; }
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p en

# speak WORDS_PER_MINUTE TEXT OUT [EXTRA SOX EFFECTS...]
speak() {
    local wpm="$1" text="$2" out="$3"; shift 3
    espeak-ng -v en-us -s "$wpm" -a 180 -w "$tmp/speech22k.wav" "$text"
    # -V1: "pad: Input audio too short" is expected when trim cuts the padded tail.
    sox -V1 "$tmp/speech22k.wav" -r 8000 -c 1 -b 16 -e signed-integer "$out" norm -3 "$@"
}

# prompt-test: played by test number 9001, then the server hangs up. About 4.3 s.
speak 180 "This is the Telephony prompt test. Your call is working. Goodbye." en/prompt-test.wav

# bench-prompt: played by bench number 9002 before it echoes. Exactly 8.0 s (padded with silence or trimmed).
speak 150 "This is the Telephony benchmark prompt. After this message, what you say is echoed back to you until you hang up." \
    en/bench-prompt.wav pad 0 8 trim 0 8

for f in en/prompt-test.wav en/bench-prompt.wav; do
    printf '%-22s %6.2f s  %s Hz  %s ch\n' "$f" "$(soxi -D "$f")" "$(soxi -r "$f")" "$(soxi -c "$f")"
done
