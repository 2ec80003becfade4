/* gst-omni: an analyser's own throughput, told upstream as QoS
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_THROUGHPUT_H__
#define __OMNI_THROUGHPUT_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* How busy an analyser is: the time it spends on each analysed frame over
 * the running time between analysed frames. Above 1 it cannot keep up with
 * a live source; omnisampler upstream lowers its sample rate on the QoS
 * events this produces, without waiting for a sink's QoS (most sinks in
 * analysis pipelines have qos=false: appsink, fakesink, filesink). */
typedef struct {
  GstClockTime last_rt; /* running time of the previous analysed frame */
  gdouble load;         /* smoothed busy time / gap */
  gboolean told_late;   /* the last event said "cannot keep up" */
  guint64 events;       /* QoS events produced */
} OmniThroughput;

void omni_throughput_reset (OmniThroughput *t);

/* One analysed frame at running time @rt took @busy. Returns a QoS event
 * to send upstream (proportion = load, jitter = @busy minus the gap,
 * timestamp = @rt) while the load is above 1, and one more when it falls
 * back below 0.8; otherwise NULL. */
GstEvent *omni_throughput_update (
    OmniThroughput *t, GstClockTime rt, GstClockTime busy);

G_END_DECLS

#endif /* __OMNI_THROUGHPUT_H__ */
