/* gst-omni: causal beat tracking on a tempo-phase state space
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The state space of Krebs, Böck & Widmer, "An efficient state-space model
 * for joint tempo and meter tracking", ISMIR 2015 (madmom's
 * BeatStateSpace), for one beat: a state is a beat interval I (in frames,
 * every integer between the range's limits) and a position within the
 * beat, 0 .. I - 1, which advances by one each frame. Only at the end of a
 * beat may the interval change, to I' with probability proportional to
 * exp (-lambda |I' / I - 1|) (lambda = 100, Krebs et al.). The observation
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
 * Each interval's positions live in a ring indexed by frame, so advancing
 * every position costs nothing: the slot of position 0 at frame t is
 * t mod I, which held position I - 1 at frame t - 1.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnibeatdbn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LAMBDA 100.0
#define BAND 0.15 /* transitions beyond +-15 % are below exp (-15) */
#define OBS_LAMBDA 16.0
#define NORM_S 4.0
#define NORM_BLOCK 10
#define GUIDE_OCT 0.3
#define LOOK 1     /* a beat is reported 1 or 2 frames after it */
#define MAX_LATE 2 /* or not at all (the beat messages' latency) */
#define ACT_MIN 1e-3f
#define RESCALE 1e3

struct _OmniBeatDbn {
  double fr;
  unsigned imin, n_int, n_states;
  unsigned *len, *off, *head; /* per interval */
  unsigned *h1, *h2;          /* beat region: positions < h1, >= len - h2 */
  unsigned *jlo, *jhi;        /* transition band of each old interval */
  double *tw;                 /* weights, n_int rows of the band */
  unsigned *tw_off;
  double *ends, *enter, *guide;
  float *alpha;
  unsigned *dq;              /* per interval: its slots outside the beat
                              * region, values decreasing (a monotonic
                              * queue, off[i] .. off[i] + len[i] - 1) */
  unsigned *dq_front, *dq_n; /* per interval */
  double guide_bpm;

  float *blocks; /* maxima of the last NORM_S in blocks of NORM_BLOCK */
  unsigned n_blocks, block_pos, in_block;
  float block_max;

  long t, last_beat;
  unsigned best_int, best_pos;
};

