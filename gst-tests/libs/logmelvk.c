/* gst-omni: the Vulkan log-mel / MFCC front end (omnimelvk) against the
 * double-precision reference (omnilogmelref), on lavapipe with validation
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "logmel-common.h"

#include <omni/audio/omnimelvk.h>
#include <omni/vk/omnivkerror.h>

#define RATE 16000.0

/* 1e-3 dB, the accuracy asked of the front end; the same in natural-log
 * units (1e-3 dB = 1e-4 ln 10 nepers). It holds for every value of every
 * window: the bands just above the top_db floor and, without a floor, the
 * bands down to the -100 dB amin floor, 130 dB and more below the peak
 * (the device computes window, FFT and split in compensated float32
 * arithmetic, see shaders/audio_stft.comp). */
#define TOL_DB 1e-3
#define TOL_LN (1e-4 * G_LN10)

typedef struct {
  double features, deltas, embedding;
  /* log-mel dB features only: how far below its window's maximum the
   * worst one lies, and how many lie more than 60 dB below it (values
   * raised to the top_db floor included) */
  double worst_depth;
  gsize deep;
} Errors;

static OmniVkDevice *
get_device (void)
{
  GError *err = NULL;
  OmniVkDevice *dev = omni_vk_device_get (NULL, &err);

  fail_unless (dev != NULL, "no Vulkan device: %s", err ? err->message : "");
  return dev;
}

static void
check_validation (void)
{
  fail_unless_equals_int (omni_vk_device_get_validation_message_count (), 0);
}

/* Runs @n_windows windows of @window samples every @hop samples through the
 * device (at most @max_windows per submission) and compares every value
 * with the reference; returns the largest absolute differences. */
static Errors
compare (const OmniLogMelParams *p, const float *x, gsize n, guint window,
    guint hop, guint max_windows, const gchar *what)
{
  OmniVkDevice *dev = get_device ();
  GError *err = NULL;
  OmniMelVk *mv;
  guint nw = (guint) ((n - window) / hop + 1), F, C, w;
  gsize *off = g_new (gsize, nw), per, i;
  gfloat *feat, *delt, *emb;
  double *rf, *rd, *re;
  Errors e = { 0, 0, 0, 0, 0 };
  gboolean db = p->log == OMNI_LOGMEL_LOG_DB && p->n_mfcc == 0;

  fail_unless (n >= window);
  mv = omni_mel_vk_new (dev, p, window, hop, max_windows, &err);
  fail_unless (mv != NULL, "%s: %s", what, err ? err->message : "");
  F = omni_mel_vk_get_n_frames (mv);
  C = omni_mel_vk_get_n_features (mv);
  fail_unless_equals_int (F, omni_logmel_n_frames (p, window));
  fail_unless_equals_int (C, omni_logmel_n_features (p));
  per = (gsize) F * C;
  for (w = 0; w < nw; w++)
    off[w] = (gsize) w * hop;
  feat = g_new (gfloat, nw * per);
  delt = g_new (gfloat, nw * per * MAX (p->delta_order, 1));
  emb = g_new (gfloat, nw * 2 * C);
  fail_unless (omni_mel_vk_process (mv, x, n, off, nw, feat, delt, emb, &err),
      "%s: %s", what, err ? err->message : "");

  rf = g_new (double, per);
  rd = g_new (double, per *MAX (p->delta_order, 1));
  re = g_new (double, 2 * C);
  for (w = 0; w < nw; w++) {
    double top = -G_MAXDOUBLE;
    fail_unless (
        omni_logmel_ref_window_features (p, x + off[w], window, rf, rd, re));
    for (i = 0; i < per; i++)
      top = MAX (top, rf[i]);
    for (i = 0; i < per; i++) {
      double d = fabs (feat[w * per + i] - rf[i]);
      fail_unless (isfinite (feat[w * per + i]));
      if (d > e.features) {
        e.features = d;
        e.worst_depth = db ? top - rf[i] : 0.0;
      }
      if (db && rf[i] < top - 60.0)
        e.deep++;
    }
    for (i = 0; i < per * p->delta_order; i++)
      e.deltas
          = MAX (e.deltas, fabs (delt[w * per * p->delta_order + i] - rd[i]));
    for (i = 0; i < 2 * C; i++)
      e.embedding = MAX (e.embedding, fabs (emb[w * 2 * C + i] - re[i]));
  }
  g_print ("%-28s n_fft %4u F %3u C %3u windows %u (%" G_GUINT64_FORMAT
           " frames, %" G_GUINT64_FORMAT " submissions): max |vk - ref| "
           "features %.2e (%.1f below the window max; %" G_GSIZE_FORMAT
           " values > 60 below it) deltas %.2e embedding %.2e\n",
      what, p->n_fft, F, C, nw, omni_mel_vk_get_n_frames_computed (mv),
      omni_mel_vk_get_n_submissions (mv), e.features, e.worst_depth, e.deep,
      e.deltas, e.embedding);

  omni_mel_vk_free (mv);
  gst_object_unref (dev);
  check_validation ();
  g_free (rf);
  g_free (rd);
  g_free (re);
  g_free (feat);
  g_free (delt);
  g_free (emb);
  g_free (off);
  return e;
}

