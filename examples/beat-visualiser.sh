#!/bin/sh
# gst-omni example: a music visualiser that follows the beat. goom draws
# the sound, omnifusion writes "music, 120 BPM"-style captions over it, and
# every beat omnirhythm tracks is printed as it happens (its
# omnirhythm-beat messages, with their exact running time).
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: beat-visualiser.sh AUDIO_FILE
#   VIDEO_SINK  (default autovideosink)   AUDIO_SINK  (default autoaudiosink)
set -eu
input=${1:?usage: beat-visualiser.sh AUDIO_FILE}
video_sink=${VIDEO_SINK:-autovideosink}
audio_sink=${AUDIO_SINK:-autoaudiosink}

# shellcheck disable=SC2086 # the sinks are pipeline fragments
gst-launch-1.0 -e -m \
  filesrc location="$input" ! decodebin ! audioconvert ! audioresample ! \
    omnirhythm ! tee name=t \
  t. ! queue max-size-time=5000000000 ! f.audio \
  t. ! queue ! audioconvert ! $audio_sink \
  t. ! queue max-size-time=5000000000 max-size-buffers=0 max-size-bytes=0 ! \
    goom ! video/x-raw,width=640,height=360 ! videoconvert ! ov.video_sink \
  omnifusion name=f ! text/x-raw,format=utf8 ! ov.text_sink \
  textoverlay name=ov font-desc="Sans 24" valignment=top ! videoconvert ! \
    $video_sink |
  sed -u -n 's/.*omnirhythm-beat, /beat: /p'
