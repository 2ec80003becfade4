#!/usr/bin/python3
# gst-omni benchmark: omnispeech against pocketsphinx_continuous (the engine's
# own tool, Debian package pocketsphinx) on the same 16 kHz files, in the
# same run: word error rate and word timing error on real speech, key phrase
# precision/recall on espeak-ng speech with exact spans and on the real
# recordings, and speed (x real time) on a 2-minute file. Prints both and
# the ratio.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: bench/speech.py [SOURCE_ROOT]   (GST_PLUGIN_PATH_1_0 with omnispeech;
#        scripts/bench speech sets it)
# Hold /tmp/omni-heavy.lock around it on a shared machine (speed figures).
# OMNI_BENCH_ONLY=accuracy or speed runs one half.

import os
import shutil
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
# the build's copy (bench-speech) has the source root written in
root = "@SOURCE_ROOT@"
if root.startswith("@"):
    root = os.path.join(here, "..")
if len(sys.argv) > 1:
    root = sys.argv[1]
sys.path.insert(0, os.path.join(root, "gst-tests", "data"))
import speechcorpus as sc  # noqa: E402


def timed(args):
    """wall and CPU seconds of a child process"""
    r0, t0 = os.times(), time.monotonic()
    p = subprocess.run(args, capture_output=True, text=True)
    wall, r1 = time.monotonic() - t0, os.times()
    if p.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(args), p.stderr[-2000:]))
    return wall, (r1.children_user - r0.children_user) + \
        (r1.children_system - r0.children_system)


def omni_cmd(wav, extra=""):
    return ["gst-launch-1.0", "-q", "filesrc", "location=" + wav, "!",
            "decodebin", "!", "audioconvert", "!", "omnispeech"] + \
        extra.split() + ["!", "fakesink"]


def ps_cmd(wav, extra=""):
    return ["pocketsphinx_continuous", "-infile", wav] + extra.split()


def best_of(n, a, b):
    """each command @n times, interleaved (so that drifting load hits both
    alike); the run with the least wall time of each"""
    ra, rb = [], []
    for _ in range(n):
        ra.append(timed(a))
        rb.append(timed(b))
    return min(ra), min(rb)


def speed(workdir, items):
    # 2 minutes of real speech: the three transcribed files and chan3
    pcm = b""
    chan3 = os.path.join(workdir, "chan3.wav")
    sc.to_16k_wav(sc.vad_truth(root)[0], chan3)
    for path in [it["wav"] for it in items] + [chan3]:
        pcm += sc.read_wav(path)[1] + b"\0\0" * 8000
    long_wav = os.path.join(workdir, "long.wav")
    sc.write_wav(long_wav, pcm * max(1, int(120 * 32000 / len(pcm)) + 1))
    short_wav = os.path.join(workdir, "short.wav")
    sc.write_wav(short_wav, b"\0\0" * 16000)
    dur = sc.duration_of(long_wav)
    kws = os.path.join(workdir, "speed.kws")
    sc.write_kws(kws, sc.KWS_MODERATION, "1e-10")
    rows = []
    for what, o_extra, p_extra in (
            # both give word times and confidences (-time yes: the tool's
            # segmentation and lattice posteriors, as the element computes)
            ("transcription", "", "-time yes"),
            ("key phrases only", "keywords=%s transcribe=false" % kws,
             "-kws %s" % kws)):
        o0, p0 = best_of(3, omni_cmd(short_wav, o_extra),
                         ps_cmd(short_wav, p_extra))
        o1, p1 = best_of(3, omni_cmd(long_wav, o_extra),
                         ps_cmd(long_wav, p_extra))
        rows.append((what, dur, o0, o1, p0, p1))
    print("\n## speed (%.0f s of 16 kHz speech; best of 3, interleaved; start-up = a 1 s "
          "file)" % dur)
    print("| task | contestant | start-up s | wall s | CPU s | x real time "
          "(wall) | x real time (after start-up) |")
    print("|---|---|---|---|---|---|---|")
    for what, dur, o0, o1, p0, p1 in rows:
        for name, a, b in (("omnispeech", o0, o1),
                           ("pocketsphinx_continuous", p0, p1)):
            print("| %s | %s | %.2f | %.2f | %.2f | %.1f | %.1f |" %
                  (what, name, a[0], b[0], b[1], dur / b[0],
                   dur / max(1e-3, b[0] - a[0])))
        print("| %s | ratio omnispeech / tool (speed) | | | | %.2f | %.2f |" %
              (what, p1[0] / o1[0], (p1[0] - p0[0]) / max(1e-3, o1[0] - o0[0])))


def accuracy(items):
    errs = {"omnispeech": 0, "pocketsphinx_continuous": 0}
    terr = {k: [] for k in errs}
    n = 0
    for it in items:
        n += len(it["words"])
        for k, r in (("omnispeech", sc.run_omnispeech(it["wav"])),
                     ("pocketsphinx_continuous", sc.run_pocketsphinx(it["wav"]))):
            errs[k] += sc.align(it["words"], [w for w, _, _ in r["words"]])[0]
            if it["timings"]:
                terr[k] += sc.timing_errors(it["timings"], r["words"])
    print("\n## transcription (LibriVox 0870, 0880, goforward: %d words)" % n)
    print("| contestant | WER | words timed | mean abs start error ms | "
          "mean abs end error ms |")
    print("|---|---|---|---|---|")
    for k in errs:
        t = terr[k]
        print("| %s | %.3f | %d | %.1f | %.1f |" % (
            k, errs[k] / n, len(t), 1000 * sum(a for a, _ in t) / len(t),
            1000 * sum(b for _, b in t) / len(t)))
    print("ratio WER omnispeech / tool: %.2f" %
          (errs["omnispeech"] / max(1, errs["pocketsphinx_continuous"])))


def kws_table(workdir, items):
    wav, dur, truth = sc.espeak_kws_corpus(workdir, n_sentences=36)
    kws = os.path.join(workdir, "k.kws")
    print("\n## key phrases, espeak-ng (%.0f s, %d phrases of %s, spans exact)"
          % (dur, len(truth), ", ".join(sc.KWS_MODERATION)))
    print("| threshold | contestant | tp | fp | fn | precision | recall | "
          "mean abs start error ms |")
    print("|---|---|---|---|---|---|---|---|")
    for thr in ("1e-5", "1e-10", "1e-20"):
        sc.write_kws(kws, sc.KWS_MODERATION, thr)
        for k, r in (("omnispeech", sc.run_omnispeech(wav, kws,
                                                      "transcribe=false")),
                     ("pocketsphinx_continuous", sc.run_pocketsphinx(wav, kws))):
            tp, fp, fn = sc.kws_score(truth, r["keywords"])
            errs = [abs(s - ts) for p, s, e in r["keywords"]
                    for tp_, ts, te in truth if tp_ == p and
                    abs((s + e) / 2 - (ts + te) / 2) <= sc.KWS_TOLERANCE]
            print("| %s | %s | %d | %d | %d | %.2f | %.2f | %.0f |" % (
                thr, k, tp, fp, fn, tp / max(1, tp + fp), tp / max(1, tp + fn),
                1000 * sum(errs) / max(1, len(errs))))


def main():
    workdir = sc.make_workdir()
    try:
        items = sc.real_corpus(root, workdir)
        only = os.environ.get("OMNI_BENCH_ONLY", "")
        if only in ("", "accuracy"):
            accuracy(items)
            kws_table(workdir, items)
        if only in ("", "speed"):
            speed(workdir, items)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
