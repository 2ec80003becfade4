/* gst-omni: tempo estimation from an onset strength envelope
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * 1. The last window_s seconds of the envelope are made sparse with an
 *    adaptive threshold (subtract a local mean, half-wave rectify: Davies &
 *    Plumbley, "Context-dependent beat tracking of musical audio", IEEE
 *    TASLP 15(3), 2007, sec. III-A; Stark, Davies & Plumbley, "Real-time
 *    beat-synchronous analysis of musical audio", DAFx 2009).
 * 2. Its unbiased autocorrelation r(l) is computed with an FFT (as
 *    librosa.autocorrelate and librosa.feature.tempogram do, over the
 *    same 8 s default window: Ellis, "Beat tracking by dynamic
 *    programming", J. New Music Research 36(1), 2007).
 * 3. Every candidate tempo on a logarithmic grid gets the salience of a
 *    shift-invariant comb filter (Davies & Plumbley 2007, sec. III-B): the
 *    mean of r at the first four multiples of its period, so a period whose
 *    multiples are all strong wins over its half and double (octave
 *    handling), weighted by a log-normal prior on tempo
 *    exp (-(log2 (bpm / prior_bpm))^2 / (2 prior_octaves^2)) as in
 *    librosa.feature.rhythm.tempo (start_bpm=120, std_bpm=1).
 * 4. The weighted salience is the observation of a hidden Markov model
 *    over the tempo grid whose transitions are a Gaussian in log tempo plus
 *    a small uniform part (so a wrong octave can be left), filtered
 *    forward in time, one update per call (Klapuri, Eronen & Astola,
 *    "Analysis of the meter of acoustic musical signals", IEEE TASLP 14(1),
 *    2006; the same smoothing is in Stark et al. 2009).
 * Triple metre: before stepping down from a level to the one twice as
 * slow, a bass-band envelope (omni_tempo_push_bass) folded on bars of 2, 3
 * and 4 beats tells whether the bar has three beats, in which case the
 * level twice as slow is no metrical level and the level stays (Gouyon &
 * Herrera, AES 2003; Klapuri et al. 2006 on the low band's accent).
 * 5. Confidence is the normalised autocorrelation of the detrended
 *    envelope at the chosen period and its double, in [0,1]: about 1 for a
 *    metronome, about 0 for noise or silence (no periodicity).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnitempo.h"
#include "omnifft.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N_HARMONICS 4
#define GRID_STEP_OCT 0.005   /* 0.35 % per state */
#define TRANS_SIGMA_OCT 0.012 /* per update */
#define TRANS_UNIFORM 1e-2
#define LOCAL_MEAN_S 0.1 /* half width of the adaptive threshold window */
#define MIN_HISTORY_S 1.5
#define CLIP_MEDIANS 4.0f
#define BALANCE_TOL_S 0.02
#define BALANCE_THRESHOLD 0.4
#define ACCENT_RATIO 0.5f
#define NULL_Z 3.0  /* confidence: excess over 3 sigma of chance */
#define LOOSE_Z 2.0 /* the loose confidence: over 2 sigma */
#define CHANGE_NULL_Z 2.0
#define NULL_CORR_S 0.03
#define CHANGE_WINDOW_S 4.0
#define CHANGE_RATIO 1.5
#define CHANGE_CONF 0.3
#define CHANGE_SAME_OCT 0.06
#define BALANCE_HYSTERESIS 0.1
#define CONF_TOL_S 0.02
#define TRIPLE_RATIO 1.2
#define TRIPLE_KEEP 1.1
#define TRIPLE_MAX_BPM 250.0
#define TRIPLE_MIN_BALANCE 0.5

struct _OmniTempo {
  double fr, bpm_min, bpm_max;
  double prior_bpm, prior_oct;
  unsigned cap; /* ring capacity, frames */
  float *ring;
  float *bass; /* the bass flux, same positions as ring */
  unsigned pos, count;
  int triple; /* the last update found a triple metre at the fast level */

  unsigned n_states;
  double *bpm, *prior, *sal, *post, *tmp;
  double *trans; /* kernel over state distance */
  int trans_half;

  unsigned m; /* FFT size */
  OmniFft *fft, *fft_short;
  float *x, *re, *im, *acf;
  float *xs;  /* the sparse envelope of the last update (before centring) */
  float *xm;  /* xs maximum-filtered over +-BALANCE_TOL_S */
  float *bs;  /* the bass envelope of the last update, sparse and filtered */
  float *lin; /* scratch: a ring's newest frames in order */
  unsigned n_xs;

