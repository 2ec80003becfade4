#!/usr/bin/python3
# gst-omni: every GStreamer element that the tools, the examples and the
# docs use is installed. scripts/setup must install the package of each one
# (a missing package fails CI, not a user's first run).
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: elements_present.py SOURCE_ROOT
#
# Element names are collected from:
#  - gst-launch-1.0 pipelines in examples/*.sh, README.md and docs/**/*.md
#    (the first word of every '!'-separated part, and any other bare word
#    of a part that is neither a property, a caps string nor a pad name);
#  - make (app, "NAME" / gst_element_factory_make ("NAME" / the
#    known-elements table in tools/*.c and examples/*.c;
#  - ElementFactory.make ("NAME" in examples/*.py.
# Each is looked up with Gst.ElementFactory.find. gst-omni's own elements
# are looked up too (the suite builds them; GST_PLUGIN_PATH points there).

import glob
import os
import re
import sys

import gi
gi.require_version('Gst', '1.0')
from gi.repository import Gst  # noqa: E402

ROOT = sys.argv[1]
Gst.init(None)
WORD = re.compile(r'^[a-z][a-z0-9_]*$')


def launch_commands(text):
    """gst-launch-1.0 command lines, with shell line continuations joined."""
    text = text.replace('\\\n', ' ')
    for line in text.splitlines():
        i = line.find('gst-launch-1.0')
        if i < 0 or line.lstrip().startswith('#') or line[:i].endswith('`'):
            continue
        cmd = line[i + len('gst-launch-1.0'):]
        if '!' in cmd:
            yield cmd


def elements_in_pipeline(cmd):
    cmd = re.sub(r'"[^"]*"|\'[^\']*\'', ' ', cmd)       # quoted values
    cmd = re.sub(r'[|;&>].*$|\s#.*$', ' ', cmd)         # the shell after it
    for part in cmd.split('!'):
        for tok in part.split():
            if tok.startswith('-') or '=' in tok or '.' in tok or '/' in tok:
                continue
            if tok.startswith('$') or tok.startswith('(') or tok == '\\':
                continue
            if WORD.match(tok):
                yield tok


def used_elements():
    found = {}
    docs = [os.path.join(ROOT, 'README.md')]
    docs += glob.glob(os.path.join(ROOT, 'docs', '**', '*.md'), recursive=True)
    scripts = glob.glob(os.path.join(ROOT, 'examples', '*.sh'))
    for path in docs + scripts:
        with open(path, encoding='utf-8') as f:
            for cmd in launch_commands(f.read()):
                for e in elements_in_pipeline(cmd):
                    found.setdefault(e, os.path.relpath(path, ROOT))
    code = glob.glob(os.path.join(ROOT, 'tools', '*.c'))
    code += glob.glob(os.path.join(ROOT, 'examples', '*.c'))
    code += glob.glob(os.path.join(ROOT, 'examples', '*.py'))
    pat = re.compile(r'(?:make \(app, |gst_element_factory_make \(|ElementFactory\.make\(|'
                     r'^\s*\{ (?="[a-z0-9_]+", "gst))"([a-z][a-z0-9_]*)"', re.M)
    for path in code:
        with open(path, encoding='utf-8') as f:
            for m in pat.finditer(f.read()):
                found.setdefault(m.group(1), os.path.relpath(path, ROOT))
    return found


passed = failed = 0
used = used_elements()
for name in sorted(used):
    f = Gst.ElementFactory.find(name)
    if f:
        passed += 1
        print('ok     %s (%s; used in %s)' % (name, f.get_plugin_name(), used[name]))
    else:
        failed += 1
        print('FAILED %s is not installed (used in %s): add its package to scripts/setup'
              % (name, used[name]))
if len(used) < 20:
    failed += 1
    print('FAILED only %d element names found: the scanner is broken' % len(used))
print('%d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
