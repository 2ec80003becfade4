/* gst-omni: unit tests for the double-precision log-mel / MFCC reference
 * (gst-libs/omni/dsp/omnilogmelref.c)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "logmel-common.h"

#define RATE 16000.0

/* The mel scales written out independently of omnimel/librosa code:
 * HTK (O'Shaughnessy 1987) and Slaney's Auditory Toolbox (linear to 1 kHz
 * at 3/200 mel per Hz, then 27 mels per factor of 6.4). */
static double
test_hz_to_mel (double f, gboolean htk)
{
  if (htk)
    return 2595.0 * log10 (1.0 + f / 700.0);
  return f < 1000.0 ? f * 3.0 / 200.0
                    : 15.0 + 27.0 * log (f / 1000.0) / log (6.4);
}

static double
test_mel_to_hz (double m, gboolean htk)
{
  if (htk)
    return 700.0 * (pow (10.0, m / 2595.0) - 1.0);
  return m < 15.0 ? m * 200.0 / 3.0 : 1000.0 * pow (6.4, (m - 15.0) / 27.0);
}

GST_START_TEST (test_params)
{
  OmniLogMelParams p;
  char *msg = NULL;

  omni_logmel_params_init (&p, RATE);
  fail_unless (omni_logmel_params_check (&p, 93, &msg));
  fail_unless (msg == NULL);
  fail_unless_equals_int (omni_logmel_n_bins (&p), 257);
  fail_unless_equals_int (omni_logmel_n_features (&p), 64);
  fail_unless_equals_int (omni_logmel_n_frames (&p, 15360), 93);
  fail_unless_equals_int (omni_logmel_n_frames (&p, 511), 0);
  fail_unless_equals_int (omni_logmel_n_frames (&p, 512), 1);
  fail_unless_equals_float (omni_logmel_fmax (&p), 8000.0);

  p.n_fft = 401;
  fail_if (omni_logmel_params_check (&p, 0, &msg));
  fail_unless (strstr (msg, "even") != NULL, "%s", msg);
  g_free (msg);
  p.n_fft = 400;
  fail_unless (omni_logmel_params_check (&p, 0, NULL));

  p.n_mfcc = 65;
  fail_if (omni_logmel_params_check (&p, 0, &msg));
  fail_unless (strstr (msg, "n-mfcc") != NULL, "%s", msg);
  g_free (msg);
  p.n_mfcc = 13;

  p.delta_order = 2;
  p.delta_width = 8;
  fail_if (omni_logmel_params_check (&p, 0, &msg));
  g_free (msg);
  p.delta_width = 9;
  fail_unless (omni_logmel_params_check (&p, 9, NULL));
  fail_if (omni_logmel_params_check (&p, 8, &msg));
  fail_unless (strstr (msg, "delta-width 9") != NULL, "%s", msg);
  g_free (msg);

  p.fmin = 9000.0;
  fail_if (omni_logmel_params_check (&p, 0, &msg));
  g_free (msg);
  p.fmin = 0.0;
  p.log = OMNI_LOGMEL_LOG_LN;
  p.log_offset = 0.0;
  fail_if (omni_logmel_params_check (&p, 0, &msg));
  g_free (msg);
  p.top_db = -1.0;
  p.log = OMNI_LOGMEL_LOG_DB;
  fail_if (omni_logmel_params_check (&p, 0, &msg));
  g_free (msg);
}

GST_END_TEST;

GST_START_TEST (test_window)
{
  OmniLogMelParams p;
  double w[16];
  unsigned i;

  omni_logmel_params_init (&p, RATE);
  p.n_fft = 16;
  p.win_length = 10;
  omni_logmel_window (&p, w);
  /* 3 zeros, a periodic Hann of 10 (w[3 + n] = sin^2 (pi n / 10)), 3 zeros */
  for (i = 0; i < 3; i++) {
    fail_unless_equals_float (w[i], 0.0);
    fail_unless_equals_float (w[13 + i], 0.0);
  }
  for (i = 0; i < 10; i++)
    fail_unless (fabs (w[3 + i] - pow (sin (G_PI * i / 10.0), 2)) < 1e-15);
  fail_unless (fabs (w[8] - 1.0) < 1e-15);
}