/* Every value within 1e-3 dB of the reference (dB features), and so are
 * the pooled means and standard deviations. For MFCCs and deltas, linear
 * combinations of dB values, the bound that follows from the bands' is
 * larger (sqrt (n_mels) x 1e-3 for the orthonormal DCT, twice the
 * Savitzky-Golay weights' absolute sum for deltas), but the device meets
 * 1e-3 on them too, and the tests hold it to that. */
static void
assert_tol (Errors e, double tol, const gchar *what)
{
  fail_unless (e.features <= tol,
      "%s: features off by %g (%.1f dB below the "
      "window max)",
      what, e.features, e.worst_depth);
  fail_unless (
      e.embedding <= tol, "%s: embedding off by %g", what, e.embedding);
  fail_unless (e.deltas <= tol, "%s: deltas off by %g", what, e.deltas);
}

static void
assert_db (Errors e, const gchar *what)
{
  assert_tol (e, TOL_DB, what);
}

GST_START_TEST (test_sweep_default)
{
  OmniLogMelParams p;
  const gsize n = 32000;
  float *x = logmel_test_sweep (RATE, n, 50.0, 7500.0, 0.5);
  OmniVkDevice *dev = get_device ();
  OmniMelVk *mv;
  gsize off[3] = { 0, 7680, 15360 };
  gfloat *feat = g_new (gfloat, 3 * 93 * 64);

  omni_logmel_params_init (&p, RATE);
  /* YAMNet/VGGish framing: 0.96 s windows every 0.48 s. A sweep is the
   * hardest case: at each instant one tone, and its window's bands down to
   * the top_db floor, 80 dB below it */
  assert_db (compare (&p, x, n, 15360, 7680, 8, "sweep slaney dB"), "sweep");
  /* without the floor: every band, down to -100 dB (amin) */
  p.top_db = 0.0;
  {
    Errors e = compare (&p, x, n, 15360, 7680, 8, "sweep no floor");
    assert_db (e, "sweep no floor");
    fail_unless (e.deep > 1000, "%" G_GSIZE_FORMAT, e.deep);
  }
  p.top_db = 80.0;

  /* the three overlapping windows of one batch share their frames:
   * 93 + 2 x 48 frames, one submission */
  mv = omni_mel_vk_new (dev, &p, 15360, 7680, 8, NULL);
  fail_unless (omni_mel_vk_process (mv, x, n, off, 3, feat, NULL, NULL, NULL));
  fail_unless_equals_uint64 (omni_mel_vk_get_n_frames_computed (mv), 189);
  fail_unless_equals_uint64 (omni_mel_vk_get_n_submissions (mv), 1);
  omni_mel_vk_free (mv);
  gst_object_unref (dev);
  check_validation ();
  g_free (feat);
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_noise_htk_mfcc_deltas)
{
  OmniLogMelParams p;
  const gsize n = 24000;
  float *x = logmel_test_noise (n, 0.3, 42);
  Errors e;

  omni_logmel_params_init (&p, RATE);
  p.htk = TRUE;
  p.norm = OMNI_MEL_NORM_NONE;
  p.n_mels = 40;
  p.fmin = 125.0;
  p.fmax = 7500.0;
  assert_db (compare (&p, x, n, 8000, 4000, 4, "noise htk dB"), "noise");

  p.n_mfcc = 13;
  p.delta_order = 2;
  e = compare (&p, x, n, 8000, 4000, 4, "noise htk mfcc+deltas");
  assert_db (e, "noise mfcc");
  g_free (x);
}

