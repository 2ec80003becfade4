#!/bin/sh
# gst-omni: did a program's stderr report a leak? The one matcher that the
# Python and shell pipeline tests share (gst-tests/pipelines/leakcheck.py
# proves it fires on a deliberate leak).
#
# usage: leaked.sh STDERR_FILE   exit 0 when the file reports a leak
#
# The leaks tracer (GST_TRACERS=leaks) writes one "object-alive" record per
# leaked object when GST_TRACER is at level 7 or more, and always warns
# "Leaks detected ..." at gst_deinit().
# SPDX-License-Identifier: LGPL-2.1-or-later
grep -qE 'object-alive, type-name=\(string\)[^%]|Leaks detected' "$1"
