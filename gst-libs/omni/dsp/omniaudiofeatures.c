/* gst-omni: short-term level, impulsive onsets and speech/music cues
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A streaming analysis of a mono float stream: levels on 10 ms frames at
 * the input rate, and every 20 ms the spectrum OmniRhythmAnalyzer takes
 * anyway (a 23 ms Hann window on the stream decimated to 22.05-44.1 kHz;
 * every other one of its 10 ms frames). Inside omnirhythm the analyzer
 * hands its spectra over (omni_audio_features_share_spectra()), so the
 * cues cost no transform of their own; on its own the object computes the
 * same spectra itself, on the same frames, with the same numbers:
 *  - the short-term level (mean power of the last five frames, 50 ms) and
 *    its maximum, for loud-event detection;
 *  - impulsive onsets: a frame at least IMPULSE_JUMP_DB above the quietest
 *    of the IMPULSE_BACK frames before it and at least IMPULSE_MIN_DB, that
 *    has decayed by IMPULSE_DECAY_DB 60-70 ms later (a bang, a shot, a
 *    knock; a syllable or a note is held longer);
 *  - over a one-second history, three cues that tell speech from music:
 *    the variance of the spectral flux (Scheirer & Slaney, "Construction
 *    and evaluation of a robust multifeature speech/music discriminator",
 *    ICASSP 1997: speech alternates between voiced, unvoiced and pauses
 *    every few tens of ms, so its flux varies far more than music's), the
 *    standard deviation of the frame level in dB (the same syllabic
 *    energy contour that Scheirer & Slaney's "percentage of low-energy
 *    frames" and 4 Hz modulation energy measure), and spectral persistence,
 *    the cosine similarity of spectra 100 ms apart (a cheap stand-in for
 *    pitch continuity: held notes keep their partials where they are,
 *    intonation and formant movement shift speech's harmonics).
 * docs/dsp.md gives the measured behaviour on real speech and music.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniaudiofeatures.h"
#include "omnidecimator.h"
#include "omnifft.h"
#include "omniwindow.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HOP_S 0.01 /* level frames */
/* the analyzer's geometry (omni_rhythm_config_init): 1024 samples at
 * 44.1 kHz, 10 ms frames, at the rate / 2^k in [22.05, 44.1) kHz */
#define SPEC_FRAME_S 0.01
#define SPEC_EVERY 2 /* frames: a spectrum every 20 ms */
#define SPEC_WIN_S (1024.0 / 44100.0)
#define SPEC_MIN_RATE 22050.0
#define SAMPLE_CLAMP 1.0e4f
#define BLOCK 1024
#define SHORT_TERM_FRAMES 5 /* 50 ms */
#define IMPULSE_BACK 5
#define IMPULSE_JUMP_DB 12.0
#define IMPULSE_MIN_DB -20.0
#define IMPULSE_GAP 5   /* frames between two impulses, at least */
#define IMPULSE_DECAY 7 /* frames after which it must have decayed: 70 ms */
#define IMPULSE_DECAY_DB 10.0
#define HISTORY 100     /* level frames: one second */
#define SPEC_HISTORY 50 /* spectra: one second */
#define PERSIST_LAG 5   /* spectra: 100 ms */
#define ACTIVE_DB -70.0 /* spectra below take no part in flux/persistence */
#define LEVEL_RANGE_DB 60.0
#define FLUX_MAX_HZ 4000.0
/* the flux of spectra normalised to unit sum over N bins scales as
 * 1/sqrt(N) for the same sound: it is given per FLUX_REF_BIN_HZ-wide bin
 * (512 points at 11.025 kHz, the resolution the discriminator of omnifusion
 * was fitted on), whatever the transform's resolution */
#define FLUX_REF_BIN_HZ (11025.0 / 512.0)
#define PERSIST_MIN_HZ 80.0
#define PERSIST_MAX_HZ 4000.0
#define POWER_FLOOR 1e-20

