# gst-omni: speech test corpus and scoring, shared by the omnispeech pipeline
# test (gst-tests/pipelines/speech_corpus.py) and benchmark (bench/speech.py).
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# - the real recordings of ../shared/data/speech-real with their transcripts
#   and forced-alignment word timings;
# - key phrase speech generated with espeak-ng: carrier phrases and key
#   phrases synthesised separately and joined, so each key phrase's span is
#   known to the sample;
# - word error rate (Levenshtein over words), word timing error over the
#   words the alignment matches, key phrase precision/recall, voice activity
#   segment matching;
# - running omnispeech (GStreamer, PyGObject) and pocketsphinx_continuous on
#   the same 16 kHz WAV files.

import json
import os
import random
import re
import struct
import subprocess
import tempfile
import time
import wave

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

RATE = 16000
KWS_MODERATION = ["kill", "stupid", "attack", "weapon", "hate", "idiot"]
# a key phrase detection is right when its centre lies within this of the
# true phrase's centre (half a short word)
KWS_TOLERANCE = 0.3


def data_dir(source_root):
    return os.path.join(source_root, "..", "shared", "data", "speech-real")


def norm_words(text):
    text = text.lower().replace("-", " ")
    return [w for w in re.sub(r"[^a-z' ]", " ", text).split() if w]


def strip_variant(w):
    return re.sub(r"\(\d+\)$", "", w)


# ---------------------------------------------------------------- files

def read_wav(path):
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1
        return w.getframerate(), w.readframes(w.getnframes())


def write_wav(path, pcm, rate=RATE):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)


def to_16k_wav(src, dst, raw=False):
    """any audio file (or raw s16le 16 kHz) -> 16 kHz mono S16 WAV (sox,
    without dither: sox's default TPDF dither is random, which made every
    run's corpus, and so the measured spans, differ)"""
    args = ["sox", "-D"]
    if raw:
        args += ["-t", "raw", "-r", "16000", "-e", "signed", "-b", "16",
                 "-c", "1"]
    subprocess.run(args + [src, "-r", str(RATE), "-c", "1", "-b", "16", dst],
                   check=True)


def real_corpus(source_root, workdir):
    """[{name, wav (16 kHz), duration, words, timings}] of the real files
    with transcripts; timings [(word, start, end)] or None"""
    d = data_dir(source_root)
    items = []
    for name in ["sense_and_sensibility_01_austen_64kb-0870",
                 "sense_and_sensibility_01_austen_64kb-0880", "goforward"]:
        src = os.path.join(d, name + (".raw" if name == "goforward" else ".wav"))
        wav = os.path.join(workdir, name + ".wav")
        to_16k_wav(src, wav, raw=name == "goforward")
        with open(os.path.join(d, name + ".txt")) as f:
            words = norm_words(f.read())
        timings = None
        js = os.path.join(d, name + ".json")
        if os.path.exists(js):
            with open(js) as f:
                j = json.load(f)
            timings = [(strip_variant(w["t"]), w["b"], w["b"] + w["d"])
                       for w in j["w"] if not w["t"].startswith("<")]
        rate, pcm = read_wav(wav)
        items.append({"name": name, "wav": wav, "words": words,
                      "timings": timings, "duration": len(pcm) / 2 / rate})
    return items


def vad_truth(source_root):
    d = data_dir(source_root)
    segs = []
    with open(os.path.join(d, "chan3.speech_segments")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                a, b = line.split()[:2]
                segs.append((float(a), float(b)))
    return os.path.join(d, "chan3.wav"), segs


# ---------------------------------------------------------- espeak-ng

CARRIERS = [
    "we talked about the", "please do not", "they said that the", "i think you",
    "the report was about", "he wanted to", "she told me about the",
    "after the meeting we", "in the morning they", "nobody expected the",
]
ENDINGS = [
    "in the afternoon", "yesterday", "at the station", "before dinner",
    "on the radio", "with his friends", "last summer", "near the river",
]


def _espeak(text, path, voice):
    raw = path + ".22k.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", raw, text],
                   check=True)
    to_16k_wav(raw, path)
    os.unlink(raw)
    return read_wav(path)[1]