  double cur_bpm, cur_conf, cur_conf_loose;
  int changed;
  int have_estimate;
};

/**
 * omni_tempo_new:
 * @frame_rate: envelope frames per second
 * @bpm_min: slowest tempo considered, > 0
 * @bpm_max: fastest tempo considered, > @bpm_min
 * @window_s: length of the analysis window in seconds (8 is librosa's
 *   ac_size); should cover several periods of the slowest tempo
 * @prior_bpm: centre of the log-normal tempo prior (120)
 * @prior_octaves: its standard deviation in octaves (1.0); <= 0 for a flat
 *   prior
 *
 * Returns: (transfer full) (nullable): a new #OmniTempo
 */
OmniTempo *
omni_tempo_new (double frame_rate, double bpm_min, double bpm_max,
    double window_s, double prior_bpm, double prior_octaves)
{
  OmniTempo *t;
  unsigned i;
  double span;

  if (!(frame_rate > 0.0) || !(bpm_min > 0.0) || !(bpm_max > bpm_min)
      || !(window_s > 0.0) || !(prior_bpm > 0.0))
    return NULL;
  if (!(t = calloc (1, sizeof (OmniTempo))))
    return NULL;
  t->fr = frame_rate;
  t->bpm_min = bpm_min;
  t->bpm_max = bpm_max;
  t->prior_bpm = prior_bpm;
  t->prior_oct = prior_octaves;
  t->cap = (unsigned) ceil (window_s * frame_rate);
  if (t->cap < 16)
    t->cap = 16;
  t->ring = calloc (t->cap, sizeof (float));
  t->bass = calloc (t->cap, sizeof (float));

  span = log2 (bpm_max / bpm_min);
  t->n_states = (unsigned) ceil (span / GRID_STEP_OCT) + 1;
  t->bpm = calloc (t->n_states, sizeof (double));
  t->prior = calloc (t->n_states, sizeof (double));
  t->sal = calloc (t->n_states, sizeof (double));
  t->post = calloc (t->n_states, sizeof (double));
  t->tmp = calloc (t->n_states, sizeof (double));
  t->trans_half = (int) ceil (4.0 * TRANS_SIGMA_OCT / GRID_STEP_OCT);
  t->trans = calloc (2 * t->trans_half + 1, sizeof (double));

  t->m = omni_fft_next_size (2 * t->cap);
  t->fft = omni_fft_new (t->m);
  t->fft_short = omni_fft_new (omni_fft_next_size (
      (unsigned) ceil (2.0 * CHANGE_WINDOW_S * frame_rate)));
  t->x = calloc (t->m, sizeof (float));
  t->re = calloc (t->m / 2 + 1, sizeof (float));
  t->im = calloc (t->m / 2 + 1, sizeof (float));
  t->acf = calloc (t->m, sizeof (float));
  t->xs = calloc (t->m, sizeof (float));
  t->xm = calloc (t->m, sizeof (float));
  t->bs = calloc (t->m, sizeof (float));
  t->lin = calloc (t->cap, sizeof (float));
  if (!t->xs || !t->xm || !t->bs || !t->lin || !t->ring || !t->bass || !t->bpm
      || !t->prior || !t->sal || !t->post || !t->tmp || !t->trans || !t->fft
      || !t->fft_short || !t->x || !t->re || !t->im || !t->acf) {
    omni_tempo_free (t);
    return NULL;
  }

  for (i = 0; i < t->n_states; i++) {
    double oct = t->n_states > 1 ? span * i / (t->n_states - 1) : 0.0;
    double dev;
    t->bpm[i] = bpm_min * exp2 (oct);
    dev = log2 (t->bpm[i] / prior_bpm);
    t->prior[i] = prior_octaves > 0.0
                      ? exp (-0.5 * dev * dev / (prior_octaves * prior_octaves))
                      : 1.0;
  }
  for (i = 0; i < 2 * (unsigned) t->trans_half + 1; i++) {
    double d = ((int) i - t->trans_half) * GRID_STEP_OCT / TRANS_SIGMA_OCT;
    t->trans[i] = exp (-0.5 * d * d);
  }
  omni_tempo_reset (t);
  return t;
}

/**
 * omni_tempo_push:
 * @t: an #OmniTempo
 * @value: the next envelope frame
 */
void
omni_tempo_push (OmniTempo *t, float value)
{
  if (!isfinite (value) || value < 0.0f)
    value = 0.0f;
  t->ring[t->pos] = value;
  t->bass[t->pos] = 0.0f;
  t->pos = (t->pos + 1) % t->cap;
  if (t->count < t->cap)
    t->count++;
}

