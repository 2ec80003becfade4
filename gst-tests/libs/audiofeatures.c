/* gst-omni: unit tests for OmniAudioFeatures (short-term level, impulsive
 * onsets, speech/music cues)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Expected values follow from the signals: a full-scale sine has an RMS
 * level of -3.01 dBFS; a steady tone keeps its spectrum (persistence 1, no
 * flux, no level spread); bursts that rise and decay within 70 ms are
 * impulses, a held tone switched on is not; a tone alternating with
 * silence every 125 ms (a syllable rate) spreads its level and flux.
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

static guint32 noise_state = 88172645u;

static float
white (void)
{
  noise_state ^= noise_state << 13;
  noise_state ^= noise_state >> 17;
  noise_state ^= noise_state << 5;
  return (float) ((noise_state / 4294967296.0) * 2.0 - 1.0);
}

static void
feed (OmniAudioFeatures *f, const float *x, size_t n, size_t chunk)
{
  size_t i;

  for (i = 0; i < n; i += chunk)
    omni_audio_features_process (f, x + i, MIN (chunk, n - i));
}

GST_START_TEST (test_steady_tone)
{
  const double rates[] = { 8000, 16000, 22050, 44100, 48000, 96000 };
  guint r;

  for (r = 0; r < G_N_ELEMENTS (rates); r++) {
    double rate = rates[r];
    size_t n = (size_t) (2 * rate), i;
    float *x = g_new (float, n);
    OmniAudioFeatures *f = omni_audio_features_new (rate);
    OmniAudioFeatureValues v;

    fail_unless (f != NULL);
    for (i = 0; i < n; i++)
      x[i] = (float) sin (2 * M_PI * 440.0 * i / rate);
    feed (f, x, n, 1023);
    omni_audio_features_take (f, &v);
    assert_close (v.short_term_db, -3.0103, 0.1);
    fail_unless_equals_int (v.impulses, 0); /* held: no decay */
    assert_close (v.context_s, 1.0, 0.011);
    assert_close (v.persistence, 1.0, 1e-3);
    fail_unless (v.flux_variance < 1e-6, "%g", v.flux_variance);
    fail_unless (v.level_std_db < 0.1, "%g", v.level_std_db);
    /* take starts a new maximum */
    omni_audio_features_take (f, &v);
    assert_close (v.short_term_db, OMNI_AUDIO_FEATURES_FLOOR_DB, 0);
    omni_audio_features_free (f);
    g_free (x);
  }
}

GST_END_TEST;

/* Decaying noise bursts (40 ms time constant, like a shot) at 10 a second
 * are impulses; the same noise held for 300 ms at a time is not. */
GST_START_TEST (test_impulses)
{
  double rate = 16000;
  size_t n = (size_t) (3 * rate), i;
  float *x = g_new0 (float, n);
  OmniAudioFeatures *f = omni_audio_features_new (rate);
  OmniAudioFeatureValues v;
  guint k;

  for (k = 0; k < 15; k++) {
    size_t s = (size_t) ((0.5 + k * 0.1) * rate);
    for (i = 0; i < (size_t) (0.1 * rate) && s + i < n; i++)
      x[s + i] += 0.9f * white () * (float) exp (-(double) i / (0.04 * rate));
  }
  feed (f, x, n, 512);
  omni_audio_features_take (f, &v);
  fail_unless (v.impulses >= 13 && v.impulses <= 15, "%u", v.impulses);
  fail_unless (v.short_term_db > -15, "%g", v.short_term_db);

  /* held noise switched on and off every 300 ms */
  omni_audio_features_reset (f);
  for (i = 0; i < n; i++)
    x[i] = ((i / (size_t) (0.3 * rate)) % 2) ? 0.5f * white () : 0.0f;
  feed (f, x, n, 512);
  omni_audio_features_take (f, &v);
  fail_unless_equals_int (v.impulses, 0);

  /* a quiet burst train (peaks at -32 dBFS) is not loud enough */
  omni_audio_features_reset (f);
  memset (x, 0, n * sizeof (float));
  for (k = 0; k < 15; k++) {
    size_t s = (size_t) ((0.5 + k * 0.1) * rate);
    for (i = 0; i < (size_t) (0.1 * rate) && s + i < n; i++)
      x[s + i] += 0.025f * white () * (float) exp (-(double) i / (0.04 * rate));
  }
  feed (f, x, n, 512);
  omni_audio_features_take (f, &v);
  fail_unless_equals_int (v.impulses, 0);
  omni_audio_features_free (f);
  g_free (x);
}

