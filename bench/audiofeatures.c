/* gst-omni benchmark: OmniAudioFeatures (omnirhythm's loud-event and
 * speech/music cues) against OmniRhythmAnalyzer, the analysis it runs
 * beside in omnirhythm, on the same input in the same run.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Input: 600 s of a deterministic signal (a harmonic tone that changes
 * pitch every 250 ms, bursts of noise, 5 % silence) at 16, 22.05, 44.1 and
 * 48 kHz, fed in 1024-sample blocks as omnirhythm does, the values taken
 * after every block. Prints CPU ms per second of audio (best of 3), the
 * times real time and the ratio cues / analyzer, for the cues on their own
 * (their own spectra) and as omnirhythm runs them (the analyzer hands its
 * spectra over: timed as analyzer + cues, less the analyzer alone).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>
#include <sys/resource.h>
#include <glib.h>
#include <omni/dsp/omnidsp.h>

#define SECONDS 600
#define BLOCK 1024

static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec
         + ru.ru_stime.tv_usec / 1e6;
}

static void
push_spectrum (
    const float *power, unsigned n_bins, double mean_power, void *cues)
{
  omni_audio_features_push_spectrum (cues, power, n_bins, mean_power);
}

/* the analyzer over x, with @cues taking its spectra when not NULL */
static double
time_analyzer (double rate, const float *x, size_t n, OmniAudioFeatures *cues)
{
  OmniRhythmConfig cfg;
  OmniRhythmAnalyzer *a;
  OmniAudioFeatureValues v;
  OmniRhythmEvent ev;
  OmniRhythmState st;
  double t0;
  size_t i;

  omni_rhythm_config_init (&cfg);
  a = omni_rhythm_analyzer_new (&cfg, rate);
  if (cues) {
    omni_audio_features_share_spectra (cues);
    omni_rhythm_analyzer_set_spectrum_func (a, push_spectrum, cues);
  }
  t0 = cpu_seconds ();
  for (i = 0; i < n; i += BLOCK) {
    omni_rhythm_analyzer_process (a, x + i, MIN (BLOCK, n - i));
    if (cues) {
      omni_audio_features_process (cues, x + i, MIN (BLOCK, n - i));
      omni_audio_features_take (cues, &v);
    }
    while (omni_rhythm_analyzer_pop_event (a, &ev))
      ;
    omni_rhythm_analyzer_get_state (a, &st);
  }
  t0 = cpu_seconds () - t0;
  omni_rhythm_analyzer_free (a);
  return t0;
}

static float *
make_signal (double rate, size_t n)
{
  float *x = g_new (float, n);
  guint32 s = 22222u;
  double ph = 0;
  size_t i;

  for (i = 0; i < n; i++) {
    size_t seg = (size_t) (i / (0.25 * rate));
    double f0 = 110.0 * (1 + seg % 7);
    double v = 0;
    int h;

    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    ph += 2 * G_PI * f0 / rate;
    for (h = 1; h <= 4; h++)
      v += 0.1 * sin (h * ph) / h;
    if (seg % 5 == 3)
      v = 0.2 * ((s / 4294967296.0) * 2 - 1);
    if (seg % 20 == 7)
      v = 0;
    x[i] = (float) v;
  }
  return x;
}

int
main (void)
{
  const double rates[] = { 16000, 22050, 44100, 48000 };
  guint r, rep;

  printf ("OmniAudioFeatures vs OmniRhythmAnalyzer, %d s per rate, CPU time, "
          "best of 3\n",
      SECONDS);
  printf ("| rate | cues ms/s | × real time | analyzer ms/s | × real time | "
          "cues / analyzer | shared cues ms/s | shared / analyzer |\n"
          "|---|---|---|---|---|---|---|---|\n");
  for (r = 0; r < G_N_ELEMENTS (rates); r++) {
    size_t n = (size_t) (SECONDS * rates[r]), i;
    float *x = make_signal (rates[r], n);
    double best_c = 1e9, best_a = 1e9, best_s = 1e9;

    for (rep = 0; rep < 3; rep++) {
      OmniAudioFeatures *f = omni_audio_features_new (rates[r]);
      OmniAudioFeatureValues v;
      double t0 = cpu_seconds ();

      for (i = 0; i < n; i += BLOCK) {
        omni_audio_features_process (f, x + i, MIN (BLOCK, n - i));
        omni_audio_features_take (f, &v);
      }
      best_c = MIN (best_c, cpu_seconds () - t0);
      omni_audio_features_reset (f);
      best_a = MIN (best_a, time_analyzer (rates[r], x, n, NULL));
      best_s = MIN (best_s, time_analyzer (rates[r], x, n, f));
      omni_audio_features_free (f);
    }
    best_s = MAX (0.0, best_s - best_a);
    printf ("| %.0f Hz | %.3f | %.0f | %.3f | %.0f | %.2f | %.3f | %.2f |\n",
        rates[r], 1000 * best_c / SECONDS, SECONDS / best_c,
        1000 * best_a / SECONDS, SECONDS / best_a, best_c / best_a,
        1000 * best_s / SECONDS, best_s / best_a);
    g_free (x);
  }
  return 0;
}
