/* gst-omni: onset strength (log-mel spectral flux, SuperFlux) and causal
 * peak picking
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Onset strength as librosa.onset.onset_strength computes it (McFee et al.,
 * librosa 0.10): S in dB, ref = S max-filtered over max_size neighbouring
 * bands, envelope[t] = mean_b max (0, S[b,t] - ref[b,t-lag]). lag=1 and
 * max_size=1 is plain log spectral flux (Klapuri 1999; Dixon, "Onset
 * detection revisited", DAFx 2006); lag=2, max_size=3 is SuperFlux (Böck &
 * Widmer, "Maximum filter vibrato suppression for onset detection", DAFx
 * 2013). Here it runs causally, one frame at a time; the whole-signal
 * top_db clamp of librosa is replaced by a fixed floor in dB.
 *
 * Peak picking follows aubio's peakpicker (Brossier, "Automatic annotation
 * of musical audio for interactive applications", PhD thesis, QMUL 2006):
 * a peak must exceed an adaptive threshold median + lambda * mean of the
 * recent envelope, plus an absolute delta, be the maximum of the last
 * pre_max frames, and come at least min_gap frames after the previous
 * onset (aubio's minioi). Only one frame of look-ahead is used: frame t-1
 * is confirmed as a peak when frame t is lower.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnionset.h"
#include "omnidspmax.h"

#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

/* log2 of a positive normal float to within 3.2e-5 (1e-4 dB): exponent
 * from the bits, a degree-5 polynomial (least-squares Chebyshev fit) on the
 * mantissa; much cheaper than log10f, which would otherwise be a good part
 * of the per-frame cost */
static inline float
fast_log2 (float x)
{
  union {
    float f;
    uint32_t i;
  } u;
  float e, m;

  u.f = x;
  e = (float) ((int) ((u.i >> 23) & 255) - 127);
  u.i = (u.i & 0x007FFFFFu) | 0x3F800000u;
  m = u.f;
  return e
         + (-2.78680639f
             + (5.0468555f
                   + (-3.49246918f
                         + (1.59388642f + (-0.40486285f + 0.04342842f * m) * m)
                               * m)
                         * m)
                   * m);
}

/* 2^x for x in [-126, 0], relative error below 1e-5 */
static inline float
fast_exp2 (float x)
{
  union {
    float f;
    uint32_t i;
  } u;
  float fl = floorf (x), f = x - fl;

  if (fl < -126.0f)
    return 0.0f;
  u.f = 1.00000729f
        + (0.69293126f
              + (0.24171032f + (0.05166685f + 0.01367653f * f) * f) * f)
              * f;
  u.i += (uint32_t) ((int) fl) << 23;
  return u.f;
}

struct _OmniOnsetStrength {
  unsigned n_bands, lag, max_size;
  float floor_power;
  float mask_decay, mask_offset; /* dB per frame, dB; decay 0 = off */
  float *mask;                   /* per band masking level, dB */
  float accent;                  /* amplitude-weighted flux, last frame */
  unsigned n_bass;               /* the lowest bands, for the bass flux */
  float bass;                    /* their mean flux, last frame */
  unsigned frames;               /* since reset */
  unsigned pos;                  /* ring position of the next frame */
  float *ring; /* (lag + 1) x n_bands, reference (max-filtered) dB */
  float *db;   /* current frame in dB */
};

/**
 * omni_onset_strength_new:
 * @n_bands: bands per frame, >= 1
 * @lag: frames between the compared spectra, >= 1 (librosa lag)
 * @max_size: width of the maximum filter over bands applied to the
 *   reference frame, >= 1 (librosa max_size; 1 disables it)
 * @floor_db: band energies below this level (10 log10 of the band power)
 *   are raised to it, so that noise near digital silence cannot create
 *   flux
 *
 * Returns: (transfer full) (nullable): a new #OmniOnsetStrength
 */
