#!/usr/bin/python3
# gst-omni: omnispeech on real speech and on generated speech with exact
# ground truth, next to the engine's own tool, pocketsphinx_continuous,
# run on the same 16 kHz files.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: speech_corpus.py   (OMNI_SOURCE_ROOT, GST_PLUGIN_PATH_1_0 set by meson)
#
# Checks (thresholds: what PocketSphinx 5prealpha with the US English model
# reaches on these files, measured in docs/benchmarks.md, plus a margin):
#  - word error rate over the real recordings with transcripts (LibriVox
#    0870, 0880, goforward): <= 0.35 and not above pocketsphinx_continuous's;
#  - word timing error against the forced alignment (LibriVox files), over
#    the words both agree on: mean |start| and |end| error <= 40 ms, and not
#    more than 10 ms above pocketsphinx_continuous's;
#  - speech activity on chan3.wav (11025 Hz, four annotated segments): each
#    true start found within 0.3 s and each end within 0.8 s (the data
#    README's rule), with at most 3 spans per annotated one;
#  - key phrase spotting (transcribe=false) on espeak-ng speech whose phrase
#    spans are known to the sample: recall >= 0.4 at threshold 1e-10, F1 not
#    below pocketsphinx_continuous -kws's by more than 0.1 (one phrase in
#    18 is 0.06), mean start error of the right detections <= 50 ms and
#    spans not worse than the tool's by more than 20 ms;
#  - key phrase spotting on the real LibriVox recordings (spans from the
#    forced alignment): recall >= 0.5;
#  - omnifusion takes omnispeech's output on a sink_%u pad directly: each
#    window's {transcript} caption holds exactly the words whose PTS falls
#    in that window;
#  - examples/captions.sh prints the words and a key phrase of a recording.
# Prints "N passed, N failed" and exits non-zero on any failure.

import os
import shutil
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "data"))
import speechcorpus as sc  # noqa: E402
from speechcorpus import Gst  # noqa: E402

passed = failed = 0


def check(ok, what):
    global passed, failed
    print("%s: %s" % ("ok" if ok else "FAIL", what), flush=True)
    if ok:
        passed += 1
    else:
        failed += 1


def transcription(items):
    errs = {"omni": 0, "ps": 0}
    terr = {"omni": [], "ps": []}
    n_ref = 0
    for it in items:
        o = sc.run_omnispeech(it["wav"])
        p = sc.run_pocketsphinx(it["wav"])
        check(o["error"] is None and p["error"] is None,
              "%s decodes (%s / %s)" % (it["name"], o["error"], p["error"]))
        n_ref += len(it["words"])
        for k, r in (("omni", o), ("ps", p)):
            hyp = [w for w, _, _ in r["words"]]
            errs[k] += sc.align(it["words"], hyp)[0]
            if it["timings"]:
                terr[k] += sc.timing_errors(it["timings"], r["words"])
        print("  %s: omnispeech '%s'" % (it["name"],
              " ".join(w for w, _, _ in o["words"])))
    wer = {k: v / n_ref for k, v in errs.items()}
    print("  WER omnispeech %.3f, pocketsphinx_continuous %.3f (%d words)" %
          (wer["omni"], wer["ps"], n_ref))
    check(wer["omni"] <= 0.35, "WER %.3f <= 0.35" % wer["omni"])
    check(wer["omni"] <= wer["ps"] + 1e-9,
          "WER not above pocketsphinx_continuous's (%.3f vs %.3f)" %
          (wer["omni"], wer["ps"]))
    mean = {}
    for k, v in terr.items():
        mean[k] = (sum(a for a, _ in v) / len(v), sum(b for _, b in v) / len(v))
        print("  timing %s: %d words, mean |start| %.1f ms, |end| %.1f ms" %
              (k, len(v), 1000 * mean[k][0], 1000 * mean[k][1]))
    check(len(terr["omni"]) >= 15, "timing scored on >= 15 matched words")
    check(max(mean["omni"]) <= 0.040, "mean word timing error <= 40 ms")
    check(mean["omni"][0] <= mean["ps"][0] + 0.010 and
          mean["omni"][1] <= mean["ps"][1] + 0.010,
          "timing not worse than pocketsphinx_continuous's by > 10 ms")


def activity(root):
    wav, truth = sc.vad_truth(root)
    o = sc.run_omnispeech(wav)
    starts, ends, n = sc.vad_score(truth, o["activity"])
    print("  chan3 spans: %s" % ", ".join("%.2f-%.2f" % s for s in o["activity"]))
    check(starts == len(truth), "chan3: %d/%d starts within 0.3 s" %
          (starts, len(truth)))
    check(ends == len(truth), "chan3: %d/%d ends within 0.8 s" %
          (ends, len(truth)))
    # spans split at 0.3 s pauses between words: more than the annotation's
    check(n <= 3 * len(truth), "chan3: %d spans for %d annotated" %
          (n, len(truth)))


