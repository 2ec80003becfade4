#!/usr/bin/env python3
# gst-omni: runs examples/live-mic.sh end to end on a fake microphone that
# plays a 120 BPM click track in real time, and checks what it prints.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The microphone is ALSA's `file` PCM over `null` in a private ALSA
# configuration, reading its samples from file descriptor 200: the ALSA end
# of a socketpair this script writes to at the real-time rate (the same fake
# device as gst-tests/elements/portaudiofake.c; see docs/elements/portaudio.md).
# Usage: portaudio_live_mic.py SOURCE_ROOT BUILD_ROOT [SECONDS]

import array
import fcntl
import math
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import time

RATE = 48000
BPM = 120.0
FD = 200


def click(i, period):
    """A click track: a 10 ms decaying 2 kHz burst at every beat."""
    k = i % period
    if k < 480:
        return 0.8 * math.exp(-k / 100.0) * math.sin(2 * math.pi * 2000 * k / RATE)
    return 0.0


def main():
    src_root, build_root = sys.argv[1], sys.argv[2]
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 7.0
    tmp = tempfile.mkdtemp(prefix='omni-live-mic-')
    conf = os.path.join(tmp, 'asound.conf')
    with open(conf, 'w') as f:
        f.write('pcm.mic { type file slave.pcm { type null } file "/dev/null" '
                'infile %d format "raw" }\n'
                # PortAudio 19.6 asserts unless one PCM is skipped or "default"
                'pcm.default { type null }\n' % FD)

    dev_end, mic_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    os.dup2(dev_end.fileno(), FD)
    dev_end.close()
    # a read of the device waits for all it asks for (alsa-lib pads short
    # reads with silence)
    s = socket.socket(fileno=os.dup(FD))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVLOWAT, 1 << 30)
    s.close()

    env = dict(os.environ, ALSA_CONFIG_PATH=conf, JACK_NO_START_SERVER='1',
               OMNI_BUILD_DIR=build_root)
    # PortAudio's format probes make alsa-lib's `file` PCM over `null` malloc
    # a ~3 GB buffer it never touches; MALLOC_PERTURB_ (set by meson test)
    # would fill it on every probe (see portaudiofake.c)
    env.pop('MALLOC_PERTURB_', None)
    cmd = [os.path.join(src_root, 'examples', 'live-mic.sh'), '--device', 'mic',
           '--rate', str(RATE), '--channels', '1', '--duration', str(seconds)]
    proc = subprocess.Popen(cmd, env=env, pass_fds=(FD,), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    os.close(FD)

    period = int(RATE * 60 / BPM)
    block = RATE // 100
    # Like a real microphone, send nothing before the stream runs: send one
    # block of silence and wait until the device has read it (the socket's
    # unread count, SIOCOUTQ, drops to 0), so no backlog piles up while
    # gst-launch-1.0 starts.
    mic_end.sendall(bytes(2 * block))
    outq = array.array('i', [1])
    while proc.poll() is None:
        fcntl.ioctl(mic_end.fileno(), termios.TIOCOUTQ, outq, True)
        if outq[0] == 0:
            break
        time.sleep(0.005)
    sent = 0
    t0 = time.monotonic()
    try:
        while proc.poll() is None:
            data = struct.pack('<%dh' % block, *(
                int(32767 * click(sent + i, period)) for i in range(block)))
            mic_end.sendall(data)
            sent += block
            wait = t0 + sent / RATE - time.monotonic()
            if wait > 0:
                time.sleep(wait)
    except (BrokenPipeError, ConnectionResetError):
        pass
    mic_end.close()
    out, err = proc.communicate(timeout=60)
    os.unlink(conf)
    os.rmdir(tmp)

    print(out)
    print(err, file=sys.stderr)
    failures = []
    if proc.returncode != 0:
        failures.append('live-mic.sh exited with %d' % proc.returncode)
    if re.search(r'^ERROR', err, re.M):
        failures.append('an error on the bus')

    tempos = [float(m.group(1)) for m in
              re.finditer(r'^\d\d:\d\d\.\d+\s+tempo\s+([\d.]+) BPM', out, re.M)]
    beats = [int(m.group(1)) * 60 + float(m.group(2)) for m in
             re.finditer(r'^(\d\d):(\d\d\.\d+)\s+beat', out, re.M)]
    known = [t for t in tempos if t > 0]
    print('tempo lines: %s' % tempos)
    print('beats at: %s' % beats)
    if len(known) < 3:
        failures.append('%d tempo estimates, expected 3 or more' % len(known))
    elif any(abs(t - BPM) > 2.0 for t in known):
        failures.append('tempo estimates %s, expected %.0f +- 2' % (known, BPM))
    if len(beats) < 5:
        failures.append('%d beats, expected 5 or more' % len(beats))
    else:
        gaps = [b - a for a, b in zip(beats, beats[1:])]
        if any(abs(g - 60.0 / BPM) > 0.02 for g in gaps):
            failures.append('beats %s s apart, expected %.3f' % (gaps, 60.0 / BPM))

    for f in failures:
        print('FAIL: ' + f, file=sys.stderr)
    print('%d checks, %d failed' % (5, len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