def _trim(pcm, thresh=300):
    """drop leading/trailing samples quieter than @thresh (espeak pads)"""
    n = len(pcm) // 2
    s = struct.unpack("<%dh" % n, pcm)
    a = next((i for i in range(n) if abs(s[i]) > thresh), 0)
    b = next((i for i in range(n - 1, -1, -1) if abs(s[i]) > thresh), n - 1)
    return pcm[2 * a:2 * (b + 1)]


def espeak_kws_corpus(workdir, n_sentences=24, seed=15):
    """one WAV of sentences, about half with a key phrase; returns
    (wav, duration, [(phrase, start, end)])"""
    rng = random.Random(seed)
    voices = ["en-us", "en-us+m3", "en-us+f2", "en"]
    silence = b"\0\0" * int(0.8 * RATE)
    gap = b"\0\0" * int(0.12 * RATE)
    out, truth, pos = bytearray(silence), [], len(silence) // 2
    tmp = os.path.join(workdir, "seg.wav")
    for i in range(n_sentences):
        voice = voices[i % len(voices)]
        kw = KWS_MODERATION[i % len(KWS_MODERATION)] if i % 2 == 0 else None
        parts = [rng.choice(CARRIERS)]
        if kw:
            parts.append(kw)
        parts.append(rng.choice(ENDINGS))
        for j, text in enumerate(parts):
            pcm = _trim(_espeak(text, tmp, voice))
            if text == kw:
                truth.append((kw, pos / RATE, (pos + len(pcm) // 2) / RATE))
            out += pcm
            pos += len(pcm) // 2
            if j + 1 < len(parts):
                out += gap
                pos += len(gap) // 2
        out += silence
        pos += len(silence) // 2
    os.unlink(tmp)
    wav = os.path.join(workdir, "kws-espeak.wav")
    write_wav(wav, bytes(out))
    return wav, pos / RATE, truth


def write_kws(path, phrases, threshold):
    with open(path, "w") as f:
        for p in phrases:
            f.write("%s /%s/\n" % (p, threshold))


# ------------------------------------------------------------- scoring

def align(ref, hyp):
    """Levenshtein over words: (errors, [(i_ref, j_hyp)] of the hits)"""
    n, m = len(ref), len(hyp)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]))
    hits, i, j = [], n, m
    while i > 0 and j > 0:
        if d[i][j] == d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            if ref[i - 1] == hyp[j - 1]:
                hits.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif d[i][j] == d[i - 1][j] + 1:
            i -= 1
        else:
            j -= 1
    return d[n][m], hits[::-1]


def timing_errors(timings, hyp_words):
    """|start| and |end| errors (s) of the words the alignment matches;
    hyp_words [(word, start, end)]"""
    ref = [w for w, _, _ in timings]
    _, hits = align(ref, [w for w, _, _ in hyp_words])
    return [(abs(hyp_words[j][1] - timings[i][1]),
             abs(hyp_words[j][2] - timings[i][2])) for i, j in hits]


def kws_score(truth, detections, tol=KWS_TOLERANCE):
    """(true positives, false positives, false negatives)"""
    used = set()
    tp = 0
    for phrase, s, e in detections:
        c = (s + e) / 2
        for k, (tp_phrase, ts, te) in enumerate(truth):
            if k not in used and tp_phrase == phrase and \
                    abs(c - (ts + te) / 2) <= tol:
                used.add(k)
                tp += 1
                break
    return tp, len(detections) - tp, len(truth) - tp


def vad_score(truth, spans, start_tol=0.3, end_tol=0.8):
    """(starts found, ends found, spans reported) as in the data README:
    each true start within @start_tol, each true end within @end_tol"""
    starts = sum(any(abs(s - ts) <= start_tol for s, _ in spans)
                 for ts, _ in truth)
    ends = sum(any(abs(e - te) <= end_tol for _, e in spans)
               for _, te in truth)
    return starts, ends, len(spans)


# ------------------------------------------------------------- engines

