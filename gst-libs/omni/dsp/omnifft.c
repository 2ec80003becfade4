/* gst-omni: real FFT over gstfft
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnifft.h"

#include <gst/fft/gstfftf32.h>
#include <stdlib.h>

struct _OmniFft {
  unsigned n;
  GstFFTF32 *fft;
  GstFFTF32Complex *freq;
};

/**
 * omni_fft_next_size:
 * @n: a length
 *
 * Returns: the smallest even length >= @n whose prime factors are 2, 3
 * and 5 only (fast for KISS FFT), so that a window of any duration needs
 * little zero padding at any sample rate.
 */
unsigned
omni_fft_next_size (unsigned n)
{
  unsigned half = (n + 1) / 2;

  if (half < 1)
    half = 1;
  return 2u * (unsigned) gst_fft_next_fast_length ((gint) half);
}

/**
 * omni_fft_new:
 * @n: transform length, even, >= 2
 *
 * Returns: (transfer full) (nullable): a new #OmniFft, or %NULL when @n is
 * odd or too small
 */
OmniFft *
omni_fft_new (unsigned n)
{
  OmniFft *fft;

  if (n < 2 || (n & 1))
    return NULL;
  fft = calloc (1, sizeof (OmniFft));
  if (!fft)
    return NULL;
  fft->n = n;
  fft->fft = gst_fft_f32_new ((gint) n, FALSE);
  fft->freq = calloc (n / 2 + 1, sizeof (GstFFTF32Complex));
  if (!fft->fft || !fft->freq) {
    omni_fft_free (fft);
    return NULL;
  }
  return fft;
}

/**
 * omni_fft_get_size:
 * @fft: an #OmniFft
 *
 * Returns: the transform length
 */
unsigned
omni_fft_get_size (const OmniFft *fft)
{
  return fft->n;
}

/**
 * omni_fft_do:
 * @fft: an #OmniFft
 * @in: (array): n real input samples
 * @re: (out caller-allocates) (array): n/2+1 real parts
 * @im: (out caller-allocates) (array): n/2+1 imaginary parts
 *
 * X[k] = sum_t in[t] exp(-2 pi i k t / n), k = 0..n/2.
 */
void
omni_fft_do (OmniFft *fft, const float *in, float *re, float *im)
{
  unsigned k;

  gst_fft_f32_fft (fft->fft, in, fft->freq);
  for (k = 0; k <= fft->n / 2; k++) {
    re[k] = fft->freq[k].r;
    im[k] = fft->freq[k].i;
  }
}

/**
 * omni_fft_do_power:
 * @fft: an #OmniFft
 * @in: (array): n real input samples
 * @power: (out caller-allocates) (array): n/2+1 values |X[k]|^2
 */
void
omni_fft_do_power (OmniFft *fft, const float *in, float *power)
{
  unsigned k;

  gst_fft_f32_fft (fft->fft, in, fft->freq);
  for (k = 0; k <= fft->n / 2; k++)
    power[k]
        = fft->freq[k].r * fft->freq[k].r + fft->freq[k].i * fft->freq[k].i;
}

/**
 * omni_fft_free:
 * @fft: (transfer full) (nullable): an #OmniFft
 */
void
omni_fft_free (OmniFft *fft)
{
  if (!fft)
    return;
  if (fft->fft)
    gst_fft_f32_free (fft->fft);
  free (fft->freq);
  free (fft);
}
