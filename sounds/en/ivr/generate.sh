#!/usr/bin/env bash
# Regenerates the support-line IVR prompts (config/ivr.yaml) with espeak-ng + sox.
# Output format (see sounds/README.md): 8 kHz, mono, 16-bit signed PCM WAV, normalised to -3 dBFS.
# The file name is the prompt id below sounds/en/: sounds/en/ivr/welcome.wav = ivr/welcome.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
PROMPT_PREFIX=ivr/
. ../../speak.sh

speak welcome "Thank you for calling Telephony customer support."
speak main-menu "For sales, press 1. For technical support, press 2. For billing, press 3. For an emergency, press 9. To speak to an operator, press 0."
speak invalid-option "Sorry, that is not a valid option."
speak no-input "Sorry, we did not receive your choice."
speak enter-account "Please enter your account number, followed by the hash key."
speak invalid-account "Sorry, that account number is not valid."
speak emergency "You are being connected with priority to our emergency team."
speak closed "Our office is closed. Our hours are Monday to Friday, eight A M to six P M, and Saturday, nine A M to one P M. Please call again. Goodbye."
speak all-busy "All our agents are still busy. Please call again later. Goodbye."
speak technical-difficulties "We are sorry, we are experiencing technical difficulties. Please call again later. Goodbye."
