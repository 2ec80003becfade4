/* gst-omni: log-mel / MFCC front end, parameters and double-precision
 * reference
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The definitions are librosa's (McFee et al., "librosa: Audio and Music
 * Signal Analysis in Python", SciPy 2015; librosa 0.10):
 *  - librosa.stft (center=False, window='hann' periodic of win_length,
 *    zero-padded to n_fft with librosa.util.pad_center), then |X|^power;
 *  - librosa.filters.mel (Slaney or HTK scale, norm) for the filterbank,
 *    whose weights come from omnimel (float32, as librosa stores them);
 *  - librosa.power_to_db / amplitude_to_db (ref=1.0, amin=1e-10 / 1e-5,
 *    top_db) for the decibels;
 *  - librosa.feature.mfcc: scipy.fftpack.dct (type=2, norm='ortho') over
 *    the mel axis, first n_mfcc coefficients;
 *  - librosa.feature.delta: scipy.signal.savgol_filter (width,
 *    deriv=order, polyorder=order, mode='interp') along time (Savitzky and
 *    Golay, "Smoothing and Differentiation of Data by Simplified Least
 *    Squares Procedures", Anal. Chem. 36(8), 1964).
 * Everything is computed in double precision, the STFT as a direct DFT
 * (no FFT rounding), so that it can serve as ground truth for the Vulkan
 * front end (gst-libs/omni/audio/omnimelvk.c), which reuses the coefficient
 * tables computed here (window, DCT matrix, delta filter).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnilogmelref.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define POWER_AMIN 1e-10

/**
 * omni_logmel_params_init:
 * @p: (out caller-allocates): parameters to fill
 * @sample_rate: the sample rate in Hz
 *
 * Fills @p with the defaults: n_fft 512, win_length n_fft, hop 160 (10 ms
 * at 16 kHz), power spectrum, 64 Slaney mel bands with Slaney
 * normalisation from 0 Hz to Nyquist, decibels with top_db 80 (librosa's
 * defaults), log_offset 1e-6, no MFCC, no deltas, delta width 9.
 */
void
omni_logmel_params_init (OmniLogMelParams *p, double sample_rate)
{
  memset (p, 0, sizeof (*p));
  p->sample_rate = sample_rate;
  p->n_fft = 512;
  p->win_length = 0;
  p->hop = 160;
  p->spectrum = OMNI_LOGMEL_SPECTRUM_POWER;
  p->n_mels = 64;
  p->fmin = 0.0;
  p->fmax = 0.0;
  p->htk = 0;
  p->norm = OMNI_MEL_NORM_SLANEY;
  p->log = OMNI_LOGMEL_LOG_DB;
  p->top_db = 80.0;
  p->log_offset = 1e-6;
  p->n_mfcc = 0;
  p->delta_order = 0;
  p->delta_width = 9;
}

static int
fail (char **message, const char *text)
{
  if (message)
    *message = g_strdup (text);
  return 0;
}

/**
 * omni_logmel_params_check:
 * @p: parameters
 * @n_frames: frames per window the parameters will be used with, or 0 to
 *   skip the checks that depend on it
 * @message: (out) (optional) (transfer full): why @p is invalid, free with
 *   g_free()
 *
 * Returns: non-zero when @p is usable
 */