/**
 * omni_tempo_push_bass:
 * @t: an #OmniTempo
 * @value: the bass flux of the frame just pushed with omni_tempo_push()
 *
 * The bass register's flux, for the metre (optional: without it the metre
 * is taken as duple).
 */
void
omni_tempo_push_bass (OmniTempo *t, float value)
{
  if (!isfinite (value) || value < 0.0f)
    value = 0.0f;
  t->bass[(t->pos + t->cap - 1) % t->cap] = value;
}

/* lround() for x >= 0, without the library call (the pulse positions of
 * the metre and balance tests take millions of them) */
static inline long
round_pos (double x)
{
  return (long) (x + 0.5);
}

/* r(l) at a fractional lag, linear interpolation; l < n */
static double
acf_at (const OmniTempo *t, double lag, unsigned n)
{
  unsigned i = (unsigned) lag;
  double f = lag - i;

  if (i + 1 >= n)
    return 0.0;
  return (1.0 - f) * t->acf[i] + f * t->acf[i + 1];
}

/* the largest r within +-tol frames of @lag: the beats of a performance
 * are not exactly periodic (expressive timing, swing), so the peak of the
 * autocorrelation spreads over a few frames */
static double
acf_peak (const OmniTempo *t, double lag, unsigned n, int tol)
{
  double best = acf_at (t, lag, n);
  int d;

  for (d = -tol; d <= tol; d++) {
    double l = lag + d;
    if (l > 0.0 && d != 0)
      best = MAX (best, acf_at (t, l, n));
  }
  return best;
}

/* Bartlett's formula for the variance of the sample autocorrelation at
 * lags beyond those where the true one vanishes: var r(k) = (1 + 2 sum_j
 * rho(j)^2) / (n - k), the sum over the short lags (up to a third of the
 * beat period, at most 100 ms) where an onset's own smearing correlates the
 * envelope. Returns 1 + 2 sum rho^2, which is larger for envelopes that
 * vary slowly (low-pass noise, long swells), so that their chance
 * autocorrelation is not taken for a pulse. */
static double
bartlett_factor (const OmniTempo *t, unsigned n, double r0, double period)
{
  unsigned j, q = (unsigned) lround (MIN (0.1 * t->fr, period / 3.0));
  double acc = 0.0;

  for (j = 1; j <= q && j < n; j++) {
    double rho = t->acf[j] / r0;
    acc += rho * rho;
  }
  return 1.0 + 2.0 * acc;
}

/* how far the autocorrelation peak within +-tol frames of @lag rises above
 * NULL_Z standard deviations of its chance level, scaled to [.., 1] */
static double
excess (const OmniTempo *t, double lag, unsigned n, double r0, int tol,
    double bartlett, double z)
{
  double c = acf_peak (t, lag, n, tol) / r0;
  double s0 = z * sqrt (bartlett / MAX (1.0, n - lag));

  s0 = MIN (s0, 0.9);
  return (c - s0) / (1.0 - s0);
}

static double
prior_of (const OmniTempo *t, double bpm)
{
  double dev = log2 (bpm / t->prior_bpm);

  if (!(t->prior_oct > 0.0))
    return 1.0;
  return exp (-0.5 * dev * dev / (t->prior_oct * t->prior_oct));
}

/* k-th smallest of v[0..n) (Hoare's quickselect; reorders v) */
static float
select_kth (float *v, unsigned n, unsigned k)
{
  unsigned lo = 0, hi = n - 1;

  while (lo < hi) {
    float pivot = v[(lo + hi) / 2];
    unsigned i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot)
        i++;
      while (v[j] > pivot)
        j--;
      if (i <= j) {
        float tmp = v[i];
        v[i] = v[j];
        v[j] = tmp;
        i++;
        if (j == 0)
          break;
        j--;
      }
    }
    if (k <= j)
      hi = j;
    else if (k >= i)
      lo = i;
    else
      break;
  }
  return v[k];
}

/* Collects the pulse values of a pulse train of the given period (frames)
 * starting at phase phi: the envelope maximum within +-tol frames of each
 * pulse, so that small tempo errors and jitter do not matter. */
static unsigned
pulse_values (OmniTempo *t, double period, double phi, int tol, float *v)
{
  double pos;
  unsigned cnt = 0;

  (void) tol; /* xm is already the maximum over +-tol frames */
  for (pos = phi; pos < t->n_xs; pos += period) {
    long c = round_pos (pos);
    v[cnt++] = c < (long) t->n_xs ? t->xm[c] : 0.0f;
  }
  return cnt;
}

