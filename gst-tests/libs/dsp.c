/* gst-omni: unit tests for the DSP objects of libgstomni-1.0
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every expected value follows from the construction of the input signal
 * (a sine of known frequency and amplitude, clicks at known times, noise
 * without periodicity) or from the published definitions (librosa's mel
 * filterbank, AES17 dBFS).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <omni/dsp/omnidsp.h>
#include <math.h>

#define assert_close(a, b, tol)                                                \
  fail_unless (fabs ((double) (a) - (double) (b)) <= (tol),                    \
      "%s = %.6g, expected %.6g +- %.3g", #a, (double) (a), (double) (b),      \
      (double) (tol))

static void
fill_sine (float *x, size_t n, double rate, double freq, double amp)
{
  size_t i;

  for (i = 0; i < n; i++)
    x[i] = (float) (amp * sin (2.0 * M_PI * freq * i / rate));
}

/* decaying 2 ms bursts of a 3 kHz tone at the given times: percussive
 * clicks with a sharp, known attack */
static float *
make_clicks (
    double rate, double seconds, const double *times, guint n_times, double amp)
{
  size_t n = (size_t) (seconds * rate), i;
  float *x = g_new0 (float, n);
  guint k;

  for (k = 0; k < n_times; k++) {
    size_t start = (size_t) llround (times[k] * rate);
    size_t len = (size_t) (0.02 * rate);
    for (i = 0; i < len && start + i < n; i++)
      x[start + i] += (float) (amp * exp (-(double) i / (0.003 * rate))
                               * sin (2.0 * M_PI * 3000.0 * i / rate));
  }
  return x;
}

/* a deterministic white noise generator (xorshift), uniform in [-1, 1) */
static guint32 noise_state = 2463534242u;

static float
white (void)
{
  noise_state ^= noise_state << 13;
  noise_state ^= noise_state >> 17;
  noise_state ^= noise_state << 5;
  return (float) ((noise_state / 4294967296.0) * 2.0 - 1.0);
}

GST_START_TEST (test_window_shapes)
{
  float w[9];
  guint i;

  /* periodic Hann of 8: 0.5 - 0.5 cos (2 pi t / 8) */
  omni_window_fill (OMNI_WINDOW_HANN, w, 8, 1);
  assert_close (w[0], 0.0, 1e-7);
  assert_close (w[2], 0.5, 1e-6);
  assert_close (w[4], 1.0, 1e-7);
  assert_close (w[6], 0.5, 1e-6);
  assert_close (omni_window_sum (w, 8), 4.0, 1e-5);
  /* symmetric Hann of 9 ends in zeros on both sides, peaks in the middle */
  omni_window_fill (OMNI_WINDOW_HANN, w, 9, 0);
  assert_close (w[0], 0.0, 1e-7);
  assert_close (w[8], 0.0, 1e-7);
  assert_close (w[4], 1.0, 1e-7);
  for (i = 0; i < 4; i++)
    assert_close (w[i], w[8 - i], 1e-6);
  /* Hamming ends at 0.08, Blackman at 0 (within float rounding) */
  omni_window_fill (OMNI_WINDOW_HAMMING, w, 9, 0);
  assert_close (w[0], 0.08, 1e-6);
  assert_close (w[4], 1.0, 1e-6);
  omni_window_fill (OMNI_WINDOW_BLACKMAN, w, 9, 0);
  assert_close (w[0], 0.0, 1e-6);
  assert_close (w[4], 1.0, 1e-6);
  omni_window_fill (OMNI_WINDOW_BLACKMAN_HARRIS, w, 9, 0);
  assert_close (w[0], 6.0e-5, 1e-6);
  assert_close (w[4], 1.0, 1e-6);
  omni_window_fill (OMNI_WINDOW_RECTANGULAR, w, 9, 1);
  for (i = 0; i < 9; i++)
    assert_close (w[i], 1.0, 0.0);
}

GST_END_TEST;

GST_START_TEST (test_fft)
{
  unsigned n = 1024, k, s;
  OmniFft *fft;
  float *x = g_new0 (float, n), *p = g_new0 (float, n / 2 + 1);
  float *re = g_new0 (float, n / 2 + 1), *im = g_new0 (float, n / 2 + 1);
  double e_time = 0.0, e_freq = 0.0;

  /* sizes: even, >= n, 2-3-5 smooth */
  for (s = 1; s < 5000; s += 37) {
    unsigned m = omni_fft_next_size (s), r;
    fail_unless (m >= s && m % 2 == 0, "%u -> %u", s, m);
    r = m;
    while (r % 2 == 0)
      r /= 2;
    while (r % 3 == 0)
      r /= 3;
    while (r % 5 == 0)
      r /= 5;
    fail_unless_equals_int (r, 1);
  }
  fail_unless (omni_fft_new (7) == NULL);

  fft = omni_fft_new (n);
  fail_unless (fft != NULL);
  fail_unless_equals_int (omni_fft_get_size (fft), n);

  /* a sine of amplitude 0.5 exactly on bin 37: |X| = 0.5 n / 2 there and
   * nothing elsewhere */
  fill_sine (x, n, n, 37.0, 0.5);
  omni_fft_do_power (fft, x, p);
  assert_close (sqrt (p[37]), 0.5 * n / 2.0, 1e-2);
  for (k = 0; k <= n / 2; k++)
    if (k != 37)
      fail_unless (p[k] < 1e-6, "bin %u = %g", k, p[k]);
  /* the phase of a sine is -90 degrees */
  omni_fft_do (fft, x, re, im);
  assert_close (re[37], 0.0, 1e-2);
  assert_close (im[37], -0.5 * n / 2.0, 1e-2);

  /* DC */
  for (k = 0; k < n; k++)
    x[k] = 0.25f;
  omni_fft_do_power (fft, x, p);
  assert_close (p[0], (0.25 * n) * (0.25 * n), 1e-1);
  assert_close (p[1], 0.0, 1e-6);

  /* Parseval on noise: sum x^2 = (1/n) sum_k |X_k|^2 over both halves */
  for (k = 0; k < n; k++) {
    x[k] = white ();
    e_time += (double) x[k] * x[k];
  }
  omni_fft_do_power (fft, x, p);
  for (k = 0; k <= n / 2; k++)
    e_freq += (k == 0 || k == n / 2 ? 1.0 : 2.0) * p[k];
  assert_close (e_freq / n, e_time, 1e-3 * e_time);

  omni_fft_free (fft);
  omni_fft_free (NULL);
  g_free (x);
  g_free (p);
  g_free (re);
  g_free (im);
}

GST_END_TEST;

/* RMS of a sine through the decimator, after the start-up transient */
static double
decimated_gain (OmniDecimator *d, double rate, double freq)
{
  size_t n = (size_t) rate, m, i;
  float *x = g_new (float, n), *y = g_new (float, n), *h = g_new (float, n);
  double e = 0.0;

  fill_sine (x, n, rate, freq, 1.0);
  omni_decimator_reset (d);
  m = omni_decimator_do_split (d, x, n, y, h);
  fail_unless_equals_int (m, n / omni_decimator_get_factor (d));
  for (i = m / 4; i < m; i++)
    e += (double) y[i] * y[i];
  g_free (x);
  g_free (y);
  g_free (h);
  return 20.0 * log10 (sqrt (e / (m - m / 4)) * sqrt (2.0));
}

