#!/usr/bin/env bash
# Regenerates the voicemail prompts (config/ivr.yaml: after-hours, sales-busy, sales-message) with espeak-ng + sox.
# Output format (see sounds/README.md): 8 kHz, mono, 16-bit signed PCM WAV, normalised to -3 dBFS.
# The file name is the prompt id below sounds/en/: sounds/en/voicemail/beep.wav = voicemail/beep.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
PROMPT_PREFIX=voicemail/
. ../../speak.sh

# The beep before recording: 0.4 s of 1 kHz with 10 ms fades, then 0.1 s of silence.
sox -V1 -n -r 8000 -c 1 -b 16 -e signed-integer beep.wav synth 0.4 sine 1000 fade 0.01 0.4 0.01 pad 0 0.1 norm -3
report beep

speak after-hours "You can also leave us a message after the tone. Press the hash key when you are done."
speak leave-message "Please leave your message after the tone. Press the hash key when you are done."
speak sales-busy "All our sales agents are still busy. To leave a message for our sales team, press 2."
speak review "To keep your message, press 1. To record it again, press 2."
speak saved "Your message has been saved. We will call you back. Goodbye."
speak no-message "We did not hear a message. Goodbye."