/* xm = xs maximum-filtered over +-tol frames (van Herk / Gil-Werman would
 * be O(n), but tol is 2) */
static void
max_filter (OmniTempo *t, int tol)
{
  long i, d, n = (long) t->n_xs;

  for (i = 0; i < n; i++) {
    float m = 0.0f;
    for (d = -tol; d <= tol; d++) {
      long j = i + d;
      if (j >= 0 && j < n && t->xs[j] > m)
        m = t->xs[j];
    }
    t->xm[i] = m;
  }
}

/* Accent balance of the metrical level with beat period p (frames). The
 * level's beat phase is the one whose pulse train of period p has the
 * largest mean; its beats are split into two interleaved trains of period
 * 2p (odd and even beats). The stronger train's median is the reference
 * accent, and the balance is the fraction of the weaker train's pulses that
 * reach ACCENT_RATIO of it: 1 when every beat of the level is accented (a
 * real beat level), near 0 when every other beat is weak or missing (the
 * level subdivides a slower beat). Returns -1 when the window is too short
 * or too empty to tell. */
static double
accent_balance (OmniTempo *t, double p)
{
  int tol = (int) lround (BALANCE_TOL_S * t->fr);
  double best = -1.0, best_phi = 0.0, phi, med_a, med_b, ref;
  float *v = t->acf + t->m / 2; /* scratch beyond the lags in use */
  unsigned cnt, i, hits = 0, cnt_b;
  float *vb;

  if (t->n_xs < 4.0 * p)
    return -1.0;
  for (phi = 0.0; phi < p; phi += 1.0) {
    double acc = 0.0;
    cnt = pulse_values (t, p, phi, tol, v);
    for (i = 0; i < cnt; i++)
      acc += v[i];
    acc = cnt ? acc / cnt : 0.0;
    if (acc > best) {
      best = acc;
      best_phi = phi;
    }
  }
  if (!(best > 0.0))
    return -1.0;
  cnt = pulse_values (t, 2.0 * p, best_phi, tol, v);
  vb = v + cnt;
  cnt_b = pulse_values (t, 2.0 * p, best_phi + p, tol, vb);
  if (cnt == 0 || cnt_b == 0)
    return -1.0;
  /* medians (select_kth reorders, which does not matter here) */
  med_a = select_kth (v, cnt, cnt / 2);
  med_b = select_kth (vb, cnt_b, cnt_b / 2);
  if (med_b > med_a) {
    float *tmp = v;
    unsigned tc = cnt;
    v = vb;
    vb = tmp;
    cnt = cnt_b;
    cnt_b = tc;
    ref = med_b;
  } else {
    ref = med_a;
  }
  if (!(ref > 0.0))
    return -1.0;
  for (i = 0; i < cnt_b; i++)
    if (vb[i] >= ACCENT_RATIO * ref)
      hits++;
  return (double) hits / cnt_b;
}

/* The accent contrast of a bar of k beats of period p (frames) in the
 * sparse bass envelope bs: the mean pulse at each of the k beat positions
 * of the bar (at the bar phase with the largest sum), the largest over
 * their mean: 1 when every beat of the bar is alike, higher when one beat
 * (the downbeat) is accented. */
static double
bar_contrast (OmniTempo *t, double p, unsigned k)
{
  double bar = k * p, best_sum = -1.0, best = 1.0;
  unsigned b, j;
  float *v = t->acf + t->m / 2; /* scratch beyond the lags in use */
  unsigned nb = (unsigned) ceil (bar);

  if (t->n_xs < 2.0 * bar || nb > t->m / 2)
    return 1.0;
  /* mean pulse at every phase of the bar */
  for (b = 0; b < nb; b++) {
    double acc = 0.0, pos;
    unsigned cnt = 0;
    for (pos = b; pos < t->n_xs; pos += bar) {
      long c = round_pos (pos);
      acc += t->bs[c < (long) t->n_xs ? c : 0];
      cnt++;
    }
    v[b] = cnt ? (float) (acc / cnt) : 0.0f;
  }
  for (b = 0; b < (unsigned) ceil (p) && b < nb; b++) {
    double sum = 0.0, mx = 0.0;
    for (j = 0; j < k; j++) {
      double x = v[round_pos (b + j * p) % nb];
      sum += x;
      mx = MAX (mx, x);
    }
    if (sum > best_sum) {
      best_sum = sum;
      best = sum > 0.0 ? mx / (sum / k) : 1.0;
    }
  }
  return best;
}