GST_START_TEST (test_decimator)
{
  OmniDecimator *d = omni_decimator_new (4);
  float x[4096], y[1100], h[1100];
  size_t m, i, k;

  fail_unless (omni_decimator_new (3) == NULL);
  fail_unless (omni_decimator_new (0) == NULL);
  fail_unless_equals_int (omni_decimator_get_factor (d), 4);
  fail_unless_equals_int (omni_decimator_get_delay (d), 33);

  /* pass band flat, stop band (which would alias) deep, at 96 kHz -> 24 */
  assert_close (decimated_gain (d, 96000.0, 1000.0), 0.0, 0.05);
  assert_close (decimated_gain (d, 96000.0, 8000.0), 0.0, 0.3);
  fail_unless (decimated_gain (d, 96000.0, 18000.0) < -60.0);
  fail_unless (decimated_gain (d, 96000.0, 30000.0) < -60.0);

  /* an impulse at input 1000 comes out centred on output (1000 + delay) /
   * factor, whatever the block sizes */
  memset (x, 0, sizeof (x));
  x[1000] = 1.0f;
  omni_decimator_reset (d);
  m = 0;
  for (i = 0; i < 4096; i += 333)
    m += omni_decimator_do (d, x + i, MIN (333, 4096 - i), y + m);
  fail_unless_equals_int (m, 1024);
  k = 0;
  for (i = 0; i < m; i++)
    if (fabsf (y[i]) > fabsf (y[k]))
      k = i;
  fail_unless_equals_int (k, (1000 + 33) / 4);

  /* factor 1 copies; the high band of a factor-2 split carries what the
   * low band lost: a 20 kHz tone at 44.1 kHz */
  omni_decimator_free (d);
  d = omni_decimator_new (1);
  fill_sine (x, 4096, 44100.0, 440.0, 0.5);
  m = omni_decimator_do (d, x, 1000, y);
  fail_unless_equals_int (m, 1000);
  fail_unless (memcmp (x, y, 1000 * sizeof (float)) == 0);
  omni_decimator_free (d);
  d = omni_decimator_new (2);
  fill_sine (x, 4096, 44100.0, 20000.0, 0.5);
  m = omni_decimator_do_split (d, x, 2048, y, h);
  fail_unless_equals_int (m, 1024);
  {
    double el = 0.0, eh = 0.0;
    for (i = 100; i < m; i++) {
      el += (double) y[i] * y[i];
      eh += (double) h[i] * h[i];
    }
    /* RMS of a 0.5 sine is 0.354 */
    assert_close (sqrt (eh / (m - 100)), 0.5 / sqrt (2.0), 0.02);
    fail_unless (el < 1e-4 * eh);
  }
  omni_decimator_free (d);
}

GST_END_TEST;

GST_START_TEST (test_mel_scale)
{
  double f[5];

  /* Slaney: linear 200/3 Hz per mel up to 1 kHz (= 15 mel), then 27 mels
   * per factor 6.4 */
  assert_close (omni_hz_to_mel (0.0, 0), 0.0, 1e-12);
  assert_close (omni_hz_to_mel (500.0, 0), 7.5, 1e-9);
  assert_close (omni_hz_to_mel (1000.0, 0), 15.0, 1e-9);
  assert_close (omni_hz_to_mel (6400.0, 0), 42.0, 1e-9);
  assert_close (omni_mel_to_hz (42.0, 0), 6400.0, 1e-6);
  /* HTK: 2595 log10 (1 + f / 700) */
  assert_close (omni_hz_to_mel (700.0, 1), 2595.0 * log10 (2.0), 1e-9);
  assert_close (omni_mel_to_hz (omni_hz_to_mel (4321.0, 1), 1), 4321.0, 1e-6);
  assert_close (omni_mel_to_hz (omni_hz_to_mel (4321.0, 0), 0), 4321.0, 1e-6);

  omni_mel_frequencies (f, 5, 0.0, 1000.0, 0);
  assert_close (f[0], 0.0, 1e-9);
  assert_close (f[2], 500.0, 1e-9);
  assert_close (f[4], 1000.0, 1e-9);
}

GST_END_TEST;

GST_START_TEST (test_mel_filterbank)
{
  OmniMelFilterbank *fb;
  const float *w;
  unsigned nb, i, k, first, count;
  double sr = 22050.0, bin_hz;
  float *spec, mel[128];

  /* librosa.filters.mel (sr=22050, n_fft=2048) starts with
   * [[0., 0.016, ...]]: 10.77 Hz / 25.8 Hz times 2 / 51.6 Hz */
  fb = omni_mel_filterbank_new (
      sr, 2048, 128, 0.0, 0.0, 0, OMNI_MEL_NORM_SLANEY);
  fail_unless (fb != NULL);
  nb = omni_mel_filterbank_get_n_bins (fb);
  fail_unless_equals_int (nb, 1025);
  fail_unless_equals_int (omni_mel_filterbank_get_n_mels (fb), 128);
  w = omni_mel_filterbank_get_weights (fb);
  assert_close (w[0], 0.0, 1e-9);
  assert_close (w[1], 0.01618, 5e-5);
  bin_hz = sr / 2048;
  /* Slaney norm: every triangle has unit area in Hz (height 2/width) */
  for (i = 10; i < 128; i++) {
    double area = 0.0;
    for (k = 0; k < nb; k++)
      area += w[i * nb + k] * bin_hz;
    assert_close (area, 1.0, 0.05);
  }
  /* non-zero weights lie in the reported range */
  omni_mel_filterbank_get_range (fb, 60, &first, &count);
  for (k = 0; k < nb; k++)
    if (k < first || k >= first + count)
      fail_unless (w[60 * nb + k] == 0.0f);
  omni_mel_filterbank_free (fb);

  /* HTK without normalisation: triangles peak at 1 (at their centre bin
   * when it falls on a bin) and the bands overlap so that they sum to 1
   * between the first and last centre */
  fb = omni_mel_filterbank_new (
      16000.0, 512, 40, 20.0, 8000.0, 1, OMNI_MEL_NORM_NONE);
  nb = omni_mel_filterbank_get_n_bins (fb);
  w = omni_mel_filterbank_get_weights (fb);
  for (k = 0; k < nb; k++) {
    double f = k * 16000.0 / 512, sum = 0.0;
    if (f < omni_mel_filterbank_get_center (fb, 0)
        || f > omni_mel_filterbank_get_center (fb, 39))
      continue;
    for (i = 0; i < 40; i++)
      sum += w[i * nb + k];
    assert_close (sum, 1.0, 1e-5);
  }
  omni_mel_filterbank_free (fb);

  /* a 1 kHz sine puts its energy into the band centred nearest 1 kHz */
  fb = omni_mel_filterbank_new (
      44100.0, 2048, 64, 30.0, 16000.0, 0, OMNI_MEL_NORM_SLANEY);
  {
    OmniFft *fft = omni_fft_new (2048);
    float x[2048], win[2048];
    unsigned best = 0, nearest = 0;
    double dmin = 1e9;
    spec = g_new0 (float, 1025);
    fill_sine (x, 2048, 44100.0, 1000.0, 1.0);
    omni_window_fill (OMNI_WINDOW_HANN, win, 2048, 1);
    for (k = 0; k < 2048; k++)
      x[k] *= win[k];
    omni_fft_do_power (fft, x, spec);
    omni_mel_filterbank_do (fb, spec, mel);
    for (i = 0; i < 64; i++) {
      double c = omni_mel_filterbank_get_center (fb, i);
      if (mel[i] > mel[best])
        best = i;
      if (fabs (c - 1000.0) < dmin) {
        dmin = fabs (c - 1000.0);
        nearest = i;
      }
    }
    fail_unless_equals_int (best, nearest);
    omni_fft_free (fft);
    g_free (spec);
  }
  omni_mel_filterbank_free (fb);

  /* bad arguments */
  fail_unless (omni_mel_filterbank_new (0.0, 512, 40, 0, 0, 0, 0) == NULL);
  fail_unless (omni_mel_filterbank_new (16000, 512, 0, 0, 0, 0, 0) == NULL);
  fail_unless (
      omni_mel_filterbank_new (16000, 512, 40, 900, 800, 0, 0) == NULL);
  omni_mel_filterbank_free (NULL);
}

GST_END_TEST;

