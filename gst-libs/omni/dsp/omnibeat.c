/* gst-omni: causal beat tracking
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The real-time form of Ellis' dynamic programming beat tracker (Ellis,
 * "Beat tracking by dynamic programming", J. New Music Research 36(1),
 * 2007) described by Stark, Davies & Plumbley, "Real-time beat-synchronous
 * analysis of musical audio", DAFx 2009 (BTrack):
 *
 *   C(t) = (1 - alpha) O(t) + alpha max_{d in [p/2, 2p]} W(d) C(t - d)
 *   W(d) = exp (-(tightness ln (d / p))^2 / 2)
 *
 * is the cumulative score of the best beat sequence ending at frame t given
 * the onset strength O and the beat period p (from the tempo estimator).
 * Half a period after each beat the score is extrapolated one period into
 * the future (with O = 0) and the next beat is predicted at the maximum of
 * the extrapolated score times a Gaussian centred half a period ahead
 * (sigma p/2): prediction from tempo and phase, corrected by the onsets that
 * built up C (Davies & Plumbley's "predict then correct" two-state idea in
 * one causal recursion).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnibeat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct _OmniBeatTracker {
  double max_period, tightness, alpha;
  unsigned cap;
  double *score; /* ring of cumulative scores, cap */
  float *odf;    /* ring of the input values, cap */
  double *future;
  long t; /* index of the newest frame, -1 before the first */

  double w_period; /* period the weights are cached for */
  unsigned d_lo, d_hi;
  double *w; /* W(d) for d in [d_lo, d_hi] */

  double next;     /* predicted beat frame, < 0 when none */
  double last;     /* last beat frame, < 0 when none */
  long predict_at; /* frame of the next prediction */
};

/**
 * omni_beat_tracker_new:
 * @max_period: longest beat period in frames that will be passed
 * @tightness: how strongly the spacing of beats is held to the period
 *   (Ellis' tightness; 5 in BTrack)
 * @alpha: weight of the past in the cumulative score (0.9 in BTrack)
 *
 * Returns: (transfer full) (nullable): a new #OmniBeatTracker
 */
OmniBeatTracker *
omni_beat_tracker_new (double max_period, double tightness, double alpha)
{
  OmniBeatTracker *bt;

  if (!(max_period >= 2.0) || !(tightness > 0.0) || !(alpha >= 0.0)
      || !(alpha < 1.0))
    return NULL;
  if (!(bt = calloc (1, sizeof (OmniBeatTracker))))
    return NULL;
  bt->max_period = max_period;
  bt->tightness = tightness;
  bt->alpha = alpha;
  bt->cap = (unsigned) ceil (3.0 * max_period) + 4;
  bt->score = calloc (bt->cap, sizeof (double));
  bt->odf = calloc (bt->cap, sizeof (float));
  bt->future = calloc (bt->cap, sizeof (double));
  bt->w = calloc (bt->cap, sizeof (double));
  if (!bt->score || !bt->odf || !bt->future || !bt->w) {
    omni_beat_tracker_free (bt);
    return NULL;
  }
  omni_beat_tracker_reset (bt);
  return bt;
}

static void
update_weights (OmniBeatTracker *bt, double period)
{
  unsigned d;

  if (fabs (period - bt->w_period) < 1e-3 * period)
    return;
  bt->w_period = period;
  bt->d_lo = (unsigned) ceil (period / 2.0);
  if (bt->d_lo < 1)
    bt->d_lo = 1;
  bt->d_hi = (unsigned) floor (2.0 * period);
  if (bt->d_hi > bt->cap - 2)
    bt->d_hi = bt->cap - 2;
  for (d = bt->d_lo; d <= bt->d_hi; d++) {
    double x = bt->tightness * log (d / period);
    bt->w[d] = exp (-0.5 * x * x);
  }
}

/* max_d W(d) C(idx - d): the future part from the extrapolated scores, the
 * past part walking the ring backwards (no modulo per step: this runs for
 * every frame and 1.5 periods per step) */
static double
best_past (const OmniBeatTracker *bt, long idx)
{
  double best = 0.0;
  long d = (long) bt->d_lo, hi = (long) bt->d_hi, j;
  long lo = MAX (0, bt->t - (long) bt->cap + 1);
  unsigned pos;

  for (; d <= hi && idx - d > bt->t; d++) {
    double v = bt->future[idx - d - bt->t - 1] * bt->w[d];
    if (v > best)
      best = v;
  }
  j = idx - d;
  if (d > hi || j < lo)
    return best;
  pos = (unsigned) (j % (long) bt->cap);
  for (; d <= hi && j >= lo; d++, j--) {
    double v = bt->score[pos] * bt->w[d];
    if (v > best)
      best = v;
    pos = pos ? pos - 1 : bt->cap - 1;
  }
  return best;
}

static void
predict (OmniBeatTracker *bt, double period)
{
  unsigned j, win = (unsigned) lround (period);
  double best = -1.0;
  unsigned jbest = 1;

  if (win < 1)
    win = 1;
  if (win > bt->cap)
    win = bt->cap;
  for (j = 1; j <= win; j++)
    bt->future[j - 1] = best_past (bt, bt->t + (long) j);
  for (j = 1; j <= win; j++) {
    /* half a period after a beat the next one is expected half a period
     * ahead; the first prediction after a (re)start has no such
     * expectation, any phase within one period is as likely */
    double x = (j - period / 2.0) / (period / 2.0);
    double v = bt->future[j - 1] * (bt->last < 0.0 ? 1.0 : exp (-0.5 * x * x));
    if (v > best) {
      best = v;
      jbest = j;
    }
  }
  bt->next = (double) (bt->t + (long) jbest);
}