/* Triple metre at the level of period p (frames): the bass marks every
 * third beat (a bar of 3) more clearly, by TRIPLE_RATIO, than every second
 * or every fourth (TRIPLE_KEEP keeps an earlier decision). In a bar of 3
 * the downbeat falls on every phase of a group of 2 or 4 in turn, so
 * these stay flat; a bar of 6 (the eighths of a slow 3/4, or 6/8) or of 4
 * shows its downbeat in the groups of 2 as well. Then the level twice as
 * slow is no metrical level at all. */
static int
is_triple (OmniTempo *t, double p, int was_triple)
{
  double g2 = bar_contrast (t, p, 2), g3 = bar_contrast (t, p, 3);
  double g4 = bar_contrast (t, p, 4);
  double r = was_triple ? TRIPLE_KEEP : TRIPLE_RATIO;

  return g3 > r * g4 && g3 > r * g2;
}

/* Octave handling. Between a level and the one twice as slow, the faster
 * is the beat when its in-between beats are accented too (Lerdahl &
 * Jackendoff's metrical well-formedness, as Klapuri et al. 2006 use it to
 * relate tatum, tactus and measure); when that evidence is partial the
 * log-normal tempo prior decides. From the fastest octave of bpm inside the
 * range, step down while balance * prior(fast) / prior(slow) stays under
 * BALANCE_THRESHOLD; the current answer gets a hysteresis margin. */
static double
resolve_octave (OmniTempo *t, double bpm)
{
  int was_triple = t->triple;

  while (bpm * 2.0 <= t->bpm_max)
    bpm *= 2.0;
  t->triple = 0;
  while (bpm / 2.0 >= t->bpm_min) {
    double beta = accent_balance (t, 60.0 * t->fr / bpm);
    double thr = BALANCE_THRESHOLD;
    /* a level whose every beat is played, in a bar of 3 */
    if (bpm <= TRIPLE_MAX_BPM && beta >= TRIPLE_MIN_BALANCE
        && is_triple (t, 60.0 * t->fr / bpm, was_triple)) {
      t->triple = 1;
      break;
    }
    if (t->cur_bpm > 0.0 && fabs (log2 (bpm / t->cur_bpm)) < 0.05)
      thr -= BALANCE_HYSTERESIS;
    if (beta < 0.0 || beta * prior_of (t, bpm) / prior_of (t, bpm / 2.0) >= thr)
      break;
    bpm /= 2.0;
  }
  return bpm;
}

/* Step 1 on the newest n frames of @ring: x - its local mean over
 * +-LOCAL_MEAN_S, half-wave rectified, into @out; returns the sum */
static double
sparse_envelope (const OmniTempo *t, const float *ring, unsigned n, float *out)
{
  unsigned half_w = (unsigned) lround (LOCAL_MEAN_S * t->fr);
  unsigned start = (t->pos + t->cap - n) % t->cap, i;
  unsigned lo = 0, hi = 0; /* window [lo, hi) of the running sum */
  unsigned first = MIN (n, t->cap - start);
  double run = 0.0, sum = 0.0;
  float *x = t->lin;

  /* the newest n frames in order, without a modulo per access */
  memcpy (x, ring + start, first * sizeof (float));
  memcpy (x + first, ring, (n - first) * sizeof (float));
  for (i = 0; i < n; i++) {
    unsigned want_lo = i > half_w ? i - half_w : 0;
    unsigned want_hi = i + half_w + 1 < n ? i + half_w + 1 : n;
    double v;
    while (hi < want_hi)
      run += x[hi++];
    while (lo < want_lo)
      run -= x[lo++];
    v = x[i] - run / (double) (hi - lo);
    out[i] = v > 0.0 ? (float) v : 0.0f;
    sum += out[i];
  }
  return sum;
}

/* The bass envelope for the metre: sparse like the accent, maximum-filtered
 * over +-BALANCE_TOL_S into bs */
static void
prepare_bass (OmniTempo *t, unsigned n)
{
  int tol = (int) lround (BALANCE_TOL_S * t->fr);
  long i, d;
  float *y = t->acf + t->m / 2; /* scratch beyond the lags in use */

  sparse_envelope (t, t->bass, n, y);
  for (i = 0; i < (long) n; i++) {
    float m = 0.0f;
    for (d = -tol; d <= tol; d++) {
      long j = i + d;
      if (j >= 0 && j < (long) n && y[j] > m)
        m = y[j];
    }
    t->bs[i] = m;
  }
}