GST_START_TEST (test_level)
{
  OmniLevel l;
  float *x = g_new0 (float, 48000);
  gint16 *s = g_new0 (gint16, 48000);
  guint i;

  /* full-scale sine: -3.01 dBFS RMS, 0 dBFS peak (AES17) */
  fill_sine (x, 48000, 48000.0, 997.0, 1.0);
  omni_level_reset (&l);
  omni_level_add (&l, x, 48000, 1);
  assert_close (omni_level_rms_db (&l, -200.0), -3.0103, 0.005);
  assert_close (omni_level_peak_db (&l, -200.0), 0.0, 0.005);
  /* half amplitude: -6.02 dB lower */
  for (i = 0; i < 48000; i++)
    x[i] *= 0.5f;
  omni_level_reset (&l);
  omni_level_add (&l, x, 48000, 1);
  assert_close (omni_level_rms_db (&l, -200.0), -3.0103 - 6.0206, 0.005);
  /* every other sample of a stride-2 buffer */
  omni_level_reset (&l);
  omni_level_add (&l, x, 24000, 2);
  fail_unless_equals_uint64 (l.n, 24000);
  /* NaN and infinities count as silence */
  x[10] = NAN;
  x[11] = INFINITY;
  x[12] = -INFINITY;
  omni_level_reset (&l);
  omni_level_add (&l, x, 48000, 1);
  fail_unless (isfinite (omni_level_rms_db (&l, -200.0)));
  assert_close (omni_level_peak_db (&l, -200.0), -6.0206, 0.005);
  /* silence and nothing */
  omni_level_reset (&l);
  assert_close (omni_level_rms_db (&l, -200.0), -200.0, 0.0);
  memset (x, 0, 48000 * sizeof (float));
  omni_level_add (&l, x, 48000, 1);
  assert_close (omni_level_rms_db (&l, -200.0), -200.0, 0.0);
  assert_close (omni_level_peak_db (&l, -200.0), -200.0, 0.0);
  /* S16: full scale is 32768; a square wave at +-16384 is -6.02 dBFS */
  for (i = 0; i < 48000; i++)
    s[i] = (i / 24) % 2 ? 16384 : -16384;
  omni_level_reset (&l);
  omni_level_add_s16 (&l, s, 48000, 1);
  assert_close (omni_level_rms_db (&l, -200.0), -6.0206, 0.005);
  assert_close (omni_level_peak_db (&l, -200.0), -6.0206, 0.005);
  s[5] = -32768;
  omni_level_add_s16 (&l, s, 48000, 1);
  assert_close (omni_level_peak_db (&l, -200.0), 0.0, 1e-9);
  /* amplitude to dB */
  assert_close (omni_amplitude_to_db (0.1, -200.0), -20.0, 1e-9);
  assert_close (omni_amplitude_to_db (NAN, -200.0), -200.0, 0.0);
  assert_close (omni_amplitude_to_db (1e-30, -200.0), -200.0, 0.0);
  g_free (x);
  g_free (s);
}

GST_END_TEST;

GST_START_TEST (test_spectral)
{
  float mag[513], flat[513];
  OmniSpectralFlux *f = omni_spectral_flux_new (513);
  double bin_hz = 16000.0 / 1024;
  guint k;

  /* a single line at bin 100: centroid and roll-off are its frequency */
  memset (mag, 0, sizeof (mag));
  mag[100] = 3.0f;
  assert_close (omni_spectral_centroid (mag, 513, bin_hz), 100 * bin_hz, 1e-9);
  assert_close (
      omni_spectral_rolloff (mag, 513, bin_hz, 0.85), 100 * bin_hz, 1e-9);
  /* two equal lines: centroid half way, 85 % roll-off at the upper one */
  mag[300] = 3.0f;
  assert_close (omni_spectral_centroid (mag, 513, bin_hz), 200 * bin_hz, 1e-9);
  assert_close (
      omni_spectral_rolloff (mag, 513, bin_hz, 0.85), 300 * bin_hz, 1e-9);
  /* a flat spectrum: centroid at the middle, roll-off at 85 % */
  for (k = 0; k < 513; k++)
    flat[k] = 1.0f;
  assert_close (omni_spectral_centroid (flat, 513, bin_hz), 256 * bin_hz, 1e-6);
  assert_close (
      omni_spectral_rolloff (flat, 513, bin_hz, 0.85), 436 * bin_hz, 1e-6);
  /* silence gives zeros, not NaN */
  memset (mag, 0, sizeof (mag));
  assert_close (omni_spectral_centroid (mag, 513, bin_hz), 0.0, 0.0);
  assert_close (omni_spectral_rolloff (mag, 513, bin_hz, 0.85), 0.0, 0.0);

  /* flux: first frame 0, the same frame again 0, a new half of the
   * spectrum 0.5 */
  assert_close (omni_spectral_flux_do (f, flat), 0.0, 0.0);
  assert_close (omni_spectral_flux_do (f, flat), 0.0, 0.0);
  for (k = 0; k < 513; k++)
    mag[k] = k < 256 ? 1.0f : 0.0f;
  assert_close (omni_spectral_flux_do (f, mag), 0.0, 0.0);
  for (k = 0; k < 513; k++)
    flat[k] = k < 256 ? 1.0f : 1.0f;
  assert_close (omni_spectral_flux_do (f, flat), 257.0 / 513.0, 1e-6);
  memset (mag, 0, sizeof (mag));
  assert_close (omni_spectral_flux_do (f, mag), 0.0, 0.0);
  omni_spectral_flux_reset (f);
  assert_close (omni_spectral_flux_do (f, flat), 0.0, 0.0);
  omni_spectral_flux_free (f);
}

GST_END_TEST;

GST_START_TEST (test_onset_strength)
{
  OmniOnsetStrength *o = omni_onset_strength_new (4, 1, 1, -100.0);
  OmniOnsetStrength *sf = omni_onset_strength_new (4, 2, 3, -100.0);
  float quiet[4] = { 1e-4f, 1e-4f, 1e-4f, 1e-4f };
  float loud[4] = { 1.0f, 1e-4f, 1.0f, 1.0f };
  float bad[4] = { NAN, INFINITY, -1.0f, 0.0f };
  float v;

  /* the first frame has no reference */
  assert_close (omni_onset_strength_do (o, quiet), 0.0, 0.0);
  /* steady: no flux */
  assert_close (omni_onset_strength_do (o, quiet), 0.0, 0.0);
  /* three of four bands rise by 40 dB: mean 30 dB */
  assert_close (omni_onset_strength_do (o, loud), 30.0, 1e-3);
  /* falling energy is not an onset */
  assert_close (omni_onset_strength_do (o, quiet), 0.0, 0.0);
  /* non-finite and negative powers are floored, never NaN */
  v = omni_onset_strength_do (o, bad);
  fail_unless (isfinite (v) && v >= 0.0f);
  v = omni_onset_strength_do (o, quiet);
  fail_unless (isfinite (v) && v >= 0.0f);
  omni_onset_strength_reset (o);
  assert_close (omni_onset_strength_do (o, loud), 0.0, 0.0);

  /* SuperFlux, lag 2 and a maximum filter over 3 bands: the reference of
   * band 1 is the louder neighbour, so the rise of band 1 alone is masked
   * by its neighbours two frames earlier */
  {
    float a[4] = { 1.0f, 1e-4f, 1.0f, 1e-4f };
    float b[4] = { 1.0f, 1.0f, 1.0f, 1e-4f };
    assert_close (omni_onset_strength_do (sf, a), 0.0, 0.0);
    assert_close (omni_onset_strength_do (sf, a), 0.0, 0.0);
    assert_close (omni_onset_strength_do (sf, b), 0.0, 1e-4);
  }
  /* the bass flux: the mean rise of the lowest band(s) only */
  omni_onset_strength_reset (o);
  omni_onset_strength_set_bass_bands (o, 1);
  omni_onset_strength_do (o, quiet);
  {
    float low[4] = { 1.0f, 1e-4f, 1e-4f, 1e-4f };
    float high[4] = { 1e-4f, 1e-4f, 1e-4f, 1.0f };
    omni_onset_strength_do (o, low);
    assert_close (omni_onset_strength_get_bass (o), 40.0, 1e-3);
    omni_onset_strength_do (o, quiet);
    omni_onset_strength_do (o, high);
    assert_close (omni_onset_strength_get_bass (o), 0.0, 0.0);
  }
  omni_onset_strength_free (o);
  omni_onset_strength_free (sf);
  fail_unless (omni_onset_strength_new (0, 1, 1, -100) == NULL);
  fail_unless (omni_onset_strength_new (4, 0, 1, -100) == NULL);
}

GST_END_TEST;

GST_START_TEST (test_onset_masking)
{
  OmniOnsetStrength *o = omni_onset_strength_new (1, 1, 1, -100.0);
  float p;
  int t;
  float total = 0.0f;

  omni_onset_strength_set_masking (o, 1.0, 15.0);
  /* an attack at 0 dB, then a tail at -30 dB that flickers by 10 dB:
   * the flicker is 30 dB below the attack and masked */
  p = 1e-10f;
  omni_onset_strength_do (o, &p);
  p = 1.0f;
  fail_unless (omni_onset_strength_do (o, &p) > 50.0f);
  for (t = 0; t < 10; t++) {
    p = t % 2 ? 1e-3f : 1e-4f;
    total += omni_onset_strength_do (o, &p);
  }
  assert_close (total, 0.0, 1e-6);
  /* a new attack at the old level stands out again */
  p = 1.0f;
  fail_unless (omni_onset_strength_do (o, &p) > 10.0f);
  omni_onset_strength_free (o);
}