GST_END_TEST;

GST_START_TEST (test_dct_orthonormal)
{
  const unsigned n = 40;
  double *d = g_new (double, n *n);
  unsigned i, j, k;

  omni_logmel_dct_matrix (n, n, d);
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++) {
      double s = 0.0;
      for (k = 0; k < n; k++)
        s += d[i * n + k] * d[j * n + k];
      fail_unless (
          fabs (s - (i == j ? 1.0 : 0.0)) < 1e-12, "%u %u %g", i, j, s);
    }
  /* a constant row has only a DC coefficient: sqrt (N) * value */
  {
    double in[40], out[40];
    for (k = 0; k < n; k++)
      in[k] = 2.5;
    omni_logmel_ref_dct (in, 1, n, n, out);
    fail_unless (fabs (out[0] - 2.5 * sqrt (n)) < 1e-12);
    for (k = 1; k < n; k++)
      fail_unless (fabs (out[k]) < 1e-12);
  }
  g_free (d);
}

GST_END_TEST;

GST_START_TEST (test_delta)
{
  double c[9];
  const unsigned nf = 20;
  double in[20 * 2], out[20 * 2];
  unsigned n, f;

  /* order 1, width 9: the least-squares slope, n / sum n^2 = n / 60 */
  fail_unless (omni_logmel_delta_coeffs (9, 1, c));
  for (n = 0; n < 9; n++)
    fail_unless (fabs (c[n] - ((int) n - 4) / 60.0) < 1e-15);
  /* order 2, width 5: 2 * a2 of a quadratic fit, (2/14) (u^2 - 2) */
  fail_unless (omni_logmel_delta_coeffs (5, 2, c));
  for (n = 0; n < 5; n++) {
    double u = (int) n - 2;
    fail_unless (fabs (c[n] - (u * u - 2.0) / 7.0) < 1e-14, "%u %g", n, c[n]);
  }
  fail_if (omni_logmel_delta_coeffs (8, 1, c));
  fail_if (omni_logmel_delta_coeffs (3, 3, c));

  /* a quadratic: exact derivatives everywhere, edges included
   * (the fitted polynomial is the signal itself) */
  for (f = 0; f < nf; f++) {
    in[f * 2] = 0.75 * f * f - 3.0 * f + 1.0;
    in[f * 2 + 1] = -2.0 * f + 5.0;
  }
  fail_unless (omni_logmel_ref_delta (in, nf, 2, 9, 2, out));
  for (f = 0; f < nf; f++) {
    fail_unless (fabs (out[f * 2] - 1.5) < 1e-11, "%u %g", f, out[f * 2]);
    fail_unless (fabs (out[f * 2 + 1]) < 1e-11);
  }
  fail_unless (omni_logmel_ref_delta (in, nf, 2, 9, 1, out));
  for (f = 0; f < nf; f++)
    fail_unless (fabs (out[f * 2 + 1] + 2.0) < 1e-12);
  /* interior of the quadratic: the slope 1.5 f - 3 */
  for (f = 4; f < nf - 4; f++)
    fail_unless (fabs (out[f * 2] - (1.5 * f - 3.0)) < 1e-11);
  /* edges: the slope of the line fitted to the first/last 9 frames */
  fail_unless (fabs (out[0] - (1.5 * 4 - 3.0)) < 1e-11);
  fail_unless (fabs (out[(nf - 1) * 2] - (1.5 * (nf - 5) - 3.0)) < 1e-11);
  fail_if (omni_logmel_ref_delta (in, 7, 2, 9, 1, out));
}

GST_END_TEST;

GST_START_TEST (test_pool)
{
  double in[4 * 2] = { 1, 10, 2, 10, 3, 10, 6, 10 }, ms[4];

  omni_logmel_ref_pool (in, 4, 2, ms);
  fail_unless_equals_float (ms[0], 3.0);
  fail_unless_equals_float (ms[1], 10.0);
  fail_unless (fabs (ms[2] - sqrt (14.0 / 4.0)) < 1e-15);
  fail_unless_equals_float (ms[3], 0.0);
}

