/* gst-omni: causal beat tracking on a tempo-phase state space
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The state space of Krebs, Böck & Widmer, "An efficient state-space model
 * for joint tempo and meter tracking", ISMIR 2015 (madmom's
 * BeatStateSpace), for one beat: a state is a beat interval I (in frames,
 * every integer between the range's limits) and a position within the
 * beat, 0 .. I - 1, which advances by one each frame. Only at the end of a
 * beat may the interval change, to I' with probability proportional to
 * exp (-lambda |I' / I - 1|) (lambda = 100, Krebs et al. and madmom;
 * omni_beat_dbn_set_lambda() changes it). The observation
 * is the onset strength scaled by its maximum over the last NORM_S and
 * clipped to [0, 1] (a stands in for the network's beat activation of
 * Böck, Krebs & Widmer, "A multi-model approach to beat tracking
 * considering heterogeneous music styles", ISMIR 2014): a in the beat
 * region (the 1/16 of the interval centred on the beat), (1 - a) / 15
 * elsewhere (madmom's RNNBeatTrackingObservationModel, observation lambda
 * 16). The tempo estimate, when there is one, guides the choice of the
 * next interval with a log-normal weight of GUIDE_OCT octaves.
 *
 * Decoding is causal: the forward algorithm (rescaled to stay in range), as in
 * madmom's on-line DBNBeatTrackingProcessor, and a beat is reported once the
 * most probable state puts it LOOK to MAX_LATE frames back (a look-ahead of
 * 10-20 ms, which the beat messages' 50 ms latency allows; a beat the most
 * probable state puts further back, after it changed, is not reported) and
 * at least half an interval after the previous one.
 *
 * Cost (docs/dsp.md): the beat regions of every interval (about 1/16 of
 * the states, the only ones the observation changes) are packed in one
 * array, so that the observation and the search for the most probable
 * state are loops the compiler vectorises; the rest of each interval (its
 * middle) is a ring whose largest value is kept by blocks (advance()), and
 * only the intervals that hold any probability (an active range, about 40 %
 * of them once a tempo guides the filter: probabilities below TINY are 0)
 * are advanced. The result is the same, bit for bit, as a pass over every
 * state, at about a sixth of its cost.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnibeatdbn.h"
#include "omnidspmax.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LAMBDA 100.0
/* transitions beyond +-BAND are left out: below exp (-15) at lambda 100,
 * exp (-7.5) at the smallest allowed, LAMBDA_MIN */
#define BAND 0.15
#define LAMBDA_MIN 50.0
#define OBS_LAMBDA 16.0
#define NORM_S 4.0
#define NORM_BLOCK 10
#define GUIDE_OCT 0.3
#define LOOK 1     /* a beat is reported 1 or 2 frames after it */
#define MAX_LATE 2 /* or not at all (the beat messages' latency) */
#define ACT_MIN 1e-3f
#define RESCALE 1e3
#define BLOCK 16    /* the beat regions are searched in blocks */
#define TINY 1e-30f /* smaller probabilities are 0 (no subnormals) */

struct _OmniBeatDbn {
  double fr, lambda;
  unsigned imin, n_int, n_states;
  unsigned *len;          /* per interval */
  unsigned *h1, *h2;      /* beat region: positions < h1, >= len - h2 */
  unsigned *n_mid;        /* len - h1 - h2: the positions in between */
  unsigned *woff, *wh;    /* the beat region's ring: offset, head */
  unsigned *moff, *mh;    /* the middle's ring: offset, oldest slot */
  unsigned n_win, n_mids; /* states in all beat regions, all middles */
  float *win;             /* every interval's beat region, packed (and 0
                           * up to a whole number of BLOCKs) */
  unsigned n_blocks_win;
  unsigned *win_int;   /* the interval of each of them */
  float *mids;         /* every interval's middle positions */
  float *mid_max;      /* per interval: the largest of its middle */
  unsigned *eslot;     /* per interval: where the new beat enters */
  unsigned ilo, ihi;   /* the intervals outside ilo .. ihi are all 0 */
  unsigned *jlo, *jhi; /* transition band of each old interval */
  double *tw;          /* weights, n_int rows of the band */
  unsigned *tw_off;
  double *ends, *enter, *guide;
  float *suffix; /* per interval, at moff: the largest of its
                              * middle's slots k .. n_mid - 1 when the
                              * previous block was complete */
  float *prefix; /* per interval: the largest of the slots of
                              * the block being filled, -1 none */
  double guide_bpm;