GST_END_TEST;

GST_START_TEST (test_peak_picker)
{
  /* pre_avg 10, pre_max 3, min_gap 3, delta 0.5, lambda 1 */
  OmniPeakPicker *p = omni_peak_picker_new (10, 3, 3, 0.5, 1.0);
  float env[60];
  double off = 0.0;
  float val = 0.0f;
  int t, found[60], nfound = 0;

  memset (env, 0, sizeof (env));
  env[10] = 5.0f;
  env[11] = 2.0f;
  env[20] = 2.0f; /* a plateau peak */
  env[21] = 4.0f;
  env[22] = 4.0f;
  env[23] = 1.0f;
  env[30] = 6.0f; /* two peaks 2 frames apart: the second is too close */
  env[32] = 7.0f;
  env[45] = 0.4f; /* below delta */
  for (t = 0; t < 60; t++)
    if (omni_peak_picker_do (p, env[t], &off, &val))
      found[nfound++] = t - 1;
  fail_unless_equals_int (nfound, 3);
  fail_unless_equals_int (found[0], 10);
  fail_unless_equals_int (found[1], 22);
  fail_unless_equals_int (found[2], 30);

  /* parabolic refinement: a symmetric triangle peaks exactly on its
   * middle frame, one frame back */
  omni_peak_picker_reset (p);
  omni_peak_picker_do (p, 0.0f, NULL, NULL);
  omni_peak_picker_do (p, 1.0f, NULL, NULL);
  omni_peak_picker_do (p, 3.0f, NULL, NULL);
  fail_unless (omni_peak_picker_do (p, 1.0f, &off, &val));
  assert_close (off, -1.0, 1e-9);
  assert_close (val, 3.0, 0.0);
  /* skewed: a peak between frames t-1 and t-2 */
  omni_peak_picker_reset (p);
  omni_peak_picker_do (p, 0.0f, NULL, NULL);
  omni_peak_picker_do (p, 2.0f, NULL, NULL);
  omni_peak_picker_do (p, 3.0f, NULL, NULL);
  fail_unless (omni_peak_picker_do (p, 0.0f, &off, NULL));
  fail_unless (off < -1.0 && off > -1.5, "%g", off);
  /* NaN input is a zero */
  fail_if (omni_peak_picker_do (p, NAN, &off, NULL));
  omni_peak_picker_free (p);
}

GST_END_TEST;

/* an envelope with unit impulses every period frames (fractional) from
 * frame first */
static guint pulse_frames[512];
static guint n_pulse_frames;

static void
push_pulses (OmniTempo *t, OmniBeatTracker *bt, double period, double first,
    guint frames, double *beats, guint *n_beats, guint max_beats)
{
  guint i;
  double next = first;

  n_pulse_frames = 0;
  for (i = 0; i < frames; i++) {
    float v = 0.0f;
    if (i + 0.5 >= next) {
      v = 1.0f;
      next += period;
      if (n_pulse_frames < 512)
        pulse_frames[n_pulse_frames++] = i;
    }
    if (t)
      omni_tempo_push (t, v);
    if (bt) {
      double off;
      if (omni_beat_tracker_do (bt, v, period, &off) && *n_beats < max_beats)
        beats[(*n_beats)++] = i + off;
    }
  }
}

GST_START_TEST (test_tempo)
{
  /* 100 frames per second, 50-220 BPM, 8 s, prior 120 +- 1 octave */
  OmniTempo *t = omni_tempo_new (100.0, 50.0, 220.0, 8.0, 120.0, 1.0);
  double bpm[] = { 60.0, 87.0, 120.0, 150.0, 190.0 };
  guint i;

  fail_unless (t != NULL);
  fail_unless (!omni_tempo_update (t)); /* nothing yet */
  assert_close (omni_tempo_get_bpm (t), 0.0, 0.0);
  for (i = 0; i < G_N_ELEMENTS (bpm); i++) {
    guint k;
    omni_tempo_reset (t);
    push_pulses (t, NULL, 6000.0 / bpm[i], 3.0, 1000, NULL, NULL, 0);
    for (k = 0; k < 4; k++)
      fail_unless (omni_tempo_update (t));
    assert_close (omni_tempo_get_bpm (t), bpm[i], 0.01 * bpm[i]);
    assert_close (
        omni_tempo_get_period (t), 6000.0 / bpm[i], 0.01 * 6000 / bpm[i]);
    /* pulses quantised to whole frames spread the autocorrelation peak over
     * two lags when the period is fractional */
    fail_unless (omni_tempo_get_confidence (t) > 0.5, "conf %g at %g BPM",
        omni_tempo_get_confidence (t), bpm[i]);
  }

  /* a 100 BPM pulse with weaker eighths between the beats is 100 BPM, not
   * 200 (octave handling: the eighths are subdivisions) */
  omni_tempo_reset (t);
  for (i = 0; i < 1000; i++)
    omni_tempo_push (t, i % 60 == 0 ? 1.0f : i % 30 == 0 ? 0.2f : 0.0f);
  for (i = 0; i < 4; i++)
    omni_tempo_update (t);
  assert_close (omni_tempo_get_bpm (t), 100.0, 1.0);

  /* noise: no periodicity, confidence near 0 */
  omni_tempo_reset (t);
  for (i = 0; i < 1000; i++)
    omni_tempo_push (t, fabsf (white ()));
  for (i = 0; i < 4; i++)
    omni_tempo_update (t);
  fail_unless (omni_tempo_get_confidence (t) < 0.1, "noise conf %g",
      omni_tempo_get_confidence (t));

  /* silence: no estimate with any confidence, never NaN */
  omni_tempo_reset (t);
  for (i = 0; i < 1000; i++)
    omni_tempo_push (t, i == 500 ? NAN : 0.0f);
  omni_tempo_update (t);
  assert_close (omni_tempo_get_confidence (t), 0.0, 0.0);
  fail_unless (isfinite (omni_tempo_get_bpm (t)));
  omni_tempo_free (t);

  fail_unless (omni_tempo_new (100, 220, 50, 8, 120, 1) == NULL);
  fail_unless (omni_tempo_new (0, 50, 220, 8, 120, 1) == NULL);
  omni_tempo_free (NULL);
}

GST_END_TEST;

/* 200 BPM beats, all alike (30 frames at 100 frames/s), with the bass on
 * every @bass_every-th beat: a waltz's quarter notes (bass every 3rd) are
 * the beat; with the bass every 2nd beat the 100 BPM level is (the prior,
 * 100 BPM +- 0.7 octave, decides between the two duple levels) */
static double
metre_bpm (guint bass_every, double *conf, double *loose)
{
  OmniTempo *t = omni_tempo_new (100.0, 40.0, 250.0, 8.0, 100.0, 0.7);
  double bpm;
  guint i;

  for (i = 0; i < 1000; i++) {
    omni_tempo_push (t, i % 30 == 0 ? 1.0f : 0.0f);
    omni_tempo_push_bass (t, i % (30 * bass_every) == 0 ? 1.0f : 0.0f);
  }
  for (i = 0; i < 4; i++)
    fail_unless (omni_tempo_update (t));
  bpm = omni_tempo_get_bpm (t);
  *conf = omni_tempo_get_confidence (t);
  *loose = omni_tempo_get_loose_confidence (t);
  omni_tempo_free (t);
  return bpm;
}

GST_START_TEST (test_tempo_metre)
{
  double conf, loose;

  assert_close (metre_bpm (3, &conf, &loose), 200.0, 2.0);
  /* the loose confidence (2 sigma) is never below the strict one (3) */
  fail_unless (loose >= conf && conf > 0.5, "conf %g loose %g", conf, loose);
  assert_close (metre_bpm (2, &conf, &loose), 100.0, 1.0);
  assert_close (metre_bpm (4, &conf, &loose), 100.0, 1.0);
}

