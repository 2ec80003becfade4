#!/usr/bin/env bash
# gst-omni example: captions (words with times) and moderation key phrases
# from a recording or a microphone, with omnispeech.
#
#   captions.sh talk.mp4               words as they are recognised
#   captions.sh talk.mp4 talk.vtt      WebVTT, one cue per word
#   captions.sh --live                 from the default microphone (Ctrl-C)
#   KEYWORDS=words.kws captions.sh ... also print the key phrases spotted
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${OMNI_BUILD_DIR:-$here/../build}
if [ -d "$build/plugins" ]; then
  export GST_PLUGIN_PATH="$build/plugins/omni${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
fi
if [ $# -lt 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  exit $(( $# < 1 ? 2 : 0 ))
fi
gst-inspect-1.0 omnispeech >/dev/null 2>&1 ||
  { echo "captions.sh: omnispeech not found (build gst-omni with libpocketsphinx-dev)" >&2; exit 1; }

if [ "$1" = --live ]; then
  src=(autoaudiosrc !)
  props=(latency=3000000000)
else
  [ -f "$1" ] || { echo "captions.sh: no such file: $1" >&2; exit 1; }
  src=(filesrc "location=$1" ! decodebin !)
  props=()
fi
[ -n "${KEYWORDS:-}" ] && props+=("keywords=$KEYWORDS")

if [ $# -ge 2 ]; then
  exec gst-launch-1.0 -q -e "${src[@]}" audioconvert ! omnispeech "${props[@]}" ! \
    webvttenc ! filesink "location=$2"
fi

# one line per utterance ("1.230-4.560 the words") and per key phrase
# ("2.300-2.610 KEYWORD kill"), from omnispeech's bus messages
gst-launch-1.0 -m -e "${src[@]}" audioconvert ! omnispeech "${props[@]}" ! \
  fakesink sync=false 2>&1 | awk '
  function str(s, key,    v) {
    if (!match(s, key "=\\(string\\)")) return ""
    v = substr(s, RSTART + RLENGTH)
    if (substr(v, 1, 1) == "\"") { v = substr(v, 2); sub(/[^\\]".*/, substr(v, index(v, "\"") - 1, 1), v) }
    else sub(/[,;].*/, "", v)
    gsub(/\\/, "", v); return v }
  function num(s, key,    v) {
    if (!match(s, "[ ,]" key "=\\(guint64\\)[0-9]+")) return 0
    v = substr(s, RSTART, RLENGTH); sub(/.*\)/, "", v); return v / 1e9 }
  /\(element\): omnispeech, / {
    printf "%.3f-%.3f %s\n", num($0, "start"), num($0, "end"), str($0, "text"); fflush() }
  /\(element\): omnispeech-keyword, / {
    printf "%.3f-%.3f KEYWORD %s\n", num($0, "start"), num($0, "end"), str($0, "keyword"); fflush() }
  /^ERROR|^WARNING/ { print > "/dev/stderr" }'
