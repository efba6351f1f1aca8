#!/usr/bin/env bash
# Regenerates the queue prompts (announcements, feature-code confirmations, hold tone) with espeak-ng + sox.
# Output format (see sounds/README.md): 8 kHz, mono, 16-bit signed PCM WAV. Prompt id = path below sounds/:
# en/queue/hold = sounds/en/queue/hold.wav (the default hold audio, QueueCallCoordinator.DefaultHoldMusic).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
PROMPT_PREFIX=en/queue/
. ../../speak.sh

speak you-are-caller-number "You are caller number"
speak your-estimated-wait-is "Your estimated wait is"
speak minutes "minutes"
speak less-than-a-minute "less than a minute"
for d in 0 1 2 3 4 5 6 7 8 9; do speak "digit-$d" "$d"; done
speak logged-in "You are logged in."
speak logged-out "You are logged out."
speak paused "You are paused."
speak resumed "You are available again."
speak not-possible "Sorry, that is not possible now."
speak callback-offer "To be called back, press 1. You keep your place in line."
speak callback-number-is "We will call you back at"
speak callback-confirm "To confirm, press 1. To use another number, enter it now, followed by the hash key."
speak callback-enter-number "Please enter the number to call you back at, followed by the hash key."
speak callback-invalid "Sorry, that number is not valid."
speak callback-booked "Thank you. We will call you back. You keep your place in line. Goodbye."
speak disposition-saved "Disposition saved."

# Hold audio: a soft 440 Hz tone for 0.8 s, then 2.2 s of silence: 3 s per loop.
sox -V1 -n -r 8000 -c 1 -b 16 -e signed-integer hold.wav synth 0.8 sine 440 vol 0.25 pad 0 2.2
report hold