  float *blocks; /* maxima of the last NORM_S in blocks of NORM_BLOCK */
  unsigned n_blocks, block_pos, in_block;
  float block_max;
  float blocks_max; /* the largest of blocks[] */

  long t, last_beat;
  unsigned best_int, best_pos;
};

static int
alloc_intervals (OmniBeatDbn *d)
{
  unsigned n = d->n_int;

  d->len = calloc (n, sizeof (unsigned));
  d->h1 = calloc (n, sizeof (unsigned));
  d->h2 = calloc (n, sizeof (unsigned));
  d->n_mid = calloc (n, sizeof (unsigned));
  d->woff = calloc (n, sizeof (unsigned));
  d->wh = calloc (n, sizeof (unsigned));
  d->moff = calloc (n, sizeof (unsigned));
  d->mh = calloc (n, sizeof (unsigned));
  d->mid_max = calloc (n, sizeof (float));
  d->eslot = calloc (n, sizeof (unsigned));
  d->jlo = calloc (n, sizeof (unsigned));
  d->jhi = calloc (n, sizeof (unsigned));
  d->tw_off = calloc (n, sizeof (unsigned));
  d->ends = calloc (n, sizeof (double));
  d->enter = calloc (n, sizeof (double));
  d->guide = calloc (n, sizeof (double));
  d->prefix = calloc (n, sizeof (float));
  return d->prefix && d->len && d->h1 && d->h2 && d->n_mid && d->woff && d->wh
         && d->moff && d->mh && d->mid_max && d->eslot && d->jlo && d->jhi
         && d->tw_off && d->ends && d->enter && d->guide;
}

/* the band of new intervals each old one may go to, and their normalised
 * weights */
static int
build_transitions (OmniBeatDbn *d)
{
  unsigned i, j, total = 0;

  for (i = 0; i < d->n_int; i++) {
    double li = d->len[i];
    d->jlo[i] = i;
    d->jhi[i] = i;
    while (d->jlo[i] > 0 && (li - d->len[d->jlo[i] - 1]) / li <= BAND)
      d->jlo[i]--;
    while (
        d->jhi[i] + 1 < d->n_int && (d->len[d->jhi[i] + 1] - li) / li <= BAND)
      d->jhi[i]++;
    d->tw_off[i] = total;
    total += d->jhi[i] - d->jlo[i] + 1;
  }
  free (d->tw);
  if (!(d->tw = calloc (total, sizeof (double))))
    return 0;
  for (i = 0; i < d->n_int; i++) {
    double z = 0.0, *w = d->tw + d->tw_off[i];
    for (j = d->jlo[i]; j <= d->jhi[i]; j++) {
      w[j - d->jlo[i]]
          = exp (-d->lambda * fabs ((double) d->len[j] / d->len[i] - 1.0));
      z += w[j - d->jlo[i]];
    }
    for (j = d->jlo[i]; j <= d->jhi[i]; j++)
      w[j - d->jlo[i]] /= z;
  }
  return 1;
}

/* every interval's beat region (h1 + h2 states, madmom's rounding of
 * len / OBS_LAMBDA, half to even) and middle; 0 when an interval has no
 * middle (only for intervals of 1 frame, which the range excludes) */
static int
layout_intervals (OmniBeatDbn *d)
{
  unsigned i, k;

  for (i = 0; i < d->n_int; i++) {
    unsigned nbr;
    d->len[i] = d->imin + i;
    d->n_states += d->len[i];
    nbr = (unsigned) MAX (1.0, rint (d->len[i] / OBS_LAMBDA));
    d->h1[i] = (nbr + 1) / 2;
    d->h2[i] = nbr / 2;
    if (nbr >= d->len[i])
      return 0;
    d->n_mid[i] = d->len[i] - nbr;
    d->woff[i] = d->n_win;
    d->moff[i] = d->n_mids;
    d->n_win += nbr;
    d->n_mids += d->n_mid[i];
  }
  d->n_blocks_win = (d->n_win + BLOCK - 1) / BLOCK;
  d->win = calloc (d->n_blocks_win * BLOCK, sizeof (float));
  d->win_int = calloc (d->n_win, sizeof (unsigned));
  d->mids = calloc (d->n_mids, sizeof (float));
  d->suffix = calloc (d->n_mids, sizeof (float));
  if (!d->win || !d->win_int || !d->mids || !d->suffix)
    return 0;
  for (i = 0; i < d->n_int; i++)
    for (k = 0; k < d->h1[i] + d->h2[i]; k++)
      d->win_int[d->woff[i] + k] = i;
  return 1;
}

