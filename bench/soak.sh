#!/usr/bin/env bash
# Manual (not CI) memory soak for issue 20: 4 live synthetic streams
# (320x240@15, 2 fps sampling, omnivisionenc with the default model shared
# through the session cache, omnirhythm, omnifusion) publishing to a private
# Mosquitto broker for 30 minutes; prints the RSS every 30 s and its slope.
# Runs at the lowest CPU priority, so that it can share a machine.
#   bench/soak.sh [SECONDS] [LOG]     (default 1800, bench-soak.log)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${OMNI_BUILDDIR:-$top/build}
seconds=${1:-1800}
log=${2:-bench-soak.log}
export GST_PLUGIN_PATH_1_0=$builddir/plugins/omni
export OMNI_MODEL_PATH=${OMNI_MODEL_PATH:-$builddir/models}
if [ -z "${VK_DRIVER_FILES:-}${OMNI_VK_DEVICE:-}" ]; then
  lvp=$(ls /usr/share/vulkan/icd.d/lvp_icd.*.json 2>/dev/null | head -n 1)
  [ -n "$lvp" ] && export VK_DRIVER_FILES=$lvp VK_ICD_FILENAMES=$lvp
fi
{
  echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
    "$(nproc) cores; start $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
  nice -n 19 "$builddir/bench/bench-streams" soak --n 4 --seconds "$seconds" \
    --sample-s 30
  echo "end $(date -u +%FT%TZ)"
} 2>&1 | tee "$log"
