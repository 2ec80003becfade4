/* gst-omni: omnipublish
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_OMNI_PUBLISH_H__
#define __GST_OMNI_PUBLISH_H__

#include <gst/gst.h>
#include <gst/base/gstbasesink.h>

G_BEGIN_DECLS

/**
 * GstOmniPublishMethod:
 * @GST_OMNI_PUBLISH_METHOD_FILE: JSON lines appended to a file
 * @GST_OMNI_PUBLISH_METHOD_MQTT: one MQTT message per event
 *
 * Where omnipublish sends the events.
 */
typedef enum {
  GST_OMNI_PUBLISH_METHOD_FILE = 0,
  GST_OMNI_PUBLISH_METHOD_MQTT = 1,
} GstOmniPublishMethod;

#define GST_TYPE_OMNI_PUBLISH (gst_omni_publish_get_type ())
G_DECLARE_FINAL_TYPE (
    GstOmniPublish, gst_omni_publish, GST, OMNI_PUBLISH, GstBaseSink)

GST_ELEMENT_REGISTER_DECLARE (omnipublish);

G_END_DECLS

#endif /* __GST_OMNI_PUBLISH_H__ */