/**
 * omni_beat_dbn_new:
 * @frame_rate: onset strength frames per second
 * @bpm_min: slowest tempo
 * @bpm_max: fastest tempo
 *
 * Returns: (transfer full) (nullable): a new #OmniBeatDbn
 */
OmniBeatDbn *
omni_beat_dbn_new (double frame_rate, double bpm_min, double bpm_max)
{
  OmniBeatDbn *d;
  unsigned imax;

  if (!(frame_rate > 0.0) || !(bpm_min > 0.0) || !(bpm_max > bpm_min)
      || 60.0 * frame_rate / bpm_min > 100000.0)
    return NULL;
  if (!(d = calloc (1, sizeof (OmniBeatDbn))))
    return NULL;
  d->fr = frame_rate;
  d->lambda = LAMBDA;
  d->imin = (unsigned) MAX (2.0, floor (60.0 * frame_rate / bpm_max));
  imax = (unsigned) MAX (d->imin, ceil (60.0 * frame_rate / bpm_min));
  d->n_int = imax - d->imin + 1;
  d->n_blocks = (unsigned) MAX (1, lround (NORM_S * frame_rate / NORM_BLOCK));
  d->blocks = calloc (d->n_blocks, sizeof (float));
  if (!alloc_intervals (d) || !layout_intervals (d) || !d->blocks
      || !build_transitions (d)) {
    omni_beat_dbn_free (d);
    return NULL;
  }
  omni_beat_dbn_reset (d);
  return d;
}

/**
 * omni_beat_dbn_set_lambda:
 * @d: an #OmniBeatDbn
 * @lambda: the sharpness of the tempo transitions, 50 - 1000 (100 is Krebs
 *   et al.'s; smaller lets the interval change more from beat to beat)
 *
 * Takes effect at the next beat's end; the probabilities are kept.
 *
 * Returns: 1, or 0 (and nothing changed) when @lambda is out of range
 */
int
omni_beat_dbn_set_lambda (OmniBeatDbn *d, double lambda)
{
  if (!(lambda >= LAMBDA_MIN) || !(lambda <= 1000.0))
    return 0;
  d->lambda = lambda;
  return build_transitions (d);
}

/* the onset strength scaled by its maximum over about NORM_S (blocks of
 * NORM_BLOCK frames), clipped to [ACT_MIN, 1 - ACT_MIN] */
static float
activation (OmniBeatDbn *d, float value)
{
  float m = value;
  unsigned b;

  if (value > d->block_max)
    d->block_max = value;
  if (d->blocks_max > m)
    m = d->blocks_max;
  if (m < d->block_max)
    m = d->block_max;
  if (++d->in_block == NORM_BLOCK) {
    /* the blocks' maximum changes only here */
    d->blocks[d->block_pos] = d->block_max;
    d->block_pos = (d->block_pos + 1) % d->n_blocks;
    d->block_max = 0.0f;
    d->in_block = 0;
    d->blocks_max = 0.0f;
    for (b = 0; b < d->n_blocks; b++)
      if (d->blocks[b] > d->blocks_max)
        d->blocks_max = d->blocks[b];
  }
  value = m > 0.0f ? value / m : 0.0f;
  if (value > 1.0f - ACT_MIN)
    value = 1.0f - ACT_MIN;
  return value < ACT_MIN ? ACT_MIN : value;
}