struct _OmniAudioFeatures {
  double rate, srate; /* input, spectra */
  double flux_scale;  /* sqrt (FLUX_REF_BIN_HZ / bin width) */
  unsigned hop, shop, swin, n_fft, n_flux, p_lo, n_pers, n_used, factor;
  int shared; /* spectra come from omni_audio_features_push_spectrum */
  unsigned long pushed; /* spectra pushed (or computed) since reset */
  OmniDecimator *dec;
  OmniFft *fft;
  float *window, *ring, *frame, *power, *dbuf;
  unsigned ring_pos, in_hop;
  uint64_t apos, next_end; /* decimated samples, end of the next frame */
  double hop_sum_sq;

  float *norm_prev; /* previous spectrum, unit sum, n_flux bins */
  float *pers_ring; /* PERSIST_LAG + 1 unit-norm spectra, n_pers bins */
  int *pers_ok;     /* whether each slot holds an active spectrum */
  double last_power[SHORT_TERM_FRAMES];
  double level_hist[HISTORY], flux_hist[SPEC_HISTORY], pers_hist[SPEC_HISTORY];
  unsigned long frames, spectra;
  unsigned long last_impulse;
  unsigned long pending; /* frame + 1 of an impulse waiting for its decay */
  double pending_db, decay_db;
  int prev_active;

  double short_term_max;
  unsigned impulses;
};

static double
power_db (double p)
{
  return p > POWER_FLOOR ? 10.0 * log10 (p) : OMNI_AUDIO_FEATURES_FLOOR_DB;
}

/**
 * omni_audio_features_new:
 * @rate: sample rate in Hz (1000 - 1000000)
 *
 * Returns: (transfer full) (nullable): a new analysis, %NULL for a rate
 * out of range
 */
OmniAudioFeatures *
omni_audio_features_new (double rate)
{
  OmniAudioFeatures *f;
  double bin_hz;

  if (!(rate >= 1000.0) || !(rate <= 1.0e6))
    return NULL;
  f = calloc (1, sizeof (OmniAudioFeatures));
  if (!f)
    return NULL;
  f->rate = rate;
  f->factor = 1;
  while (f->factor < 64 && rate / (2 * f->factor) >= SPEC_MIN_RATE * 0.99)
    f->factor *= 2;
  f->srate = rate / f->factor;
  f->hop = (unsigned) MAX (1, lround (HOP_S * rate));
  f->shop = (unsigned) MAX (1, lround (SPEC_FRAME_S * f->srate));
  f->swin = (unsigned) MAX (16, lround (SPEC_WIN_S * f->srate));
  f->n_fft = omni_fft_next_size (f->swin);
  bin_hz = f->srate / f->n_fft;
  f->n_flux
      = (unsigned) MIN (f->n_fft / 2 + 1, floor (FLUX_MAX_HZ / bin_hz) + 1);
  f->p_lo = (unsigned) ceil (PERSIST_MIN_HZ / bin_hz);
  f->n_pers = (unsigned) MIN (f->n_fft / 2, floor (PERSIST_MAX_HZ / bin_hz));
  f->n_pers = f->n_pers >= f->p_lo ? f->n_pers - f->p_lo + 1 : 1;
  f->flux_scale = sqrt (FLUX_REF_BIN_HZ / bin_hz);
  f->n_used = MIN (f->n_fft / 2 + 1, MAX (f->n_flux, f->p_lo + f->n_pers));
  f->dec = omni_decimator_new (f->factor);
  f->fft = omni_fft_new (f->n_fft);
  f->window = omni_window_new (OMNI_WINDOW_HANN, f->swin, 1);
  f->ring = calloc (f->swin, sizeof (float));
  f->frame = calloc (f->n_fft, sizeof (float));
  f->power = calloc (f->n_fft / 2 + 1, sizeof (float));
  f->dbuf = calloc (BLOCK / f->factor + 1, sizeof (float));
  f->norm_prev = calloc (f->n_flux, sizeof (float));
  f->pers_ring
      = calloc ((size_t) f->n_pers * (PERSIST_LAG + 1), sizeof (float));
  f->pers_ok = calloc (PERSIST_LAG + 1, sizeof (int));
  if (!f->dec || !f->fft || !f->window || !f->ring || !f->frame || !f->power
      || !f->dbuf || !f->norm_prev || !f->pers_ring || !f->pers_ok) {
    omni_audio_features_free (f);
    return NULL;
  }
  omni_audio_features_reset (f);
  return f;
}