int
omni_logmel_params_check (
    const OmniLogMelParams *p, unsigned n_frames, char **message)
{
  if (!(p->sample_rate > 0.0))
    return fail (message, "sample rate must be positive");
  if (p->n_fft < 2 || p->n_fft > 65536)
    return fail (message, "n-fft must be between 2 and 65536");
  if (p->n_fft & 1)
    return fail (message, "n-fft must be even");
  if (p->win_length > p->n_fft)
    return fail (message, "the window length must not exceed n-fft");
  if (p->hop < 1)
    return fail (message, "hop must be at least one sample");
  if (p->spectrum != OMNI_LOGMEL_SPECTRUM_POWER
      && p->spectrum != OMNI_LOGMEL_SPECTRUM_MAGNITUDE)
    return fail (message, "unknown spectrum type");
  if (p->n_mels < 1 || p->n_mels > 1024)
    return fail (message, "n-mels must be between 1 and 1024");
  if (!(p->fmin >= 0.0))
    return fail (message, "fmin must not be negative");
  if (!(omni_logmel_fmax (p) > p->fmin))
    return fail (message, "fmax must be above fmin");
  if (p->log != OMNI_LOGMEL_LOG_DB && p->log != OMNI_LOGMEL_LOG_LN
      && p->log != OMNI_LOGMEL_LOG_NONE)
    return fail (message, "unknown log type");
  if (!(p->top_db >= 0.0))
    return fail (message, "top-db must not be negative");
  if (p->log == OMNI_LOGMEL_LOG_LN && !(p->log_offset > 0.0))
    return fail (message, "log-offset must be positive for the natural log");
  if (p->n_mfcc > p->n_mels)
    return fail (message, "n-mfcc must not exceed n-mels");
  if (p->delta_order > OMNI_LOGMEL_MAX_DELTA_ORDER)
    return fail (message, "deltas must be 0, 1 or 2");
  if (p->delta_order > 0 && (p->delta_width < 3 || !(p->delta_width & 1)))
    return fail (message, "delta-width must be odd and at least 3");
  if (n_frames > 0 && p->delta_order > 0 && p->delta_width > n_frames) {
    if (message)
      *message = g_strdup_printf ("delta-width %u exceeds the %u frames of a "
                                  "window (librosa.feature.delta refuses it)",
          p->delta_width, n_frames);
    return 0;
  }
  return 1;
}

/**
 * omni_logmel_n_bins:
 * @p: parameters
 *
 * Returns: the number of one-sided spectrum bins, n_fft / 2 + 1
 */
unsigned
omni_logmel_n_bins (const OmniLogMelParams *p)
{
  return p->n_fft / 2 + 1;
}

/**
 * omni_logmel_n_features:
 * @p: parameters
 *
 * Returns: the number of values per frame: n_mfcc, or n_mels without MFCC
 */
unsigned
omni_logmel_n_features (const OmniLogMelParams *p)
{
  return p->n_mfcc > 0 ? p->n_mfcc : p->n_mels;
}

/**
 * omni_logmel_win_length:
 * @p: parameters
 *
 * Returns: the effective window length (n_fft when win_length is 0)
 */
unsigned
omni_logmel_win_length (const OmniLogMelParams *p)
{
  return p->win_length > 0 ? p->win_length : p->n_fft;
}

/**
 * omni_logmel_fmax:
 * @p: parameters
 *
 * Returns: the effective highest filter edge: fmax, or sample_rate / 2 when
 * fmax <= 0. It is not clamped to Nyquist (librosa does not either: filters
 * above it are then empty); callers clamp.
 */
double
omni_logmel_fmax (const OmniLogMelParams *p)
{
  return p->fmax > 0.0 ? p->fmax : p->sample_rate / 2.0;
}

/**
 * omni_logmel_n_frames:
 * @p: parameters
 * @n_samples: a signal length
 *
 * Returns: the number of complete frames in @n_samples samples:
 * 1 + (n_samples - n_fft) / hop, or 0 when shorter than n_fft
 */
unsigned
omni_logmel_n_frames (const OmniLogMelParams *p, size_t n_samples)
{
  if (n_samples < p->n_fft)
    return 0;
  return (unsigned) (1 + (n_samples - p->n_fft) / p->hop);
}

/**
 * omni_logmel_filterbank_new:
 * @p: parameters
 *
 * Returns: (transfer full) (nullable): the mel filterbank of @p (see
 * omni_mel_filterbank_new()), free with omni_mel_filterbank_free()
 */
OmniMelFilterbank *
omni_logmel_filterbank_new (const OmniLogMelParams *p)
{
  return omni_mel_filterbank_new (p->sample_rate, p->n_fft, p->n_mels, p->fmin,
      omni_logmel_fmax (p), p->htk, p->norm);
}