GST_END_TEST;

/* Speech (espeak-ng) and music (fluidsynth), made by
 * gst-tests/data/audioenc_media.py */
GST_START_TEST (test_speech_music)
{
  OmniLogMelParams p;
  GError *error = NULL;
  gchar *dir = g_dir_make_tmp ("logmelvk-XXXXXX", &error);
  gchar *script
      = g_build_filename (OMNI_TESTS_SRCDIR, "data", "audioenc_media.py", NULL);
  const gchar *argv[]
      = { logmel_test_python (), script, dir, "16000", "3", NULL };
  const gchar *names[] = { "speech", "music" };
  guint i;

  fail_unless (dir != NULL);
  logmel_test_spawn (argv);
  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    gchar *f32 = g_strdup_printf ("%s/%s.f32", dir, names[i]);
    gchar *what;
    gsize n;
    float *x = logmel_test_read_f32 (f32, &n);
    double rms = 0.0;
    gsize k;

    for (k = 0; k < n; k++)
      rms += (double) x[k] * x[k];
    rms = sqrt (rms / n);
    fail_unless (n == 48000 && rms > 0.01,
        "%s: %" G_GSIZE_FORMAT " samples, rms %g", names[i], n, rms);

    omni_logmel_params_init (&p, RATE);
    what = g_strdup_printf ("%s slaney dB", names[i]);
    assert_db (compare (&p, x, n, 15360, 7680, 8, what), what);
    g_free (what);
    what = g_strdup_printf ("%s no floor", names[i]);
    p.top_db = 0.0;
    assert_db (compare (&p, x, n, 15360, 7680, 8, what), what);
    p.top_db = 80.0;
    g_free (what);

    /* YAMNet-style: 25 ms in a 512 FFT, magnitude, ln (mel + 0.001),
     * HTK 125..7500 Hz */
    p.win_length = 400;
    p.spectrum = OMNI_LOGMEL_SPECTRUM_MAGNITUDE;
    p.log = OMNI_LOGMEL_LOG_LN;
    p.log_offset = 0.001;
    p.htk = TRUE;
    p.norm = OMNI_MEL_NORM_NONE;
    p.fmin = 125.0;
    p.fmax = 7500.0;
    what = g_strdup_printf ("%s yamnet ln", names[i]);
    assert_tol (compare (&p, x, n, 15600, 7680, 8, what), TOL_LN, what);
    g_free (what);
    g_unlink (f32);
    g_free (f32);
    g_free (x);
  }
  {
    const gchar *left[] = { "speech.wav", "music.wav", "music.mid" };
    for (i = 0; i < G_N_ELEMENTS (left); i++) {
      gchar *f = g_build_filename (dir, left[i], NULL);
      g_unlink (f);
      g_free (f);
    }
  }
  g_rmdir (dir);
  g_free (dir);
  g_free (script);
}

GST_END_TEST;

/* Lengths that are not powers of two: radix 5 (Whisper's 400), radix 3,
 * and a direct DFT when n_fft / 2 has a prime factor above 7. */
GST_START_TEST (test_non_power_of_two)
{
  OmniLogMelParams p;
  const gsize n = 16000;
  float *x = logmel_test_sweep (RATE, n, 100.0, 7000.0, 0.5);
  float *y = logmel_test_noise (n, 0.2, 3);
  gsize i;

  for (i = 0; i < n; i++)
    x[i] += y[i];
  omni_logmel_params_init (&p, RATE);
  p.n_fft = 400;
  p.n_mels = 80;
  assert_db (compare (&p, x, n, 8000, 4000, 4, "n_fft 400 (4.2.5.5)"), "400");
  p.n_fft = 384;
  assert_db (compare (&p, x, n, 8000, 4000, 4, "n_fft 384 (4.4.4.3)"), "384");
  p.n_fft = 294;
  p.n_mels = 40;
  assert_db (compare (&p, x, n, 8000, 4000, 4, "n_fft 294 (3.7.7)"), "294");
  p.n_fft = 352;
  assert_db (
      compare (&p, x, n, 8000, 4000, 4, "n_fft 352 (DFT, 16.11)"), "352");
  p.n_fft = 1024;
  p.n_mels = 64;
  assert_db (compare (&p, x, n, 8000, 4000, 4, "n_fft 1024 (4^4.2)"), "1024");
  p.n_fft = 54;
  p.n_mels = 8;
  assert_db (compare (&p, x, n, 8000, 4000, 4, "n_fft 54 (3.3.3)"), "54");
  g_free (x);
  g_free (y);
}

