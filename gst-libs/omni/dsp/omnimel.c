/* gst-omni: mel scale and mel filterbank
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Mel scales: HTK (O'Shaughnessy 1987, mel = 2595 log10 (1 + f/700)) and
 * Slaney's Auditory Toolbox (1998): linear below 1 kHz (200/3 Hz per mel),
 * logarithmic above (27 mels per factor 6.4). Filter construction follows
 * librosa.filters.mel (McFee et al., librosa 0.10) exactly, so weights can be
 * compared against it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnimel.h"

#include <math.h>
#include <stdlib.h>

struct _OmniMelFilterbank {
  unsigned n_mels, n_bins;
  float *weights; /* n_mels x n_bins, row-major */
  unsigned *first, *count;
  double *centers;
};

#define SLANEY_F_SP (200.0 / 3.0)
#define SLANEY_MIN_LOG_HZ 1000.0
#define SLANEY_MIN_LOG_MEL (SLANEY_MIN_LOG_HZ / SLANEY_F_SP)
#define SLANEY_LOGSTEP (0.06875177742094912) /* log(6.4) / 27 */

/**
 * omni_hz_to_mel:
 * @hz: frequency in Hz
 * @htk: non-zero for the HTK formula, zero for Slaney's
 *
 * Returns: the mel value (librosa.hz_to_mel)
 */
double
omni_hz_to_mel (double hz, int htk)
{
  if (htk)
    return 2595.0 * log10 (1.0 + hz / 700.0);
  if (hz >= SLANEY_MIN_LOG_HZ)
    return SLANEY_MIN_LOG_MEL + log (hz / SLANEY_MIN_LOG_HZ) / SLANEY_LOGSTEP;
  return hz / SLANEY_F_SP;
}

/**
 * omni_mel_to_hz:
 * @mel: mel value
 * @htk: non-zero for the HTK formula, zero for Slaney's
 *
 * Returns: the frequency in Hz (librosa.mel_to_hz)
 */
double
omni_mel_to_hz (double mel, int htk)
{
  if (htk)
    return 700.0 * (pow (10.0, mel / 2595.0) - 1.0);
  if (mel >= SLANEY_MIN_LOG_MEL)
    return SLANEY_MIN_LOG_HZ
           * exp (SLANEY_LOGSTEP * (mel - SLANEY_MIN_LOG_MEL));
  return SLANEY_F_SP * mel;
}

/**
 * omni_mel_frequencies:
 * @out: (out caller-allocates) (array length=n): frequencies in Hz
 * @n: number of frequencies
 * @fmin: lowest frequency
 * @fmax: highest frequency
 * @htk: mel formula
 *
 * @n frequencies evenly spaced in mel between @fmin and @fmax
 * (librosa.mel_frequencies).
 */
void
omni_mel_frequencies (
    double *out, unsigned n, double fmin, double fmax, int htk)
{
  double lo = omni_hz_to_mel (fmin, htk), hi = omni_hz_to_mel (fmax, htk);
  unsigned i;

  for (i = 0; i < n; i++)
    out[i] = omni_mel_to_hz (
        n > 1 ? lo + (hi - lo) * i / (double) (n - 1) : lo, htk);
}

/**
 * omni_mel_filterbank_new:
 * @sr: sample rate in Hz, > 0
 * @n_fft: FFT length, >= 2; the filters cover its n_fft/2+1 bins
 * @n_mels: number of filters, >= 1
 * @fmin: lowest edge in Hz, >= 0
 * @fmax: highest edge in Hz, or <= 0 for @sr / 2
 * @htk: non-zero for the HTK mel formula, zero for Slaney's
 * @norm: filter normalisation
 *
 * Builds the same matrix as
 * librosa.filters.mel (sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin,
 * fmax=fmax, htk=htk, norm=norm).
 *
 * Returns: (transfer full) (nullable): a filterbank, or %NULL on invalid
 * arguments
 */
