#!/usr/bin/env bash
# Regenerates the voicemail prompts (config/ivr.yaml: after-hours, sales-busy, sales-message) with espeak-ng + sox.
# Output format (see sounds/README.md): 8 kHz, mono, 16-bit signed PCM WAV, normalised to -3 dBFS.
# The file name is the prompt id below sounds/en/: sounds/en/voicemail/beep.wav = voicemail/beep.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
for tool in espeak-ng sox soxi; do
    command -v "$tool" >/dev/null || { echo "generate.sh: $tool is missing (apt-get install espeak-ng sox)" >&2; exit 1; }
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

report() {
    printf '%-26s %6.2f s  %s Hz  %s ch\n' "voicemail/$1" "$(soxi -D "$1.wav")" "$(soxi -r "$1.wav")" "$(soxi -c "$1.wav")"
}

speak() {
    local id="$1" text="$2"
    espeak-ng -v en-us -s 160 -a 180 -w "$tmp/speech22k.wav" "$text"
    sox -V1 "$tmp/speech22k.wav" -r 8000 -c 1 -b 16 -e signed-integer "$id.wav" norm -3
    report "$id"
}

# The beep before recording: 0.4 s of 1 kHz with 10 ms fades, then 0.1 s of silence.
sox -V1 -n -r 8000 -c 1 -b 16 -e signed-integer beep.wav synth 0.4 sine 1000 fade 0.01 0.4 0.01 pad 0 0.1 norm -3
report beep

speak after-hours "You can also leave us a message after the tone. Press the hash key when you are done."
speak leave-message "Please leave your message after the tone. Press the hash key when you are done."
speak sales-busy "All our sales agents are still busy. To leave a message for our sales team, press 2."
speak review "To keep your message, press 1. To record it again, press 2."
speak saved "Your message has been saved. We will call you back. Goodbye."
speak no-message "We did not hear a message. Goodbye."