GST_END_TEST;

/* Devices whose workgroups are too small for one butterfly per invocation
 * (OMNI_MELVK_MAX_LOCAL lowers lavapipe's): each invocation does several. */
GST_START_TEST (test_small_workgroups)
{
  OmniLogMelParams p;
  const gsize n = 16000;
  float *x = logmel_test_sweep (RATE, n, 100.0, 7000.0, 0.5);

  g_setenv ("OMNI_MELVK_MAX_LOCAL", "8", TRUE);
  omni_logmel_params_init (&p, RATE);
  assert_db (compare (&p, x, n, 8000, 4000, 4, "512, 8 invocations"), "512");
  p.n_fft = 400;
  p.n_mels = 80;
  assert_db (compare (&p, x, n, 8000, 4000, 4, "400, 8 invocations"), "400");
  g_unsetenv ("OMNI_MELVK_MAX_LOCAL");
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_44k_large_fft)
{
  OmniLogMelParams p;
  const gsize n = 44100;
  float *x = logmel_test_sweep (44100.0, n, 30.0, 20000.0, 0.7);

  omni_logmel_params_init (&p, 44100.0);
  p.n_fft = 2048;
  p.hop = 512;
  p.n_mels = 128;
  assert_db (
      compare (&p, x, n, 22050, 11025, 2, "44.1k n_fft 2048 sweep"), "44.1k");
  /* without the top_db floor every value is compared, down to the amin
   * floor (-100 dB), some 130 dB below the peak */
  p.top_db = 0.0;
  {
    Errors e = compare (&p, x, n, 22050, 11025, 2, "44.1k no floor");
    assert_db (e, "44.1k no floor");
    fail_unless (e.deep > 1000, "%" G_GSIZE_FORMAT, e.deep);
  }
  g_free (x);
}

GST_END_TEST;

/* Batches split by max_windows give the same values as one batch; windows
 * whose distance is not a multiple of the hop get their own frames. */