GST_END_TEST;

/* A gliding harmonic tone that alternates with quieter noise at a
 * syllable rate (4 Hz: voiced, unvoiced) spreads its level and flux and
 * loses persistence, against a held note. */
GST_START_TEST (test_speech_like_cues)
{
  double rate = 22050, ph = 0;
  size_t n = (size_t) (2 * rate), i;
  float *x = g_new (float, n);
  OmniAudioFeatures *f = omni_audio_features_new (rate);
  OmniAudioFeatureValues held, syl;

  for (i = 0; i < n; i++) {
    double h;

    x[i] = 0;
    for (h = 1; h <= 8; h++)
      x[i] += (float) (0.05 * sin (2 * M_PI * h * 200 * i / rate) / h);
  }
  feed (f, x, n, 4096);
  omni_audio_features_take (f, &held);
  for (i = 0; i < n; i++) {
    double f0 = 140 + 60 * sin (2 * M_PI * 1.5 * i / rate);
    double h;

    ph += 2 * M_PI * f0 / rate;
    x[i] = 0;
    for (h = 1; h <= 8; h++)
      x[i] += (float) (0.05 * sin (h * ph) / h);
    if (((size_t) (i / (0.125 * rate))) % 2)
      x[i] = 0.005f * white (); /* an unvoiced stretch, 20 dB down */
  }
  omni_audio_features_reset (f);
  feed (f, x, n, 4096);
  omni_audio_features_take (f, &syl);
  fail_unless (syl.level_std_db > held.level_std_db + 10, "%g %g",
      syl.level_std_db, held.level_std_db);
  fail_unless (syl.flux_variance > 3 * held.flux_variance, "%g %g",
      syl.flux_variance, held.flux_variance);
  fail_unless (syl.persistence < held.persistence - 0.1, "%g %g",
      syl.persistence, held.persistence);
  omni_audio_features_free (f);
  g_free (x);
}

GST_END_TEST;

/* Inside omnirhythm the cues take the rhythm analyzer's spectra instead of
 * computing their own: the values must be the same as on their own, at
 * every rate, for the speech-like signal above and any chunking. */
static void
push_spectrum (
    const float *power, unsigned n_bins, double mean_power, void *cues)
{
  omni_audio_features_push_spectrum (cues, power, n_bins, mean_power);
}