/**
 * omni_logmel_window:
 * @p: parameters
 * @window: (out caller-allocates) (array): n_fft values
 *
 * The analysis window of one frame: a periodic Hann window of win_length
 * samples (scipy.signal.get_window ('hann', win_length, fftbins=True)),
 * centred in n_fft samples with zeros on both sides (librosa.util.pad_center:
 * (n_fft - win_length) / 2 zeros on the left, rounded down).
 */
void
omni_logmel_window (const OmniLogMelParams *p, double *window)
{
  unsigned wl = omni_logmel_win_length (p);
  unsigned lpad = (p->n_fft - wl) / 2, n;

  memset (window, 0, sizeof (double) * p->n_fft);
  for (n = 0; n < wl; n++)
    window[lpad + n] = 0.5 - 0.5 * cos (2.0 * M_PI * n / (double) wl);
}

/**
 * omni_logmel_dct_matrix:
 * @n_in: input length (mel bands)
 * @n_out: coefficients kept, <= @n_in
 * @matrix: (out caller-allocates) (array): @n_out x @n_in, row-major
 *
 * The orthonormal DCT-II matrix of scipy.fftpack.dct (type=2,
 * norm='ortho'): y[k] = f(k) * 2 * sum_n x[n] cos (pi k (2n + 1) / (2N)),
 * f(0) = sqrt (1 / (4N)), f(k) = sqrt (1 / (2N)).
 */
void
omni_logmel_dct_matrix (unsigned n_in, unsigned n_out, double *matrix)
{
  unsigned k, n;

  for (k = 0; k < n_out; k++) {
    double f = k == 0 ? sqrt (1.0 / (4.0 * n_in)) : sqrt (1.0 / (2.0 * n_in));
    for (n = 0; n < n_in; n++) {
      /* reduce the argument exactly: k (2n + 1) modulo 4N */
      unsigned long long m
          = ((unsigned long long) k * (2ull * n + 1)) % (4ull * n_in);
      matrix[(size_t) k * n_in + n] = 2.0 * f * cos (M_PI * m / (2.0 * n_in));
    }
  }
}

/**
 * omni_logmel_delta_coeffs:
 * @width: odd filter length, >= 3
 * @order: derivative order, 1 .. %OMNI_LOGMEL_MAX_DELTA_ORDER
 * @coeffs: (out caller-allocates) (array): @width values
 *
 * The Savitzky-Golay filter of librosa.feature.delta (width, order):
 * scipy.signal.savgol_coeffs (width, polyorder=order, deriv=order,
 * use='dot'), i.e. order! times the leading coefficient of the least-squares
 * polynomial of degree @order through @width points at offsets -M..M,
 * M = width / 2. Because the degree equals the derivative order, that
 * derivative is constant over the fitted window, so scipy's mode='interp'
 * edge handling (a polynomial fitted to the first or last @width frames)
 * applies the same coefficients to the first or last full window: see
 * omni_logmel_delta_start().
 *
 * Returns: non-zero on success, 0 on invalid arguments
 */
int
omni_logmel_delta_coeffs (unsigned width, unsigned order, double *coeffs)
{
  double g[OMNI_LOGMEL_MAX_DELTA_ORDER + 1][OMNI_LOGMEL_MAX_DELTA_ORDER + 2];
  unsigned d = order, i, j, n, col;
  int half = (int) width / 2;
  double fact = 1.0;

  if (order < 1 || order > OMNI_LOGMEL_MAX_DELTA_ORDER || width < 3
      || !(width & 1) || width < order + 1)
    return 0;

  /* Normal equations G y = e_d with G[i][j] = sum_u u^(i+j); then the
   * least-squares polynomial's coefficient a_d = sum_n y . V[n]. */
  for (i = 0; i <= d; i++) {
    for (j = 0; j <= d; j++) {
      double s = 0.0;
      for (n = 0; n < width; n++)
        s += pow ((double) ((int) n - half), (double) (i + j));
      g[i][j] = s;
    }
    g[i][d + 1] = i == d ? 1.0 : 0.0;
  }
  /* Gauss-Jordan with partial pivoting on the (d+1) x (d+2) system */
  for (col = 0; col <= d; col++) {
    unsigned piv = col;
    double t;
    for (i = col + 1; i <= d; i++)
      if (fabs (g[i][col]) > fabs (g[piv][col]))
        piv = i;
    if (g[piv][col] == 0.0)
      return 0;
    if (piv != col)
      for (j = 0; j <= d + 1; j++) {
        t = g[col][j];
        g[col][j] = g[piv][j];
        g[piv][j] = t;
      }
    for (i = 0; i <= d; i++) {
      double f;
      if (i == col)
        continue;
      f = g[i][col] / g[col][col];
      for (j = col; j <= d + 1; j++)
        g[i][j] -= f * g[col][j];
    }
  }
  for (i = 2; i <= d; i++)
    fact *= i;
  for (n = 0; n < width; n++) {
    double u = (double) ((int) n - half), s = 0.0, up = 1.0;
    for (i = 0; i <= d; i++) {
      s += g[i][d + 1] / g[i][i] * up;
      up *= u;
    }
    coeffs[n] = fact * s;
  }
  return 1;
}

