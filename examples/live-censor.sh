#!/bin/sh
# gst-omni example: a live camera and microphone, moderated, with the
# censor before the sinks: what omnifusion flags is blurred or muted
# before it airs, behind a fixed broadcast delay.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: live-censor.sh
#   VIDEO_SRC   live video source (default: v4l2src, the first camera)
#   AUDIO_SRC   live audio source (default: portaudiosrc, the default input)
#   SINK        video sink (default: autovideosink)
#   AUDIO_SINK  audio sink (default: autoaudiosink)
#   MODEL       image model for omnivisionenc (default nsfw)
#   DELAY_NS    the broadcast delay, nanoseconds (default 3 s)
#
# The media is split: one copy goes to the analysis (omnisampler,
# omnivisionenc, omnirhythm, omniaudioenc → omnifusion), the other waits in
# omnicensor for omnifusion's verdicts; the sinks play it DELAY_NS late
# (omnicensor adds the delay to the latency), so that a verdict that takes
# a second still censors the frames it is about. The queues in front of
# omnicensor must hold the delay.
set -eu
video_src=${VIDEO_SRC:-v4l2src}
audio_src=${AUDIO_SRC:-portaudiosrc}
sink=${SINK:-autovideosink}
audio_sink=${AUDIO_SINK:-autoaudiosink}
model=${MODEL:-nsfw}
delay=${DELAY_NS:-3000000000}
hold="max-size-time=$((delay + 2000000000)) max-size-buffers=0 max-size-bytes=0"

# shellcheck disable=SC2086 # the sources, sinks and queue sizes are fragments
exec gst-launch-1.0 -e \
  omnicensor name=c delay="$delay" video-action=pixelate strength=24 \
  omnifusion name=f ! application/x-omni-events ! queue ! c.verdict_sink \
  $video_src ! decodebin ! videoconvert ! video/x-raw,format=I420 ! \
    omnisampler interval=500000000 ! tee name=v \
  v. ! queue ! omnivisionenc model="$model" ! f.video \
  v. ! queue $hold ! c.video_sink \
  c.video_src ! videoconvert ! $sink \
  $audio_src ! audioconvert ! audioresample ! audio/x-raw,format=F32LE ! tee name=a \
  a. ! queue ! omnirhythm ! omniaudioenc ! queue ! f.audio \
  a. ! queue $hold ! c.audio_sink \
  c.audio_src ! audioconvert ! $audio_sink
