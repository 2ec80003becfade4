#!/bin/sh
# gst-omni example: a live camera and microphone, analysed as they come,
# with omnifusion's captions and verdicts drawn over the picture.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: live-camera-overlay.sh
#   VIDEO_SRC  live video source (default: v4l2src, the first camera)
#   AUDIO_SRC  live audio source (default: portaudiosrc, the default input)
#   SINK       video sink (default: autovideosink)
#   MODEL      image model for omnivisionenc (default nsfw)
#
# omnifusion is an aggregator: with live sources it emits each window at
# the latest when its deadline passes (window + latency) and marks a
# modality that did not arrive in time as missing, so a slow encoder or a
# muted microphone never freezes the picture. The overlay's video queue
# holds the frames until their window's caption is there.
set -eu
video_src=${VIDEO_SRC:-v4l2src}
audio_src=${AUDIO_SRC:-portaudiosrc}
sink=${SINK:-autovideosink}
model=${MODEL:-nsfw}

# shellcheck disable=SC2086 # the sources and the sink are pipeline fragments
exec gst-launch-1.0 -e \
  $video_src ! decodebin ! videoconvert ! omnisampler interval=500000000 ! \
    omnivisionenc model="$model" ! tee name=t \
  t. ! queue ! f.video \
  t. ! queue max-size-time=10000000000 max-size-buffers=0 max-size-bytes=0 ! \
    videoconvert ! ov.video_sink \
  $audio_src ! audioconvert ! audioresample ! omnirhythm ! omniaudioenc ! \
    queue ! f.audio \
  omnifusion name=f ! text/x-raw,format=utf8 ! ov.text_sink \
  textoverlay name=ov valignment=bottom shaded-background=true \
    font-desc="Sans 18" ! videoconvert ! $sink
