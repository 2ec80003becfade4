#!/usr/bin/python3
# gst-omni: independent numpy/scipy computation of omniaudioenc's front end,
# used by gst-tests/libs/logmelref.c to check the C double reference.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: audioenc_ref.py PARAMS.json SAMPLES.f32 OUT.f64
#
# PARAMS.json holds the fields of OmniLogMelParams (sample_rate, n_fft,
# win_length, hop, magnitude, n_mels, fmin, fmax, htk, slaney_norm, log
# ("db", "ln" or "none"), top_db, log_offset, n_mfcc, delta_order,
# delta_width). SAMPLES.f32 is one window of mono float32 samples. OUT.f64
# receives, as float64: the features [frames x n_features], then the deltas
# [delta_order x frames x n_features], then the embedding [2 x n_features].
#
# librosa is not packaged in Debian 12, so its definitions are re-implemented
# here from its source (librosa 0.10.1, ISC licence; McFee et al., SciPy
# 2015), with numpy.fft.rfft for the STFT and scipy for the DCT and the
# Savitzky-Golay deltas, exactly the calls librosa makes.
import json
import sys

import numpy as np
import scipy.fftpack
import scipy.signal


def hz_to_mel(frequencies, htk):
    # librosa/core/convert.py: hz_to_mel
    frequencies = np.asanyarray(frequencies, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + frequencies / 700.0)
    f_min = 0.0
    f_sp = 200.0 / 3
    mels = (frequencies - f_min) / f_sp
    min_log_hz = 1000.0
    min_log_mel = (min_log_hz - f_min) / f_sp
    logstep = np.log(6.4) / 27.0
    log_t = frequencies >= min_log_hz
    mels = np.where(log_t, min_log_mel + np.log(np.maximum(frequencies, 1e-30)
                                                / min_log_hz) / logstep, mels)
    return mels


def mel_to_hz(mels, htk):
    # librosa/core/convert.py: mel_to_hz
    mels = np.asanyarray(mels, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (mels / 2595.0) - 1.0)
    f_min = 0.0
    f_sp = 200.0 / 3
    freqs = f_min + f_sp * mels
    min_log_hz = 1000.0
    min_log_mel = (min_log_hz - f_min) / f_sp
    logstep = np.log(6.4) / 27.0
    log_t = mels >= min_log_mel
    return np.where(log_t, min_log_hz * np.exp(logstep * (mels - min_log_mel)),
                    freqs)


def mel_frequencies(n_mels, fmin, fmax, htk):
    # librosa/core/convert.py: mel_frequencies
    min_mel = hz_to_mel(fmin, htk)
    max_mel = hz_to_mel(fmax, htk)
    mels = np.linspace(min_mel, max_mel, n_mels)
    return mel_to_hz(mels, htk)


def mel_filterbank(sr, n_fft, n_mels, fmin, fmax, htk, slaney_norm):
    # librosa/filters.py: mel (dtype=np.float32, norm='slaney' or None)
    weights = np.zeros((n_mels, 1 + n_fft // 2), dtype=np.float32)
    fftfreqs = np.fft.rfftfreq(n=n_fft, d=1.0 / sr)  # fft_frequencies
    mel_f = mel_frequencies(n_mels + 2, fmin, fmax, htk)
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    if slaney_norm:
        enorm = 2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels])
        weights *= enorm[:, np.newaxis]
    return weights


def stft_power(y, n_fft, win_length, hop, magnitude):
    # librosa/core/spectrum.py: stft (center=False), window from
    # scipy.signal.get_window('hann', win_length, fftbins=True) padded with
    # librosa.util.pad_center; then np.abs(S) ** power
    win = scipy.signal.get_window('hann', win_length, fftbins=True)
    lpad = (n_fft - win_length) // 2
    window = np.zeros(n_fft)
    window[lpad:lpad + win_length] = win
    n_frames = 1 + (len(y) - n_fft) // hop
    frames = np.stack([y[t * hop:t * hop + n_fft] for t in range(n_frames)])
    spec = np.abs(np.fft.rfft(frames.astype(np.float64) * window, axis=1))
    return spec if magnitude else spec ** 2


def power_to_db(S, top_db, amin=1e-10):
    # librosa/core/spectrum.py: power_to_db (ref=1.0)
    log_spec = 10.0 * np.log10(np.maximum(amin, S))
    log_spec -= 10.0 * np.log10(np.maximum(amin, 1.0))
    if top_db is not None:
        log_spec = np.maximum(log_spec, log_spec.max() - top_db)
    return log_spec


def amplitude_to_db(S, top_db, amin=1e-5):
    # librosa/core/spectrum.py: amplitude_to_db (ref=1.0)
    magnitude = np.abs(S)
    power = np.square(magnitude, out=magnitude)
    return power_to_db(power, top_db, amin=amin ** 2)


def main():
    with open(sys.argv[1]) as f:
        p = json.load(f)
    y = np.fromfile(sys.argv[2], dtype=np.float32)
    sr = p['sample_rate']
    n_fft = p['n_fft']
    win_length = p['win_length'] or n_fft
    fmax = p['fmax'] if p['fmax'] > 0 else sr / 2.0
    top_db = p['top_db'] if p['top_db'] > 0 else None

    spec = stft_power(y, n_fft, win_length, p['hop'], p['magnitude'])
    fb = mel_filterbank(sr, n_fft, p['n_mels'], p['fmin'], fmax, p['htk'],
                        p['slaney_norm'])
    mel = spec @ fb.T.astype(np.float64)  # [frames x n_mels]
    if p['log'] == 'db':
        if p['magnitude']:
            feat = amplitude_to_db(mel, top_db)
        else:
            feat = power_to_db(mel, top_db)
    elif p['log'] == 'ln':
        feat = np.log(mel + p['log_offset'])
    else:
        feat = mel
    if p['n_mfcc'] > 0:
        # librosa/feature/spectral.py: mfcc (dct_type=2, norm='ortho')
        feat = scipy.fftpack.dct(feat, axis=1, type=2,
                                 norm='ortho')[:, :p['n_mfcc']]
    out = [feat.ravel()]
    for order in range(1, p['delta_order'] + 1):
        # librosa/feature/utils.py: delta (mode='interp')
        d = scipy.signal.savgol_filter(feat, p['delta_width'], polyorder=order,
                                       deriv=order, axis=0, mode='interp')
        out.append(d.ravel())
    out.append(feat.mean(axis=0))
    out.append(feat.std(axis=0))
    np.concatenate(out).astype(np.float64).tofile(sys.argv[3])


if __name__ == '__main__':
    main()