GST_END_TEST;

GST_START_TEST (test_beat_tracker)
{
  OmniBeatTracker *bt = omni_beat_tracker_new (120.0, 5.0, 0.9);
  double beats[64];
  guint n = 0, i;

  /* pulses every 47.3 frames from frame 20: after a few periods the
   * tracker puts its beats on them */
  push_pulses (NULL, bt, 47.3, 20.0, 1500, beats, &n, 64);
  fail_unless (n >= 28, "%u beats", n);
  for (i = 4; i < n; i++) {
    /* on the nearest pulse, within a frame */
    guint k, near = 0;
    for (k = 0; k < n_pulse_frames; k++)
      if (fabs (pulse_frames[k] - beats[i]) < fabs (near - beats[i]))
        near = pulse_frames[k];
    assert_close (beats[i], near, 1.0);
    if (i > 4)
      assert_close (beats[i] - beats[i - 1], 47.3, 2.0);
  }
  /* unknown tempo: no beats */
  n = 0;
  for (i = 0; i < 500; i++) {
    fail_if (omni_beat_tracker_do (bt, i % 50 ? 0.0f : 1.0f, 0.0, NULL));
    fail_unless (omni_beat_tracker_get_next (bt) < 0.0);
  }
  omni_beat_tracker_free (bt);
  fail_unless (omni_beat_tracker_new (1.0, 5.0, 0.9) == NULL);
  fail_unless (omni_beat_tracker_new (100.0, 5.0, 1.0) == NULL);
}

GST_END_TEST;

/* pulses of @period frames from frame 10 into the state space, guided by
 * @guide_bpm (100 frames per second); the beats it reports and the pulses
 * into @beats and pulse_frames */
static guint
push_pulses_dbn (OmniBeatDbn *d, double period, double period2, guint change,
    guint frames, double guide_bpm, double *beats, guint max_beats)
{
  guint i, n = 0;
  double next = 10.0;

  n_pulse_frames = 0;
  for (i = 0; i < frames; i++) {
    float v = 0.05f; /* a floor, as in real onset strength */
    long bf;
    if (i + 0.5 >= next) {
      v = 1.0f;
      next += i < change ? period : period2;
      if (n_pulse_frames < 512)
        pulse_frames[n_pulse_frames++] = i;
    }
    if (omni_beat_dbn_do (d, v, guide_bpm, &bf)) {
      /* reported 1 or 2 frames after the beat */
      fail_unless (
          bf <= (long) i - 1 && bf >= (long) i - 2, "%ld at %u", bf, i);
      if (n < max_beats)
        beats[n++] = (double) bf;
    }
  }
  return n;
}

/* every beat from the @skip-th on sits within two frames of a pulse (the
 * intervals are whole frames: a pulse every 47.3 frames is followed with
 * 47 and 48) */
static void
check_on_pulses (const double *beats, guint n, guint skip)
{
  guint i, k;

  for (i = skip; i < n; i++) {
    double best = 1e9;
    for (k = 0; k < n_pulse_frames; k++)
      best = MIN (best, fabs (pulse_frames[k] - beats[i]));
    fail_unless (
        best <= 2.0, "beat %u at %g: %g frames off", i, beats[i], best);
  }
}

/* A plain forward pass over every state of the state space, written from
 * its definition (gst-libs/omni/dsp/omnibeatdbn.c, docs/dsp.md): the
 * reference that OmniBeatDbn's packed beat regions, block maxima and
 * active range must reproduce exactly (the same float and double
 * operations in the same order, probabilities under 1e-30 set to 0). */
typedef struct {
  double fr, lambda;
  guint n_int, imin, n_states;
  guint len[160], h1[160], h2[160], jlo[160], jhi[160];
  double w[160][64], guide[160], guide_bpm;
  float *alpha[160];
  float blocks[64], block_max;
  guint n_blocks, block_pos, in_block;
  long t, last_beat;
  guint best_int, best_pos;
} RefDbn;

static void
ref_dbn_init (RefDbn *r, double fr, double lambda)
{
  guint i, j, k;

  memset (r, 0, sizeof (RefDbn));
  r->fr = fr;
  r->lambda = lambda;
  r->imin = (guint) MAX (2.0, floor (60.0 * fr / 250.0));
  r->n_int = (guint) ceil (60.0 * fr / 40.0) - r->imin + 1;
  fail_unless (r->n_int <= 160);
  for (i = 0; i < r->n_int; i++) {
    guint nbr;
    r->len[i] = r->imin + i;
    nbr = (guint) MAX (1.0, rint (r->len[i] / 16.0));
    r->h1[i] = (nbr + 1) / 2;
    r->h2[i] = nbr / 2;
    r->n_states += r->len[i];
    r->alpha[i] = g_new (float, r->len[i]);
  }
  for (i = 0; i < r->n_int; i++) {
    double li = r->len[i], z = 0.0;
    r->jlo[i] = r->jhi[i] = i;
    while (r->jlo[i] > 0 && (li - r->len[r->jlo[i] - 1]) / li <= 0.15)
      r->jlo[i]--;
    while (
        r->jhi[i] + 1 < r->n_int && (r->len[r->jhi[i] + 1] - li) / li <= 0.15)
      r->jhi[i]++;
    fail_unless (r->jhi[i] - r->jlo[i] < 64);
    for (j = r->jlo[i]; j <= r->jhi[i]; j++) {
      r->w[i][j - r->jlo[i]]
          = exp (-lambda * fabs ((double) r->len[j] / r->len[i] - 1.0));
      z += r->w[i][j - r->jlo[i]];
    }
    for (j = r->jlo[i]; j <= r->jhi[i]; j++)
      r->w[i][j - r->jlo[i]] /= z;
  }
  for (i = 0; i < r->n_int; i++)
    for (k = 0; k < r->len[i]; k++)
      r->alpha[i][k] = 1.0f / r->n_states;
  r->n_blocks = (guint) MAX (1, lround (4.0 * fr / 10));
  r->guide_bpm = -1.0;
  r->t = -1;
  r->last_beat = -1000000000L;
}

static float
ref_flush (float v)
{
  return v < 1e-30f ? 0.0f : v;
}

static float
ref_activation (RefDbn *r, float v)
{
  float m = v;
  guint b;

  r->block_max = MAX (r->block_max, v);
  for (b = 0; b < r->n_blocks; b++)
    m = MAX (m, r->blocks[b]);
  m = MAX (m, r->block_max);
  if (++r->in_block == 10) {
    r->blocks[r->block_pos] = r->block_max;
    r->block_pos = (r->block_pos + 1) % r->n_blocks;
    r->block_max = 0.0f;
    r->in_block = 0;
  }
  v = m > 0.0f ? v / m : 0.0f;
  return CLAMP (v, 1e-3f, 1.0f - 1e-3f);
}

/* the most probable state: interval by interval, the middle positions
 * (h1 .. len - h2 - 1) first, then the beat region from len - h2 to h1 - 1 */
static float
ref_best (RefDbn *r)
{
  float best = -1.0f;
  guint i, k;

  for (i = 0; i < r->n_int; i++) {
    guint len = r->len[i], h1 = r->h1[i], h2 = r->h2[i];
    for (k = h1; k < len - h2; k++)
      if (r->alpha[i][k] > best) {
        best = r->alpha[i][k];
        r->best_int = i;
        r->best_pos = k;
      }
    for (k = 0; k < h1 + h2; k++) {
      guint p = (len - h2 + k) % len;
      if (r->alpha[i][p] > best) {
        best = r->alpha[i][p];
        r->best_int = i;
        r->best_pos = p;
      }
    }
  }
  return best;
}