/**
 * omni_audio_features_reset:
 *
 * Forgets the history (after a discontinuity).
 */
void
omni_audio_features_reset (OmniAudioFeatures *f)
{
  unsigned k;

  omni_decimator_reset (f->dec);
  memset (f->ring, 0, f->swin * sizeof (float));
  memset (f->norm_prev, 0, f->n_flux * sizeof (float));
  memset (f->pers_ok, 0, (PERSIST_LAG + 1) * sizeof (int));
  for (k = 0; k < SHORT_TERM_FRAMES; k++)
    f->last_power[k] = 0.0;
  f->ring_pos = f->in_hop = 0;
  f->apos = 0;
  f->next_end = f->swin; /* the analyzer's first frame */
  f->pushed = 0;
  f->hop_sum_sq = 0.0;
  f->frames = f->spectra = 0;
  f->last_impulse = 0;
  f->pending = 0;
  f->pending_db = f->decay_db = 0.0;
  f->prev_active = 0;
  f->short_term_max = OMNI_AUDIO_FEATURES_FLOOR_DB;
  f->impulses = 0;
}

/**
 * omni_audio_features_get_spectrum_geometry:
 * @rate: (out): the sample rate of the spectra, Hz
 * @window: (out): Hann window length, samples at @rate
 * @hop: (out): frame hop, samples at @rate (a spectrum is used every
 *   second frame)
 * @n_fft: (out): transform length
 *
 * The spectra the cues are computed on: those of OmniRhythmAnalyzer with
 * its default window and hop at the same input rate, so that an analyzer
 * with this geometry can hand them over (omni_audio_features_share_spectra()).
 */
void
omni_audio_features_get_spectrum_geometry (const OmniAudioFeatures *f,
    double *rate, unsigned *window, unsigned *hop, unsigned *n_fft)
{
  *rate = f->srate;
  *window = f->swin;
  *hop = f->shop;
  *n_fft = f->n_fft;
}

/**
 * omni_audio_features_share_spectra:
 *
 * From now on the spectra are not computed here but pushed, one per frame
 * of the geometry above, with omni_audio_features_push_spectrum() (by the
 * rhythm analyzer that computes them anyway). The values are the same.
 */
void
omni_audio_features_share_spectra (OmniAudioFeatures *f)
{
  f->shared = 1;
}

/* flux against the previous active spectrum and persistence against the
 * spectrum PERSIST_LAG spectra back, from the power spectrum @power (any
 * scale: both are normalised); NAN where undefined */