/* Steps 1 and 2 on the newest n frames: the sparse envelope (kept in xs
 * and xm when @keep) and its unbiased autocorrelation in acf. Returns r(0). */
static double
prepare_acf (OmniTempo *t, unsigned n, int keep)
{
  double mean = 0.0;
  unsigned i, k, m;
  float *y;
  OmniFft *fft;

  /* 1. adaptive threshold: x - local mean, half-wave rectified */
  y = t->acf; /* scratch */
  mean = sparse_envelope (t, t->ring, n, t->x);
  if (keep) {
    memcpy (t->xs, t->x, n * sizeof (float));
    t->n_xs = n;
    max_filter (t, (int) lround (BALANCE_TOL_S * t->fr));
  }
  /* a few huge values (the first attack after digital silence, a crash)
   * would dominate the autocorrelation: clip at CLIP_MEDIANS times the
   * median of the non-zero values */
  {
    unsigned np = 0;
    for (i = 0; i < n; i++)
      if (t->x[i] > 0.0f)
        y[np++] = t->x[i];
    if (np > 0) {
      float lim = CLIP_MEDIANS * select_kth (y, np, np / 2);
      mean = 0.0;
      for (i = 0; i < n; i++) {
        if (t->x[i] > lim)
          t->x[i] = lim;
        mean += t->x[i];
      }
    }
  }
  mean /= n;
  for (i = 0; i < n; i++)
    t->x[i] -= (float) mean;
  /* the short window of the change detection gets the smaller transform */
  fft = 2 * n <= omni_fft_get_size (t->fft_short) ? t->fft_short : t->fft;
  m = omni_fft_get_size (fft);
  memset (t->x + n, 0, (m - n) * sizeof (float));

  /* 2. autocorrelation through the power spectrum (Wiener-Khinchin): the
   * power spectrum is real and even, so its forward transform is the
   * inverse one times m */
  omni_fft_do (fft, t->x, t->re, t->im);
  for (k = 0; k <= m / 2; k++)
    t->x[k] = t->re[k] * t->re[k] + t->im[k] * t->im[k];
  for (k = m / 2 + 1; k < m; k++)
    t->x[k] = t->x[m - k];
  omni_fft_do (fft, t->x, t->re, t->im);
  for (i = 0; i < n; i++)
    t->acf[i] = t->re[i] / (float) m / (float) (n - i);
  return t->acf[0];
}

/* mean normalised autocorrelation at the first N_HARMONICS multiples of
 * the period (those below 2/3 of the window) */
static double
comb (const OmniTempo *t, double period, unsigned n, double r0)
{
  double lag_limit = 2.0 * n / 3.0, acc = 0.0;
  unsigned k, used = 0;

  for (k = 1; k <= N_HARMONICS; k++) {
    double lag = period * k;
    if (lag >= lag_limit)
      break;
    acc += acf_at (t, lag, n) / r0;
    used++;
  }
  acc = used ? acc / N_HARMONICS : 0.0;
  return acc > 0.0 ? acc : 0.0;
}

/* the chance level of the normalised autocorrelation of n frames: with a
 * correlation time of NULL_CORR_S its standard deviation is about
 * sqrt (corr / n) (Bartlett 1946); CHANGE_NULL_Z of them (for the change
 * detection) */
static double
null_level (const OmniTempo *t, unsigned n)
{
  double s0 = CHANGE_NULL_Z * sqrt (NULL_CORR_S * t->fr / n);
  return s0 > 0.9 ? 0.9 : s0;
}

/* Change detection: when the newest CHANGE_WINDOW_S alone show, clearly
 * and with confidence, a tempo that is no simple ratio of the current one,
 * the music has changed (a new song, a new section): the older envelope is
 * dropped, so that the estimate follows within seconds instead of after
 * half a window (the restart of on-line tempo trackers on a change, as in
 * Oliveira et al., "IBT: a real-time tempo and beat tracking system", ISMIR
 * 2010). Returns 1 when it dropped the history. */
