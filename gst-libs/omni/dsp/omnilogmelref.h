/* gst-omni: log-mel / MFCC front end, parameters and double-precision
 * reference
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_LOGMEL_REF_H__
#define __OMNI_LOGMEL_REF_H__

#include <stddef.h>

#include <omni/omni-prelude.h>
#include <omni/dsp/omnimel.h>

G_BEGIN_DECLS

/**
 * OmniLogMelSpectrum:
 * @OMNI_LOGMEL_SPECTRUM_POWER: |STFT|^2 (librosa power=2.0)
 * @OMNI_LOGMEL_SPECTRUM_MAGNITUDE: |STFT| (librosa power=1.0)
 *
 * What the mel filterbank is applied to.
 */
typedef enum {
  OMNI_LOGMEL_SPECTRUM_POWER = 0,
  OMNI_LOGMEL_SPECTRUM_MAGNITUDE,
} OmniLogMelSpectrum;

/**
 * OmniLogMelLog:
 * @OMNI_LOGMEL_LOG_DB: decibels, librosa.power_to_db (ref=1.0, amin=1e-10)
 *   for a power spectrum and librosa.amplitude_to_db (ref=1.0, amin=1e-5)
 *   for a magnitude spectrum, then the top-db floor relative to the maximum
 *   of the window
 * @OMNI_LOGMEL_LOG_LN: natural logarithm ln(mel + log_offset), as YAMNet and
 *   VGGish compute it
 * @OMNI_LOGMEL_LOG_NONE: the mel energies themselves
 *
 * The compression applied to the mel energies.
 */
typedef enum {
  OMNI_LOGMEL_LOG_DB = 0,
  OMNI_LOGMEL_LOG_LN,
  OMNI_LOGMEL_LOG_NONE,
} OmniLogMelLog;

/**
 * OMNI_LOGMEL_MAX_DELTA_ORDER:
 *
 * The highest derivative order supported for deltas.
 */
#define OMNI_LOGMEL_MAX_DELTA_ORDER 2

/**
 * OmniLogMelParams:
 * @sample_rate: sample rate in Hz
 * @n_fft: FFT length in samples: any even length >= 2 (powers of two or
 *   not)
 * @win_length: Hann window length, <= @n_fft, centred in the frame as
 *   librosa.util.pad_center does; 0 means @n_fft
 * @hop: samples between frame starts, >= 1
 * @spectrum: power or magnitude spectrum
 * @n_mels: number of mel bands
 * @fmin: lowest filter edge in Hz
 * @fmax: highest filter edge in Hz; <= 0 means @sample_rate / 2
 * @htk: non-zero for the HTK mel formula, zero for Slaney's
 * @norm: filter normalisation (librosa norm=)
 * @log: compression of the mel energies
 * @top_db: with %OMNI_LOGMEL_LOG_DB, values below (window maximum - @top_db)
 *   are raised to it; <= 0 disables the floor (librosa top_db=None)
 * @log_offset: with %OMNI_LOGMEL_LOG_LN, the offset added before the log
 * @n_mfcc: 0 for log-mel features, otherwise the number of DCT-II
 *   (orthonormal) coefficients kept: MFCCs
 * @delta_order: 0 (no deltas), 1 (delta) or 2 (delta and delta-delta)
 * @delta_width: odd number of frames of the Savitzky-Golay filter, >= 3
 *
 * Configuration of the front end. Frames follow librosa's center=False
 * convention: frame t covers samples [t * hop, t * hop + n_fft).
 */
typedef struct {
  double sample_rate;
  unsigned n_fft;
  unsigned win_length;
  unsigned hop;
  OmniLogMelSpectrum spectrum;
  unsigned n_mels;
  double fmin, fmax;
  int htk;
  OmniMelNorm norm;
  OmniLogMelLog log;
  double top_db;
  double log_offset;
  unsigned n_mfcc;
  unsigned delta_order;
  unsigned delta_width;
} OmniLogMelParams;

OMNI_API void omni_logmel_params_init (OmniLogMelParams *p, double sample_rate);
OMNI_API int omni_logmel_params_check (
    const OmniLogMelParams *p, unsigned n_frames, char **message);

OMNI_API unsigned omni_logmel_n_bins (const OmniLogMelParams *p);
OMNI_API unsigned omni_logmel_n_features (const OmniLogMelParams *p);
OMNI_API unsigned omni_logmel_win_length (const OmniLogMelParams *p);
OMNI_API double omni_logmel_fmax (const OmniLogMelParams *p);
OMNI_API unsigned omni_logmel_n_frames (
    const OmniLogMelParams *p, size_t n_samples);

OMNI_API OmniMelFilterbank *omni_logmel_filterbank_new (
    const OmniLogMelParams *p);
OMNI_API void omni_logmel_window (const OmniLogMelParams *p, double *window);
OMNI_API void omni_logmel_dct_matrix (
    unsigned n_in, unsigned n_out, double *matrix);
OMNI_API int omni_logmel_delta_coeffs (
    unsigned width, unsigned order, double *coeffs);
OMNI_API unsigned omni_logmel_delta_start (
    unsigned n_frames, unsigned width, unsigned frame);

OMNI_API void omni_logmel_ref_spectrogram (const OmniLogMelParams *p,
    const float *samples, size_t n_samples, double *spec);
OMNI_API void omni_logmel_ref_mel (const OmniLogMelParams *p,
    const OmniMelFilterbank *fb, const double *spec, unsigned n_frames,
    double *mel);
OMNI_API void omni_logmel_ref_log (
    const OmniLogMelParams *p, double *values, size_t n);
OMNI_API void omni_logmel_ref_dct (const double *in, unsigned n_rows,
    unsigned n_in, unsigned n_out, double *out);
OMNI_API int omni_logmel_ref_delta (const double *in, unsigned n_frames,
    unsigned n_cols, unsigned width, unsigned order, double *out);
OMNI_API void omni_logmel_ref_pool (
    const double *in, unsigned n_frames, unsigned n_cols, double *mean_std);
OMNI_API int omni_logmel_ref_window_features (const OmniLogMelParams *p,
    const float *samples, size_t n_samples, double *features, double *deltas,
    double *embedding);

G_END_DECLS

#endif /* __OMNI_LOGMEL_REF_H__ */
