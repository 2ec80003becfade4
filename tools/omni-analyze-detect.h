/* gst-omni: omni-analyze's --detect (omnidetect on the sampled frames)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_ANALYZE_DETECT_H__
#define __OMNI_ANALYZE_DETECT_H__

#include <gst/gst.h>
#include <stdio.h>

G_BEGIN_DECLS

typedef struct {
  FILE *out;          /* --detections FILE, or NULL */
  guint n_frames;     /* inferred frames */
  guint n_boxes;      /* boxes over all of them */
  GHashTable *labels; /* label -> boxes (GUINT_TO_POINTER) */
} OaDetect;

gboolean oa_detect_open (OaDetect *d, const gchar *path, GError **error);
GstElement *oa_detect_make (const gchar *model, const gchar *device);
void oa_detect_handle_message (OaDetect *d, const GstStructure *s);
void oa_detect_print_summary (const OaDetect *d);
void oa_detect_close (OaDetect *d);

G_END_DECLS

#endif