OmniOnsetStrength *
omni_onset_strength_new (
    unsigned n_bands, unsigned lag, unsigned max_size, double floor_db)
{
  OmniOnsetStrength *o;

  if (n_bands == 0 || lag == 0 || max_size == 0)
    return NULL;
  if (!(o = calloc (1, sizeof (OmniOnsetStrength))))
    return NULL;
  o->n_bands = n_bands;
  o->lag = lag;
  o->max_size = max_size;
  o->floor_power = (float) pow (10.0, floor_db / 10.0);
  o->ring = calloc ((size_t) (lag + 1) * n_bands, sizeof (float));
  o->db = calloc (n_bands, sizeof (float));
  o->mask = calloc (n_bands, sizeof (float));
  if (!o->ring || !o->db || !o->mask) {
    omni_onset_strength_free (o);
    return NULL;
  }
  return o;
}

/**
 * omni_onset_strength_set_masking:
 * @o: an #OmniOnsetStrength
 * @decay_db: how fast the masking level falls, dB per frame; 0 turns
 *   masking off (the default)
 * @offset_db: how far below a band's peak level the masking level starts
 *
 * Models forward (post-) masking in each band: after a loud frame, quieter
 * frames within the masking level are raised to it, as if inaudible, so the
 * noisy decay of a sound (reverberation, a ringing drum) produces no flux;
 * after Collins, "A comparison of sound onset detection algorithms with
 * emphasis on psychoacoustically motivated detection functions", AES 118th
 * Convention, 2005, and the masking model of Zwicker & Fastl,
 * "Psychoacoustics", ch. 4.4 (forward masking lasts 100-200 ms).
 */
void
omni_onset_strength_set_masking (
    OmniOnsetStrength *o, double decay_db, double offset_db)
{
  o->mask_decay = decay_db > 0.0 ? (float) decay_db : 0.0f;
  o->mask_offset = (float) offset_db;
}

/**
 * omni_onset_strength_do:
 * @o: an #OmniOnsetStrength
 * @band_power: (array): the frame's band energies (linear power)
 *
 * Returns: the onset strength of this frame (mean positive increase in dB
 * over the bands), 0 for the first @lag frames after a reset
 */
float
omni_onset_strength_do (OmniOnsetStrength *o, const float *band_power)
{
  unsigned nb = o->n_bands, b;
  unsigned half = o->max_size / 2;
  float *ref = o->ring + (size_t) o->pos * nb;
  const float *old;
  float acc = 0.0f, db_max = -1000.0f;

  for (b = 0; b < nb; b++) {
    float p = band_power[b];
    /* NaN fails the comparison and is floored too */
    if (!(p > o->floor_power))
      p = o->floor_power;
    else if (p > 3.0e38f)
      p = 3.0e38f;
    o->db[b] = 3.01029996f * fast_log2 (p); /* 10 log10 */
  }
  if (o->mask_decay > 0.0f) {
    /* forward masking: a band cannot fall below its decaying peak level
     * minus the offset, so the fluctuations of a decaying tail (reverb,
     * ringing) give no flux */
    for (b = 0; b < nb; b++) {
      float m = o->mask[b] - o->mask_decay;
      float peak = o->db[b] - o->mask_offset;
      if (o->frames == 0 || peak > m)
        m = peak;
      o->mask[b] = m;
      if (o->db[b] < m)
        o->db[b] = m;
    }
  }

  db_max = omni_dsp_largest (o->db, nb, db_max);
  o->accent = 0.0f;
  o->bass = 0.0f;
  if (o->frames >= o->lag) {
    float wsum = 0.0f, wacc = 0.0f, bacc = 0.0f;
    old = o->ring + (size_t) ((o->pos + 1) % (o->lag + 1)) * nb;
    for (b = 0; b < nb; b++) {
      float d = o->db[b] - old[b];
      /* amplitude share of the band: 10^(dB/20) = 2^(dB log2(10) / 20) */
      float w = fast_exp2 (0.166096405f * (o->db[b] - db_max));
      /* the increases only, without a branch (adding +0 changes no sum) */
      float up = d > 0.0f ? d : 0.0f;
      wsum += w;
      acc += up;
      wacc += w * up;
      bacc += b < o->n_bass ? up : 0.0f;
    }
    acc /= (float) nb;
    o->bass = o->n_bass ? bacc / (float) o->n_bass : 0.0f;
    o->accent = wsum > 0.0f ? wacc / wsum : 0.0f;
  }

  /* store this frame's reference: the maximum over max_size bands
   * (scipy.ndimage.maximum_filter1d, mode reflect == clamped window) */
  if (o->max_size == 1) {
    memcpy (ref, o->db, nb * sizeof (float));
  } else {
    for (b = 0; b < nb; b++) {
      int lo = (int) b - (int) half;
      int hi = (int) b + (int) (o->max_size - 1 - half);
      float m;
      int i;
      if (lo < 0)
        lo = 0;
      if (hi > (int) nb - 1)
        hi = (int) nb - 1;
      m = o->db[lo];
      for (i = lo + 1; i <= hi; i++)
        if (o->db[i] > m)
          m = o->db[i];
      ref[b] = m;
    }
  }
  o->pos = (o->pos + 1) % (o->lag + 1);
  o->frames++;
  return acc;
}

