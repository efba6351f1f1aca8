# Shared by the prompt generators (sounds/generate.sh and sounds/en/*/generate.sh): source it, do not run it.
# Checks the tools, makes a temp dir removed on exit, and defines:
#   speak ID TEXT [WORDS_PER_MINUTE [EXTRA SOX EFFECTS...]]  -> ID.wav: 8 kHz, mono, 16-bit PCM, normalised to -3 dBFS
#   report ID                                                -> one line: prompt id, length, rate, channels
# PROMPT_PREFIX (e.g. "ivr/") is printed before the id so the line shows the prompt id of config/ivr.yaml.
for tool in espeak-ng sox soxi; do
    command -v "$tool" >/dev/null || { echo "generate.sh: $tool is missing (apt-get install espeak-ng sox)" >&2; exit 1; }
done
speak_tmp="$(mktemp -d)"
trap 'rm -rf "$speak_tmp"' EXIT

report() {
    printf '%-36s %6.2f s  %s Hz  %s ch\n' "${PROMPT_PREFIX:-}$1" "$(soxi -D "$1.wav")" "$(soxi -r "$1.wav")" "$(soxi -c "$1.wav")"
}

speak() {
    local id="$1" text="$2" wpm="${3:-160}"
    shift $(( $# < 3 ? $# : 3 ))
    espeak-ng -v en-us -s "$wpm" -a 180 -w "$speak_tmp/speech22k.wav" "$text"
    # -V1: "pad: Input audio too short" is expected when trim cuts the padded tail.
    sox -V1 "$speak_tmp/speech22k.wav" -r 8000 -c 1 -b 16 -e signed-integer "$id.wav" norm -3 "$@"
    report "$id"
}
