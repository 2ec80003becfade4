#!/usr/bin/python3
# gst-omni: the numpy/scipy peer of bench/audioenc: the same log-mel front
# end as omniaudioenc's defaults (n_fft 512 Hann, hop 160, 64 Slaney mels,
# power_to_db with top_db 80 per window, 0.96 s windows every 0.48 s, mean
# and std per band) over a whole file, vectorised the way one would write it
# with numpy (strided frames, one batched rfft, one matmul).
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: audioenc_numpy.py SAMPLES.f32 RATE
# prints "seconds N" (the compute time, the file read and imports excluded),
# "cpu N" (the CPU time of that computation, all threads) and "windows N".
import os
import sys
import time

import numpy as np
import scipy.fft
import scipy.signal

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'gst-tests', 'data'))
from audioenc_ref import mel_filterbank  # noqa: E402 (librosa.filters.mel)


def front_end(x, fb, window, n_fft, hop, win_samples, win_hop):
    frames = np.lib.stride_tricks.sliding_window_view(x, n_fft)[::hop]
    spec = np.abs(scipy.fft.rfft(frames * window, axis=1)) ** 2
    mel = spec @ fb.T
    logmel = 10.0 * np.log10(np.maximum(mel, 1e-10))
    n_win = 1 + (len(x) - win_samples) // win_hop
    per = 1 + (win_samples - n_fft) // hop
    step = win_hop // hop
    out = []
    for k in range(n_win):
        patch = logmel[k * step:k * step + per]
        patch = np.maximum(patch, patch.max() - 80.0)
        out.append((patch, patch.mean(axis=0), patch.std(axis=0)))
    return out


def main():
    x = np.fromfile(sys.argv[1], dtype=np.float32)
    sr = int(sys.argv[2])
    n_fft, hop = 512, 160
    win_samples, win_hop = int(round(0.96 * sr)), int(round(0.48 * sr))
    fb = mel_filterbank(sr, n_fft, 64, 0.0, sr / 2.0, False, True)
    window = scipy.signal.get_window('hann', n_fft, fftbins=True).astype(
        np.float32)
    t0 = time.perf_counter()
    c0 = time.process_time()
    out = front_end(x, fb, window, n_fft, hop, win_samples, win_hop)
    c1 = time.process_time()
    t1 = time.perf_counter()
    print('seconds %.6f' % (t1 - t0))
    print('cpu %.6f' % (c1 - c0))
    print('windows %d' % len(out))


if __name__ == '__main__':
    main()