static int
detect_change (OmniTempo *t)
{
  unsigned ns = (unsigned) lround (CHANGE_WINDOW_S * t->fr), s, ibest = 0;
  double r0, best = 0.0, fam = 0.0, cur_period, conf;
  static const double ratios[]
      = { 1.0, 2.0, 0.5, 1.5, 2.0 / 3.0, 3.0, 1.0 / 3.0 };
  unsigned q;

  if (!t->have_estimate || t->count < 2 * ns)
    return 0;
  r0 = prepare_acf (t, ns, 0);
  if (!(r0 > 1e-12) || !isfinite (r0))
    return 0;
  for (s = 0; s < t->n_states; s++) {
    double v = comb (t, 60.0 * t->fr / t->bpm[s], ns, r0) * t->prior[s];
    if (v > best) {
      best = v;
      ibest = s;
    }
  }
  cur_period = 60.0 * t->fr / t->cur_bpm;
  for (q = 0; q < G_N_ELEMENTS (ratios); q++) {
    double b = t->cur_bpm * ratios[q];
    if (fabs (log2 (t->bpm[ibest] / b)) < CHANGE_SAME_OCT)
      return 0; /* the same tempo, or one of its simple ratios */
    if (b >= t->bpm_min && b <= t->bpm_max)
      fam = MAX (
          fam, comb (t, cur_period / ratios[q], ns, r0) * prior_of (t, b));
  }
  conf = acf_at (t, 60.0 * t->fr / t->bpm[ibest], ns) / r0;
  conf = (conf - null_level (t, ns)) / (1.0 - null_level (t, ns));
  if (best < CHANGE_RATIO * fam || conf < CHANGE_CONF)
    return 0;
  t->count = ns;
  for (s = 0; s < t->n_states; s++)
    t->post[s] = 1.0 / t->n_states;
  return 1;
}

/* step 5: mean excess over z standard deviations of chance at the period
 * and at two or three periods (whichever is larger), clamped to [0, 1] */
static double
confidence (
    const OmniTempo *t, unsigned n, double r0, double lag_limit, double z)
{
  double period = 60.0 * t->fr / t->cur_bpm, c1, c2, c3, c;
  double bartlett = bartlett_factor (t, n, r0, period);
  int tol = (int) lround (CONF_TOL_S * t->fr);

  c1 = excess (t, period, n, r0, tol, bartlett, z);
  c2 = 2.0 * period < lag_limit
           ? excess (t, 2.0 * period, n, r0, tol, bartlett, z)
           : c1;
  c3 = 3.0 * period < lag_limit
           ? excess (t, 3.0 * period, n, r0, tol, bartlett, z)
           : c1;
  c = 0.5 * (c1 + MAX (c2, c3));
  if (!(c > 0.0))
    c = 0.0;
  return c > 1.0 ? 1.0 : c;
}

/**
 * omni_tempo_update:
 * @t: an #OmniTempo
 *
 * Re-estimates the tempo from the envelope pushed so far (call it a few
 * times per second).
 *
 * Returns: 1 when an estimate is available (at least 1.5 s of envelope),
 * else 0
 */
int
omni_tempo_update (OmniTempo *t)
{
  unsigned n = t->count, s;
  double r0, norm = 0.0, best = -1.0;
  double lag_limit;
  unsigned ibest = 0;

  if (n < MIN_HISTORY_S * t->fr || n < 8) {
    t->have_estimate = 0;
    return 0;
  }

  t->changed = detect_change (t);
  n = t->count;
  r0 = prepare_acf (t, n, 1);
  prepare_bass (t, n);
  if (!(r0 > 1e-12) || !isfinite (r0)) {
    /* silence or a constant envelope: no periodicity at all */
    t->cur_conf = 0.0;
    t->cur_conf_loose = 0.0;
    for (s = 0; s < t->n_states; s++)
      t->sal[s] = 0.0;
    return t->have_estimate;
  }

  /* 3. comb filter salience with the prior; lags beyond 2/3 of the
   * window rest on too few products and are left out */
  lag_limit = 2.0 * n / 3.0;
  for (s = 0; s < t->n_states; s++)
    t->sal[s] = comb (t, 60.0 * t->fr / t->bpm[s], n, r0) * t->prior[s];

  /* 4. forward filtering over the tempo states */
  for (s = 0; s < t->n_states; s++) {
    double acc = 0.0;
    int d;
    for (d = -t->trans_half; d <= t->trans_half; d++) {
      int j = (int) s + d;
      if (j >= 0 && j < (int) t->n_states)
        acc += t->post[j] * t->trans[d + t->trans_half];
    }
    t->tmp[s] = acc + TRANS_UNIFORM;
  }
  for (s = 0; s < t->n_states; s++) {
    t->post[s] = t->tmp[s] * (t->sal[s] + 1e-6);
    norm += t->post[s];
  }
  for (s = 0; s < t->n_states; s++) {
    t->post[s] /= norm;
    if (t->post[s] > best) {
      best = t->post[s];
      ibest = s;
    }
  }

  /* refine around the most probable state with a parabola through the
   * salience (on the log grid) */
  {
    double bpm = t->bpm[ibest];
    if (ibest > 0 && ibest + 1 < t->n_states) {
      double a = t->sal[ibest - 1], b = t->sal[ibest], c = t->sal[ibest + 1];
      double den = a - 2.0 * b + c;
      if (den < 0.0 && b >= a && b >= c) {
        double off = 0.5 * (a - c) / den;
        bpm = t->bpm[ibest] * exp2 (off * GRID_STEP_OCT);
      }
    }
    t->cur_bpm = resolve_octave (t, bpm);
  }

  /* 5. confidence */
  t->cur_conf = confidence (t, n, r0, lag_limit, NULL_Z);
  t->cur_conf_loose = confidence (t, n, r0, lag_limit, LOOSE_Z);
  t->have_estimate = 1;
  return 1;
}