static void
spectral_cues (OmniAudioFeatures *f, const float *power, int active,
    double *flux, double *pers)
{
  unsigned k, slot = f->spectra % (PERSIST_LAG + 1);
  unsigned old = (f->spectra + 1) % (PERSIST_LAG + 1);
  float *cur = f->pers_ring + (size_t) slot * f->n_pers;
  double sum = 0.0, d = 0.0, norm = 0.0, dot = 0.0;
  float *restrict mag = f->power;

  *flux = *pers = NAN;
  f->pers_ok[slot] = 0;
  if (active) {
    /* magnitudes of the bins in use only */
    for (k = 0; k < f->n_used; k++)
      mag[k] = sqrtf (power[k]);
    for (k = 0; k < f->n_flux; k++)
      sum += mag[k];
  }
  if (!(sum > 0.0)) {
    f->prev_active = 0;
    return;
  }
  {
    float inv = (float) (1.0 / sum), acc = 0.0f;
    float *restrict prev = f->norm_prev;
    for (k = 0; k < f->n_flux; k++) {
      float v = mag[k] * inv;
      acc += (v - prev[k]) * (v - prev[k]);
      prev[k] = v;
    }
    d = acc;
  }
  if (f->prev_active)
    *flux = f->flux_scale * sqrt (d);
  f->prev_active = 1;

  for (k = 0; k < f->n_pers; k++) {
    cur[k] = mag[f->p_lo + k];
    norm += (double) cur[k] * cur[k];
  }
  if (norm <= 0.0)
    return;
  norm = 1.0 / sqrt (norm);
  for (k = 0; k < f->n_pers; k++)
    cur[k] = (float) (cur[k] * norm);
  f->pers_ok[slot] = 1;
  if (f->spectra >= PERSIST_LAG && f->pers_ok[old]) {
    const float *prev = f->pers_ring + (size_t) old * f->n_pers;
    for (k = 0; k < f->n_pers; k++)
      dot += (double) cur[k] * prev[k];
    *pers = dot;
  }
}

/* the cues of one spectrum (power of @n_bins bins, any scale) whose frame
 * had the windowed mean power @mean_power (full scale sine: 0.5) */
static void
cues_of_spectrum (OmniAudioFeatures *f, const float *power, double mean_power)
{
  unsigned h = f->spectra % SPEC_HISTORY;
  double flux, pers;

  spectral_cues (f, power, power_db (mean_power) >= ACTIVE_DB, &flux, &pers);
  f->flux_hist[h] = flux;
  f->pers_hist[h] = pers;
  f->spectra++;
}

/**
 * omni_audio_features_push_spectrum:
 * @power: (array length=n_bins): the power spectrum of the newest frame
 *   (any scale), of the geometry omni_audio_features_get_spectrum_geometry()
 *   gives
 * @n_bins: n_fft / 2 + 1 of that geometry
 * @mean_power: the mean power of the windowed frame, sum (w x)^2 / sum w^2
 *   (silence gate)
 *
 * Hands over the spectrum of the next frame after
 * omni_audio_features_share_spectra(); every second one is used. Ignored
 * otherwise, or when @n_bins does not match.
 */
void
omni_audio_features_push_spectrum (OmniAudioFeatures *f, const float *power,
    unsigned n_bins, double mean_power)
{
  if (!f->shared || n_bins != f->n_fft / 2 + 1)
    return;
  if (f->pushed++ % SPEC_EVERY == 0)
    cues_of_spectrum (f, power, mean_power);
}

/* on its own: the spectrum of the frame ending now, as the analyzer
 * computes it */
static void
analyse_spectrum (OmniAudioFeatures *f)
{
  unsigned k, n1 = f->swin - f->ring_pos;
  double energy;

  for (k = 0; k < n1; k++)
    f->frame[k] = f->ring[f->ring_pos + k] * f->window[k];
  for (k = n1; k < f->swin; k++)
    f->frame[k] = f->ring[k - n1] * f->window[k];
  {
    float acc[4] = { 0.0f, 0.0f, 0.0f, 0.0f };
    for (k = 0; k + 4 <= f->swin; k += 4) {
      acc[0] += f->frame[k] * f->frame[k];
      acc[1] += f->frame[k + 1] * f->frame[k + 1];
      acc[2] += f->frame[k + 2] * f->frame[k + 2];
      acc[3] += f->frame[k + 3] * f->frame[k + 3];
    }
    for (; k < f->swin; k++)
      acc[0] += f->frame[k] * f->frame[k];
    energy = (double) acc[0] + acc[1] + acc[2] + acc[3];
  }
  memset (f->frame + f->swin, 0, (f->n_fft - f->swin) * sizeof (float));
  omni_fft_do_power (f->fft, f->frame, f->frame);
  /* the windowed mean power (Hann: sum w^2 = 3/8 n) */
  cues_of_spectrum (f, f->frame, energy / (0.375 * f->swin));
  f->pushed++;
}

