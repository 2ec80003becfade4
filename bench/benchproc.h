/* gst-omni benchmarks: what several benchmarks share: the
 * process's memory, CPU time and load, and running a set of pipelines.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_BENCH_PROC_H__
#define __OMNI_BENCH_PROC_H__

#include <gst/gst.h>

G_BEGIN_DECLS

gdouble rss_mib (void);
gdouble cpu_s (void);
gdouble loadavg (void);
GstElement *launch (const gchar *desc);
void run_for (GstElement **p, guint n, gdouble seconds);
gdouble stat_of (GstElement *p, const gchar *name, const gchar *field);
gboolean run_collect (
    const gchar *desc, const gchar *name, GPtrArray *messages);

G_END_DECLS

#endif
