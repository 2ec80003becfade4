#!/bin/sh
# gst-omni example: audio-only analysis of a podcast or a recording: speech,
# music (with tempo) and silence per window, as WebVTT captions.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: podcast.sh AUDIO_FILE [OUT.vtt]
#   WINDOW  window length in ns (default 5000000000: one caption per 5 s)
#
# webvttenc writes buffer timestamps as they are, which is the media's time
# for an ordinary audio file; omni-analyze converts running time to media
# time itself, for files whose timeline does not start at 0.
set -eu
input=${1:?usage: podcast.sh AUDIO_FILE [OUT.vtt]}
out=${2:-podcast.vtt}
window=${WINDOW:-5000000000}

exec gst-launch-1.0 -q -e \
  filesrc location="$input" ! decodebin ! audioconvert ! audioresample ! \
    omnirhythm ! omniaudioenc ! f.audio \
  omnifusion name=f window="$window" ! text/x-raw,format=utf8 ! \
    webvttenc ! filesink location="$out"