GST_END_TEST;

/* DFT of a frame-aligned cosine: Parseval and the Hann window's spectrum. */
GST_START_TEST (test_spectrogram_tone)
{
  OmniLogMelParams p;
  const unsigned n = 64, k0 = 8;
  float x[64];
  double spec[33];
  unsigned i;

  omni_logmel_params_init (&p, RATE);
  p.n_fft = n;
  for (i = 0; i < n; i++)
    x[i] = (float) cos (2.0 * G_PI * k0 * i / n);
  omni_logmel_ref_spectrogram (&p, x, n, spec);
  /* Hann (periodic) of a cosine on bin k0: N/4 on k0, N/8 on k0 +- 1,
   * zero elsewhere (Harris 1978) */
  for (i = 0; i <= n / 2; i++) {
    double expect = i == k0                        ? (n / 4.0) * (n / 4.0)
                    : (i == k0 - 1 || i == k0 + 1) ? (n / 8.0) * (n / 8.0)
                                                   : 0.0;
    fail_unless (
        fabs (spec[i] - expect) < 1e-4, "bin %u: %g vs %g", i, spec[i], expect);
  }
  p.spectrum = OMNI_LOGMEL_SPECTRUM_MAGNITUDE;
  omni_logmel_ref_spectrogram (&p, x, n, spec);
  fail_unless (fabs (spec[k0] - n / 4.0) < 1e-5);
}

GST_END_TEST;

/* A tone at the centre of mel band b puts its energy in band b. The centre
 * comes from the mel formula written out in this test. */
static void
check_tone_band (gboolean htk, OmniMelNorm norm, unsigned band)
{
  OmniLogMelParams p;
  double lo, hi, f0, *feat;
  float *x;
  unsigned n_frames, f, m, best;
  const gsize n = 8192;

  omni_logmel_params_init (&p, RATE);
  p.n_fft = 2048;
  p.hop = 2048;
  p.n_mels = 40;
  p.fmin = 60.0;
  p.fmax = 7600.0;
  p.htk = htk;
  p.norm = norm;
  lo = test_hz_to_mel (p.fmin, htk);
  hi = test_hz_to_mel (p.fmax, htk);
  f0 = test_mel_to_hz (lo + (hi - lo) * (band + 1) / (p.n_mels + 1), htk);
  x = logmel_test_tone (RATE, n, f0, 0.5);
  n_frames = omni_logmel_n_frames (&p, n);
  feat = g_new (double, n_frames *p.n_mels);
  fail_unless (omni_logmel_ref_window_features (&p, x, n, feat, NULL, NULL));
  for (f = 0; f < n_frames; f++) {
    best = 0;
    for (m = 1; m < p.n_mels; m++)
      if (feat[f * p.n_mels + m] > feat[f * p.n_mels + best])
        best = m;
    fail_unless_equals_int (best, band);
    /* the band's neighbours are much weaker */
    if (band > 0)
      fail_unless (
          feat[f * p.n_mels + band] > feat[f * p.n_mels + band - 1] + 6.0,
          "f0 %.1f band %u", f0, band);
  }
  g_free (feat);
  g_free (x);
}

GST_START_TEST (test_tone_band)
{
  unsigned b;

  for (b = 5; b < 40; b += 7) {
    check_tone_band (FALSE, OMNI_MEL_NORM_SLANEY, b);
    check_tone_band (TRUE, OMNI_MEL_NORM_NONE, b);
  }
}

GST_END_TEST;