OmniMelFilterbank *
omni_mel_filterbank_new (double sr, unsigned n_fft, unsigned n_mels,
    double fmin, double fmax, int htk, OmniMelNorm norm)
{
  OmniMelFilterbank *fb;
  double *mel_f, *fdiff;
  unsigned i, k, n_bins;

  if (!(sr > 0.0) || n_fft < 2 || n_mels < 1 || !(fmin >= 0.0))
    return NULL;
  if (fmax <= 0.0)
    fmax = sr / 2.0;
  if (!(fmax > fmin))
    return NULL;

  n_bins = n_fft / 2 + 1;
  fb = calloc (1, sizeof (OmniMelFilterbank));
  if (!fb)
    return NULL;
  fb->n_mels = n_mels;
  fb->n_bins = n_bins;
  fb->weights = calloc ((size_t) n_mels * n_bins, sizeof (float));
  fb->first = calloc (n_mels, sizeof (unsigned));
  fb->count = calloc (n_mels, sizeof (unsigned));
  fb->centers = calloc (n_mels, sizeof (double));
  mel_f = calloc (n_mels + 2, sizeof (double));
  fdiff = calloc (n_mels + 1, sizeof (double));
  if (!fb->weights || !fb->first || !fb->count || !fb->centers || !mel_f
      || !fdiff) {
    free (mel_f);
    free (fdiff);
    omni_mel_filterbank_free (fb);
    return NULL;
  }

  omni_mel_frequencies (mel_f, n_mels + 2, fmin, fmax, htk);
  for (i = 0; i < n_mels + 1; i++)
    fdiff[i] = mel_f[i + 1] - mel_f[i];

  for (i = 0; i < n_mels; i++) {
    float *row = fb->weights + (size_t) i * n_bins;
    double enorm = 1.0, acc = 0.0;
    int first = -1, last = -1;

    for (k = 0; k < n_bins; k++) {
      /* fftfreqs = linspace (0, sr/2, n_bins) */
      double f = sr / 2.0 * k / (double) (n_bins - 1);
      double lower = -(mel_f[i] - f) / fdiff[i];
      double upper = (mel_f[i + 2] - f) / fdiff[i + 1];
      double wv = MAX (0.0, MIN (lower, upper));
      row[k] = (float) wv;
    }
    switch (norm) {
    case OMNI_MEL_NORM_SLANEY:
      enorm = 2.0 / (mel_f[i + 2] - mel_f[i]);
      break;
    case OMNI_MEL_NORM_L1:
      for (k = 0; k < n_bins; k++)
        acc += fabs (row[k]);
      enorm = acc > 0.0 ? 1.0 / acc : 1.0;
      break;
    case OMNI_MEL_NORM_L2:
      for (k = 0; k < n_bins; k++)
        acc += (double) row[k] * row[k];
      enorm = acc > 0.0 ? 1.0 / sqrt (acc) : 1.0;
      break;
    case OMNI_MEL_NORM_MAX:
      for (k = 0; k < n_bins; k++)
        acc = MAX (acc, fabs (row[k]));
      enorm = acc > 0.0 ? 1.0 / acc : 1.0;
      break;
    case OMNI_MEL_NORM_NONE:
    default:
      break;
    }
    for (k = 0; k < n_bins; k++) {
      /* librosa builds in float64 and stores float32 */
      row[k] = (float) (row[k] * enorm);
      if (row[k] != 0.0f) {
        if (first < 0)
          first = (int) k;
        last = (int) k;
      }
    }
    fb->first[i] = first < 0 ? 0 : (unsigned) first;
    fb->count[i] = first < 0 ? 0 : (unsigned) (last - first + 1);
    fb->centers[i] = mel_f[i + 1];
  }
  free (mel_f);
  free (fdiff);
  return fb;
}

/**
 * omni_mel_filterbank_get_n_mels:
 * @fb: an #OmniMelFilterbank
 *
 * Returns: the number of filters
 */
unsigned
omni_mel_filterbank_get_n_mels (const OmniMelFilterbank *fb)
{
  return fb->n_mels;
}

/**
 * omni_mel_filterbank_get_n_bins:
 * @fb: an #OmniMelFilterbank
 *
 * Returns: the number of spectrum bins, n_fft/2+1
 */
unsigned
omni_mel_filterbank_get_n_bins (const OmniMelFilterbank *fb)
{
  return fb->n_bins;
}

/**
 * omni_mel_filterbank_get_weights:
 * @fb: an #OmniMelFilterbank
 *
 * Returns: (transfer none): the n_mels x (n_fft/2+1) weight matrix,
 * row-major, as librosa.filters.mel returns it
 */
const float *
omni_mel_filterbank_get_weights (const OmniMelFilterbank *fb)
{
  return fb->weights;
}

/**
 * omni_mel_filterbank_get_range:
 * @fb: an #OmniMelFilterbank
 * @mel: filter index
 * @first_bin: (out): first bin with a non-zero weight
 * @n_bins: (out): number of bins from @first_bin to the last non-zero one
 *   (0 for an empty filter, which happens when n_mels is too large for
 *   n_fft, as librosa warns)
 */
void
omni_mel_filterbank_get_range (const OmniMelFilterbank *fb, unsigned mel,
    unsigned *first_bin, unsigned *n_bins)
{
  *first_bin = fb->first[mel];
  *n_bins = fb->count[mel];
}

/**
 * omni_mel_filterbank_get_center:
 * @fb: an #OmniMelFilterbank
 * @mel: filter index
 *
 * Returns: the centre (peak) frequency of filter @mel in Hz
 */
double
omni_mel_filterbank_get_center (const OmniMelFilterbank *fb, unsigned mel)
{
  return fb->centers[mel];
}

/**
 * omni_mel_filterbank_do:
 * @fb: an #OmniMelFilterbank
 * @spectrum: (array): n_fft/2+1 bins (power or magnitude)
 * @mel: (out caller-allocates) (array): n_mels outputs, weights . spectrum
 */
void
omni_mel_filterbank_do (
    const OmniMelFilterbank *fb, const float *spectrum, float *mel)
{
  unsigned i, k;

  for (i = 0; i < fb->n_mels; i++) {
    const float *row = fb->weights + (size_t) i * fb->n_bins + fb->first[i];
    const float *s = spectrum + fb->first[i];
    float acc = 0.0f;
    for (k = 0; k < fb->count[i]; k++)
      acc += row[k] * s[k];
    mel[i] = acc;
  }
}

/**
 * omni_mel_filterbank_free:
 * @fb: (transfer full) (nullable): an #OmniMelFilterbank
 */
void
omni_mel_filterbank_free (OmniMelFilterbank *fb)
{
  if (!fb)
    return;
  free (fb->weights);
  free (fb->first);
  free (fb->count);
  free (fb->centers);
  free (fb);
}