static void
update_guide (OmniBeatDbn *d, double bpm)
{
  unsigned j;

  if (bpm == d->guide_bpm)
    return;
  d->guide_bpm = bpm;
  for (j = 0; j < d->n_int; j++) {
    double x
        = bpm > 0.0 ? log2 (d->len[j] * bpm / (60.0 * d->fr)) / GUIDE_OCT : 0.0;
    d->guide[j] = exp (-0.5 * x * x);
  }
}

/* the largest of @n values (NaN left out), -1 when there is none */
static inline float
largest (const float *restrict x, unsigned n)
{
  return omni_dsp_largest (x, n, -1.0f);
}

/* The middle positions keep their values from frame to frame (the
 * observation leaves them alone, the advance only moves them on), so the
 * largest of each interval's is a sliding-window maximum over the states
 * that left the beat region's start, n_mid of them. It is taken as van
 * Herk and Gil & Werman do (M. van Herk, "A fast algorithm for local
 * minimum and maximum filters on rectangular and octagonal kernels",
 * Pattern Recognition Letters 13(7), 1992; J. Gil & M. Werman, IEEE TPAMI
 * 15(5), 1993): the stream is cut into blocks of n_mid, the window holds the
 * tail of the previous block, whose suffix maxima were taken when it was
 * complete, and the head of the current one, whose running maximum is
 * kept: three comparisons a frame without a branch on the data, instead of
 * a monotonic queue. The middle's ring slots are the positions within the
 * block. */
static void
take_suffix (OmniBeatDbn *d, unsigned i)
{
  const float *m = d->mids + d->moff[i];
  float *sf = d->suffix + d->moff[i], acc = -1.0f;
  unsigned k;

  for (k = d->n_mid[i]; k-- > 0;) {
    acc = m[k] > acc ? m[k] : acc;
    sf[k] = acc;
  }
  d->prefix[i] = -1.0f;
}

/* the largest of interval @i's middle once the slot before @next has been
 * written: the previous block's slots from @next on (all of it when the
 * block was just completed, @next 0), and the current block's */
static inline float
middle_max (const OmniBeatDbn *d, unsigned i, unsigned next)
{
  float sf = d->suffix[d->moff[i] + next];

  return d->prefix[i] > sf ? d->prefix[i] : sf;
}

/* interval @i's newest middle slot that holds @v (the one a monotonic
 * queue keeps among equal values) */
static unsigned
middle_slot_of (const OmniBeatDbn *d, unsigned i, float v)
{
  const float *m = d->mids + d->moff[i];
  unsigned k, s = d->mh[i];

  for (k = 0; k < d->n_mid[i]; k++) {
    s = s == 0 ? d->n_mid[i] - 1 : s - 1;
    if (m[s] == v)
      break;
  }
  return s;
}

/* the middles' suffix and running maxima, after their values were all set
 * (slots before mh are the current block, the others the previous one) */
static void
rebuild_maxima (OmniBeatDbn *d)
{
  unsigned i;

  for (i = 0; i < d->n_int; i++) {
    take_suffix (d, i);
    d->prefix[i]
        = d->mh[i] > 0 ? largest (d->mids + d->moff[i], d->mh[i]) : -1.0f;
    d->mid_max[i] = middle_max (d, i, d->mh[i]);
  }
}

/* Every position advances by one. Each interval is a chain of FIFOs:
 * positions 0 .. h1 - 1 (the beat region's start), the middle, then
 * len - h2 .. len - 1 (its end), whose last state ends a beat. The beat
 * region's two parts share one ring of h1 + h2 slots (ordered from
 * position len - h2 to h1 - 1), whose head moves back one slot a frame:
 * the slot of position h1 - 1 (which moves into the middle) takes the
 * middle's oldest state (entering position len - h2), and the slot of
 * position len - 1 (whose state ends its beat) takes the new beat's
 * position 0 (enter_beats()). The middle is a ring of its own. */