/**
 * omni_logmel_delta_start:
 * @n_frames: frames in the sequence, >= @width
 * @width: filter length
 * @frame: output frame
 *
 * Returns: the first input frame of the @width frames that output @frame is
 * computed from: @frame - width / 2, clamped to [0, n_frames - width]
 * (scipy's mode='interp' at the edges)
 */
unsigned
omni_logmel_delta_start (unsigned n_frames, unsigned width, unsigned frame)
{
  unsigned half = width / 2;

  if (frame < half)
    return 0;
  if (frame - half > n_frames - width)
    return n_frames - width;
  return frame - half;
}

/**
 * omni_logmel_ref_spectrogram:
 * @p: parameters
 * @samples: (array length=n_samples): mono signal
 * @n_samples: its length
 * @spec: (out caller-allocates): omni_logmel_n_frames() x
 *   omni_logmel_n_bins() values, row-major: |X|^2 or |X|
 *
 * Short-time Fourier transform (center=False) computed as a direct DFT in
 * double precision: X_t[k] = sum_n w[n] x[t hop + n] e^(-2 pi i k n / N).
 */
void
omni_logmel_ref_spectrogram (const OmniLogMelParams *p, const float *samples,
    size_t n_samples, double *spec)
{
  unsigned n_fft = p->n_fft, n_bins = omni_logmel_n_bins (p);
  unsigned n_frames = omni_logmel_n_frames (p, n_samples), t, k, n;
  double *w = malloc (sizeof (double) * n_fft);
  double *cs = malloc (sizeof (double) * n_fft);
  double *sn = malloc (sizeof (double) * n_fft);
  double *xw = malloc (sizeof (double) * n_fft);

  omni_logmel_window (p, w);
  for (n = 0; n < n_fft; n++) {
    cs[n] = cos (2.0 * M_PI * n / (double) n_fft);
    sn[n] = sin (2.0 * M_PI * n / (double) n_fft);
  }
  for (t = 0; t < n_frames; t++) {
    const float *x = samples + (size_t) t * p->hop;
    double *row = spec + (size_t) t * n_bins;

    for (n = 0; n < n_fft; n++)
      xw[n] = w[n] * (double) x[n];
    for (k = 0; k < n_bins; k++) {
      double re = 0.0, im = 0.0, pw;
      unsigned idx = 0;
      for (n = 0; n < n_fft; n++) {
        re += xw[n] * cs[idx];
        im -= xw[n] * sn[idx];
        idx += k;
        if (idx >= n_fft)
          idx -= n_fft;
      }
      pw = re * re + im * im;
      row[k] = p->spectrum == OMNI_LOGMEL_SPECTRUM_POWER ? pw : sqrt (pw);
    }
  }
  free (w);
  free (cs);
  free (sn);
  free (xw);
}

/**
 * omni_logmel_ref_mel:
 * @p: parameters
 * @fb: the filterbank of @p (omni_logmel_filterbank_new())
 * @spec: @n_frames x n_bins spectrum
 * @n_frames: number of frames
 * @mel: (out caller-allocates): @n_frames x n_mels mel energies
 */