/**
 * omni_tempo_get_bpm:
 * @t: an #OmniTempo
 *
 * Returns: the current tempo in BPM, 0 when there is no estimate yet
 */
double
omni_tempo_get_bpm (const OmniTempo *t)
{
  return t->have_estimate ? t->cur_bpm : 0.0;
}

/**
 * omni_tempo_get_period:
 * @t: an #OmniTempo
 *
 * Returns: the current beat period in frames, 0 when unknown
 */
double
omni_tempo_get_period (const OmniTempo *t)
{
  return t->have_estimate ? 60.0 * t->fr / t->cur_bpm : 0.0;
}

/**
 * omni_tempo_get_confidence:
 * @t: an #OmniTempo
 *
 * Returns: the confidence of the current estimate in [0,1]
 */
double
omni_tempo_get_confidence (const OmniTempo *t)
{
  return t->have_estimate ? t->cur_conf : 0.0;
}

/**
 * omni_tempo_get_loose_confidence:
 * @t: an #OmniTempo
 *
 * Returns: the confidence with a 2 sigma chance level instead of 3, in
 * [0,1]
 */
double
omni_tempo_get_loose_confidence (const OmniTempo *t)
{
  return t->have_estimate ? t->cur_conf_loose : 0.0;
}

/**
 * omni_tempo_get_changed:
 * @t: an #OmniTempo
 *
 * Returns: 1 when the last omni_tempo_update() found that the tempo had
 * changed to an unrelated one (and dropped the older envelope)
 */
int
omni_tempo_get_changed (const OmniTempo *t)
{
  return t->changed;
}

/**
 * omni_tempo_get_n_states:
 * @t: an #OmniTempo
 *
 * Returns: the number of tempo candidates
 */
unsigned
omni_tempo_get_n_states (const OmniTempo *t)
{
  return t->n_states;
}

/**
 * omni_tempo_get_salience:
 * @t: an #OmniTempo
 * @bpms: (out) (optional) (transfer none): the candidate tempi
 *
 * Returns: (transfer none): the prior-weighted comb salience of every
 * candidate at the last update
 */
const double *
omni_tempo_get_salience (const OmniTempo *t, const double **bpms)
{
  if (bpms)
    *bpms = t->bpm;
  return t->sal;
}

/**
 * omni_tempo_reset:
 * @t: an #OmniTempo
 *
 * Forgets the envelope and the tempo.
 */
void
omni_tempo_reset (OmniTempo *t)
{
  unsigned s;

  t->pos = 0;
  t->count = 0;
  t->cur_bpm = 0.0;
  t->cur_conf = 0.0;
  t->cur_conf_loose = 0.0;
  t->have_estimate = 0;
  t->changed = 0;
  t->triple = 0;
  for (s = 0; s < t->n_states; s++)
    t->post[s] = 1.0 / t->n_states;
}

/**
 * omni_tempo_free:
 * @t: (transfer full) (nullable): an #OmniTempo
 */
void
omni_tempo_free (OmniTempo *t)
{
  if (!t)
    return;
  free (t->ring);
  free (t->bass);
  free (t->bpm);
  free (t->prior);
  free (t->sal);
  free (t->post);
  free (t->tmp);
  free (t->trans);
  omni_fft_free (t->fft);
  omni_fft_free (t->fft_short);
  free (t->x);
  free (t->re);
  free (t->im);
  free (t->acf);
  free (t->xs);
  free (t->xm);
  free (t->bs);
  free (t->lin);
  free (t);
}
