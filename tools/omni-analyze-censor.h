/* gst-omni: omni-analyze's --censor copy (omnicensor)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_ANALYZE_CENSOR_H__
#define __OMNI_ANALYZE_CENSOR_H__

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct {
  GstElement *censor, *mux, *sink;
} OaCensor;

gboolean oa_censor_build (OaCensor *c, GstBin *bin, const gchar *path,
    GstClockTime delay, gboolean sync);
gboolean oa_censor_link_verdicts (OaCensor *c, GstBin *bin, GstElement *tee);
gboolean oa_censor_link_video (
    OaCensor *c, GstBin *bin, GstElement *tee, GstClockTime queue_time);
gboolean oa_censor_link_audio (
    OaCensor *c, GstBin *bin, GstElement *tee, GstClockTime queue_time);

G_END_DECLS

#endif