static void
advance (OmniBeatDbn *d)
{
  unsigned i;

  for (i = d->ilo; i <= d->ihi; i++) {
    unsigned nbr = d->h1[i] + d->h2[i], h2 = d->h2[i], wh = d->wh[i];
    unsigned mh = d->mh[i], es;
    float *w = d->win + d->woff[i], *m = d->mids + d->moff[i];
    float out = w[wh == 0 ? nbr - 1 : wh - 1], oldest = m[mh];

    wh = wh == 0 ? nbr - 1 : wh - 1;
    /* the slot of position 0 from now on, which held position len - 1 */
    es = wh + h2 < nbr ? wh + h2 : wh + h2 - nbr;
    d->ends[i] = h2 == 0 ? oldest : w[es];
    d->eslot[i] = d->woff[i] + es;
    if (h2 > 0)
      w[wh] = oldest;
    d->wh[i] = wh;
    m[mh] = out;
    d->prefix[i] = out > d->prefix[i] ? out : d->prefix[i];
    if (++mh == d->n_mid[i]) {
      mh = 0;
      take_suffix (d, i);
    }
    d->mh[i] = mh;
    d->mid_max[i] = middle_max (d, i, mh);
  }
}

/* y += a x over n (restrict: the loop vectorises) */
static inline void
axpy (double *restrict y, const double *restrict x, double a, unsigned n)
{
  unsigned k;

  for (k = 0; k < n; k++)
    y[k] += a * x[k];
}

/* the ends of beats enter new beats (position 0), weighted by the guide.
 * An interval outside the active range that a beat enters joins it: all
 * its states being 0, it has no need of the advances it missed, and its
 * position 0 is where its ring's heads put it now. */
static void
enter_beats (OmniBeatDbn *d)
{
  unsigned i, j, j0 = d->jlo[d->ilo], j1 = d->jhi[d->ihi];
  unsigned lo = d->ilo, hi = d->ihi;

  memset (d->enter + j0, 0, (j1 - j0 + 1) * sizeof (double));
  for (i = d->ilo; i <= d->ihi; i++)
    if (d->ends[i] != 0.0)
      axpy (d->enter + d->jlo[i], d->tw + d->tw_off[i], d->ends[i],
          d->jhi[i] - d->jlo[i] + 1);
  for (j = j0; j <= j1; j++) {
    float v = (float) (d->enter[j] * d->guide[j]);
    v = v < TINY ? 0.0f : v;
    if (j < d->ilo || j > d->ihi) {
      unsigned nbr = d->h1[j] + d->h2[j], es = d->wh[j] + d->h2[j];
      if (v == 0.0f)
        continue;
      d->eslot[j] = d->woff[j] + (es >= nbr ? es - nbr : es);
      lo = MIN (lo, j);
      hi = MAX (hi, j);
    }
    d->win[d->eslot[j]] = v;
  }
  d->ilo = lo;
  d->ihi = hi;
}

/* TRUE when every state of interval @i is 0 (its middle's maximum may
 * be one a rescale has since made 0: it then stays in the range) */
static int
interval_is_zero (const OmniBeatDbn *d, unsigned i)
{
  unsigned k, nbr = d->h1[i] + d->h2[i];

  if (d->mid_max[i] > 0.0f)
    return 0;
  for (k = 0; k < nbr; k++)
    if (d->win[d->woff[i] + k] != 0.0f)
      return 0;
  return 1;
}

/* leaves out of the active range the intervals at its ends whose states
 * are all 0 (the guide and the transitions have taken every probability
 * there below TINY): they cost nothing until a beat enters them again */
static void
shrink_range (OmniBeatDbn *d)
{
  while (d->ilo < d->ihi && interval_is_zero (d, d->ilo))
    d->ilo++;
  while (d->ihi > d->ilo && interval_is_zero (d, d->ihi))
    d->ihi--;
}

/* the beat regions of the active range, packed: first state and count */
static inline float *
range_win (const OmniBeatDbn *d, unsigned *n)
{
  unsigned end = d->woff[d->ihi] + d->h1[d->ihi] + d->h2[d->ihi];

  *n = end - d->woff[d->ilo];
  return d->win + d->woff[d->ilo];
}

/* x *= s, and what falls below TINY (at least 1e-27 of the most
 * probable state, which stays within [1e-3, 1e3]) to 0: the forward
 * variables of states that far behind would otherwise go subnormal, which
 * costs a hundred cycles an operation on x86, and never count */
static void
scale (float *restrict x, unsigned n, float s)
{
  unsigned k;

  for (k = 0; k < n; k++) {
    float v = x[k] * s;
    x[k] = v < TINY ? 0.0f : v;
  }
}

