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

/**
 * omni_latency_transform_query:
 * @trans: the element
 * @parent_class: its parent class, which answers the query first
 * @direction: the pad the query came on
 * @query: the query
 * @own_latency: what @trans adds
 *
 * A GstBaseTransform query function for the pass-through analysis
 * elements: chains up, then adds @own_latency to a LATENCY query on the
 * source pad that upstream answered.
 */
gboolean
omni_latency_transform_query (GstBaseTransform *trans,
    GstBaseTransformClass *parent_class, GstPadDirection direction,
    GstQuery *query, OmniLatencyFunc own_latency)
{
  gboolean res = parent_class->query (trans, direction, query);

  if (res && direction == GST_PAD_SRC
      && GST_QUERY_TYPE (query) == GST_QUERY_LATENCY)
    omni_latency_query_add (GST_OBJECT (trans), query, own_latency (trans));
  return res;
}