def f1(tp, fp, fn):
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def keywords(workdir, items):
    wav, dur, truth = sc.espeak_kws_corpus(workdir, n_sentences=36)
    kws = os.path.join(workdir, "moderation.kws")
    sc.write_kws(kws, sc.KWS_MODERATION, "1e-10")
    o = sc.run_omnispeech(wav, kws, "transcribe=false")
    p = sc.run_pocketsphinx(wav, kws)
    so, sp = sc.kws_score(truth, o["keywords"]), sc.kws_score(truth, p["keywords"])
    for k, s in (("omnispeech", so), ("pocketsphinx_continuous", sp)):
        print("  espeak-ng %.0f s, %d phrases: %s tp %d fp %d fn %d, P %.2f "
              "R %.2f F1 %.2f" % (dur, len(truth), k, s[0], s[1], s[2],
                                  s[0] / max(1, s[0] + s[1]),
                                  s[0] / max(1, s[0] + s[2]), f1(*s)))
    check(so[0] / len(truth) >= 0.4, "espeak-ng key phrase recall >= 0.4")
    check(f1(*so) >= f1(*sp) - 0.1, "espeak-ng key phrase F1 %.2f not below "
          "pocketsphinx_continuous's %.2f - 0.1" % (f1(*so), f1(*sp)))
    err = {}
    for k, r in (("omni", o), ("ps", p)):
        err[k] = []
        for phrase, s, e in r["keywords"]:
            for tphrase, ts, te in truth:
                if tphrase == phrase and \
                        abs((s + e) / 2 - (ts + te) / 2) <= sc.KWS_TOLERANCE:
                    err[k].append((abs(s - ts), abs(e - te)))
        err[k] = [sum(a for a, _ in err[k]) / max(1, len(err[k])),
                  sum(b for _, b in err[k]) / max(1, len(err[k]))]
        print("  right detections %s: mean |start| %.0f ms, |end| %.0f ms" %
              (k, 1000 * err[k][0], 1000 * err[k][1]))
    # the search ends a phrase at its last phone's best exit, often before
    # a released stop or a long /l/: ends are looser than starts
    check(err["omni"][0] <= 0.05, "key phrase starts within 50 ms on average")
    check(err["omni"][0] <= err["ps"][0] + 0.02 and
          err["omni"][1] <= err["ps"][1] + 0.02,
          "key phrase spans not worse than pocketsphinx_continuous's by > 20 ms")

    # real speech: phrases of the LibriVox transcripts, spans from the
    # forced alignment, and two phrases never said
    phrases = ["dashwood", "consider", "power", "young man", "leisure",
               "weapon", "attack"]
    sc.write_kws(kws, phrases, "1e-10")
    tp = fp = fn = 0
    for it in items:
        if not it["timings"]:
            continue
        t = [(w, s, e) for w, s, e in it["timings"] if w in phrases]
        ws = [w for w, _, _ in it["timings"]]
        for i in range(len(ws) - 1):
            if ws[i] + " " + ws[i + 1] in phrases:
                t.append((ws[i] + " " + ws[i + 1], it["timings"][i][1],
                          it["timings"][i + 1][2]))
        o = sc.run_omnispeech(it["wav"], kws)
        s = sc.kws_score(t, o["keywords"])
        tp, fp, fn = tp + s[0], fp + s[1], fn + s[2]
    print("  real speech: tp %d fp %d fn %d" % (tp, fp, fn))
    check(tp / max(1, tp + fn) >= 0.5, "real speech key phrase recall >= 0.5")


def fusion(item):
    Gst.init(None)
    desc = ("filesrc location=%s ! decodebin ! audioconvert ! omnispeech ! "
            "f.sink_0 omnifusion name=f caption-format={transcript} ! "
            "appsink name=out sync=false" % item["wav"])
    words = sc.run_omnispeech(item["wav"])["words"]
    pipe = Gst.parse_launch(desc)
    sink = pipe.get_by_name("out")
    pipe.set_state(Gst.State.PLAYING)
    windows = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        # the first window comes after the first utterance is decoded
        sample = sink.emit("try-pull-sample", 100 * Gst.MSECOND)
        if sample is None:
            if sink.get_property("eos") or pipe.get_bus().peek() is not None and \
                    pipe.get_bus().peek().type == Gst.MessageType.ERROR:
                break
            continue
        buf = sample.get_buffer()
        ok, info = buf.map(Gst.MapFlags.READ)
        windows.append((buf.pts / Gst.SECOND, (buf.pts + buf.duration) /
                        Gst.SECOND, bytes(info.data).decode()))
        buf.unmap(info)
    msg = pipe.get_bus().pop_filtered(Gst.MessageType.ERROR)
    pipe.set_state(Gst.State.NULL)
    check(msg is None, "omnispeech ! omnifusion.sink_0 runs (%s)" %
          (msg.parse_error()[0].message if msg else ""))
    bad = 0
    for s, e, caption in windows:
        expect = [w for w, ws, _ in words if s <= ws < e]
        if caption.split() != expect:
            bad += 1
            print("  window %.1f-%.1f: '%s', expected '%s'" %
                  (s, e, caption, " ".join(expect)))
    check(len(windows) >= 5 and bad == 0,
          "%d omnifusion windows, each transcript = the words in it" %
          len(windows))
    check(" ".join(c for _, _, c in windows).split() ==
          [w for w, _, _ in words], "omnifusion transcripts hold every word")


def example(root, item, workdir):
    """examples/captions.sh prints the utterance and the key phrase"""
    import subprocess
    kws = os.path.join(workdir, "example.kws")
    sc.write_kws(kws, ["dashwood"], "1e-10")
    env = dict(os.environ, KEYWORDS=kws)
    p = subprocess.run([os.path.join(root, "examples", "captions.sh"),
                        item["wav"]], capture_output=True, text=True, env=env,
                       timeout=300)
    lines = p.stdout.splitlines()
    print("  captions.sh: %s" % lines)
    check(p.returncode == 0 and any(" KEYWORD dashwood" in line for line in lines)
          and any("leisure to consider" in line for line in lines),
          "examples/captions.sh prints the words and the key phrase")


def main():
    root = os.environ["OMNI_SOURCE_ROOT"]
    workdir = sc.make_workdir()
    try:
        items = sc.real_corpus(root, workdir)
        transcription(items)
        activity(root)
        keywords(workdir, items)
        fusion(items[0])
        example(root, items[0], workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
