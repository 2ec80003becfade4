/* gst-omni: omni-analyze with several inputs in one process
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_ANALYZE_MULTI_H__
#define __OMNI_ANALYZE_MULTI_H__

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct {
  const gchar *model;
  const gchar *policy;
  const gchar *device;
  const gchar *json_path;
  const gchar *mqtt_url;
  gdouble sample_rate;
  GstClockTime window;
  gboolean live;
  gboolean quiet;
  gboolean fail_on_flag;
} OaMultiOptions;

/* Runs one pipeline per input (the `inputs`, then the lines of
 * `inputs_file`); returns the exit status. */
gint oa_multi_run (
    const OaMultiOptions *opt, gchar **inputs, const gchar *inputs_file);

G_END_DECLS

#endif