/* the observation: the beat region times a / ((1 - a) / (OBS_LAMBDA - 1)),
 * the rest times 1 (the same after normalisation) */
static void
observe (OmniBeatDbn *d, float a)
{
  unsigned n;
  float *w = range_win (d, &n);

  scale (w, n, a * (float) (OBS_LAMBDA - 1.0) / (1.0f - a));
}

/* TRUE when one of the BLOCK values at @x is @v (no early exit: the loop
 * vectorises) */
static inline int
block_has (const float *restrict x, float v)
{
  int any = 0;
  unsigned k;

  for (k = 0; k < BLOCK; k++)
    any |= x[k] == v;
  return any;
}

/* the first interval (the first of the packed beat regions) one of whose
 * beat region's states is @best, n_int if none */
static unsigned
first_in_win (const OmniBeatDbn *d, float best)
{
  unsigned b, k;

  for (b = d->woff[d->ilo] / BLOCK; b < d->n_blocks_win; b++)
    if (block_has (d->win + b * BLOCK, best))
      for (k = b * BLOCK; k < (b + 1) * BLOCK && k < d->n_win; k++)
        if (d->win[k] == best)
          return d->win_int[k];
  return d->n_int;
}

/* the most probable state, whose value is @best: the first that has it in
 * the order interval by interval, within one its middle's largest first,
 * then its beat region from position len - h2 to h1 - 1 (the order in
 * which a single pass would meet them) */
static void
find_best (OmniBeatDbn *d, float best)
{
  unsigned i, k, im = d->n_int, iw = first_in_win (d, best), nbr, mid;

  for (i = d->ilo; i < iw && i <= d->ihi; i++)
    if (d->mid_max[i] == best) {
      im = i;
      break;
    }
  i = MIN (im, iw);
  if (i == d->n_int) /* cannot happen: best is one of them */
    i = 0;
  d->best_int = i;
  nbr = d->h1[i] + d->h2[i];
  mid = d->n_mid[i];
  if (im <= iw) {
    /* the middle's newest slot (mh - 1) holds position h1 */
    unsigned s = middle_slot_of (d, i, best);
    d->best_pos = d->h1[i] + (d->mh[i] + 2 * mid - 1 - s) % mid;
    return;
  }
  for (k = 0; k < nbr; k++) {
    unsigned s = d->wh[i] + k;
    if (d->win[d->woff[i] + (s >= nbr ? s - nbr : s)] == best)
      break;
  }
  d->best_pos = k < d->h2[i] ? d->len[i] - d->h2[i] + k : k - d->h2[i];
}

/* sets every state equally likely */
static void
uniform (OmniBeatDbn *d)
{
  unsigned k;

  for (k = 0; k < d->n_win; k++)
    d->win[k] = 1.0f / d->n_states;
  for (k = 0; k < d->n_mids; k++)
    d->mids[k] = 1.0f / d->n_states;
  rebuild_maxima (d);
  d->ilo = 0;
  d->ihi = d->n_int - 1;
}

/* keeps the probabilities in range, and finds the most probable state.
 * Only their ratios matter (the forward algorithm normalises only to stay
 * in range), so they are scaled, by the largest, only when it leaves
 * [1e-3, 1e3]: an observation multiplies the beat region by at most about
 * 1.5e4, and most frames then need no pass over every state. */
static void
normalise (OmniBeatDbn *d)
{
  unsigned n;
  const float *w = range_win (d, &n);
  float best = largest (w, n);
  float bm = largest (d->mid_max + d->ilo, d->ihi - d->ilo + 1);

  best = bm > best ? bm : best;
  if (!(best > 1e-30f) || !isfinite (best)) {
    /* no state explains the input any more: start afresh */
    uniform (d);
    d->best_pos = 0;
    return;
  }
  find_best (d, best);
  if (best > RESCALE || best < 1.0 / RESCALE) {
    scale (d->win, d->n_win, 1.0f / best);
    scale (d->mids, d->n_mids, 1.0f / best);
    scale (d->suffix, d->n_mids, 1.0f / best);
    scale (d->prefix, d->n_int, 1.0f / best);
  }
  shrink_range (d);
}

