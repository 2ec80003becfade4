#!/usr/bin/python3
# gst-omni: the suite's leak checks can fail. Runs a program that leaks one
# GstBuffer on purpose (gst-tests/libs/leaky.c) under the suite's own
# environment (GST_TRACERS=leaks, GST_DEBUG as gst-tests/meson.build sets
# it) and asserts that:
#  - leaked.sh (the matcher analyze.py and examples.sh use) reports the leak,
#    and reports nothing for the same program without the leak;
#  - the gst-check form of the leak fails its test program.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: leakcheck.py LEAKY LEAKED_SH

import os
import subprocess
import sys
import tempfile

LEAKY, LEAKED = sys.argv[1:3]
passed = failed = 0


def check(ok, what):
    global passed, failed
    passed += bool(ok)
    failed += not ok
    print('%s %s' % ('ok    ' if ok else 'FAILED', what))


def stderr_of(args):
    r = subprocess.run([LEAKY] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    f = tempfile.NamedTemporaryFile(delete=False, suffix='.err')
    f.write(r.stderr)
    f.close()
    return r.returncode, f.name


def leaked(path):
    return subprocess.run([LEAKED, path]).returncode == 0


check('leaks' in os.environ.get('GST_TRACERS', ''), 'GST_TRACERS has the leaks tracer')
rc, err = stderr_of(['--leak'])
check(leaked(err), 'leaked.sh reports a deliberately leaked GstBuffer')
with open(err, errors='replace') as f:
    check('object-alive' in f.read(),
          'GST_DEBUG lets the tracer log each leaked object (object-alive)')
os.unlink(err)
rc, err = stderr_of([])
check(rc == 0 and not leaked(err), 'leaked.sh reports nothing when nothing leaks')
os.unlink(err)
r = subprocess.run([LEAKY, '--check'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                   timeout=60)
check(r.returncode != 0, 'a gst-check case that leaks fails its test program')

print('%d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
