#!/usr/bin/env bash
# gst-omni example: live tempo and beats from a microphone.
#
#   portaudiosrc ! audioconvert ! audioresample ! omnirhythm ! fakesink
#
# run with gst-launch-1.0 -m; the omnirhythm element messages on the bus are
# printed one per line as they come (tempo every interval, each beat, and
# onsets with --onsets). Stop with Ctrl-C (the pipeline gets EOS first).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: live-mic.sh [options]

Prints live tempo (BPM) and beats of the audio from a PortAudio input device,
using portaudiosrc and omnirhythm.

Options:
  -d, --device DEV        PortAudio input device: index or name (default: the
                          default input device)
  -a, --host-api API      PortAudio host API: alsa, jack, oss, coreaudio,
                          wasapi, asio, ... (default: any)
  -t, --duration SECONDS  stop after SECONDS (default: run until Ctrl-C)
  -r, --rate HZ           capture rate (default: what the device prefers)
  -c, --channels N        capture channels (default: 2 if the device has them)
      --latency-ms MS     capture block (latency-time), milliseconds
                          (default: 10)
      --rhythm PROPS      extra omnirhythm properties, e.g. "interval=500000000"
      --onsets            also print onsets
      --raw               print the omnirhythm messages as they are
  -l, --list              list the PortAudio input devices and exit
  -n, --dry-run           print the gst-launch-1.0 command and exit
  -h, --help              this help

Environment:
  OMNI_BUILD_DIR   a gst-omni build directory whose plugins are used first
                   (default: build/ next to this script's directory, if present)

Examples:
  live-mic.sh
  live-mic.sh --host-api alsa --device default --duration 30
  live-mic.sh --list
EOF
}

device=""
host_api=""
duration=""
rate=""
channels=""
latency_ms=10
rhythm_props=""
onsets=0
raw=0
list=0
dry_run=0

need_arg() {
  if [ $# -lt 2 ] || [ -z "$2" ]; then
    echo "live-mic.sh: $1 needs a value (see --help)" >&2
    exit 2
  fi
}

while [ $# -gt 0 ]; do
  case "$1" in
    -d|--device) need_arg "$@"; device=$2; shift 2 ;;
    -a|--host-api) need_arg "$@"; host_api=$2; shift 2 ;;
    -t|--duration) need_arg "$@"; duration=$2; shift 2 ;;
    -r|--rate) need_arg "$@"; rate=$2; shift 2 ;;
    -c|--channels) need_arg "$@"; channels=$2; shift 2 ;;
    --latency-ms) need_arg "$@"; latency_ms=$2; shift 2 ;;
    --rhythm) need_arg "$@"; rhythm_props=$2; shift 2 ;;
    --onsets) onsets=1; shift ;;
    --raw) raw=1; shift ;;
    -l|--list) list=1; shift ;;
    -n|--dry-run) dry_run=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "live-mic.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

is_number() { [[ "$1" =~ ^[0-9]+([.][0-9]+)?$ ]]; }
if [ -n "$duration" ] && ! is_number "$duration"; then
  echo "live-mic.sh: --duration must be a number of seconds" >&2; exit 2
fi
if [ -n "$rate" ] && ! [[ "$rate" =~ ^[0-9]+$ ]]; then
  echo "live-mic.sh: --rate must be an integer (Hz)" >&2; exit 2
fi
if [ -n "$channels" ] && ! [[ "$channels" =~ ^[1-9][0-9]*$ ]]; then
  echo "live-mic.sh: --channels must be a positive integer" >&2; exit 2
fi
if ! [[ "$latency_ms" =~ ^[0-9]+$ ]] || [ "$latency_ms" -lt 1 ]; then
  echo "live-mic.sh: --latency-ms must be a positive integer" >&2; exit 2
fi

# Use the freshly built plugins when run from a source tree.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${OMNI_BUILD_DIR:-$here/../build}
if [ -d "$build/plugins" ]; then
  export GST_PLUGIN_PATH="$build/plugins/omni:$build/plugins/portaudio${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
fi

for tool in gst-launch-1.0 gst-inspect-1.0; do
  command -v "$tool" >/dev/null ||
    { echo "live-mic.sh: $tool not found (Debian: gstreamer1.0-tools)" >&2; exit 1; }
done

if [ "$list" = 1 ]; then
  command -v gst-device-monitor-1.0 >/dev/null ||
    { echo "live-mic.sh: gst-device-monitor-1.0 not found (Debian: gstreamer1.0-plugins-base-apps)" >&2; exit 1; }
  # keep the portaudio devices: their blocks name device.api = portaudio
  gst-device-monitor-1.0 Audio/Source 2>/dev/null | awk '
    /^Device found:/ { if (block != "" && pa) print block; block = $0 "\n"; pa = 0; next }
    { if (block != "") block = block $0 "\n" }
    /device.api = portaudio/ { pa = 1 }
    END { if (block != "" && pa) print block }'
  exit 0
