/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_LATENCY_H__
#define __OMNI_LATENCY_H__

#include <gst/gst.h>

G_BEGIN_DECLS

void omni_latency_query_add (
    GstObject *element, GstQuery *query, GstClockTime latency);

G_END_DECLS

#endif /* __OMNI_LATENCY_H__ */
