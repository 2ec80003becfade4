/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_LATENCY_H__
#define __OMNI_LATENCY_H__

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>

G_BEGIN_DECLS

void omni_latency_query_add (
    GstObject *element, GstQuery *query, GstClockTime latency);

/* What a pass-through analysis element adds to the latency upstream
 * reports (called with no lock held). */
typedef GstClockTime (*OmniLatencyFunc) (GstBaseTransform *trans);

gboolean omni_latency_transform_query (GstBaseTransform *trans,
    GstBaseTransformClass *parent_class, GstPadDirection direction,
    GstQuery *query, OmniLatencyFunc own_latency);

G_END_DECLS

#endif /* __OMNI_LATENCY_H__ */
