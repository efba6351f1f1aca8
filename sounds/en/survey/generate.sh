#!/usr/bin/env bash
# Regenerates the post-call survey prompts (config/ivr.yaml, flow csat) with espeak-ng + sox.
# Output format (see sounds/README.md): 8 kHz, mono, 16-bit signed PCM WAV, normalised to -3 dBFS.
# The file name is the prompt id below sounds/en/: sounds/en/survey/rate.wav = survey/rate.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
PROMPT_PREFIX=survey/
. ../../speak.sh

speak rate "Before you go, please rate our service today. Press 1 if you were very unhappy, up to 5 if you were very happy."
speak invalid-score "Please press a number from 1 to 5."
speak solved "Was your problem solved? Press 1 for yes, or 2 for no."
speak thank-you "Thank you for your feedback. Goodbye."