static int
ref_dbn_do (RefDbn *r, float v, double bpm, long *beat)
{
  double enter[160] = { 0 }, ends[160];
  float a, obs, best;
  guint i, j, k, len, pos;
  long b;

  r->t++;
  if (bpm != r->guide_bpm) {
    r->guide_bpm = bpm;
    for (j = 0; j < r->n_int; j++) {
      double x
          = bpm > 0.0 ? log2 (r->len[j] * bpm / (60.0 * r->fr)) / 0.3 : 0.0;
      r->guide[j] = exp (-0.5 * x * x);
    }
  }
  for (i = 0; i < r->n_int; i++) {
    ends[i] = r->alpha[i][r->len[i] - 1];
    memmove (r->alpha[i] + 1, r->alpha[i], (r->len[i] - 1) * sizeof (float));
  }
  for (i = 0; i < r->n_int; i++)
    if (ends[i] != 0.0)
      for (j = r->jlo[i]; j <= r->jhi[i]; j++)
        enter[j] += ends[i] * r->w[i][j - r->jlo[i]];
  for (j = 0; j < r->n_int; j++)
    r->alpha[j][0] = ref_flush ((float) (enter[j] * r->guide[j]));
  a = ref_activation (r, v);
  obs = a * (float) (16.0 - 1.0) / (1.0f - a);
  for (i = 0; i < r->n_int; i++)
    for (k = 0; k < r->len[i]; k++)
      if (k < r->h1[i] || k >= r->len[i] - r->h2[i])
        r->alpha[i][k] = ref_flush (r->alpha[i][k] * obs);
  best = ref_best (r);
  if (!(best > 1e-30f) || !isfinite (best)) {
    for (i = 0; i < r->n_int; i++)
      for (k = 0; k < r->len[i]; k++)
        r->alpha[i][k] = 1.0f / r->n_states;
    r->best_pos = 0;
  } else if (best > 1e3 || best < 1e-3) {
    for (i = 0; i < r->n_int; i++)
      for (k = 0; k < r->len[i]; k++)
        r->alpha[i][k] = ref_flush (r->alpha[i][k] * (1.0f / best));
  }
  len = r->len[r->best_int];
  pos = r->best_pos;
  b = pos <= len / 2 ? r->t - (long) pos : r->t + (long) (len - pos);
  if (bpm > 0.0 && b <= r->t - 1 && b >= r->t - 2 && b >= 0
      && (double) (b - r->last_beat) > 0.5 * len) {
    r->last_beat = b;
    *beat = b;
    return 1;
  }
  return 0;
}

GST_START_TEST (test_beat_dbn_reference)
{
  /* pulses whose period drifts, noise, and a guide that is absent, then
   * jumps by octaves and back (intervals leave the active range and must
   * come back): the same beats and the same most probable interval,
   * frame by frame, as the plain pass, for lambda 100 and 70 */
  const double lambdas[] = { 100.0, 70.0 };
  guint l, i, n_beats = 0;

  for (l = 0; l < G_N_ELEMENTS (lambdas); l++) {
    OmniBeatDbn *d = omni_beat_dbn_new (100.0, 40.0, 250.0);
    RefDbn *r = g_new (RefDbn, 1);
    guint32 seed = 12345;
    double next = 20.0, period = 50.0;

    ref_dbn_init (r, 100.0, lambdas[l]);
    fail_unless (omni_beat_dbn_set_lambda (d, lambdas[l]));
    for (i = 0; i < 4000; i++) {
      double bpm = i < 200 ? 0.0 : i < 1500 ? 120.0 : i < 2400 ? 60.0 : 170.0;
      float v;
      long b0 = -1, b1 = -1;
      int got0, got1;
      seed = seed * 1664525u + 1013904223u;
      v = 0.1f * (seed >> 8) / 16777216.0f;
      if (i + 0.5 >= next) {
        v += 1.0f;
        period *= i < 2000 ? 0.995 : 1.004;
        next += period;
      }
      got0 = ref_dbn_do (r, v, bpm, &b0);
      got1 = omni_beat_dbn_do (d, v, bpm, &b1);
      fail_unless_equals_int (got1, got0);
      if (got0) {
        fail_unless_equals_int (b1, b0);
        n_beats++;
      }
      fail_unless (omni_beat_dbn_get_period (d) == r->len[r->best_int],
          "frame %u: interval %g, reference %u", i,
          omni_beat_dbn_get_period (d), r->len[r->best_int]);
    }
    for (i = 0; i < r->n_int; i++)
      g_free (r->alpha[i]);
    g_free (r);
    omni_beat_dbn_free (d);
  }
  fail_unless (n_beats >= 100, "%u beats", n_beats);
}

GST_END_TEST;

GST_START_TEST (test_beat_dbn)
{
  OmniBeatDbn *d = omni_beat_dbn_new (100.0, 40.0, 250.0);
  double beats[128];
  guint n, i;

  fail_unless (d != NULL);
  /* intervals 24-150 frames, every position of each */
  fail_unless_equals_int (omni_beat_dbn_get_n_states (d), (24 + 150) * 127 / 2);
  fail_unless_equals_int (omni_beat_dbn_get_look_ahead (d), 1);
  /* pulses every 47.3 frames, guided by their tempo: the beats are on the
   * pulses after a few periods, one per pulse */
  n = push_pulses_dbn (d, 47.3, 47.3, 0, 1500, 6000.0 / 47.3, beats, 128);
  fail_unless (n >= 28 && n <= n_pulse_frames, "%u beats", n);
  check_on_pulses (beats, n, 4);
  assert_close (omni_beat_dbn_get_period (d), 47.0, 1.0);
  /* the pulse speeds up by 12 % while the guide stays: the beats follow
   * within a few periods (the interval changes beat by beat) */
  omni_beat_dbn_reset (d);
  n = push_pulses_dbn (d, 47.3, 42.0, 700, 1500, 6000.0 / 47.3, beats, 128);
  for (i = 0; i < n && beats[i] < 900.0; i++)
    ;
  check_on_pulses (beats + i, n - i, 0);
  fail_unless (n - i >= 12, "%u beats after the change", n - i);
  assert_close (omni_beat_dbn_get_period (d), 42.0, 1.0);
  /* wider tempo transitions (select's lambda 70): still one beat per
   * pulse once locked; out-of-range values are refused */
  fail_if (omni_beat_dbn_set_lambda (d, 10.0));
  fail_if (omni_beat_dbn_set_lambda (d, 2000.0));
  fail_unless (omni_beat_dbn_set_lambda (d, 70.0));
  omni_beat_dbn_reset (d);
  n = push_pulses_dbn (d, 47.3, 47.3, 0, 1500, 6000.0 / 47.3, beats, 128);
  fail_unless (n >= 24 && n <= n_pulse_frames, "%u beats", n);
  check_on_pulses (beats, n, 4);
  fail_unless (omni_beat_dbn_set_lambda (d, 100.0));
  /* no tempo estimate: no beats */
  omni_beat_dbn_reset (d);
  fail_unless_equals_int (
      push_pulses_dbn (d, 50.0, 50.0, 0, 800, 0.0, beats, 128), 0);
  /* NaN and negative input are silence */
  for (i = 0; i < 300; i++) {
    long bf;
    omni_beat_dbn_do (d, i % 2 ? NAN : -1.0f, 120.0, &bf);
  }
  omni_beat_dbn_free (d);
  fail_unless (omni_beat_dbn_new (100.0, 100.0, 50.0) == NULL);
  fail_unless (omni_beat_dbn_new (0.0, 40.0, 250.0) == NULL);
}

GST_END_TEST;

typedef struct {
  double onsets[256], beats[256];
  guint n_onsets, n_beats;
  double first_beat_reported; /* stream position when the first beat came */
  double max_beat_delay, max_onset_delay;
  OmniRhythmState last;
} Collected;

/* the beat tracker analyse() uses */
static OmniRhythmTracker analyse_tracker = OMNI_RHYTHM_TRACKER_SCORE;