/* a 10 ms level frame: short-term level and impulsive onsets */
static void
analyse_level (OmniAudioFeatures *f)
{
  unsigned k;
  double p = f->hop_sum_sq / f->hop, st = 0.0, db, quietest = HUGE_VAL;

  db = power_db (p);
  for (k = 0; k < IMPULSE_BACK && k < f->frames; k++)
    quietest = MIN (quietest, power_db (f->last_power[k]));
  if (f->pending) {
    unsigned long age = f->frames + 1 - f->pending;

    if (age == IMPULSE_DECAY - 1) {
      f->decay_db = db;
    } else if (age == IMPULSE_DECAY) {
      if ((f->decay_db + db) / 2 <= f->pending_db - IMPULSE_DECAY_DB) {
        f->impulses++;
        f->last_impulse = f->pending;
      }
      f->pending = 0;
    }
  } else if (f->frames >= IMPULSE_BACK && db >= IMPULSE_MIN_DB
             && db - quietest >= IMPULSE_JUMP_DB
             && (f->last_impulse == 0
                 || f->frames + 1 - f->last_impulse >= IMPULSE_GAP)) {
    f->pending = f->frames + 1;
    f->pending_db = db;
  }
  memmove (f->last_power + 1, f->last_power,
      (SHORT_TERM_FRAMES - 1) * sizeof (double));
  f->last_power[0] = p;
  for (k = 0; k < SHORT_TERM_FRAMES; k++)
    st += f->last_power[k];
  st /= MIN ((unsigned long) SHORT_TERM_FRAMES, f->frames + 1);
  f->short_term_max = MAX (f->short_term_max, power_db (st));
  f->level_hist[f->frames % HISTORY] = db;
  f->frames++;
}

/* TRUE when no sample is NaN, infinite or beyond +-1e4 */
static int
block_is_clean (const float *restrict x, size_t n)
{
  float acc[4] = { 0.0f, 0.0f, 0.0f, 0.0f };
  size_t k;

  for (k = 0; k + 4 <= n; k += 4) {
    acc[0] += x[k] * x[k];
    acc[1] += x[k + 1] * x[k + 1];
    acc[2] += x[k + 2] * x[k + 2];
    acc[3] += x[k + 3] * x[k + 3];
  }
  for (; k < n; k++)
    acc[0] += x[k] * x[k];
  /* NaN fails the comparison; the sum bounds every sample */
  return (double) acc[0] + acc[1] + acc[2] + acc[3] < 1.0e8;
}

/**
 * omni_audio_features_process:
 * @mono: (array length=n): samples, full scale +-1
 * @n: number of samples (any)
 */
