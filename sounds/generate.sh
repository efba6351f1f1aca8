#!/usr/bin/env bash
# Regenerates the committed test prompts under sounds/en/ with espeak-ng + sox.
# Output format (see sounds/README.md): 8 kHz, mono, 16-bit signed PCM WAV, normalised to -3 dBFS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
. ./speak.sh
mkdir -p en

# prompt-test: played by test number 9001, then the server hangs up. About 4.3 s.
speak en/prompt-test "This is the Telephony prompt test. Your call is working. Goodbye." 180

# bench-prompt: played by bench number 9002 before it echoes. Exactly 8.0 s (padded with silence or trimmed).
speak en/bench-prompt "This is the Telephony benchmark prompt. After this message, what you say is echoed back to you until you hang up." \
    150 pad 0 8 trim 0 8