/* runs @x through an analyzer in chunks of @chunk samples */
static void
analyse (const float *x, size_t n, double rate, size_t chunk, Collected *c)
{
  OmniRhythmConfig cfg;
  OmniRhythmAnalyzer *a;
  OmniRhythmEvent ev;
  size_t i;

  memset (c, 0, sizeof (Collected));
  c->first_beat_reported = -1.0;
  omni_rhythm_config_init (&cfg);
  cfg.tracker = analyse_tracker;
  a = omni_rhythm_analyzer_new (&cfg, rate);
  fail_unless (a != NULL);
  for (i = 0; i < n; i += chunk) {
    size_t m = MIN (chunk, n - i);
    omni_rhythm_analyzer_process (a, x + i, m);
    while (omni_rhythm_analyzer_pop_event (a, &ev)) {
      double now = (double) omni_rhythm_analyzer_get_position (a);
      double delay = (now - ev.position) / rate;
      fail_unless (isfinite (ev.position) && isfinite (ev.strength)
                   && isfinite (ev.bpm) && isfinite (ev.confidence));
      fail_unless (ev.position <= now, "event in the future");
      if (ev.type == OMNI_RHYTHM_EVENT_ONSET && c->n_onsets < 256) {
        fail_unless_equals_uint64 (ev.index, c->n_onsets);
        c->onsets[c->n_onsets++] = ev.position / rate;
        c->max_onset_delay = MAX (c->max_onset_delay, delay);
      } else if (ev.type == OMNI_RHYTHM_EVENT_BEAT && c->n_beats < 256) {
        fail_unless_equals_uint64 (ev.index, c->n_beats);
        if (c->n_beats == 0)
          c->first_beat_reported = now / rate;
        c->beats[c->n_beats++] = ev.position / rate;
        c->max_beat_delay = MAX (c->max_beat_delay, delay);
      }
    }
    omni_rhythm_analyzer_get_state (a, &c->last);
    fail_unless (isfinite (c->last.onset_strength) && isfinite (c->last.bpm)
                 && isfinite (c->last.confidence) && isfinite (c->last.centroid)
                 && isfinite (c->last.rolloff) && isfinite (c->last.flux));
    fail_unless (c->last.confidence >= 0.0 && c->last.confidence <= 1.0);
    {
      double ph = omni_rhythm_analyzer_get_beat_phase (a, (double) i + m);
      fail_unless (ph >= 0.0 && ph < 1.0);
    }
  }
  fail_unless (omni_rhythm_analyzer_get_latency (a) < 0.04);
  fail_unless (c->max_onset_delay <= omni_rhythm_analyzer_get_latency (a)
                                         + (double) chunk / rate + 1e-9,
      "onset reported %g s late", c->max_onset_delay);
  omni_rhythm_analyzer_free (a);
}

/* clicks at 120 BPM from 0.5 s, @seconds long */
static float *
click_track (
    double rate, double seconds, double bpm, double *times, guint *n_times)
{
  guint n = 0;
  double t;

  for (t = 0.5; t < seconds - 0.1 && n < 256; t += 60.0 / bpm)
    times[n++] = t;
  *n_times = n;
  return make_clicks (rate, seconds, times, n, 0.5);
}

static void
check_click_track (double rate, size_t chunk)
{
  double times[256];
  guint n_times, i, matched = 0;
  float *x = click_track (rate, 12.0, 120.0, times, &n_times);
  Collected c;

  analyse (x, (size_t) (12.0 * rate), rate, chunk, &c);
  /* every click is one onset, within 5 ms */
  fail_unless_equals_int (c.n_onsets, n_times);
  for (i = 0; i < n_times; i++)
    assert_close (c.onsets[i], times[i], 0.005);
  /* tempo and beats on the clicks, the first one within 3 s */
  assert_close (c.last.bpm, 120.0, 1.0);
  fail_unless (c.last.confidence > 0.5, "conf %g", c.last.confidence);
  fail_unless (c.n_beats >= 18, "%u beats at %g Hz", c.n_beats, rate);
  fail_unless (c.first_beat_reported > 0.0 && c.first_beat_reported <= 3.0,
      "first beat at %g s", c.first_beat_reported);
  /* reported within the analyzer's latency (< 40 ms) plus one chunk */
  fail_unless (c.max_beat_delay <= 0.04 + (double) chunk / rate,
      "beat %g s late", c.max_beat_delay);
  for (i = 0; i < c.n_beats; i++) {
    double k = round ((c.beats[i] - 0.5) / 0.5);
    if (fabs (c.beats[i] - (0.5 + 0.5 * k)) <= 0.015)
      matched++;
    else
      g_print ("%g Hz: beat %u at %.4f\n", rate, i, c.beats[i]);
  }
  fail_unless_equals_int (matched, c.n_beats);
  g_free (x);
}

GST_START_TEST (test_analyzer_clicks)
{
  /* the same clicks at several rates and chunk sizes give the same
   * onsets, tempo and beats: every constant is in seconds */
  check_click_track (8000.0, 256);
  check_click_track (22050.0, 1);
  check_click_track (44100.0, 1024);
  check_click_track (48000.0, 4096);
  check_click_track (96000.0, 480);
  check_click_track (192000.0, 1920);
}

GST_END_TEST;

GST_START_TEST (test_analyzer_state_space)
{
  /* the state-space tracker, and both trackers with selection: the same
   * clicks give beats on the clicks, reported within 40 ms + one chunk;
   * noise and an impulse none */
  const OmniRhythmTracker trackers[]
      = { OMNI_RHYTHM_TRACKER_STATE_SPACE, OMNI_RHYTHM_TRACKER_SELECT };
  double rate = 22050.0;
  size_t n = (size_t) (12 * rate), i;
  float *x = g_new0 (float, n);
  Collected c;
  guint t;

  for (t = 0; t < G_N_ELEMENTS (trackers); t++) {
    analyse_tracker = trackers[t];
    check_click_track (22050.0, 441);
    check_click_track (44100.0, 1024);
    for (i = 0; i < n; i++)
      x[i] = 0.5f * white ();
    analyse (x, n, rate, 1000, &c);
    fail_unless_equals_int (c.n_beats, 0);
    memset (x, 0, n * sizeof (float));
    x[(size_t) (2.0 * rate)] = 1.0f;
    analyse (x, n, rate, 1000, &c);
    fail_unless_equals_int (c.n_beats, 0);
  }
  g_free (x);
  analyse_tracker = OMNI_RHYTHM_TRACKER_SCORE;
  {
    OmniRhythmConfig cfg;
    omni_rhythm_config_init (&cfg);
    cfg.tracker = OMNI_RHYTHM_TRACKER_SELECT + 1;
    fail_unless (omni_rhythm_analyzer_new (&cfg, rate) == NULL);
  }
}

GST_END_TEST;

/* noise bursts (30 ms, decaying in 6 ms) on the beats of 100 BPM from 0.5 s
 * and, between them, off-beat bursts 0.75-1.0 times as loud: strumming on
 * the off-beat, as in popular music */
static float *
offbeat_bursts (double rate, double seconds)
{
  size_t n = (size_t) (seconds * rate), i;
  float *x = g_new0 (float, n);
  double t;

  noise_state = 12345;
  for (t = 0.5; t < seconds - 0.5; t += 0.3) {
    gboolean on = fmod (t - 0.5 + 1e-6, 0.6) < 0.01;
    double amp = on ? 0.5 : 0.5 * (0.75 + 0.25 * fabs (white ()));
    size_t start = (size_t) llround (t * rate);
    for (i = 0; i < (size_t) (0.03 * rate) && start + i < n; i++)
      x[start + i]
          += (float) (amp * white () * exp (-(double) i / (0.006 * rate)));
  }
  return x;
}

