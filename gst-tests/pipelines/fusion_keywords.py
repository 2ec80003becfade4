#!/usr/bin/python3
# gst-omni: a keyword said at a known time, end to end: espeak-ng speech
# (each part generated alone and concatenated, so the keyword's span is
# known to the sample) -> omnispeech (PocketSphinx) -> omnifusion with a
# policy whose rule watches that word -> its category segments.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: fusion_keywords.py   (OMNI_SOURCE_ROOT, GST_PLUGIN_PATH_1_0 set by meson)
#
# Checks:
#  - every category segment holds a said keyword: its start within 50 ms of
#    the keyword's true start (precision 1);
#  - at least 5 of the 8 keywords said are found so (the recogniser misses
#    some: PocketSphinx transcribes 6 of these 8 right, within 50 ms);
#  - the window whose span holds a found keyword carries it in its
#    evidence (category, rule, rule-match, rule-start) and its caption
#    quotes the speech;
#  - a real recording (LibriVox, ../shared/data/speech-real, word times from
#    a forced alignment): words of a policy's list found by omnispeech give
#    category segments starting within 50 ms of the aligned word, and the
#    default captions quote the speech.
# Prints "N passed, N failed" and exits non-zero on any failure.

import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "data"))
import speechcorpus as sc  # noqa: E402
from speechcorpus import Gst  # noqa: E402

KEYWORD = "tomorrow"
TOLERANCE = 0.050
passed = failed = 0


def check(ok, what):
    global passed, failed
    print("%s: %s" % ("ok" if ok else "FAIL", what), flush=True)
    if ok:
        passed += 1
    else:
        failed += 1