fi

# the pipeline as gst-launch-1.0 arguments, one per token (gst-launch-1.0
# escapes each, so a device name with spaces stays one value)
desc=(portaudiosrc "latency-time=$((latency_ms * 1000))")
[ -n "$device" ] && desc+=("device=$device")
[ -n "$host_api" ] && desc+=("host-api=$host_api")
caps="audio/x-raw"
[ -n "$rate" ] && caps="$caps,rate=$rate"
[ -n "$channels" ] && caps="$caps,channels=$channels"
desc+=(! "$caps" ! audioconvert ! audioresample ! omnirhythm name=rhythm)
if [ -n "$rhythm_props" ]; then
  read -r -a extra <<<"$rhythm_props"
  desc+=("${extra[@]}")
fi
desc+=(! fakesink sync=false)

if [ "$dry_run" = 1 ]; then
  printf 'gst-launch-1.0 -m -e'
  printf ' %q' "${desc[@]}"
  printf '\n'
  exit 0
fi

for element in portaudiosrc omnirhythm; do
  if ! gst-inspect-1.0 "$element" >/dev/null 2>&1; then
    echo "live-mic.sh: element $element not found; build gst-omni (meson setup build && ninja -C build)" >&2
    echo "             or point OMNI_BUILD_DIR / GST_PLUGIN_PATH at its plugins" >&2
    exit 1
  fi
done

# gst-launch-1.0 -m prints each bus message as
#   Got message #N from element "rhythm" (element): omnirhythm, tempo=(double)120.5, ...;
# Print the tempo, beat and onset messages of omnirhythm, one line each.
format_messages() {
  awk -v raw="$raw" -v onsets="$onsets" '
    function field(s, names,    n, i, name, re, v) {
      n = split(names, name, "|")
      for (i = 1; i <= n; i++) {
        re = "[ ,]" name[i] "=\\([a-z0-9]+\\)[^,;]*"
        if (match(s, re)) {
          v = substr(s, RSTART, RLENGTH)
          sub(/^[ ,][^=]*=\([a-z0-9]+\)/, "", v)
          return v
        }
      }
      return ""
    }
    function clock(ns,    s) {
      if (ns == "") return "        "
      s = ns / 1e9
      return sprintf("%02d:%06.3f", int(s / 60), s - 60 * int(s / 60))
    }
    /from element "rhythm"/ {
      msg = $0
      sub(/^.*\(element\): /, "", msg)
      name = msg
      sub(/,.*$/, "", name)
      sub(/;$/, "", name)
      if (raw == 1) { print msg; fflush(); next }
      t = field(msg, "running-time|timestamp|stream-time|time")
      if (name == "omnirhythm") {
        bpm = field(msg, "tempo|bpm")
        conf = field(msg, "tempo-confidence|confidence")
        rms = field(msg, "rms-db|rms")
        line = clock(t) "  tempo " (bpm == "" ? "?" : sprintf("%6.1f", bpm)) " BPM"
        if (conf != "") line = line sprintf("  confidence %.2f", conf)
        if (rms != "") line = line sprintf("  level %6.1f dBFS", rms)
        print line
      } else if (name == "omnirhythm-beat") {
        bpm = field(msg, "tempo|bpm")
        print clock(t) "  beat" (bpm == "" ? "" : sprintf("  (%.1f BPM)", bpm))
      } else if (name == "omnirhythm-onset" && onsets == 1) {
        s = field(msg, "strength|onset-strength")
        print clock(t) "  onset" (s == "" ? "" : sprintf("  strength %.3f", s))
      }
      fflush()
      next
    }
    /^ERROR|^WARNING|^Additional debug info|^[^G].*[.]c\([0-9]+\)/ { print > "/dev/stderr"; fflush() }
  '
}

# gst-launch-1.0 writes to a pipe in blocks: line-buffer it so that messages
# show as they come
launch=(gst-launch-1.0 -m -e)
if command -v stdbuf >/dev/null; then
  launch=(stdbuf -oL "${launch[@]}")
fi
echo "live-mic.sh: gst-launch-1.0 -m -e ${desc[*]}" >&2
status=0
if [ -n "$duration" ]; then
  # SIGINT makes gst-launch-1.0 -e send EOS and stop cleanly
  timeout -s INT "$duration" "${launch[@]}" "${desc[@]}" 2>&1 | format_messages ||
    status=$?
  # the duration running out is the normal end
  [ "$status" = 124 ] && status=0
else
  "${launch[@]}" "${desc[@]}" 2>&1 | format_messages || status=$?
fi
exit "$status"