/**
 * omni_beat_dbn_do:
 * @d: an #OmniBeatDbn
 * @value: onset strength of the new frame (>= 0)
 * @guide_bpm: the current tempo estimate, or <= 0 when there is none (the
 *   filter runs on, but reports no beat)
 * @beat_frame: (out): the frame of the beat, when one is reported
 *
 * Returns: 1 when a beat is reported (at frame *@beat_frame, counted from
 * 0 since the reset, 1 or 2 frames before this one)
 */
int
omni_beat_dbn_do (
    OmniBeatDbn *d, float value, double guide_bpm, long *beat_frame)
{
  unsigned len, pos;
  long b;

  if (!isfinite (value) || value < 0.0f)
    value = 0.0f;
  d->t++;
  update_guide (d, guide_bpm > 0.0 && isfinite (guide_bpm) ? guide_bpm : 0.0);
  advance (d);
  enter_beats (d);
  observe (d, activation (d, value));
  normalise (d);
  len = d->len[d->best_int];
  pos = d->best_pos;
  b = pos <= len / 2 ? d->t - (long) pos : d->t + (long) (len - pos);
  if (guide_bpm > 0.0 && b <= d->t - LOOK && b >= d->t - MAX_LATE && b >= 0
      && (double) (b - d->last_beat) > 0.5 * len) {
    d->last_beat = b;
    *beat_frame = b;
    return 1;
  }
  return 0;
}

/**
 * omni_beat_dbn_get_period:
 * @d: an #OmniBeatDbn
 *
 * Returns: the beat interval of the most probable state, frames
 */
double
omni_beat_dbn_get_period (const OmniBeatDbn *d)
{
  return d->len[d->best_int];
}

/**
 * omni_beat_dbn_get_next:
 * @d: an #OmniBeatDbn
 *
 * Returns: the frame where the most probable state puts the next beat
 */
double
omni_beat_dbn_get_next (const OmniBeatDbn *d)
{
  unsigned len = d->len[d->best_int], pos = d->best_pos;

  return pos <= len / 2 ? (double) (d->t - (long) pos + (long) len)
                        : (double) (d->t + (long) (len - pos));
}

/**
 * omni_beat_dbn_get_look_ahead:
 * @d: an #OmniBeatDbn
 *
 * Returns: how many frames after a beat it is reported, at the earliest
 */
unsigned
omni_beat_dbn_get_look_ahead (const OmniBeatDbn *d)
{
  (void) d;
  return LOOK;
}

/**
 * omni_beat_dbn_get_n_states:
 * @d: an #OmniBeatDbn
 *
 * Returns: the number of tempo-position states
 */
unsigned
omni_beat_dbn_get_n_states (const OmniBeatDbn *d)
{
  return d->n_states;
}

/**
 * omni_beat_dbn_reset:
 * @d: an #OmniBeatDbn
 *
 * Every state equally likely, no beat yet.
 */
void
omni_beat_dbn_reset (OmniBeatDbn *d)
{
  memset (d->wh, 0, d->n_int * sizeof (unsigned));
  memset (d->mh, 0, d->n_int * sizeof (unsigned));
  uniform (d);
  memset (d->blocks, 0, d->n_blocks * sizeof (float));
  d->block_pos = 0;
  d->in_block = 0;
  d->block_max = 0.0f;
  d->blocks_max = 0.0f;
  d->guide_bpm = -1.0;
  d->t = -1;
  d->last_beat = -1000000000L;
  d->best_int = 0;
  d->best_pos = 0;
}

/**
 * omni_beat_dbn_free:
 * @d: (transfer full) (nullable): an #OmniBeatDbn
 */
void
omni_beat_dbn_free (OmniBeatDbn *d)
{
  if (!d)
    return;
  free (d->len);
  free (d->h1);
  free (d->h2);
  free (d->n_mid);
  free (d->woff);
  free (d->wh);
  free (d->moff);
  free (d->mh);
  free (d->win);
  free (d->win_int);
  free (d->mids);
  free (d->mid_max);
  free (d->eslot);
  free (d->jlo);
  free (d->jhi);
  free (d->tw_off);
  free (d->tw);
  free (d->ends);
  free (d->enter);
  free (d->guide);
  free (d->suffix);
  free (d->prefix);
  free (d->blocks);
  free (d);
}