/**
 * omni_onset_strength_get_accent:
 * @o: an #OmniOnsetStrength
 *
 * The same flux as omni_onset_strength_do() returned for the last frame,
 * but averaged over the bands with weights proportional to each band's
 * amplitude (its share of the frame): gain independent like the plain
 * mean, yet a soft hi-hat over a loud bass contributes little while a kick
 * or a full chord counts fully. This follows the observation that
 * perceived accent grows with loudness (Parncutt, "A perceptual model of
 * pulse salience and metrical accent in musical rhythms", Music Perception
 * 11(4), 1994) and is what tempo and beat tracking use.
 *
 * Returns: the accent of the last frame (dB)
 */
float
omni_onset_strength_get_accent (const OmniOnsetStrength *o)
{
  return o->accent;
}

/**
 * omni_onset_strength_set_bass_bands:
 * @o: an #OmniOnsetStrength
 * @n: how many of the lowest bands make the bass flux (0: none)
 */
void
omni_onset_strength_set_bass_bands (OmniOnsetStrength *o, unsigned n)
{
  o->n_bass = n < o->n_bands ? n : o->n_bands;
}

/**
 * omni_onset_strength_get_bass:
 * @o: an #OmniOnsetStrength
 *
 * The flux of the last frame over the bass bands only (plain mean of their
 * positive differences), see omni_onset_strength_set_bass_bands(): where
 * the bass and the left hand of a piano mark the bar (the "oom" of a
 * waltz's oom-pah-pah).
 *
 * Returns: the bass flux of the last frame (dB), 0 without bass bands
 */
float
omni_onset_strength_get_bass (const OmniOnsetStrength *o)
{
  return o->bass;
}

/**
 * omni_onset_strength_reset:
 * @o: an #OmniOnsetStrength
 *
 * Forgets the previous frames: the next @lag frames give 0.
 */
void
omni_onset_strength_reset (OmniOnsetStrength *o)
{
  o->frames = 0;
  o->pos = 0;
  o->accent = 0.0f;
  o->bass = 0.0f;
}

/**
 * omni_onset_strength_free:
 * @o: (transfer full) (nullable): an #OmniOnsetStrength
 */
void
omni_onset_strength_free (OmniOnsetStrength *o)
{
  if (!o)
    return;
  free (o->ring);
  free (o->db);
  free (o->mask);
  free (o);
}

struct _OmniPeakPicker {
  unsigned pre_avg, pre_max, min_gap;
  double delta, lambda;
  float *hist; /* the last pre_avg + 2 values, ring */
  float *scratch;
  unsigned len, pos, count;
  long frame, last_onset;
};

/**
 * omni_peak_picker_new:
 * @pre_avg: frames of history before a candidate used for the threshold
 *   (median and mean), >= 1
 * @pre_max: a peak must be >= the @pre_max frames before it
 * @min_gap: minimum distance between two onsets, in frames
 * @delta: absolute part of the threshold, in envelope units
 * @lambda: weight of the mean in the adaptive threshold
 *
 * Returns: (transfer full) (nullable): a new #OmniPeakPicker
 */
