#!/bin/sh
# gst-omni example: moderate a file, writing omnifusion's events (one JSON
# object per window and per flagged-segment change) to a JSON-lines file.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: moderate-file.sh INPUT [EVENTS.jsonl]
#   MODEL     image model for omnivisionenc (default nsfw)
#   INTERVAL  time between analysed frames, ns (default 500000000: 2 per s)
#   POLICY    omnifusion policy file (default: the built-in policy)
#
# The input needs a video and an audio stream (for audio only, see
# podcast.sh). omni-analyze does the same, and more, in one command.
set -eu
input=${1:?usage: moderate-file.sh INPUT [EVENTS.jsonl]}
out=${2:-events.jsonl}
model=${MODEL:-nsfw}
interval=${INTERVAL:-500000000}
policy=${POLICY:+policy=$POLICY}

# shellcheck disable=SC2086 # $policy is empty or one word
exec gst-launch-1.0 -q -e \
  filesrc location="$input" ! decodebin name=d \
  d. ! queue ! videoconvert ! omnisampler interval="$interval" ! \
    omnivisionenc model="$model" ! queue max-size-time=5000000000 ! f.video \
  d. ! queue ! audioconvert ! audioresample ! omnirhythm ! omniaudioenc ! \
    queue max-size-time=5000000000 ! f.audio \
  omnifusion name=f $policy ! application/x-omni-events ! \
    filesink location="$out"