GST_START_TEST (test_shared_spectra)
{
  const double rates[] = { 8000, 16000, 22050, 44100, 48000, 96000 };
  guint r;

  for (r = 0; r < G_N_ELEMENTS (rates); r++) {
    double rate = rates[r], ph = 0, ga, gb;
    size_t n = (size_t) (3 * rate), i;
    float *x = g_new (float, n);
    OmniRhythmConfig cfg;
    OmniRhythmAnalyzer *an;
    OmniAudioFeatures *own = omni_audio_features_new (rate);
    OmniAudioFeatures *shared = omni_audio_features_new (rate);
    OmniAudioFeatureValues a, b;
    unsigned wa, ha, na, wb, hb, nb, round;

    omni_rhythm_config_init (&cfg);
    an = omni_rhythm_analyzer_new (&cfg, rate);
    fail_unless (an && own && shared);
    omni_rhythm_analyzer_get_spectrum_geometry (an, &ga, &wa, &ha, &na);
    omni_audio_features_get_spectrum_geometry (own, &gb, &wb, &hb, &nb);
    fail_unless (ga == gb && wa == wb && ha == hb && na == nb,
        "%g Hz: analyzer %g/%u/%u/%u, cues %g/%u/%u/%u", rate, ga, wa, ha, na,
        gb, wb, hb, nb);
    omni_audio_features_share_spectra (shared);
    omni_rhythm_analyzer_set_spectrum_func (an, push_spectrum, shared);
    for (i = 0; i < n; i++) {
      double f0 = 140 + 60 * sin (2 * M_PI * 1.5 * i / rate), h;
      ph += 2 * M_PI * f0 / rate;
      x[i] = 0;
      for (h = 1; h <= 8; h++)
        x[i] += (float) (0.05 * sin (h * ph) / h);
      if (((size_t) (i / (0.125 * rate))) % 2)
        x[i] = 0.005f * white ();
    }
    /* twice: after a reset of both the frames must line up again */
    for (round = 0; round < 2; round++) {
      feed (own, x, n, 1000);
      for (i = 0; i < n; i += 333) {
        omni_rhythm_analyzer_process (an, x + i, MIN (333, n - i));
        omni_audio_features_process (shared, x + i, MIN (333, n - i));
      }
      omni_audio_features_take (own, &a);
      omni_audio_features_take (shared, &b);
      fail_unless (a.flux_variance > 0 && a.persistence > 0);
      assert_close (b.flux_variance, a.flux_variance, 1e-4 * a.flux_variance);
      assert_close (b.persistence, a.persistence, 1e-4);
      assert_close (b.level_std_db, a.level_std_db, 1e-4);
      assert_close (b.short_term_db, a.short_term_db, 1e-4);
      assert_close (b.context_s, a.context_s, 1e-9);
      omni_rhythm_analyzer_reset (an);
      omni_audio_features_reset (own);
      omni_audio_features_reset (shared);
    }
    omni_rhythm_analyzer_free (an);
    omni_audio_features_free (own);
    omni_audio_features_free (shared);
    g_free (x);
  }
}

GST_END_TEST;

GST_START_TEST (test_bad_input)
{
  OmniAudioFeatures *f;
  OmniAudioFeatureValues v;
  float x[4096];
  guint i;

  fail_unless (omni_audio_features_new (0) == NULL);
  fail_unless (omni_audio_features_new (NAN) == NULL);
  fail_unless (omni_audio_features_new (5e6) == NULL);
  f = omni_audio_features_new (48000);
  /* nothing yet */
  omni_audio_features_take (f, &v);
  assert_close (v.short_term_db, OMNI_AUDIO_FEATURES_FLOOR_DB, 0);
  assert_close (v.context_s, 0, 0);
  /* NaN and huge values give finite results */
  for (i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = i % 2 ? NAN : 1e30f;
  omni_audio_features_process (f, x, G_N_ELEMENTS (x));
  omni_audio_features_take (f, &v);
  fail_unless (isfinite (v.short_term_db) && isfinite (v.flux_variance)
               && isfinite (v.level_std_db) && isfinite (v.persistence));
  /* digital silence */
  memset (x, 0, sizeof (x));
  omni_audio_features_reset (f);
  for (i = 0; i < 30; i++)
    omni_audio_features_process (f, x, G_N_ELEMENTS (x));
  omni_audio_features_take (f, &v);
  assert_close (v.short_term_db, OMNI_AUDIO_FEATURES_FLOOR_DB, 0);
  fail_unless_equals_int (v.impulses, 0);
  assert_close (v.level_std_db, 0, 0);
  omni_audio_features_free (f);
  omni_audio_features_free (NULL);
}

GST_END_TEST;

static Suite *
audiofeatures_suite (void)
{
  Suite *s = suite_create ("audiofeatures");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_steady_tone);
  tcase_add_test (tc, test_impulses);
  tcase_add_test (tc, test_speech_like_cues);
  tcase_add_test (tc, test_shared_spectra);
  tcase_add_test (tc, test_bad_input);
  return s;
}

GST_CHECK_MAIN (audiofeatures);
