#!/usr/bin/python3
# gst-omni: omni-analyze --mqtt against a private Mosquitto broker that this
# test starts on a loopback port (127.0.0.1 only) and stops.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: analyze_mqtt.py OMNI_ANALYZE OMNI_MAKE_SAMPLE
#
# Checks:
#  - on the short built-in sample, with --json and --mqtt (topic with
#    {stream} and {category}, --stream-id): exit 0; every event of the JSON
#    file reaches a subscriber, in order, as the same line with
#    "stream":"cam-7" put first; each on the topic of its stream and
#    verdict label;
#  - a URL that is not a broker address: exit 2, the cause named;
#  - a port where no broker listens: exit 2, "no MQTT broker answered";
#  - two inputs (--inputs with ids) with --json and --mqtt: each stream's
#    windows equal the one-input run's with "stream" first, the MQTT
#    messages of each stream's topic equal its --json lines, summary lines;
#    per-stream outputs or a missing input with several inputs: exit 2;
#    the two streams share one loaded model (the session cache's summary).
# Prints "N passed, N failed" and exits non-zero on any failure.

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from omnicheck import check, finish  # noqa: E402

ANALYZE, MAKE_SAMPLE = sys.argv[1:3]
BUILD = os.environ.get('OMNI_BUILD_ROOT', os.path.dirname(os.path.dirname(ANALYZE)))