OmniPeakPicker *
omni_peak_picker_new (unsigned pre_avg, unsigned pre_max, unsigned min_gap,
    double delta, double lambda)
{
  OmniPeakPicker *p;

  if (pre_avg == 0 || !(p = calloc (1, sizeof (OmniPeakPicker))))
    return NULL;
  p->pre_avg = pre_avg;
  p->pre_max = pre_max < pre_avg ? pre_max : pre_avg;
  p->min_gap = min_gap;
  p->delta = delta;
  p->lambda = lambda;
  p->len = pre_avg + 2;
  p->hist = calloc (p->len, sizeof (float));
  p->scratch = calloc (p->len, sizeof (float));
  if (!p->hist || !p->scratch) {
    omni_peak_picker_free (p);
    return NULL;
  }
  omni_peak_picker_reset (p);
  return p;
}

static float
hist_at (const OmniPeakPicker *p, unsigned back)
{
  /* back = 0: newest value */
  return p->hist[(p->pos + p->len - 1 - back) % p->len];
}

/**
 * omni_peak_picker_do:
 * @p: an #OmniPeakPicker
 * @value: the envelope value of the newest frame t
 * @peak_offset: (out) (optional): when a peak is found, its position
 *   relative to frame t, in frames (about -1, refined by parabolic
 *   interpolation to within (-1.5, -0.5))
 * @peak_value: (out) (optional): the envelope value at the peak
 *
 * Returns: 1 when frame t-1 is an onset, else 0
 */
int
omni_peak_picker_do (
    OmniPeakPicker *p, float value, double *peak_offset, float *peak_value)
{
  float a, b, c, median, thr;
  double mean = 0.0;
  unsigned i, n;
  int ok;

  if (!isfinite (value) || value < 0.0f)
    value = 0.0f;
  p->hist[p->pos] = value;
  p->pos = (p->pos + 1) % p->len;
  if (p->count < p->len)
    p->count++;
  p->frame++;

  if (p->count < 3)
    return 0;
  c = hist_at (p, 0); /* t */
  b = hist_at (p, 1); /* candidate t-1 */
  a = hist_at (p, 2); /* t-2 */
  if (!(b > c && b >= a))
    return 0;
  if (p->frame - 1 - p->last_onset < (long) p->min_gap)
    return 0;
  for (i = 2; i < 2 + p->pre_max && i < p->count; i++)
    if (hist_at (p, i) > b)
      return 0;

  /* adaptive threshold over the frames before the candidate */
  n = 0;
  for (i = 2; i < p->count; i++) {
    float v = hist_at (p, i);
    p->scratch[n++] = v;
    mean += v;
  }
  if (n > 0) {
    unsigned j;
    mean /= n;
    /* insertion sort: n is small (pre_avg) */
    for (i = 1; i < n; i++) {
      float v = p->scratch[i];
      for (j = i; j > 0 && p->scratch[j - 1] > v; j--)
        p->scratch[j] = p->scratch[j - 1];
      p->scratch[j] = v;
    }
    median = n & 1 ? p->scratch[n / 2]
                   : 0.5f * (p->scratch[n / 2 - 1] + p->scratch[n / 2]);
  } else {
    median = 0.0f;
  }
  thr = (float) (median + p->lambda * mean + p->delta);
  ok = b > thr;
  if (!ok)
    return 0;

  p->last_onset = p->frame - 1;
  if (peak_offset) {
    double den = a - 2.0 * b + c;
    double off = den < 0.0 ? 0.5 * (a - c) / den : 0.0;
    if (off > 0.5)
      off = 0.5;
    if (off < -0.5)
      off = -0.5;
    *peak_offset = -1.0 + off;
  }
  if (peak_value)
    *peak_value = b;
  return 1;
}

/**
 * omni_peak_picker_reset:
 * @p: an #OmniPeakPicker
 */
void
omni_peak_picker_reset (OmniPeakPicker *p)
{
  memset (p->hist, 0, p->len * sizeof (float));
  p->pos = 0;
  p->count = 0;
  p->frame = 0;
  p->last_onset = -(long) p->min_gap - 1;
}

/**
 * omni_peak_picker_free:
 * @p: (transfer full) (nullable): an #OmniPeakPicker
 */
void
omni_peak_picker_free (OmniPeakPicker *p)
{
  if (!p)
    return;
  free (p->hist);
  free (p->scratch);
  free (p);
}