static int
alloc_intervals (OmniBeatDbn *d)
{
  unsigned n = d->n_int;

  d->len = calloc (n, sizeof (unsigned));
  d->off = calloc (n, sizeof (unsigned));
  d->head = calloc (n, sizeof (unsigned));
  d->h1 = calloc (n, sizeof (unsigned));
  d->h2 = calloc (n, sizeof (unsigned));
  d->jlo = calloc (n, sizeof (unsigned));
  d->jhi = calloc (n, sizeof (unsigned));
  d->tw_off = calloc (n, sizeof (unsigned));
  d->ends = calloc (n, sizeof (double));
  d->enter = calloc (n, sizeof (double));
  d->guide = calloc (n, sizeof (double));
  d->dq_front = calloc (n, sizeof (unsigned));
  d->dq_n = calloc (n, sizeof (unsigned));
  return d->dq_front && d->dq_n && d->len && d->off && d->head && d->h1 && d->h2
         && d->jlo && d->jhi && d->tw_off && d->ends && d->enter && d->guide;
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
  if (!(d->tw = calloc (total, sizeof (double))))
    return 0;
  for (i = 0; i < d->n_int; i++) {
    double z = 0.0, *w = d->tw + d->tw_off[i];
    for (j = d->jlo[i]; j <= d->jhi[i]; j++) {
      w[j - d->jlo[i]]
          = exp (-LAMBDA * fabs ((double) d->len[j] / d->len[i] - 1.0));
      z += w[j - d->jlo[i]];
    }
    for (j = d->jlo[i]; j <= d->jhi[i]; j++)
      w[j - d->jlo[i]] /= z;
  }
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
  unsigned i, imax;

  if (!(frame_rate > 0.0) || !(bpm_min > 0.0) || !(bpm_max > bpm_min)
      || 60.0 * frame_rate / bpm_min > 100000.0)
    return NULL;
  if (!(d = calloc (1, sizeof (OmniBeatDbn))))
    return NULL;
  d->fr = frame_rate;
  d->imin = (unsigned) MAX (2.0, floor (60.0 * frame_rate / bpm_max));
  imax = (unsigned) MAX (d->imin, ceil (60.0 * frame_rate / bpm_min));
  d->n_int = imax - d->imin + 1;
  if (!alloc_intervals (d)) {
    omni_beat_dbn_free (d);
    return NULL;
  }
  for (i = 0; i < d->n_int; i++) {
    unsigned nbr;
    d->len[i] = d->imin + i;
    d->off[i] = d->n_states;
    d->n_states += d->len[i];
    /* round half to even, as numpy (madmom) does */
    nbr = (unsigned) MAX (1.0, rint (d->len[i] / OBS_LAMBDA));
    d->h1[i] = (nbr + 1) / 2;
    d->h2[i] = nbr / 2;
  }
  d->n_blocks = (unsigned) MAX (1, lround (NORM_S * frame_rate / NORM_BLOCK));
  d->alpha = calloc (d->n_states, sizeof (float));
  d->dq = calloc (d->n_states, sizeof (unsigned));
  d->blocks = calloc (d->n_blocks, sizeof (float));
  if (!d->alpha || !d->dq || !d->blocks || !build_transitions (d)) {
    omni_beat_dbn_free (d);
    return NULL;
  }
  omni_beat_dbn_reset (d);
  return d;
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
  for (b = 0; b < d->n_blocks; b++)
    if (d->blocks[b] > m)
      m = d->blocks[b];
  if (m < d->block_max)
    m = d->block_max;
  if (++d->in_block == NORM_BLOCK) {
    d->blocks[d->block_pos] = d->block_max;
    d->block_pos = (d->block_pos + 1) % d->n_blocks;
    d->block_max = 0.0f;
    d->in_block = 0;
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

/* The states outside the beat region keep their values from frame to
 * frame (the observation leaves them alone, the advance only moves their
 * positions), so the largest of each interval's is a sliding-window
 * maximum: each frame the slot that reaches position h1 (leaving the beat
 * region) joins the window and the one that reaches len - h2 (entering it)
 * leaves. A monotonic queue (slots whose values decrease from the front)
 * gives that maximum in amortised constant time, instead of a pass over
 * every state each frame. */
static void
dq_push (OmniBeatDbn *d, unsigned i, unsigned slot)
{
  unsigned *q = d->dq + d->off[i], len = d->len[i];
  const float *al = d->alpha + d->off[i];
  float v = al[slot];

  unsigned end = d->dq_front[i] + d->dq_n[i]; /* < 2 len */

  while (d->dq_n[i] > 0) {
    unsigned back = end - 1 < len ? end - 1 : end - 1 - len;
    if (al[q[back]] > v)
      break;
    d->dq_n[i]--;
    end--;
  }
  q[end < len ? end : end - len] = slot;
  d->dq_n[i]++;
}

static void
dq_expire (OmniBeatDbn *d, unsigned i, unsigned slot)
{
  if (d->dq_n[i] > 0 && d->dq[d->off[i] + d->dq_front[i]] == slot) {
    if (++d->dq_front[i] == d->len[i])
      d->dq_front[i] = 0;
    d->dq_n[i]--;
  }
}

/* the slot of position @pos of interval @i */
static inline unsigned
slot_of (const OmniBeatDbn *d, unsigned i, unsigned pos)
{
  unsigned s = d->head[i] + d->len[i] - pos; /* pos < len: 0 < s < 2 len */

  return s < d->len[i] ? s : s - d->len[i];
}

/* refills every interval's queue from the positions outside its beat
 * region (oldest first) */
static void
dq_rebuild (OmniBeatDbn *d)
{
  unsigned i, p;

  for (i = 0; i < d->n_int; i++) {
    d->dq_front[i] = 0;
    d->dq_n[i] = 0;
    for (p = d->len[i] - d->h2[i]; p-- > d->h1[i];)
      dq_push (d, i, slot_of (d, i, p));
  }
}

/* every position advances; the ends of beats enter new beats */
static void
advance (OmniBeatDbn *d)
{
  unsigned i, j;

  for (i = 0; i < d->n_int; i++) {
    if (++d->head[i] == d->len[i])
      d->head[i] = 0;
    d->ends[i] = d->alpha[d->off[i] + d->head[i]];
    d->enter[i] = 0.0;
    dq_expire (d, i, slot_of (d, i, d->len[i] - d->h2[i]));
    if (d->h1[i] + d->h2[i] < d->len[i])
      dq_push (d, i, slot_of (d, i, d->h1[i]));
  }
  for (i = 0; i < d->n_int; i++) {
    const double *w = d->tw + d->tw_off[i];
    double e = d->ends[i];
    if (e == 0.0)
      continue;
    for (j = d->jlo[i]; j <= d->jhi[i]; j++)
      d->enter[j] += e * w[j - d->jlo[i]];
  }
  for (j = 0; j < d->n_int; j++)
    d->alpha[d->off[j] + d->head[j]] = (float) (d->enter[j] * d->guide[j]);
}

/* the beat region times a / ((1 - a) / (OBS_LAMBDA - 1)), the rest times 1
 * (the same after normalisation) */
static void
observe (OmniBeatDbn *d, float a)
{
  float r = a * (float) (OBS_LAMBDA - 1.0) / (1.0f - a);
  unsigned i, k;

  for (i = 0; i < d->n_int; i++) {
    float *al = d->alpha + d->off[i];
    unsigned len = d->len[i], h = d->head[i];
    unsigned slot = h;
    for (k = 0; k < d->h1[i]; k++) { /* positions 0 .. h1 - 1 */
      al[slot] *= r;
      slot = slot ? slot - 1 : len - 1;
    }
    slot = h;
    for (k = 1; k <= d->h2[i]; k++) { /* positions len - h2 .. len - 1 */
      slot = slot + 1 == len ? 0 : slot + 1;
      al[slot] *= r;
    }
  }
}

static void
scale (float *restrict x, unsigned n, float s)
{
  unsigned k;

  for (k = 0; k < n; k++)
    x[k] *= s;
}

/* keeps the probabilities in range, and finds the most probable state
 * (the first of the largest within the interval that holds it). Only their
 * ratios matter (the forward algorithm normalises only to stay in range),
 * so they are scaled, by the largest, only when it leaves [1e-3, 1e3]: an
 * observation multiplies the beat region by at most about 1.5e4, and most
 * frames then need no pass over every state. */
static void
normalise (OmniBeatDbn *d)
{
  float best = -1.0f;
  unsigned i, k;

  unsigned best_slot = 0;

  for (i = 0; i < d->n_int; i++) {
    const float *al = d->alpha + d->off[i];
    unsigned len = d->len[i], slot = d->head[i];
    if (d->dq_n[i] > 0 && al[d->dq[d->off[i] + d->dq_front[i]]] > best) {
      best = al[d->dq[d->off[i] + d->dq_front[i]]];
      d->best_int = i;
      best_slot = d->dq[d->off[i] + d->dq_front[i]];
    }
    /* the beat region: positions len - h2 .. len - 1, 0 .. h1 - 1 */
    slot += d->h2[i];
    if (slot >= len)
      slot -= len;
    for (k = 0; k < d->h1[i] + d->h2[i]; k++) {
      if (al[slot] > best) {
        best = al[slot];
        d->best_int = i;
        best_slot = slot;
      }
      slot = slot ? slot - 1 : len - 1;
    }
  }
  if (!(best > 1e-30f) || !isfinite (best)) {
    /* no state explains the input any more: start afresh */
    for (k = 0; k < d->n_states; k++)
      d->alpha[k] = 1.0f / d->n_states;
    dq_rebuild (d);
    d->best_pos = 0;
    return;
  }
  if (best > RESCALE || best < 1.0 / RESCALE)
    scale (d->alpha, d->n_states, 1.0f / best);
  /* slot -> position within the beat */
  d->best_pos = (d->head[d->best_int] + d->len[d->best_int] - best_slot)
                % d->len[d->best_int];
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
  unsigned k;

  for (k = 0; k < d->n_states; k++)
    d->alpha[k] = 1.0f / d->n_states;
  for (k = 0; k < d->n_int; k++)
    d->head[k] = d->len[k] - 1; /* frame -1 */
  dq_rebuild (d);
  memset (d->blocks, 0, d->n_blocks * sizeof (float));
  d->block_pos = 0;
  d->in_block = 0;
  d->block_max = 0.0f;
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
  free (d->off);
  free (d->head);
  free (d->h1);
  free (d->h2);
  free (d->jlo);
  free (d->jhi);
  free (d->tw_off);
  free (d->tw);
  free (d->ends);
  free (d->enter);
  free (d->guide);
  free (d->alpha);
  free (d->dq);
  free (d->dq_front);
  free (d->dq_n);
  free (d->blocks);
  free (d);
}