void
omni_audio_features_process (OmniAudioFeatures *f, const float *mono, size_t n)
{
  float buf[BLOCK];
  size_t i = 0, j, m;

  while (i < n) {
    size_t take = MIN (n - i, (size_t) BLOCK);
    const float *clean = mono + i;

    /* NaN becomes 0 (NaN fails both comparisons), huge values are clamped
     * (as the analyzer does); a block whose energy is finite and small has
     * neither, and is used as it is (the check vectorises, the cleaning
     * does not) */
    if (!block_is_clean (clean, take)) {
      for (j = 0; j < take; j++) {
        float v = clean[j];
        v = v == v ? v : 0.0f;
        v = v > SAMPLE_CLAMP ? SAMPLE_CLAMP : v;
        buf[j] = v < -SAMPLE_CLAMP ? -SAMPLE_CLAMP : v;
      }
      clean = buf;
    }
    /* level frames, a run up to the next frame end at a time */
    for (j = 0; j < take;) {
      size_t c = MIN (take - j, (size_t) (f->hop - f->in_hop)), k;
      float acc[4] = { 0.0f, 0.0f, 0.0f, 0.0f };

      for (k = 0; k + 4 <= c; k += 4) {
        acc[0] += clean[j + k] * clean[j + k];
        acc[1] += clean[j + k + 1] * clean[j + k + 1];
        acc[2] += clean[j + k + 2] * clean[j + k + 2];
        acc[3] += clean[j + k + 3] * clean[j + k + 3];
      }
      for (; k < c; k++)
        acc[0] += clean[j + k] * clean[j + k];
      f->hop_sum_sq += (double) acc[0] + acc[1] + acc[2] + acc[3];
      f->in_hop += (unsigned) c;
      j += c;
      if (f->in_hop == f->hop) {
        analyse_level (f);
        f->in_hop = 0;
        f->hop_sum_sq = 0.0;
      }
    }
    i += take;
    if (f->shared)
      continue;
    /* the decimated stream into the spectrum ring; a spectrum at the end
     * of every second analyzer frame */
    m = omni_decimator_do (f->dec, clean, take, f->dbuf);
    for (j = 0; j < m;) {
      size_t c = MIN (m - j, (size_t) (f->next_end - f->apos));

      c = MIN (c, (size_t) (f->swin - f->ring_pos));
      memcpy (f->ring + f->ring_pos, f->dbuf + j, c * sizeof (float));
      f->ring_pos += (unsigned) c;
      if (f->ring_pos == f->swin)
        f->ring_pos = 0;
      f->apos += c;
      j += c;
      if (f->apos == f->next_end) {
        analyse_spectrum (f);
        f->next_end += (uint64_t) SPEC_EVERY * f->shop;
      }
    }
  }
}

static void
mean_var (const double *x, unsigned n, double *mean, double *var)
{
  double s = 0.0, s2 = 0.0;
  unsigned k, m = 0;

  for (k = 0; k < n; k++) {
    if (isnan (x[k]))
      continue;
    s += x[k];
    m++;
  }
  *mean = m ? s / m : 0.0;
  for (k = 0; k < n; k++) {
    if (!isnan (x[k]))
      s2 += (x[k] - *mean) * (x[k] - *mean);
  }
  *var = m > 1 ? s2 / (m - 1) : 0.0;
}

/**
 * omni_audio_features_take:
 * @values: (out caller-allocates): the values
 *
 * Returns the values and starts a new maximum and impulse count.
 */
void
omni_audio_features_take (OmniAudioFeatures *f, OmniAudioFeatureValues *values)
{
  unsigned k, n = (unsigned) MIN ((unsigned long) HISTORY, f->frames);
  unsigned ns = (unsigned) MIN ((unsigned long) SPEC_HISTORY, f->spectra);
  double loudest = OMNI_AUDIO_FEATURES_FLOOR_DB, lv[HISTORY], mean, var;

  memset (values, 0, sizeof (OmniAudioFeatureValues));
  values->short_term_db = f->short_term_max;
  values->impulses = f->impulses;
  values->context_s = n * (double) f->hop / f->rate;
  f->short_term_max = OMNI_AUDIO_FEATURES_FLOOR_DB;
  f->impulses = 0;
  if (n == 0)
    return;
  /* the histories hold the newest frames in slots [0, n) */
  for (k = 0; k < n; k++)
    loudest = MAX (loudest, f->level_hist[k]);
  for (k = 0; k < n; k++)
    lv[k] = MAX (f->level_hist[k], loudest - LEVEL_RANGE_DB);
  mean_var (lv, n, &mean, &var);
  values->level_std_db = sqrt (var);
  mean_var (f->flux_hist, ns, &mean, &var);
  values->flux_variance = var;
  mean_var (f->pers_hist, ns, &mean, &var);
  values->persistence = mean;
}

void
omni_audio_features_free (OmniAudioFeatures *f)
{
  if (!f)
    return;
  omni_decimator_free (f->dec);
  omni_fft_free (f->fft);
  omni_window_free (f->window);
  free (f->ring);
  free (f->frame);
  free (f->power);
  free (f->dbuf);
  free (f->norm_prev);
  free (f->pers_ring);
  free (f->pers_ok);
  free (f);
}