GST_START_TEST (test_batching)
{
  OmniLogMelParams p;
  const gsize n = 20000;
  float *x = logmel_test_noise (n, 0.5, 11);
  OmniVkDevice *dev = get_device ();
  OmniMelVk *one, *many;
  gsize off[5] = { 0, 1000, 2000, 3333, 9000 };
  guint per, k;
  gfloat *a, *b, *ea, *eb;

  omni_logmel_params_init (&p, RATE);
  p.n_mfcc = 20;
  p.delta_order = 1;
  one = omni_mel_vk_new (dev, &p, 8000, 1000, 1, NULL);
  many = omni_mel_vk_new (dev, &p, 8000, 1000, 8, NULL);
  fail_unless (one && many);
  per = omni_mel_vk_get_n_frames (one) * omni_mel_vk_get_n_features (one);
  a = g_new (gfloat, 5 * per);
  b = g_new (gfloat, 5 * per);
  ea = g_new (gfloat, 5 * 40);
  eb = g_new (gfloat, 5 * 40);
  fail_unless (omni_mel_vk_process (one, x, n, off, 5, a, NULL, ea, NULL));
  fail_unless (omni_mel_vk_process (many, x, n, off, 5, b, NULL, eb, NULL));
  fail_unless_equals_uint64 (omni_mel_vk_get_n_submissions (one), 5);
  /* the span of the last window does not fit the batch's sample buffer
   * (8000 + 7 x 1000 samples): two submissions */
  fail_unless_equals_uint64 (omni_mel_vk_get_n_submissions (many), 2);
  /* windows 0, 1 and 2 are 1000 samples = 6.25 hops apart: no sharing */
  fail_unless_equals_uint64 (omni_mel_vk_get_n_frames_computed (many),
      5 * omni_mel_vk_get_n_frames (many));
  for (k = 0; k < 5 * per; k++)
    fail_unless_equals_float (a[k], b[k]);
  for (k = 0; k < 5 * 40; k++)
    fail_unless_equals_float (ea[k], eb[k]);

  /* out of order or out of range windows are refused */
  {
    GError *err = NULL;
    gsize bad[2] = { 5000, 100 };
    fail_if (omni_mel_vk_process (one, x, n, bad, 2, a, NULL, NULL, &err));
    fail_unless (g_error_matches (err, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID));
    g_clear_error (&err);
    bad[0] = 12001;
    fail_if (omni_mel_vk_process (one, x, n, bad, 1, a, NULL, NULL, &err));
    g_clear_error (&err);
  }
  omni_mel_vk_free (one);
  omni_mel_vk_free (many);
  gst_object_unref (dev);
  check_validation ();
  g_free (a);
  g_free (b);
  g_free (ea);
  g_free (eb);
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_silence)
{
  OmniLogMelParams p;
  const gsize n = 16000;
  float *x = g_new0 (float, n);
  OmniVkDevice *dev = get_device ();
  OmniMelVk *mv;
  gsize off = 0;
  guint i, per;
  gfloat *feat, emb[128];

  omni_logmel_params_init (&p, RATE);
  mv = omni_mel_vk_new (dev, &p, 16000, 8000, 1, NULL);
  per = omni_mel_vk_get_n_frames (mv) * 64;
  feat = g_new (gfloat, per);
  fail_unless (omni_mel_vk_process (mv, x, n, &off, 1, feat, NULL, emb, NULL));
  for (i = 0; i < per; i++)
    fail_unless_equals_float (feat[i], -100.0f);
  for (i = 0; i < 64; i++) {
    fail_unless_equals_float (emb[i], -100.0f);
    fail_unless_equals_float (emb[64 + i], 0.0f);
  }
  omni_mel_vk_free (mv);
  gst_object_unref (dev);
  check_validation ();
  g_free (feat);
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_errors)
{
  OmniLogMelParams p;
  OmniVkDevice *dev = get_device ();
  GError *err = NULL;

  omni_logmel_params_init (&p, RATE);
  fail_if (omni_mel_vk_new (dev, &p, 511, 160, 1, &err));
  fail_unless (
      strstr (err->message, "shorter than n-fft") != NULL, "%s", err->message);
  g_clear_error (&err);

  p.n_fft = 65536;
  fail_if (omni_mel_vk_new (dev, &p, 70000, 160, 1, &err));
  fail_unless (
      strstr (err->message, "shared memory") != NULL, "%s", err->message);
  g_clear_error (&err);

  p.n_fft = 512;
  p.n_mfcc = 100;
  fail_if (omni_mel_vk_new (dev, &p, 16000, 160, 1, &err));
  fail_unless (strstr (err->message, "n-mfcc") != NULL, "%s", err->message);
  g_clear_error (&err);
  gst_object_unref (dev);
  check_validation ();
}

GST_END_TEST;

/* Streaming one window per call: each call takes the frames its window
 * shares with the previous call's last window from the device instead of
 * transforming them again; the values stay those of the reference. After a
 * reset, or a window that does not start a whole number of hops later,
 * every frame is computed. */