/**
 * omni_beat_tracker_do:
 * @bt: an #OmniBeatTracker
 * @value: onset strength of the new frame
 * @period: current beat period in frames; <= 0 when the tempo is unknown
 *   (beats stop until it is known again)
 * @beat_offset: (out) (optional): when a beat falls on this frame, its
 *   position relative to it (0)
 *
 * Returns: 1 when the new frame is a beat
 */
int
omni_beat_tracker_do (
    OmniBeatTracker *bt, float value, double period, double *beat_offset)
{
  double c;
  int beat = 0;

  if (!isfinite (value) || value < 0.0f)
    value = 0.0f;
  if (period > bt->max_period)
    period = bt->max_period;
  bt->t++;
  bt->odf[bt->t % bt->cap] = value;
  if (!(period >= 2.0)) {
    /* unknown tempo: keep the onset history, forget predictions */
    bt->score[bt->t % bt->cap] = (1.0 - bt->alpha) * value;
    bt->next = -1.0;
    bt->last = -1.0;
    bt->predict_at = -1;
    return 0;
  }
  update_weights (bt, period);
  c = (1.0 - bt->alpha) * value + bt->alpha * best_past (bt, bt->t);
  bt->score[bt->t % bt->cap] = c;

  if (bt->next >= 0.0 && bt->t >= (long) bt->next) {
    beat = 1;
    bt->last = bt->next;
    bt->next = -1.0;
    bt->predict_at = bt->t + lround (period / 2.0);
    if (beat_offset)
      *beat_offset = bt->last - bt->t;
  }
  if (bt->next < 0.0 && (bt->predict_at < 0 || bt->t >= bt->predict_at))
    predict (bt, period);
  return beat;
}

/**
 * omni_beat_tracker_restart:
 * @bt: an #OmniBeatTracker
 * @period: the new beat period in frames
 *
 * Rebuilds the cumulative score of the frames it remembers (three of the
 * longest periods) with a new period and forgets the pending prediction:
 * call it when the tempo jumps to another value (another metrical level, a
 * new piece) or when tracking resumes, so that the phase is chosen afresh
 * from all the recent onsets instead of being carried over from a score
 * built for another period.
 */
void
omni_beat_tracker_restart (OmniBeatTracker *bt, double period)
{
  long first, i;

  if (bt->t < 0 || !(period >= 2.0))
    return;
  if (period > bt->max_period)
    period = bt->max_period;
  update_weights (bt, period);
  first = bt->t - (long) bt->cap + 1;
  if (first < 0)
    first = 0;
  for (i = first; i <= bt->t; i++) {
    double best = 0.0;
    unsigned d;
    for (d = bt->d_lo; d <= bt->d_hi; d++) {
      long j = i - (long) d;
      if (j >= first) {
        double v = bt->score[j % bt->cap] * bt->w[d];
        if (v > best)
          best = v;
      }
    }
    bt->score[i % bt->cap]
        = (1.0 - bt->alpha) * bt->odf[i % bt->cap] + bt->alpha * best;
  }
  bt->next = -1.0;
  bt->last = -1.0;
  bt->predict_at = -1;
}

/**
 * omni_beat_tracker_get_next:
 * @bt: an #OmniBeatTracker
 *
 * Returns: the frame index (counted from 0 since the reset) of the
 * predicted next beat, or -1 when there is no prediction
 */
double
omni_beat_tracker_get_next (const OmniBeatTracker *bt)
{
  return bt->next;
}

/**
 * omni_beat_tracker_get_last:
 * @bt: an #OmniBeatTracker
 *
 * Returns: the frame index of the last beat, or -1
 */
double
omni_beat_tracker_get_last (const OmniBeatTracker *bt)
{
  return bt->last;
}

/**
 * omni_beat_tracker_get_frame:
 * @bt: an #OmniBeatTracker
 *
 * Returns: the index of the newest frame (-1 before the first)
 */
long
omni_beat_tracker_get_frame (const OmniBeatTracker *bt)
{
  return bt->t;
}

/**
 * omni_beat_tracker_reset:
 * @bt: an #OmniBeatTracker
 */
void
omni_beat_tracker_reset (OmniBeatTracker *bt)
{
  memset (bt->score, 0, bt->cap * sizeof (double));
  memset (bt->odf, 0, bt->cap * sizeof (float));
  bt->t = -1;
  bt->next = -1.0;
  bt->last = -1.0;
  bt->predict_at = -1;
  bt->w_period = 0.0;
}

/**
 * omni_beat_tracker_free:
 * @bt: (transfer full) (nullable): an #OmniBeatTracker
 */
void
omni_beat_tracker_free (OmniBeatTracker *bt)
{
  if (!bt)
    return;
  free (bt->score);
  free (bt->odf);
  free (bt->future);
  free (bt->w);
  free (bt);
}
