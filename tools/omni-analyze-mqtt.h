/* gst-omni: omni-analyze's --mqtt URL
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_ANALYZE_MQTT_H__
#define __OMNI_ANALYZE_MQTT_H__

#include <gst/gst.h>

G_BEGIN_DECLS

void oa_mqtt_configure (
    GstElement *publish, const gchar *url, const gchar *stream);

G_END_DECLS

#endif