void
omni_logmel_ref_mel (const OmniLogMelParams *p, const OmniMelFilterbank *fb,
    const double *spec, unsigned n_frames, double *mel)
{
  unsigned n_bins = omni_mel_filterbank_get_n_bins (fb);
  const float *wts = omni_mel_filterbank_get_weights (fb);
  unsigned t, m, k;

  for (t = 0; t < n_frames; t++) {
    const double *s = spec + (size_t) t * n_bins;
    for (m = 0; m < p->n_mels; m++) {
      const float *row = wts + (size_t) m * n_bins;
      double acc = 0.0;
      for (k = 0; k < n_bins; k++)
        acc += (double) row[k] * s[k];
      mel[(size_t) t * p->n_mels + m] = acc;
    }
  }
}

/**
 * omni_logmel_ref_log:
 * @p: parameters
 * @values: (inout) (array length=n): mel energies of one window, replaced
 *   by their compressed values
 * @n: number of values
 *
 * Applies @p's log. For decibels the top_db floor is relative to the
 * maximum of the @n values, as librosa.power_to_db applies it to the array
 * it is given: call it once per window.
 */
void
omni_logmel_ref_log (const OmniLogMelParams *p, double *values, size_t n)
{
  size_t i;
  double top = -INFINITY;

  switch (p->log) {
  case OMNI_LOGMEL_LOG_DB:
    for (i = 0; i < n; i++) {
      double v = values[i];
      /* amplitude_to_db (S) = power_to_db (S^2, amin = 1e-5^2) */
      if (p->spectrum == OMNI_LOGMEL_SPECTRUM_MAGNITUDE)
        v = v * v;
      if (!(v > POWER_AMIN))
        v = POWER_AMIN;
      values[i] = 10.0 * log10 (v);
      if (values[i] > top)
        top = values[i];
    }
    if (p->top_db > 0.0)
      for (i = 0; i < n; i++)
        if (values[i] < top - p->top_db)
          values[i] = top - p->top_db;
    break;
  case OMNI_LOGMEL_LOG_LN:
    for (i = 0; i < n; i++)
      values[i] = log (values[i] + p->log_offset);
    break;
  case OMNI_LOGMEL_LOG_NONE:
  default:
    break;
  }
}

/**
 * omni_logmel_ref_dct:
 * @in: @n_rows x @n_in values
 * @n_rows: number of rows (frames)
 * @n_in: values per row (mel bands)
 * @n_out: coefficients kept per row
 * @out: (out caller-allocates): @n_rows x @n_out DCT-II (ortho) coefficients
 *   of each row (scipy.fftpack.dct (in, type=2, norm='ortho')[:, :n_out])
 */
void
omni_logmel_ref_dct (const double *in, unsigned n_rows, unsigned n_in,
    unsigned n_out, double *out)
{
  double *d = malloc (sizeof (double) * n_in * n_out);
  unsigned r, k, n;

  omni_logmel_dct_matrix (n_in, n_out, d);
  for (r = 0; r < n_rows; r++)
    for (k = 0; k < n_out; k++) {
      double acc = 0.0;
      for (n = 0; n < n_in; n++)
        acc += d[(size_t) k * n_in + n] * in[(size_t) r * n_in + n];
      out[(size_t) r * n_out + k] = acc;
    }
  free (d);
}

/**
 * omni_logmel_ref_delta:
 * @in: @n_frames x @n_cols values
 * @n_frames: number of frames (time axis)
 * @n_cols: values per frame
 * @width: odd filter length, 3 <= @width <= @n_frames
 * @order: derivative order (1 or 2)
 * @out: (out caller-allocates): @n_frames x @n_cols: librosa.feature.delta
 *   (in.T, width=width, order=order).T
 *
 * Returns: non-zero on success, 0 on invalid arguments
 */
