/* gst-omni: an analyser's own throughput, told upstream as QoS
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * GstBaseSink measures lateness against the clock; an analyser in the
 * middle of a pipeline can measure something more direct: how long each
 * analysis takes against how much running time it has per analysed frame.
 * The ratio is smoothed (exponential moving average, weight 1/4) so that
 * one slow inference (a shader compile, a page fault) does not halve the
 * sample rate.
 */
#include "omnithroughput.h"

#define LOAD_WEIGHT 0.25
#define LOAD_RELAXED 0.8

void
omni_throughput_reset (OmniThroughput *t)
{
  t->last_rt = GST_CLOCK_TIME_NONE;
  t->load = 0.0;
  t->told_late = FALSE;
  t->events = 0;
}

GstEvent *
omni_throughput_update (OmniThroughput *t, GstClockTime rt, GstClockTime busy)
{
  GstClockTime gap;
  GstEvent *ev = NULL;

  if (!GST_CLOCK_TIME_IS_VALID (rt) || !GST_CLOCK_TIME_IS_VALID (busy))
    return NULL;
  if (!GST_CLOCK_TIME_IS_VALID (t->last_rt) || rt <= t->last_rt) {
    t->last_rt = rt;
    return NULL;
  }
  gap = rt - t->last_rt;
  t->last_rt = rt;
  t->load = t->load == 0.0 ? (gdouble) busy / gap
                           : (1.0 - LOAD_WEIGHT) * t->load
                                 + LOAD_WEIGHT * (gdouble) busy / gap;
  if (t->load > 1.0 || (t->told_late && t->load < LOAD_RELAXED)) {
    ev = gst_event_new_qos (GST_QOS_TYPE_THROTTLE, t->load,
        (GstClockTimeDiff) busy - (GstClockTimeDiff) gap, rt);
    t->told_late = t->load > 1.0;
    t->events++;
  }
  return ev;
}