GST_START_TEST (test_silence_floor)
{
  OmniLogMelParams p;
  const gsize n = 4000;
  float *x = g_new0 (float, n);
  double *feat, emb[2 * 64];
  unsigned n_frames, i;

  omni_logmel_params_init (&p, RATE);
  n_frames = omni_logmel_n_frames (&p, n);
  feat = g_new (double, n_frames * 64);
  fail_unless (omni_logmel_ref_window_features (&p, x, n, feat, NULL, emb));
  for (i = 0; i < n_frames * 64; i++)
    fail_unless_equals_float (feat[i], -100.0);
  for (i = 0; i < 64; i++) {
    fail_unless_equals_float (emb[i], -100.0);
    fail_unless_equals_float (emb[64 + i], 0.0);
  }
  /* the natural log of silence is ln (log_offset) */
  p.log = OMNI_LOGMEL_LOG_LN;
  p.log_offset = 1e-3;
  fail_unless (omni_logmel_ref_window_features (&p, x, n, feat, NULL, NULL));
  for (i = 0; i < n_frames * 64; i++)
    fail_unless (fabs (feat[i] - log (1e-3)) < 1e-12);
  /* too short for one frame */
  fail_if (omni_logmel_ref_window_features (&p, x, 511, feat, NULL, NULL));
  g_free (feat);
  g_free (x);
}

GST_END_TEST;

/* ---- against numpy/scipy (gst-tests/data/audioenc_ref.py) ---- */

static const gchar *
log_name (OmniLogMelLog log)
{
  return log == OMNI_LOGMEL_LOG_DB   ? "db"
         : log == OMNI_LOGMEL_LOG_LN ? "ln"
                                     : "none";
}

static void
check_against_numpy (const OmniLogMelParams *p, const float *x, gsize n)
{
  gchar *dir, *pj, *px, *po, *json, *script;
  const gchar *argv[6];
  unsigned n_frames = omni_logmel_n_frames (p, n);
  unsigned nf = omni_logmel_n_features (p);
  gsize n_feat = (gsize) n_frames * nf, total, got_len, i;
  double *ref, *py;
  GError *error = NULL;

  total = n_feat * (1 + p->delta_order) + 2 * nf;
  ref = g_new0 (double, total);
  fail_unless (omni_logmel_ref_window_features (
      p, x, n, ref, ref + n_feat, ref + n_feat * (1 + p->delta_order)));

  dir = g_dir_make_tmp ("logmelref-XXXXXX", &error);
  fail_unless (dir != NULL);
  pj = g_build_filename (dir, "params.json", NULL);
  px = g_build_filename (dir, "x.f32", NULL);
  po = g_build_filename (dir, "out.f64", NULL);
  json = g_strdup_printf ("{\"sample_rate\": %.17g, \"n_fft\": %u, "
                          "\"win_length\": %u, \"hop\": %u, \"magnitude\": "
                          "%s, \"n_mels\": %u, \"fmin\": %.17g, \"fmax\": "
                          "%.17g, \"htk\": %s, \"slaney_norm\": %s, \"log\": "
                          "\"%s\", \"top_db\": %.17g, \"log_offset\": %.17g, "
                          "\"n_mfcc\": %u, \"delta_order\": %u, "
                          "\"delta_width\": %u}",
      p->sample_rate, p->n_fft, p->win_length, p->hop,
      p->spectrum == OMNI_LOGMEL_SPECTRUM_MAGNITUDE ? "true" : "false",
      p->n_mels, p->fmin, p->fmax, p->htk ? "true" : "false",
      p->norm == OMNI_MEL_NORM_SLANEY ? "true" : "false", log_name (p->log),
      p->top_db, p->log_offset, p->n_mfcc, p->delta_order, p->delta_width);
  fail_unless (g_file_set_contents (pj, json, -1, NULL));
  fail_unless (
      g_file_set_contents (px, (const gchar *) x, n * sizeof (float), NULL));
  script
      = g_build_filename (OMNI_TESTS_SRCDIR, "data", "audioenc_ref.py", NULL);
  argv[0] = logmel_test_python ();
  argv[1] = script;
  argv[2] = pj;
  argv[3] = px;
  argv[4] = po;
  argv[5] = NULL;
  logmel_test_spawn (argv);
  fail_unless (g_file_get_contents (po, (gchar **) &py, &got_len, NULL));
  fail_unless_equals_uint64 (got_len, total * sizeof (double));

  for (i = 0; i < total; i++) {
    /* dB and log values: absolute; linear energies: relative */
    double tol
        = p->log == OMNI_LOGMEL_LOG_NONE ? 1e-9 * fabs (py[i]) + 1e-15 : 1e-7;
    fail_unless (fabs (ref[i] - py[i]) <= tol,
        "%s: value %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT ": C %.12g numpy "
        "%.12g",
        json, i, total, ref[i], py[i]);
  }

  g_unlink (pj);
  g_unlink (px);
  g_unlink (po);
  g_rmdir (dir);
  g_free (py);
  g_free (ref);
  g_free (json);
  g_free (script);
  g_free (pj);
  g_free (px);
  g_free (po);
  g_free (dir);
}