def make_speech(workdir):
    """8 sentences "CARRIER weather ENDING" in four voices; returns the
    WAV and the keyword's true spans [(start, end)] in seconds"""
    voices = ["en-us", "en-us+m3", "en-us+f2", "en"]
    silence = b"\0\0" * int(0.8 * sc.RATE)
    gap = b"\0\0" * int(0.12 * sc.RATE)
    out, truth, pos = bytearray(silence), [], len(silence) // 2
    tmp = os.path.join(workdir, "part.wav")
    for i in range(8):
        parts = [sc.CARRIERS[i % len(sc.CARRIERS)], KEYWORD,
                 sc.ENDINGS[i % len(sc.ENDINGS)]]
        for j, text in enumerate(parts):
            pcm = sc._trim(sc._espeak(text, tmp, voices[i % len(voices)]))
            if text == KEYWORD:
                truth.append((pos / sc.RATE, (pos + len(pcm) // 2) / sc.RATE))
            out += pcm
            pos += len(pcm) // 2
            if j + 1 < len(parts):
                out += gap
                pos += len(gap) // 2
        out += silence
        pos += len(silence) // 2
    os.unlink(tmp)
    wav = os.path.join(workdir, "keywords.wav")
    sc.write_wav(wav, bytes(out))
    return wav, truth


def real_speech(workdir):
    """LibriVox 0870: the words of WATCH in the forced alignment"""
    base = os.path.join(sc.data_dir(os.environ["OMNI_SOURCE_ROOT"]),
                        "sense_and_sensibility_01_austen_64kb-0870")
    watch = ["dashwood", "leisure", "consider", "prudently", "power"]
    with open(base + ".json") as f:
        words = json.load(f)["w"]
    truth = [(sc.strip_variant(w["t"]), w["b"]) for w in words
             if sc.strip_variant(w["t"]) in watch]
    policy = os.path.join(workdir, "real.conf")
    with open(policy, "w") as f:
        f.write("[rule watch]\nsource=speech\nwords=%s\ncategory=topic\n"
                "[category topic]\nmin-hits=1\ngap-ms=0\n" % ",".join(watch))
    events, error = run(base + ".wav", policy)
    check(error is None, "LibriVox 0870 -> omnispeech -> omnifusion runs (%s)"
          % error)
    segs = [e for e in events if e["type"] == "category-segment"]
    good = []
    for s in segs:
        start = s["start"] / 1e9
        near = [(w, t) for w, t in truth
                if w == s["matches"] and abs(start - t) <= TOLERANCE]
        print("  real: %s at %.3f s, aligned %s" % (
            s["matches"], start, ["%.3f" % t for w, t in truth
                                  if w == s["matches"]]))
        if near:
            good.append(near[0])
    check(len(segs) >= 3 and len(good) == len(segs),
          "real speech: %d of %d watched words found, each within 50 ms of "
          "the alignment" % (len(good), len(truth)))
    captions = [e["caption"] for e in events if e["type"] == "window"]
    check(any(c.startswith("Someone says: \u201c") for c in captions),
          "real speech: the default captions quote what is said (%s)" %
          [c for c in captions if c.startswith("Someone")][:2])


def run(wav, policy):
    Gst.init(None)
    desc = ("filesrc location=%s ! decodebin ! audioconvert ! omnispeech ! "
            "f.sink_0 omnifusion name=f policy=%s ! application/x-omni-events ! "
            "appsink name=out sync=false" % (wav, policy))
    pipe = Gst.parse_launch(desc)
    sink = pipe.get_by_name("out")
    pipe.set_state(Gst.State.PLAYING)
    events, error = [], None
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        sample = sink.emit("try-pull-sample", 100 * Gst.MSECOND)
        if sample is None:
            msg = pipe.get_bus().pop_filtered(Gst.MessageType.ERROR)
            if msg:
                error = msg.parse_error()[0].message
                break
            if sink.get_property("eos"):
                break
            continue
        buf = sample.get_buffer()
        ok, info = buf.map(Gst.MapFlags.READ)
        for line in bytes(info.data).decode().splitlines():
            if line:
                events.append(json.loads(line))
        buf.unmap(info)
    pipe.set_state(Gst.State.NULL)
    return events, error


def main():
    workdir = sc.make_workdir()
    try:
        wav, truth = make_speech(workdir)
        policy = os.path.join(workdir, "watch.conf")
        with open(policy, "w") as f:
            f.write("[rule watch]\nsource=speech\nwords=%s\ncategory=topic\n"
                    "[category topic]\nmin-hits=1\ngap-ms=300\n" % KEYWORD)
        events, error = run(wav, policy)
        check(error is None, "espeak-ng speech -> omnispeech -> omnifusion runs"
              " (%s)" % error)
        segs = [e for e in events if e["type"] == "category-segment"]
        windows = [e for e in events if e["type"] == "window"]
        found, offsets = set(), []
        for s in segs:
            start = s["start"] / 1e9
            near = [i for i, (a, b) in enumerate(truth)
                    if abs(start - a) <= TOLERANCE]
            print("  segment %.3f-%.3f s %s: %s" % (
                start, s["end"] / 1e9, s["matches"],
                "keyword %d at %.3f s (%+.0f ms)" % (
                    near[0], truth[near[0]][0], 1000 * (start - truth[near[0]][0]))
                if near else "no keyword within 50 ms"))
            if near:
                found.add(near[0])
                offsets.append(start - truth[near[0]][0])
        check(segs and len(found) == len(segs) and
              all(s["category"] == "topic" and s["matches"] == KEYWORD
                  for s in segs),
              "each of the %d topic segments starts within 50 ms of a said "
              "keyword" % len(segs))
        check(len(found) >= 5, "%d of %d keywords found (>= 5)" %
              (len(found), len(truth)))
        if offsets:
            print("  mean |start error| %.1f ms over %d keywords" %
                  (1000 * sum(abs(o) for o in offsets) / len(offsets),
                   len(offsets)))
        bad = []
        for i in sorted(found):
            a = truth[i][0]
            ws = [w for w in windows
                  if w["window-start"] <= a * 1e9 < w["window-end"]]
            ev = ws[0]["evidence"] if ws else {}
            if not (ws and ev.get("category") == "topic" and
                    ev.get("rule") == "watch" and
                    ev.get("rule-match") == KEYWORD and
                    abs(ev.get("rule-start", 0) / 1e9 - a) <= TOLERANCE and
                    KEYWORD in ws[0]["caption"]):
                bad.append((a, ws[0]["caption"] if ws else None, ev))
        check(found and not bad, "the windows of the keywords carry them in "
              "their evidence and captions %s" % bad[:2])
        real_speech(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
