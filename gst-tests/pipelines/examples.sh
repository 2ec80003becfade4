#!/bin/sh
# gst-omni: runs every example in examples/ on media generated here, with
# fakesinks where a display or a sound card would be needed, and checks what
# each one prints or writes, so that none rots.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: examples.sh EXAMPLES_DIR OMNI_APPSINK
#
# Media: av.mkv, 4 s of 320x240 VP8 video (SMPTE bars) with Vorbis audio
# ticks every 0.5 s (120 BPM); ticks.ogg, 8 s of the same ticks alone.
# Prints "N passed, N failed"; exit status 1 on any failure, 77 (skipped)
# when a gst-omni element the examples use is not built.
set -u
examples=${1:?usage: examples.sh EXAMPLES_DIR OMNI_APPSINK}
appsink=${2:?usage: examples.sh EXAMPLES_DIR OMNI_APPSINK}
here=$(cd "$(dirname "$0")" && pwd)
export PATH=/usr/bin:$PATH

passed=0
failed=0
check() { # check NAME COMMAND...
  name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok     $name"
  else
    failed=$((failed + 1))
    echo "FAILED $name"
  fi
}

missing=
for e in omnisampler omnivisionenc omnirhythm omniaudioenc omnifusion; do
  gst-inspect-1.0 "$e" >/dev/null 2>&1 || missing="$missing $e"
done
if [ -n "$missing" ]; then
  echo "gst-omni elements not built:$missing; the examples need them"
  exit 77
fi

