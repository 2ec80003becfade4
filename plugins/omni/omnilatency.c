/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnilatency.h"

/**
 * omni_latency_query_add:
 * @element: the element answering (for debug output)
 * @query: a LATENCY query already answered by upstream
 * @latency: what @element adds (its look-ahead or processing time);
 *   GST_CLOCK_TIME_NONE adds nothing
 *
 * Adds @element's own latency to the minimum and, when bounded, the
 * maximum latency upstream reported: the pass-through analysis elements
 * hold data back by @latency, so downstream must wait that much longer.
 */
void
omni_latency_query_add (
    GstObject *element, GstQuery *query, GstClockTime latency)
{
  gboolean live;
  GstClockTime min, max;

  g_return_if_fail (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY);

  gst_query_parse_latency (query, &live, &min, &max);
  if (GST_CLOCK_TIME_IS_VALID (latency)) {
    min += latency;
    if (GST_CLOCK_TIME_IS_VALID (max))
      max += latency;
  }
  GST_DEBUG_OBJECT (element,
      "latency: adding %" GST_TIME_FORMAT ", total min %" GST_TIME_FORMAT
      " max %" GST_TIME_FORMAT,
      GST_TIME_ARGS (latency), GST_TIME_ARGS (min), GST_TIME_ARGS (max));
  gst_query_set_latency (query, live, min, max);
}