def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, proc, timeout=10):
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        try:
            socket.create_connection(('127.0.0.1', port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def run(args, timeout=400):
    r = subprocess.run([ANALYZE, '--no-progress', '--quiet'] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    return r.returncode, r.stderr.decode(errors='replace')


def with_stream(line, stream):
    return '{"stream":%s,%s' % (json.dumps(stream), line[1:])


def main(tmp):
    r = subprocess.run([MAKE_SAMPLE, '--short', '--quiet', '--output-dir',
                        os.path.join(BUILD, 'sample')], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if not check(r.returncode == 0, 'omni-make-sample --short', r.stderr.decode()[-2000:]):
        return
    sample = r.stdout.decode().strip()

    port = free_port()
    conf = os.path.join(tmp, 'mosquitto.conf')
    with open(conf, 'w') as f:
        f.write('listener %d 127.0.0.1\nallow_anonymous true\nuser %s\n'
                'log_dest file %s/broker.log\n' % (port, os.environ.get('USER') or
                                                  __import__('getpass').getuser(), tmp))
    broker = subprocess.Popen(['/usr/sbin/mosquitto', '-c', conf],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sub = None
    try:
        if not check(wait_port(port, broker), 'mosquitto listens on 127.0.0.1:%d' % port):
            return
        sub_out = open(os.path.join(tmp, 'sub.txt'), 'w')
        sub = subprocess.Popen(['mosquitto_sub', '-h', '127.0.0.1', '-p', str(port), '-q', '1',
                                '-v', '-t', 'omni/#'], stdout=sub_out)
        time.sleep(0.5)  # subscribed before anything is published

        events = os.path.join(tmp, 'events.jsonl')
        rc, err = run(['--json', events, '--stream-id', 'cam-7', '--mqtt',
                       'mqtt://127.0.0.1:%d/omni/{stream}/{category}' % port, sample])
        check(rc == 0, 'omni-analyze --mqtt: exit 0', (rc, err[-2000:]))
        lines = open(events).read().splitlines()
        check(len(lines) >= 5, '%d events in the JSON file' % len(lines))
        end = time.monotonic() + 10
        got = []
        while time.monotonic() < end:
            got = open(os.path.join(tmp, 'sub.txt')).read().splitlines()
            if len(got) >= len(lines):
                break
            time.sleep(0.1)
        check(len(got) == len(lines), 'every event received once (%d of %d)'
              % (len(got), len(lines)))
        payloads = [g.split(' ', 1)[1] for g in got]
        want = [with_stream(l, 'cam-7') for l in lines]
        check(payloads == want, 'received = JSON lines with "stream" first, in order',
              next(((a, b) for a, b in zip(payloads, want) if a != b), ''))
        topics_ok = True
        for g, l in zip(got, lines):
            o = json.loads(l)
            cat = o.get('label') or o.get('state') or o.get('type')
            topics_ok &= g.split(' ', 1)[0] == 'omni/cam-7/%s' % cat
        check(topics_ok, 'topics omni/{stream}/{category}')

        # several inputs in one process, --inputs with ids, --json and --mqtt
        multi_sub_path = os.path.join(tmp, 'sub-multi.txt')
        sub.send_signal(signal.SIGTERM)
        sub.wait(timeout=10)
        sub = subprocess.Popen(['mosquitto_sub', '-h', '127.0.0.1', '-p', str(port), '-q', '1',
                                '-v', '-t', 'multi/#'], stdout=open(multi_sub_path, 'w'))
        time.sleep(0.5)
        listing = os.path.join(tmp, 'inputs.txt')
        with open(listing, 'w') as f:
            f.write('# two streams\nlobby %s\n\ngate %s\n' % (sample, sample))
        multi_json = os.path.join(tmp, 'multi.jsonl')
        r = subprocess.run([ANALYZE, '--no-progress', '--inputs', listing, '--json', multi_json,
                            '--mqtt', 'mqtt://127.0.0.1:%d/multi/{stream}' % port],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
        out = r.stdout.decode(errors='replace')
        check(r.returncode == 0, 'two inputs: exit 0', (r.returncode, r.stderr.decode()[-2000:]))
        check('2 streams' in out and any(l.split()[:1] == ['lobby'] for l in out.splitlines())
              and any(l.split()[:2] == ['total', str(2 * len(lines))]
                      for l in out.splitlines()),
              'summary: a line per stream and the total', out[-1500:])
        # one copy of the image model and one Vulkan engine for both streams
        check('models: 1 loaded, 1 engines prepared (2 replicas) for 2 streams' in out,
              'summary: one model shared by the two streams', out[-600:])
        windows = [l for l in lines if json.loads(l)['type'] == 'window']
        mj = [json.loads(l) for l in open(multi_json).read().splitlines()]
        for sid in ('lobby', 'gate'):
            mine = [l for l in open(multi_json).read().splitlines()
                    if json.loads(l).get('stream') == sid]
            got_w = [l for l in mine if json.loads(l)['type'] == 'window']
            check(got_w == [with_stream(l, sid) for l in windows],
                  '%s: its windows = the one-input run, with "stream" first' % sid,
                  (len(got_w), len(windows)))
        check(all(o.get('stream') in ('lobby', 'gate') for o in mj) and
              len(mj) == 2 * len(lines), 'every --json event has its stream id')
        end = time.monotonic() + 10
        while time.monotonic() < end:
            got = open(multi_sub_path).read().splitlines()
            if len(got) >= len(mj):
                break
            time.sleep(0.1)
        by_topic = {}
        for g in got:
            t, pl = g.split(' ', 1)
            by_topic.setdefault(t, []).append(pl)
        json_by = {}
        for l in open(multi_json).read().splitlines():
            json_by.setdefault('multi/' + json.loads(l)['stream'], []).append(l)
        check(by_topic == json_by, 'MQTT per stream topic = --json per stream, in order',
              (sorted(by_topic), [len(v) for v in by_topic.values()]))
    finally:
        if sub:
            sub.send_signal(signal.SIGTERM)
            sub.wait(timeout=10)
        broker.send_signal(signal.SIGTERM)
        broker.wait(timeout=10)

    rc, err = run(['--vtt', os.path.join(tmp, 'x.vtt'), sample, sample])
    check(rc == 2 and 'for one input' in err, 'several inputs with --vtt: exit 2', (rc, err))
    rc, err = run([sample, os.path.join(tmp, 'missing.mkv')])
    check(rc == 2 and 'no such file' in err, 'several inputs, one missing: exit 2', (rc, err))
    rc, err = run(['--mqtt', 'mqtt://127.0.0.1:99999/x', sample])
    check(rc == 2 and 'bad MQTT broker address' in err, 'bad URL: exit 2 naming it',
          (rc, err[-1000:]))
    rc, err = run(['--mqtt', 'mqtt://127.0.0.1:%d' % free_port(), sample])
    check(rc == 2 and 'no MQTT broker answered' in err, 'no broker: exit 2 naming it',
          (rc, err[-1000:]))


tmp = tempfile.mkdtemp(prefix='omni-analyze-mqtt-')
try:
    main(tmp)
finally:
    shutil.rmtree(tmp, ignore_errors=True)
finish()