tmp=$(mktemp -d /tmp/omni-examples-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# The 120 BPM click tracks come from sox: GStreamer 1.22's audiotestsrc
# wave=ticks with a tick-interval leaves part of each buffer uninitialised
# (valgrind shows it), so its output changed with meson's MALLOC_PERTURB_.
# ticks N FILE: N clicks (30 ms of 440 Hz), one every 0.5 s, 48 kHz mono
ticks() {
  sox -D -n -r 48000 -c 1 -b 16 "$2" synth 0.03 sine 440 vol 0.8 \
    pad 0 0.47 repeat $(($1 - 1)) || exit 1
}
ticks 8 "$tmp/ticks4.wav"
ticks 16 "$tmp/ticks8.wav"
gst-launch-1.0 -q videotestsrc num-buffers=100 ! \
  video/x-raw,width=320,height=240,framerate=25/1 ! vp8enc deadline=1 ! queue ! mux. \
  filesrc location="$tmp/ticks4.wav" ! wavparse ! audioconvert ! vorbisenc ! queue ! mux. \
  matroskamux name=mux ! filesink location="$tmp/av.mkv" || exit 1
gst-launch-1.0 -q filesrc location="$tmp/ticks8.wav" ! wavparse ! audioconvert ! \
  vorbisenc ! oggmux ! filesink location="$tmp/ticks.ogg" || exit 1

# count_json FILE TYPE: number of JSON lines of that "type"
count_json() {
  python3 -c 'import json,sys; print(sum(json.loads(l)["type"] == sys.argv[2] for l in open(sys.argv[1])))' "$1" "$2"
}

# --- moderate-file.sh
"$examples/moderate-file.sh" "$tmp/av.mkv" "$tmp/events.jsonl" >"$tmp/moderate.log" 2>&1
check "moderate-file.sh runs" test $? -eq 0
n=$(count_json "$tmp/events.jsonl" window 2>/dev/null || echo 0)
check "moderate-file.sh: 4 window events for 4 s ($n)" test "$n" -eq 4

# --- live-camera-overlay.sh, with live test sources for the camera and mic
VIDEO_SRC="videotestsrc is-live=true num-buffers=75 ! video/x-raw,width=320,height=240,framerate=25/1" \
AUDIO_SRC="audiotestsrc is-live=true wave=ticks num-buffers=30 samplesperbuffer=4800" \
SINK="fakesink sync=true" \
  timeout 120 "$examples/live-camera-overlay.sh" >"$tmp/live.log" 2>&1
rc=$?
check "live-camera-overlay.sh runs live to EOS" test $rc -eq 0
check "live-camera-overlay.sh: no error" sh -c "! grep -q ERROR '$tmp/live.log'"

# --- live-censor.sh, live test sources, the censor before the sinks
VIDEO_SRC="videotestsrc is-live=true num-buffers=75 ! video/x-raw,width=320,height=240,framerate=25/1" \
AUDIO_SRC="audiotestsrc is-live=true wave=ticks num-buffers=30 samplesperbuffer=4800" \
SINK="fakesink sync=true name=vsink" AUDIO_SINK="fakesink sync=true name=asink" DELAY_NS=1000000000 \
  timeout 120 "$examples/live-censor.sh" >"$tmp/censor.log" 2>&1
rc=$?
check "live-censor.sh runs live to EOS" test $rc -eq 0
check "live-censor.sh: no error" sh -c "! grep -q ERROR '$tmp/censor.log'"

# --- beat-visualiser.sh: beats of a 120 BPM tick track, 0.5 s apart
VIDEO_SINK=fakesink AUDIO_SINK=fakesink \
  timeout 120 "$examples/beat-visualiser.sh" "$tmp/ticks.ogg" >"$tmp/beats.log" 2>&1
check "beat-visualiser.sh runs" test $? -eq 0
python3 - "$tmp/beats.log" <<'PY'
import re, sys
t = [int(x) / 1e9 for x in re.findall(r'^beat: .*running-time=\(guint64\)(\d+)',
                                      open(sys.argv[1]).read(), re.M)]
d = sorted(b - a for a, b in zip(t, t[1:]))
med = d[len(d) // 2] if d else 0
print('beats: %d, median interval %.3f s' % (len(t), med))
sys.exit(0 if len(t) >= 6 and abs(med - 0.5) <= 0.025 else 1)
PY
check "beat-visualiser.sh: beats printed 0.5 s apart" test $? -eq 0

# --- podcast.sh: WebVTT of an audio-only file, a cue per 2 s window
WINDOW=2000000000 "$examples/podcast.sh" "$tmp/ticks.ogg" "$tmp/podcast.vtt" >"$tmp/podcast.log" 2>&1
check "podcast.sh runs" test $? -eq 0
check "podcast.sh: WebVTT header" sh -c "head -n 1 '$tmp/podcast.vtt' | grep -q '^WEBVTT'"
n=$(grep -c -- '-->' "$tmp/podcast.vtt" 2>/dev/null || echo 0)
check "podcast.sh: 4 cues for 8 s in 2 s windows ($n)" test "$n" -eq 4

# --- omni-appsink (C): OmniFusionMeta from the appsink, bus messages
"$appsink" "$tmp/av.mkv" >"$tmp/appsink.log" 2>"$tmp/appsink.err"
check "omni-appsink runs" test $? -eq 0
check "omni-appsink: 4 windows read from OmniFusionMeta" grep -q '^4 windows' "$tmp/appsink.log"
check "omni-appsink: windows on the 1 s grid" \
  grep -q '^window 0:00:01.000000000 - 0:00:02.000000000' "$tmp/appsink.log"
check "omni-appsink: nothing leaked (leaks tracer)" sh -c "! '$here/leaked.sh' '$tmp/appsink.err'"
"$appsink" --max-windows 2 "$tmp/av.mkv" >"$tmp/appsink2.log" 2>&1
check "omni-appsink --max-windows 2 stops early" grep -q '^2 windows' "$tmp/appsink2.log"

# --- omni-appsink.py (PyGObject): the metas through GObject-Introspection
# (the Omni-1.0 typelib of the build, on GI_TYPELIB_PATH in the test env)
python3 "$examples/omni-appsink.py" "$tmp/av.mkv" >"$tmp/py.log" 2>&1
check "omni-appsink.py runs" test $? -eq 0
check "omni-appsink.py: 4 windows" grep -q '^4 windows' "$tmp/py.log"
check "omni-appsink.py: windows on the 1 s grid" grep -q '^window 1.000 - 2.000 s' "$tmp/py.log"
if [ -f "${OMNI_BUILD_ROOT:-}/gst-libs/omni/Omni-1.0.typelib" ]; then
  check "omni-appsink.py: read from the metas (GI)" grep -q '^4 windows.*(read from the metas)' "$tmp/py.log"
  # Each window line (OmniFusionMeta) is followed by what the probes read
  # in that window: the top class of the OmniClassMetas (mean score over its
  # frames) must be the caption's, with its percentage; the embedding is
  # MobileNetV2's 1280 floats; the ticks are 120 BPM (OmniRhythmMeta).
  python3 - "$tmp/py.log" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
bad = []
windows = [(w, m) for w, m in zip(lines, lines[1:])
           if w.startswith('window ') and m.startswith('  metas: ')]
for w, m in windows:
    cap = re.search(r'\| (\S+) \((\d+)%\)', w)
    top = re.search(r'class top (\S+) ([\d.]+) over (\d+) frames \((\d+) sampled\)', m)
    emb = re.search(r'embedding dims (\S+) \((\d+) floats\)', m)
    if not (cap and top and emb):
        bad.append('unparsed: %s / %s' % (w, m))
        continue
    if top.group(1).lower() != cap.group(1) or abs(100 * float(top.group(2)) - int(cap.group(2))) > 0.5 + 1e-3:
        bad.append('top class %s %s != caption %s %s%%' % (top.group(1), top.group(2), cap.group(1), cap.group(2)))
    if top.group(3) != '2' or top.group(4) != '2':
        bad.append('not 2 sampled frames per 1 s window at 0.5 s interval: ' + m)
    if emb.group(1).split('x')[-1] != '1280' or emb.group(2) != '1280':
        bad.append('embedding not 1280 floats: ' + m)
last = windows[-1][1] if windows else ''
t = re.search(r'rhythm \d+ buffers tempo ([\d.]+) beats (\d+)', last)
if not t or abs(float(t.group(1)) - 120) > 2 or int(t.group(2)) < 1:
    bad.append('last window: no 120 BPM tempo with beats from OmniRhythmMeta: ' + last)
print('py metas: %d windows checked' % len(windows))
for b in bad:
    print('  ' + b)
sys.exit(0 if len(windows) == 4 and not bad else 1)
PY
  check "omni-appsink.py: metas agree with the captions (class, embedding, tempo)" test $? -eq 0
else
  echo "(no Omni-1.0 typelib in this build: omni-appsink.py reads the JSON events)"
fi
OMNI_EXAMPLE_JSON=1 python3 "$examples/omni-appsink.py" --max-windows 2 "$tmp/av.mkv" >"$tmp/pyjson.log" 2>&1
check "omni-appsink.py JSON fallback: note and 2 windows" \
  sh -c "grep -q '^note: reading omnifusion' '$tmp/pyjson.log' && grep -q '^2 windows.*(read from JSON events)' '$tmp/pyjson.log'"

for f in "$tmp"/*.log; do
  echo "--- $(basename "$f")"
  tail -n 15 "$f"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