GST_START_TEST (test_stream_reuse)
{
  OmniLogMelParams p;
  const gsize n = 54000, W = 15360, H = 7680;
  float *x = logmel_test_sweep (RATE, n, 80.0, 6000.0, 0.4);
  float *y = logmel_test_noise (n, 0.05, 17);
  OmniVkDevice *dev = get_device ();
  OmniMelVk *mv;
  gfloat *feat = g_new (gfloat, 93 * 64), *emb = g_new (gfloat, 128);
  double *ref = g_new (double, 93 * 64), *rem = g_new (double, 128);
  gsize zero = 0, i, k;

  for (i = 0; i < n; i++)
    x[i] += y[i];
  omni_logmel_params_init (&p, RATE);
  mv = omni_mel_vk_new (dev, &p, W, H, 4, NULL);
  fail_unless (mv != NULL);
  for (k = 0; k * H + W <= n; k++) {
    double e = 0.0;
    /* only the window's own samples are given, at their stream position */
    fail_unless (omni_mel_vk_process_stream (
        mv, x + k * H, W, k * H, &zero, 1, feat, NULL, emb, NULL));
    fail_unless (
        omni_logmel_ref_window_features (&p, x + k * H, W, ref, NULL, rem));
    for (i = 0; i < 93 * 64; i++)
      e = MAX (e, fabs (feat[i] - ref[i]));
    for (i = 0; i < 128; i++)
      e = MAX (e, fabs (emb[i] - rem[i]));
    fail_unless (e <= TOL_DB, "window %" G_GSIZE_FORMAT ": %g dB", k, e);
  }
  fail_unless_equals_int (k, 6);
  /* 93 frames, then 48 new ones per window */
  fail_unless_equals_uint64 (
      omni_mel_vk_get_n_frames_computed (mv), 93 + 5 * 48);
  /* after a reset the stream may start anywhere: all 93 frames */
  omni_mel_vk_reset (mv);
  fail_unless (omni_mel_vk_process_stream (
      mv, x + 2 * H, W, 2 * H, &zero, 1, feat, NULL, emb, NULL));
  fail_unless_equals_uint64 (
      omni_mel_vk_get_n_frames_computed (mv), 2 * 93 + 5 * 48);
  /* 100 samples later: not a whole number of hops */
  fail_unless (omni_mel_vk_process_stream (
      mv, x + 2 * H + 100, W, 2 * H + 100, &zero, 1, feat, NULL, emb, NULL));
  fail_unless_equals_uint64 (
      omni_mel_vk_get_n_frames_computed (mv), 3 * 93 + 5 * 48);
  fail_unless (omni_logmel_ref_window_features (
      &p, x + 2 * H + 100, W, ref, NULL, NULL));
  for (i = 0; i < 93 * 64; i++)
    fail_unless (fabs (feat[i] - ref[i]) <= TOL_DB,
        "value %" G_GSIZE_FORMAT ": %g vs %g", i, feat[i], ref[i]);
  omni_mel_vk_free (mv);
  gst_object_unref (dev);
  check_validation ();
  g_free (feat);
  g_free (emb);
  g_free (ref);
  g_free (rem);
  g_free (x);
  g_free (y);
}

GST_END_TEST;

/* The path of discrete GPUs, whose device memory the host cannot map:
 * OMNI_VK_FORCE_STAGING=1 makes the Vulkan core treat lavapipe that way, so
 * outputs come back through host-visible copies recorded in the same
 * submission. */
GST_START_TEST (test_staging_path)
{
  OmniLogMelParams p;
  const gsize n = 16000;
  float *x = logmel_test_noise (n, 0.3, 23);

  g_setenv ("OMNI_VK_FORCE_STAGING", "1", TRUE);
  omni_logmel_params_init (&p, RATE);
  p.n_mfcc = 20;
  p.delta_order = 1;
  assert_db (
      compare (&p, x, n, 8000, 2560, 4, "noise mfcc, staging"), "staging");
  g_unsetenv ("OMNI_VK_FORCE_STAGING");
  g_free (x);
}

GST_END_TEST;

static Suite *
logmelvk_suite (void)
{
  Suite *s = suite_create ("logmelvk");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_sweep_default);
  tcase_add_test (tc, test_noise_htk_mfcc_deltas);
  tcase_add_test (tc, test_speech_music);
  tcase_add_test (tc, test_non_power_of_two);
  tcase_add_test (tc, test_small_workgroups);
  tcase_add_test (tc, test_44k_large_fft);
  tcase_add_test (tc, test_batching);
  tcase_add_test (tc, test_stream_reuse);
  tcase_add_test (tc, test_staging_path);
  tcase_add_test (tc, test_silence);
  tcase_add_test (tc, test_errors);
  return s;
}

GST_CHECK_MAIN (logmelvk);