def run_omnispeech(path, keywords=None, extra=""):
    """decodes @path through omnispeech; returns a dict with words
    [(w, start, end)] from the output buffers, utterances, keywords
    [(phrase, start, end)], activity spans, wall and cpu seconds"""
    Gst.init(None)
    kw = " keywords=%s" % keywords if keywords else ""
    desc = ("filesrc location=%s ! decodebin ! audioconvert ! "
            "omnispeech name=s%s %s ! appsink name=out sync=false "
            "emit-signals=false" % (path, kw, extra))
    t0, c0 = time.monotonic(), time.process_time()
    pipe = Gst.parse_launch(desc)
    sink = pipe.get_by_name("out")
    res = {"words": [], "utterances": [], "keywords": [], "activity": [],
           "gaps": 0, "error": None}
    pipe.set_state(Gst.State.PLAYING)
    bus = pipe.get_bus()
    while True:
        sample = sink.emit("try-pull-sample", 0)
        while sample:
            buf = sample.get_buffer()
            ok, info = buf.map(Gst.MapFlags.READ)
            res["words"].append((bytes(info.data).decode("utf-8"),
                                 buf.pts / Gst.SECOND,
                                 (buf.pts + buf.duration) / Gst.SECOND))
            buf.unmap(info)
            sample = sink.emit("try-pull-sample", 0)
        msg = bus.timed_pop(20 * Gst.MSECOND)
        if msg is None:
            continue
        if msg.type == Gst.MessageType.ERROR:
            res["error"] = msg.parse_error()[0].message
            break
        if msg.type == Gst.MessageType.EOS:
            sample = sink.emit("try-pull-sample", 0)
            while sample:
                buf = sample.get_buffer()
                ok, info = buf.map(Gst.MapFlags.READ)
                res["words"].append((bytes(info.data).decode("utf-8"),
                                     buf.pts / Gst.SECOND,
                                     (buf.pts + buf.duration) / Gst.SECOND))
                buf.unmap(info)
                sample = sink.emit("try-pull-sample", 0)
            break
        if msg.type != Gst.MessageType.ELEMENT:
            continue
        s = msg.get_structure()
        if s.get_name() == "omnispeech":
            res["utterances"].append(s.get_string("text"))
        elif s.get_name() == "omnispeech-keyword":
            res["keywords"].append((s.get_string("keyword"),
                                    s.get_uint64("start")[1] / Gst.SECOND,
                                    s.get_uint64("end")[1] / Gst.SECOND))
        elif s.get_name() == "omnispeech-activity" and \
                not s.get_boolean("active")[1]:
            res["activity"].append((s.get_uint64("start")[1] / Gst.SECOND,
                                    s.get_uint64("end")[1] / Gst.SECOND))
    pipe.set_state(Gst.State.NULL)
    res["wall"] = time.monotonic() - t0
    res["cpu"] = time.process_time() - c0
    return res


def _ps_lines(out):
    """pocketsphinx_continuous -time yes: segment lines end in 3 numbers"""
    segs, hyps = [], []
    for line in out.splitlines():
        tok = line.split()
        if len(tok) >= 4:
            try:
                s, e, c = float(tok[-3]), float(tok[-2]), float(tok[-1])
                segs.append((" ".join(tok[:-3]), s, e, c))
                continue
            except ValueError:
                pass
        if line.strip():
            hyps.append(line.strip())
    return segs, hyps


def run_pocketsphinx(wav, keywords=None):
    """pocketsphinx_continuous on a 16 kHz WAV: the same dict as
    run_omnispeech (words without fillers, keywords with spans)"""
    args = ["pocketsphinx_continuous", "-infile", wav, "-time", "yes"]
    if keywords:
        args += ["-kws", keywords]
    t0 = time.monotonic()
    r0 = os.times()
    p = subprocess.run(args, capture_output=True, text=True)
    r1 = os.times()
    wall = time.monotonic() - t0
    segs, hyps = _ps_lines(p.stdout)
    res = {"wall": wall, "cpu": (r1.children_user - r0.children_user) +
           (r1.children_system - r0.children_system),
           "error": None if p.returncode == 0 else p.stderr[-500:],
           "utterances": hyps, "words": [], "keywords": [], "activity": []}
    for w, s, e, _ in segs:
        if keywords:
            res["keywords"].append((w, s, e + 0.01))
        elif not w.startswith(("<", "[", "+")):
            # -time prints the last frame's start: the word ends 10 ms later
            res["words"].append((strip_variant(w), s, e + 0.01))
    return res


def duration_of(wav):
    rate, pcm = read_wav(wav)
    return len(pcm) / 2 / rate


def make_workdir():
    return tempfile.mkdtemp(prefix="omnispeech-corpus-")
