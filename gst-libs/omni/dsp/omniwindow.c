/* gst-omni: window functions
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniwindow.h"

#include <math.h>
#include <stdlib.h>

/**
 * omni_window_fill:
 * @type: the window shape
 * @w: (out caller-allocates) (array length=n): the window
 * @n: length
 * @periodic: non-zero for the DFT-even ("periodic") form used for spectral
 *   analysis (scipy fftbins=True, librosa's default): the symmetric window
 *   of length n+1 without its last sample; zero for the symmetric form.
 *
 * Fills @w with the generalised cosine window
 * w[t] = sum_k (-1)^k a_k cos (2 pi k t / M), M = n (periodic) or n-1.
 */
void
omni_window_fill (OmniWindowType type, float *w, unsigned n, int periodic)
{
  double a[4] = { 1.0, 0.0, 0.0, 0.0 };
  double m;
  unsigned t;
  int k;

  switch (type) {
  case OMNI_WINDOW_HANN:
    a[0] = 0.5;
    a[1] = 0.5;
    break;
  case OMNI_WINDOW_HAMMING:
    a[0] = 0.54;
    a[1] = 0.46;
    break;
  case OMNI_WINDOW_BLACKMAN:
    a[0] = 0.42;
    a[1] = 0.5;
    a[2] = 0.08;
    break;
  case OMNI_WINDOW_BLACKMAN_HARRIS:
    a[0] = 0.35875;
    a[1] = 0.48829;
    a[2] = 0.14128;
    a[3] = 0.01168;
    break;
  case OMNI_WINDOW_RECTANGULAR:
  default:
    break;
  }
  if (n == 1) {
    w[0] = 1.0f;
    return;
  }
  m = periodic ? (double) n : (double) (n - 1);
  for (t = 0; t < n; t++) {
    double v = 0.0;
    for (k = 0; k < 4; k++)
      v += (k & 1 ? -a[k] : a[k]) * cos (2.0 * M_PI * k * t / m);
    w[t] = (float) v;
  }
}

/**
 * omni_window_new:
 * @type: the window shape
 * @n: length, > 0
 * @periodic: see omni_window_fill()
 *
 * Returns: (transfer full) (nullable): a new window, free with
 * omni_window_free()
 */
float *
omni_window_new (OmniWindowType type, unsigned n, int periodic)
{
  float *w;

  if (n == 0 || !(w = malloc (n * sizeof (float))))
    return NULL;
  omni_window_fill (type, w, n, periodic);
  return w;
}

/**
 * omni_window_free:
 * @w: (transfer full) (nullable): a window from omni_window_new()
 */
void
omni_window_free (float *w)
{
  free (w);
}

/**
 * omni_window_sum:
 * @w: (array length=n): a window
 * @n: length
 *
 * Returns: the sum of the window's samples (its coherent gain times n): a
 * sine of amplitude A at a bin centre has |X| = A sum/2.
 */
double
omni_window_sum (const float *w, unsigned n)
{
  double s = 0.0;
  unsigned t;

  for (t = 0; t < n; t++)
    s += w[t];
  return s;
}