GST_START_TEST (test_numpy_sweep_slaney_db)
{
  OmniLogMelParams p;
  const gsize n = 8000;
  float *x = logmel_test_sweep (RATE, n, 50.0, 7500.0, 0.5);

  omni_logmel_params_init (&p, RATE);
  check_against_numpy (&p, x, n);
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_numpy_noise_htk_mfcc_deltas)
{
  OmniLogMelParams p;
  const gsize n = 6000;
  float *x = logmel_test_noise (n, 0.3, 42);

  omni_logmel_params_init (&p, RATE);
  p.htk = TRUE;
  p.norm = OMNI_MEL_NORM_NONE;
  p.n_mels = 40;
  p.fmin = 125.0;
  p.fmax = 7500.0;
  p.n_mfcc = 13;
  p.delta_order = 2;
  p.delta_width = 9;
  check_against_numpy (&p, x, n);
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_numpy_magnitude_ln_win400)
{
  OmniLogMelParams p;
  const gsize n = 5000;
  float *x = logmel_test_sweep (RATE, n, 200.0, 3000.0, 0.8);

  /* YAMNet/VGGish style: 25 ms window in a 512 FFT, magnitude,
   * ln (mel + 0.001), HTK mels 125..7500 Hz without normalisation */
  omni_logmel_params_init (&p, RATE);
  p.win_length = 400;
  p.spectrum = OMNI_LOGMEL_SPECTRUM_MAGNITUDE;
  p.log = OMNI_LOGMEL_LOG_LN;
  p.log_offset = 0.001;
  p.htk = TRUE;
  p.norm = OMNI_MEL_NORM_NONE;
  p.fmin = 125.0;
  p.fmax = 7500.0;
  check_against_numpy (&p, x, n);
  /* magnitude in dB (amplitude_to_db), Whisper-like n_fft 400 */
  p.win_length = 0;
  p.n_fft = 400;
  p.log = OMNI_LOGMEL_LOG_DB;
  p.top_db = 60.0;
  p.htk = FALSE;
  p.norm = OMNI_MEL_NORM_SLANEY;
  p.n_mels = 80;
  p.fmin = 0.0;
  p.fmax = 0.0;
  p.delta_order = 1;
  p.delta_width = 5;
  check_against_numpy (&p, x, n);
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_numpy_power_none_44k)
{
  OmniLogMelParams p;
  const gsize n = 9000;
  float *x = logmel_test_noise (n, 0.5, 7);

  omni_logmel_params_init (&p, 44100.0);
  p.n_fft = 1024;
  p.hop = 441;
  p.n_mels = 128;
  p.log = OMNI_LOGMEL_LOG_NONE;
  check_against_numpy (&p, x, n);
  g_free (x);
}

GST_END_TEST;

static Suite *
logmelref_suite (void)
{
  Suite *s = suite_create ("logmelref");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_params);
  tcase_add_test (tc, test_window);
  tcase_add_test (tc, test_dct_orthonormal);
  tcase_add_test (tc, test_delta);
  tcase_add_test (tc, test_pool);
  tcase_add_test (tc, test_spectrogram_tone);
  tcase_add_test (tc, test_tone_band);
  tcase_add_test (tc, test_silence_floor);
  tcase_add_test (tc, test_numpy_sweep_slaney_db);
  tcase_add_test (tc, test_numpy_noise_htk_mfcc_deltas);
  tcase_add_test (tc, test_numpy_magnitude_ln_win400);
  tcase_add_test (tc, test_numpy_power_none_44k);
  return s;
}

GST_CHECK_MAIN (logmelref);
