/* gst-omni benchmarks: what several benchmarks share.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "benchproc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

gdouble
rss_mib (void)
{
  long pages = 0, resident = 0;
  FILE *f = fopen ("/proc/self/statm", "r");

  if (f) {
    if (fscanf (f, "%ld %ld", &pages, &resident) != 2)
      resident = 0;
    fclose (f);
  }
  return resident * (gdouble) sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

gdouble
cpu_s (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec
         + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

gdouble
loadavg (void)
{
  gdouble l = 0;
  FILE *f = fopen ("/proc/loadavg", "r");

  if (f) {
    if (fscanf (f, "%lf", &l) != 1)
      l = 0;
    fclose (f);
  }
  return l;
}

GstElement *
launch (const gchar *desc)
{
  GError *err = NULL;
  GstElement *p = gst_parse_launch (desc, &err);

  if (!p) {
    g_printerr ("%s: %s\n", desc, err->message);
    exit (2);
  }
  return p;
}

/* Fails loudly on an error message; returns when `seconds` have passed. */
void
run_for (GstElement **p, guint n, gdouble seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * 1e6);
  guint i;

  while (g_get_monotonic_time () < end) {
    for (i = 0; i < n; i++) {
      GstBus *bus = gst_element_get_bus (p[i]);
      GstMessage *m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

      gst_object_unref (bus);
      if (m) {
        GError *err;
        gchar *dbg = NULL;

        gst_message_parse_error (m, &err, &dbg);
        g_printerr (
            "stream %u: error: %s (%s)\n", i, err->message, GST_STR_NULL (dbg));
        exit (2);
      }
    }
    g_usleep (100000);
  }
}

/* A double, guint64 or guint field of an element's "stats". */
gdouble
stat_of (GstElement *p, const gchar *name, const gchar *field)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (p), name);
  GstStructure *s = NULL;
  const GValue *v;
  gdouble r = 0;

  if (!e)
    return 0;
  g_object_get (e, "stats", &s, NULL);
  v = s ? gst_structure_get_value (s, field) : NULL;
  if (v && G_VALUE_HOLDS_UINT64 (v))
    r = g_value_get_uint64 (v);
  else if (v && G_VALUE_HOLDS_UINT (v))
    r = g_value_get_uint (v);
  else if (v && G_VALUE_HOLDS_DOUBLE (v))
    r = g_value_get_double (v);
  if (s)
    gst_structure_free (s);
  gst_object_unref (e);
  return r;
}

/* Runs the pipeline @desc to EOS; copies the structure of every element
 * message called @name (if @name) into @messages. Returns FALSE on a parse
 * or pipeline error (printed). */
gboolean
run_collect (const gchar *desc, const gchar *name, GPtrArray *messages)
{
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstBus *bus;
  GstMessage *m;
  gboolean ok = FALSE;

  if (!pipe)
    return FALSE;
  bus = gst_element_get_bus (pipe);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  while ((m = gst_bus_timed_pop (bus, GST_CLOCK_TIME_NONE))) {
    GstMessageType t = GST_MESSAGE_TYPE (m);

    if (name && messages && t == GST_MESSAGE_ELEMENT
        && gst_message_has_name (m, name))
      g_ptr_array_add (
          messages, gst_structure_copy (gst_message_get_structure (m)));
    if (t == GST_MESSAGE_ERROR)
      g_printerr ("error: %s\n", desc);
    gst_message_unref (m);
    if (t == GST_MESSAGE_EOS || t == GST_MESSAGE_ERROR) {
      ok = t == GST_MESSAGE_EOS;
      break;
    }
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipe);
  return ok;
}