int
omni_logmel_ref_delta (const double *in, unsigned n_frames, unsigned n_cols,
    unsigned width, unsigned order, double *out)
{
  double c[64];
  unsigned f, col, n;

  if (width > n_frames || width > G_N_ELEMENTS (c)
      || !omni_logmel_delta_coeffs (width, order, c))
    return 0;
  for (f = 0; f < n_frames; f++) {
    unsigned s = omni_logmel_delta_start (n_frames, width, f);
    for (col = 0; col < n_cols; col++) {
      double acc = 0.0;
      for (n = 0; n < width; n++)
        acc += c[n] * in[(size_t) (s + n) * n_cols + col];
      out[(size_t) f * n_cols + col] = acc;
    }
  }
  return 1;
}

/**
 * omni_logmel_ref_pool:
 * @in: @n_frames x @n_cols values
 * @n_frames: number of frames, >= 1
 * @n_cols: values per frame
 * @mean_std: (out caller-allocates): 2 x @n_cols: the mean of each column
 *   over the frames, then its standard deviation (population, numpy's
 *   default ddof=0)
 */
void
omni_logmel_ref_pool (
    const double *in, unsigned n_frames, unsigned n_cols, double *mean_std)
{
  unsigned f, col;

  for (col = 0; col < n_cols; col++) {
    double mean = 0.0, var = 0.0;
    for (f = 0; f < n_frames; f++)
      mean += in[(size_t) f * n_cols + col];
    mean /= n_frames;
    for (f = 0; f < n_frames; f++) {
      double d = in[(size_t) f * n_cols + col] - mean;
      var += d * d;
    }
    mean_std[col] = mean;
    mean_std[n_cols + col] = sqrt (var / n_frames);
  }
}

/**
 * omni_logmel_ref_window_features:
 * @p: parameters (valid for the window's frame count)
 * @samples: (array length=n_samples): the window's mono samples
 * @n_samples: the window length, >= n_fft
 * @features: (out caller-allocates): F x omni_logmel_n_features() values,
 *   F = omni_logmel_n_frames (@p, @n_samples): log-mel or MFCC
 * @deltas: (out caller-allocates) (nullable): delta_order x F x n_features
 *   values: the deltas of @features, order 1 first
 * @embedding: (out caller-allocates) (nullable): 2 x n_features values,
 *   the mean then the standard deviation of each feature over the window
 *
 * The whole front end on one window, as omniaudioenc computes it: log-mel
 * (the top_db floor relative to the window's maximum), MFCC, deltas and
 * pooled statistics.
 *
 * Returns: non-zero on success, 0 when the window is shorter than n_fft or
 * @p is invalid for it
 */
int
omni_logmel_ref_window_features (const OmniLogMelParams *p,
    const float *samples, size_t n_samples, double *features, double *deltas,
    double *embedding)
{
  unsigned n_frames = omni_logmel_n_frames (p, n_samples);
  unsigned n_bins = omni_logmel_n_bins (p), nf = omni_logmel_n_features (p);
  OmniMelFilterbank *fb;
  double *spec, *mel;
  unsigned o;
  int ok = 1;

  if (n_frames == 0 || !omni_logmel_params_check (p, n_frames, NULL))
    return 0;
  fb = omni_logmel_filterbank_new (p);
  if (!fb)
    return 0;
  spec = malloc (sizeof (double) * n_frames * n_bins);
  mel = malloc (sizeof (double) * n_frames * p->n_mels);
  omni_logmel_ref_spectrogram (p, samples, n_samples, spec);
  omni_logmel_ref_mel (p, fb, spec, n_frames, mel);
  omni_logmel_ref_log (p, mel, (size_t) n_frames * p->n_mels);
  if (p->n_mfcc > 0)
    omni_logmel_ref_dct (mel, n_frames, p->n_mels, p->n_mfcc, features);
  else
    memcpy (features, mel, sizeof (double) * n_frames * p->n_mels);
  if (deltas)
    for (o = 1; o <= p->delta_order && ok; o++)
      ok = omni_logmel_ref_delta (features, n_frames, nf, p->delta_width, o,
          deltas + (size_t) (o - 1) * n_frames * nf);
  if (embedding)
    omni_logmel_ref_pool (features, n_frames, nf, embedding);
  free (spec);
  free (mel);
  omni_mel_filterbank_free (fb);
  return ok;
}
