/* gst-omni: spectral shape descriptors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Centroid and roll-off as librosa.feature.spectral_centroid/_rolloff define
 * them on a magnitude spectrum (Peeters, "A large set of audio features for
 * sound description", IRCAM 2004); flux after Dixon, "Onset detection
 * revisited", DAFx 2006 (half-wave rectified L1 difference), normalised by
 * the current frame's total magnitude so that it does not depend on level.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnispectral.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/**
 * omni_spectral_centroid:
 * @mag: (array length=n_bins): magnitude spectrum, bin k at k * @bin_hz
 * @n_bins: number of bins
 * @bin_hz: bin spacing in Hz (sr / n_fft)
 *
 * Returns: sum_k f_k |X_k| / sum_k |X_k| in Hz, 0 for an all-zero spectrum
 */
double
omni_spectral_centroid (const float *mag, unsigned n_bins, double bin_hz)
{
  double num = 0.0, den = 0.0;
  unsigned k;

  for (k = 0; k < n_bins; k++) {
    num += (double) k * mag[k];
    den += mag[k];
  }
  if (!(den > 0.0) || !isfinite (num / den))
    return 0.0;
  return num / den * bin_hz;
}

/**
 * omni_spectral_rolloff:
 * @mag: (array length=n_bins): magnitude spectrum
 * @n_bins: number of bins
 * @bin_hz: bin spacing in Hz
 * @fraction: roll-off fraction in (0,1], librosa's roll_percent (0.85)
 *
 * Returns: the frequency of the first bin at which the cumulative magnitude
 * reaches @fraction of the total, 0 for an all-zero spectrum
 */
double
omni_spectral_rolloff (
    const float *mag, unsigned n_bins, double bin_hz, double fraction)
{
  double total = 0.0, acc = 0.0, thr;
  unsigned k;

  for (k = 0; k < n_bins; k++)
    total += mag[k];
  if (!(total > 0.0) || !isfinite (total))
    return 0.0;
  thr = fraction * total;
  for (k = 0; k < n_bins; k++) {
    acc += mag[k];
    if (acc >= thr)
      return k * bin_hz;
  }
  return (n_bins - 1) * bin_hz;
}

struct _OmniSpectralFlux {
  unsigned n_bins;
  int have_prev;
  float *prev;
};

/**
 * omni_spectral_flux_new:
 * @n_bins: spectrum length
 *
 * Returns: (transfer full) (nullable): a new #OmniSpectralFlux
 */
OmniSpectralFlux *
omni_spectral_flux_new (unsigned n_bins)
{
  OmniSpectralFlux *f;

  if (n_bins == 0 || !(f = calloc (1, sizeof (OmniSpectralFlux))))
    return NULL;
  f->n_bins = n_bins;
  if (!(f->prev = calloc (n_bins, sizeof (float)))) {
    free (f);
    return NULL;
  }
  return f;
}

/**
 * omni_spectral_flux_between:
 * @mag: (array length=n_bins): the current magnitude spectrum
 * @prev: (array length=n_bins): the previous one
 * @n_bins: number of bins
 *
 * Returns: sum_k max (0, mag_k - prev_k) / sum_k mag_k in [0,1], 0 for an
 * all-zero @mag
 */
double
omni_spectral_flux_between (
    const float *mag, const float *prev, unsigned n_bins)
{
  float num = 0.0f, den = 0.0f;
  double r;
  unsigned k;

  for (k = 0; k < n_bins; k++) {
    float d = mag[k] - prev[k];
    num += d > 0.0f ? d : 0.0f;
    den += mag[k];
  }
  r = den > 0.0f ? (double) num / den : 0.0;
  return isfinite (r) ? (r > 1.0 ? 1.0 : r) : 0.0;
}

/**
 * omni_spectral_flux_do:
 * @flux: an #OmniSpectralFlux
 * @mag: (array): the current magnitude spectrum
 *
 * Returns: sum_k max (0, |X_t,k| - |X_t-1,k|) / sum_k |X_t,k|, in [0,1]:
 * the part of the current spectrum that is new since the previous frame;
 * 0 for the first frame after a reset and for an all-zero frame
 */
double
omni_spectral_flux_do (OmniSpectralFlux *flux, const float *mag)
{
  double r = flux->have_prev
                 ? omni_spectral_flux_between (mag, flux->prev, flux->n_bins)
                 : 0.0;

  memcpy (flux->prev, mag, flux->n_bins * sizeof (float));
  flux->have_prev = 1;
  return r;
}

/**
 * omni_spectral_flux_reset:
 * @flux: an #OmniSpectralFlux
 *
 * Forgets the previous frame.
 */
void
omni_spectral_flux_reset (OmniSpectralFlux *flux)
{
  memset (flux->prev, 0, flux->n_bins * sizeof (float));
  flux->have_prev = 0;
}

/**
 * omni_spectral_flux_free:
 * @flux: (transfer full) (nullable): an #OmniSpectralFlux
 */
void
omni_spectral_flux_free (OmniSpectralFlux *flux)
{
  if (!flux)
    return;
  free (flux->prev);
  free (flux);
}