GST_START_TEST (test_analyzer_select_offbeats)
{
  /* loud off-beats: the state space alone may take them (or the level of
   * eighths) for the beat; the default tracker and select keep every beat
   * on the beat (select emits the score tracker's beats while the two
   * trackers' tempi are metrically related: docs/dsp.md) */
  const OmniRhythmTracker trackers[]
      = { OMNI_RHYTHM_TRACKER_SCORE, OMNI_RHYTHM_TRACKER_SELECT };
  double rate = 22050.0, seconds = 30.0;
  float *x = offbeat_bursts (rate, seconds);
  guint t, i;

  for (t = 0; t < G_N_ELEMENTS (trackers); t++) {
    Collected c;
    guint after = 0, on = 0;
    analyse_tracker = trackers[t];
    analyse (x, (size_t) (seconds * rate), rate, 441, &c);
    for (i = 0; i < c.n_beats; i++) {
      double k = round ((c.beats[i] - 0.5) / 0.6);
      if (c.beats[i] < 5.0)
        continue;
      after++;
      if (fabs (c.beats[i] - (0.5 + 0.6 * k)) <= 0.03)
        on++;
    }
    /* 5-29.5 s: 41 beats */
    fail_unless (after >= 38 && after <= 42, "tracker %d: %u beats after 5 s",
        trackers[t], after);
    fail_unless_equals_int (on, after);
  }
  analyse_tracker = OMNI_RHYTHM_TRACKER_SCORE;
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_analyzer_select_chunks)
{
  /* the default tracker's beats do not depend on how the stream is cut
   * into buffers: the beat decisions follow the frames, not the buffers'
   * ends (select's order of the two trackers' beats changed with the
   * buffer size before) */
  double rate = 22050.0, seconds = 30.0;
  float *x = offbeat_bursts (rate, seconds);
  size_t chunks[] = { 441, 100, 4096, 1323 };
  Collected ref;
  guint k, i;

  analyse_tracker = OMNI_RHYTHM_TRACKER_SELECT;
  analyse (x, (size_t) (seconds * rate), rate, chunks[0], &ref);
  fail_unless (ref.n_beats >= 40, "%u beats", ref.n_beats);
  for (k = 1; k < G_N_ELEMENTS (chunks); k++) {
    Collected c;
    analyse (x, (size_t) (seconds * rate), rate, chunks[k], &c);
    fail_unless_equals_int (c.n_beats, ref.n_beats);
    for (i = 0; i < c.n_beats; i++)
      fail_unless (c.beats[i] == ref.beats[i], "chunk %u: beat %u at %g, %g",
          (guint) chunks[k], i, c.beats[i], ref.beats[i]);
  }
  analyse_tracker = OMNI_RHYTHM_TRACKER_SCORE;
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_analyzer_bursts_timing)
{
  /* onsets of isolated 3 kHz bursts at irregular times come out within
   * 2 ms of the attacks (the group delay of the front end is accounted
   * for), at any rate */
  double times[] = { 0.5, 0.87, 1.31, 1.62, 2.2, 2.43, 3.0, 3.71, 4.05 };
  double rates[] = { 8000.0, 22050.0, 44100.0, 96000.0 };
  guint r, i;

  for (r = 0; r < G_N_ELEMENTS (rates); r++) {
    float *x = make_clicks (rates[r], 5.0, times, G_N_ELEMENTS (times), 0.8);
    Collected c;
    analyse (x, (size_t) (5.0 * rates[r]), rates[r], 512, &c);
    fail_unless_equals_int (c.n_onsets, G_N_ELEMENTS (times));
    for (i = 0; i < c.n_onsets; i++)
      assert_close (c.onsets[i], times[i], 0.002);
    g_free (x);
  }
}

GST_END_TEST;

GST_START_TEST (test_analyzer_no_rhythm)
{
  double rate = 22050.0;
  size_t n = (size_t) (15 * rate), i;
  float *x = g_new0 (float, n);
  Collected c;

  /* silence: nothing at all */
  analyse (x, n, rate, 1000, &c);
  fail_unless_equals_int (c.n_onsets, 0);
  fail_unless_equals_int (c.n_beats, 0);
  assert_close (c.last.confidence, 0.0, 0.0);
  assert_close (c.last.centroid, 0.0, 0.0);

  /* DC: no onsets, no beats */
  for (i = 0; i < n; i++)
    x[i] = 0.7f;
  analyse (x, n, rate, 1000, &c);
  fail_unless (c.n_onsets <= 1, "%u onsets", c.n_onsets);
  fail_unless_equals_int (c.n_beats, 0);
  assert_close (c.last.confidence, 0.0, 0.05);

  /* white noise: no periodicity, no beats, confidence near 0 */
  for (i = 0; i < n; i++)
    x[i] = 0.5f * white ();
  analyse (x, n, rate, 1000, &c);
  fail_unless_equals_int (c.n_beats, 0);
  fail_unless (c.last.confidence < 0.1, "noise conf %g", c.last.confidence);
  /* its centroid is near the middle of the band */
  assert_close (c.last.centroid, rate / 4.0, rate / 10.0);

  /* red (Brownian) noise, a leaky integral of white noise: not pitched,
   * so no beats on the loose confidence either */
  {
    float acc = 0.0f;
    for (i = 0; i < n; i++) {
      acc = 0.995f * acc + 0.05f * white ();
      x[i] = acc;
    }
  }
  analyse (x, n, rate, 1000, &c);
  fail_unless_equals_int (c.n_beats, 0);

  /* clipping: a full-scale square wave at 100 Hz with NaN, infinities and
   * huge values sprinkled in; analysed without a NaN anywhere (checked in
   * analyse) */
  for (i = 0; i < n; i++)
    x[i] = (i / 110) % 2 ? 1.0f : -1.0f;
  for (i = 0; i < n; i += 997)
    x[i] = i % 3 == 0 ? NAN : i % 3 == 1 ? INFINITY : -3.0e38f;
  analyse (x, n, rate, 333, &c);

  /* a single impulse: one onset, no beats */
  memset (x, 0, n * sizeof (float));
  x[(size_t) (2.0 * rate)] = 1.0f;
  analyse (x, n, rate, 1000, &c);
  fail_unless_equals_int (c.n_onsets, 1);
  assert_close (c.onsets[0], 2.0, 0.01);
  fail_unless_equals_int (c.n_beats, 0);
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_analyzer_reset)
{
  double times[256], rate = 16000.0;
  guint n_times;
  float *x = click_track (rate, 8.0, 100.0, times, &n_times);
  OmniRhythmConfig cfg;
  OmniRhythmAnalyzer *a;
  OmniRhythmEvent ev;
  OmniRhythmState st;
  size_t n = (size_t) (8.0 * rate);
  float tone[16000];
  guint onsets = 0;

  omni_rhythm_config_init (&cfg);
  a = omni_rhythm_analyzer_new (&cfg, rate);
  omni_rhythm_analyzer_process (a, x, n);
  omni_rhythm_analyzer_get_state (a, &st);
  fail_unless (st.bpm > 0.0);
  omni_rhythm_analyzer_reset (a);
  fail_unless_equals_uint64 (omni_rhythm_analyzer_get_position (a), 0);
  fail_if (omni_rhythm_analyzer_pop_event (a, &ev));
  omni_rhythm_analyzer_get_state (a, &st);
  assert_close (st.bpm, 0.0, 0.0);

  /* after a reset in the middle of a steady tone (a discontinuity) there
   * is no onset: the first window only serves as the reference */
  fill_sine (tone, 16000, rate, 440.0, 0.5);
  omni_rhythm_analyzer_process (a, tone, 16000);
  while (omni_rhythm_analyzer_pop_event (a, &ev))
    onsets += ev.type == OMNI_RHYTHM_EVENT_ONSET;
  fail_unless_equals_int (onsets, 0);

  /* bad settings are refused */
  cfg.bpm_min = 300.0;
  fail_unless (omni_rhythm_analyzer_new (&cfg, rate) == NULL);
  omni_rhythm_config_init (&cfg);
  fail_unless (omni_rhythm_analyzer_new (&cfg, 10.0) == NULL);
  cfg.hop_s = 0.0;
  fail_unless (omni_rhythm_analyzer_new (&cfg, rate) == NULL);
  omni_rhythm_analyzer_free (a);
  omni_rhythm_analyzer_free (NULL);
  g_free (x);
}

GST_END_TEST;

static Suite *
dsp_suite (void)
{
  Suite *s = suite_create ("dsp");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_window_shapes);
  tcase_add_test (tc, test_fft);
  tcase_add_test (tc, test_decimator);
  tcase_add_test (tc, test_mel_scale);
  tcase_add_test (tc, test_mel_filterbank);
  tcase_add_test (tc, test_level);
  tcase_add_test (tc, test_spectral);
  tcase_add_test (tc, test_onset_strength);
  tcase_add_test (tc, test_onset_masking);
  tcase_add_test (tc, test_peak_picker);
  tcase_add_test (tc, test_tempo);
  tcase_add_test (tc, test_tempo_metre);
  tcase_add_test (tc, test_beat_tracker);
  tcase_add_test (tc, test_beat_dbn);
  tcase_add_test (tc, test_beat_dbn_reference);
  tcase_add_test (tc, test_analyzer_clicks);
  tcase_add_test (tc, test_analyzer_state_space);
  tcase_add_test (tc, test_analyzer_select_offbeats);
  tcase_add_test (tc, test_analyzer_select_chunks);
  tcase_add_test (tc, test_analyzer_bursts_timing);
  tcase_add_test (tc, test_analyzer_no_rhythm);
  tcase_add_test (tc, test_analyzer_reset);
  return s;
}

GST_CHECK_MAIN (dsp);
