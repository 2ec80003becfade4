/* gst-omni: omnifusion's hysteresis (risk per observation -> segments)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A Schmitt trigger with run lengths, the usual cure for per-frame
 * classifier jitter: a segment opens after N consecutive observations at or
 * above the enter threshold and closes after M consecutive observations
 * below the exit threshold (exit < enter).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnifusionhysteresis.h"

struct _OmniFusionHysteresis {
  gdouble enter, exit;
  guint n_enter, n_exit;

  GArray *run; /* consecutive observations >= enter while not flagged */
  OmniFusionSegment *segment;

  /* consecutive observations < exit while flagged */
  guint below;
  GstClockTime below_start, below_stream_start;
  gdouble below_sum;

  guint next_id;
};

void
omni_fusion_segment_free (OmniFusionSegment *s)
{
  if (!s)
    return;
  g_free (s->label);
  g_free (s->peak_label);
  g_array_unref (s->trigger);
  g_free (s);
}

OmniFusionSegment *
omni_fusion_segment_copy (const OmniFusionSegment *s)
{
  OmniFusionSegment *c = g_memdup2 (s, sizeof (*s));

  c->label = g_strdup (s->label);
  c->peak_label = g_strdup (s->peak_label);
  c->trigger = g_array_copy (s->trigger);
  return c;
}

OmniFusionHysteresis *
omni_fusion_hysteresis_new (gdouble enter_threshold, gdouble exit_threshold,
    guint enter_frames, guint exit_frames)
{
  OmniFusionHysteresis *h = g_new0 (OmniFusionHysteresis, 1);

  h->enter = enter_threshold;
  h->exit = MIN (exit_threshold, enter_threshold);
  h->n_enter = MAX (enter_frames, 1);
  h->n_exit = MAX (exit_frames, 1);
  h->run = g_array_new (FALSE, FALSE, sizeof (OmniFusionObservation));
  return h;
}

void
omni_fusion_hysteresis_free (OmniFusionHysteresis *h)
{
  if (!h)
    return;
  g_array_unref (h->run);
  omni_fusion_segment_free (h->segment);
  g_free (h);
}

void
omni_fusion_hysteresis_reset (OmniFusionHysteresis *h)
{
  g_array_set_size (h->run, 0);
  g_clear_pointer (&h->segment, omni_fusion_segment_free);
  h->below = 0;
  h->below_sum = 0;
}

static void
open_segment (
    OmniFusionHysteresis *h, OmniFusionSegmentFunc func, gpointer user_data)
{
  OmniFusionSegment *s = g_new0 (OmniFusionSegment, 1);
  const OmniFusionObservation *first
      = &g_array_index (h->run, OmniFusionObservation, 0);
  guint i;

  s->id = ++h->next_id;
  s->start = first->time;
  s->stream_start = first->stream_time;
  s->end = s->stream_end = GST_CLOCK_TIME_NONE;
  s->peak = -1;
  for (i = 0; i < h->run->len; i++) {
    const OmniFusionObservation *o
        = &g_array_index (h->run, OmniFusionObservation, i);

    if (o->risk > s->peak) {
      s->peak = o->risk;
      g_free (s->peak_label);
      s->peak_label = g_strdup (o->label);
    }
    s->sum += o->risk;
    s->n++;
  }
  s->label = g_strdup (s->peak_label);
  s->trigger = g_array_copy (h->run);
  s->wall_opened = g_get_real_time ();
  g_array_set_size (h->run, 0);
  h->segment = s;
  h->below = 0;
  if (func)
    func (TRUE, s, user_data);
}

static void
close_segment (OmniFusionHysteresis *h, GstClockTime end,
    GstClockTime stream_end, const gchar *reason, OmniFusionSegmentFunc func,
    gpointer user_data)
{
  OmniFusionSegment *s = h->segment;

  h->segment = NULL;
  s->end = end;
  s->stream_end = stream_end;
  s->wall_closed = g_get_real_time ();
  s->close_reason = reason;
  h->below = 0;
  h->below_sum = 0;
  if (func)
    func (FALSE, s, user_data);
  else
    omni_fusion_segment_free (s);
}

/**
 * omni_fusion_hysteresis_push:
 *
 * Feeds one observation, in time order.
 */
void
omni_fusion_hysteresis_push (OmniFusionHysteresis *h,
    const OmniFusionObservation *obs, OmniFusionSegmentFunc func,
    gpointer user_data)
{
  if (!h->segment) {
    if (obs->risk >= h->enter) {
      g_array_append_val (h->run, *obs);
      if (h->run->len >= h->n_enter)
        open_segment (h, func, user_data);
    } else {
      g_array_set_size (h->run, 0);
    }
    return;
  }

  if (obs->risk < h->exit) {
    if (h->below == 0) {
      h->below_start = obs->time;
      h->below_stream_start = obs->stream_time;
      h->below_sum = 0;
    }
    h->below++;
    h->below_sum += obs->risk;
    if (h->below >= h->n_exit)
      close_segment (h, h->below_start, h->below_stream_start, "below-exit",
          func, user_data);
    return;
  }

  /* Back above exit: the short dip belongs to the segment. */
  h->segment->sum += h->below_sum + obs->risk;
  h->segment->n += h->below + 1;
  h->below = 0;
  h->below_sum = 0;
  if (obs->risk > h->segment->peak) {
    h->segment->peak = obs->risk;
    g_free (h->segment->peak_label);
    h->segment->peak_label = g_strdup (obs->label);
  }
}

/**
 * omni_fusion_hysteresis_close:
 *
 * Closes the open segment, if any (EOS, flush, stop). If risk had already
 * dropped below exit, the segment ends where it dropped.
 */
void
omni_fusion_hysteresis_close (OmniFusionHysteresis *h, GstClockTime end,
    GstClockTime stream_end, const gchar *reason, OmniFusionSegmentFunc func,
    gpointer user_data)
{
  g_array_set_size (h->run, 0);
  if (!h->segment)
    return;
  if (h->below > 0) {
    end = h->below_start;
    stream_end = h->below_stream_start;
  }
  close_segment (h, end, stream_end, reason, func, user_data);
}

gboolean
omni_fusion_hysteresis_is_flagged (const OmniFusionHysteresis *h)
{
  return h->segment != NULL;
}

const OmniFusionSegment *
omni_fusion_hysteresis_get_segment (const OmniFusionHysteresis *h)
{
  return h->segment;
}

guint
omni_fusion_hysteresis_get_above (const OmniFusionHysteresis *h)
{
  return h->run->len;
}
