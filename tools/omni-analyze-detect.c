/* gst-omni: omni-analyze's --detect (omnidetect on the sampled frames)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * omnidetect goes after omnisampler, so it runs on the frames analysed
 * (--sample-rate per second, and shot cuts); its "omnidetect" messages are
 * counted for the summary and, with --detections FILE, written as JSON
 * lines (docs/omni-analyze.md), one per analysed frame, in the media's own
 * timeline ("stream-time").
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omni-analyze-detect.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

gboolean
oa_detect_open (OaDetect *d, const gchar *path, GError **error)
{
  memset (d, 0, sizeof (*d));
  d->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!path)
    return TRUE;
  d->out = g_fopen (path, "w");
  if (!d->out) {
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
        "cannot write %s: %s", path, g_strerror (errno));
    return FALSE;
  }
  return TRUE;
}

/* omnidetect model=MODEL (device=DEVICE), or NULL when it is missing.
 * nireq stays 1: on lavapipe one inference already keeps both cores of a
 * 2-core machine busy, and a second session in flight measured slower
 * (docs/benchmarks.md, "omni-analyze --detect on 1080p30") */
GstElement *
oa_detect_make (const gchar *model, const gchar *device)
{
  GstElement *e = gst_element_factory_make ("omnidetect", "detect");

  if (!e)
    return NULL;
  g_object_set (e, "model", model, NULL);
  if (device)
    g_object_set (e, "device", device, NULL);
  return e;
}

static void
add_member (JsonBuilder *b, const GstStructure *s, const gchar *name)
{
  const GValue *v = gst_structure_get_value (s, name);

  if (!v)
    return;
  json_builder_set_member_name (b, name);
  if (G_VALUE_HOLDS_STRING (v))
    json_builder_add_string_value (b, g_value_get_string (v));
  else if (G_VALUE_HOLDS_DOUBLE (v))
    json_builder_add_double_value (b, g_value_get_double (v));
  else if (G_VALUE_HOLDS_UINT (v))
    json_builder_add_int_value (b, g_value_get_uint (v));
  else if (G_VALUE_HOLDS_INT (v))
    json_builder_add_int_value (b, g_value_get_int (v));
  else if (G_VALUE_HOLDS_UINT64 (v))
    json_builder_add_int_value (b, (gint64) g_value_get_uint64 (v));
  else
    json_builder_add_null_value (b);
}

static void
count_box (OaDetect *d, const GstStructure *box)
{
  const gchar *label = gst_structure_get_string (box, "label");
  gpointer n;

  if (!label)
    return;
  n = g_hash_table_lookup (d->labels, label);
  g_hash_table_replace (
      d->labels, g_strdup (label), GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
  d->n_boxes++;
}

static void
write_line (OaDetect *d, const GstStructure *s, const GValue *boxes)
{
  static const gchar *box_fields[] = { "label", "label-id", "confidence",
    "track-id", "x", "y", "w", "h", "x-norm", "y-norm", "w-norm", "h-norm" };
  JsonBuilder *b = json_builder_new ();
  JsonGenerator *gen = json_generator_new ();
  JsonNode *root;
  gchar *text;
  guint i, k;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "detection");
  add_member (b, s, "timestamp");
  add_member (b, s, "stream-time");
  add_member (b, s, "running-time");
  add_member (b, s, "model");
  json_builder_set_member_name (b, "boxes");
  json_builder_begin_array (b);
  for (i = 0; boxes && i < gst_value_list_get_size (boxes); i++) {
    const GstStructure *box
        = gst_value_get_structure (gst_value_list_get_value (boxes, i));

    json_builder_begin_object (b);
    for (k = 0; k < G_N_ELEMENTS (box_fields); k++)
      add_member (b, box, box_fields[k]);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  fprintf (d->out, "%s\n", text);
  g_free (text);
  json_node_unref (root);
  g_object_unref (gen);
  g_object_unref (b);
}

/* One "omnidetect" message (main thread: the bus watch). */
void
oa_detect_handle_message (OaDetect *d, const GstStructure *s)
{
  const GValue *boxes = gst_structure_get_value (s, "boxes");
  guint i;

  if (boxes && !GST_VALUE_HOLDS_LIST (boxes))
    boxes = NULL;
  d->n_frames++;
  for (i = 0; boxes && i < gst_value_list_get_size (boxes); i++) {
    const GValue *v = gst_value_list_get_value (boxes, i);

    if (GST_VALUE_HOLDS_STRUCTURE (v))
      count_box (d, gst_value_get_structure (v));
  }
  if (d->out)
    write_line (d, s, boxes);
}

static gint
by_count (gconstpointer a, gconstpointer b, gpointer table)
{
  guint na = GPOINTER_TO_UINT (g_hash_table_lookup (table, *(gchar **) a));
  guint nb = GPOINTER_TO_UINT (g_hash_table_lookup (table, *(gchar **) b));

  return na != nb ? (na < nb ? 1 : -1) : strcmp (*(gchar **) a, *(gchar **) b);
}

/* "  detections        20 frames, 35 boxes: person 20, car 15" */
void
oa_detect_print_summary (const OaDetect *d)
{
  guint n, i;
  gchar **names = (gchar **) g_hash_table_get_keys_as_array (d->labels, &n);

  g_qsort_with_data (names, n, sizeof (gchar *), by_count, d->labels);
  printf ("  detections        %u frames, %u boxes", d->n_frames, d->n_boxes);
  for (i = 0; i < n; i++)
    printf ("%s%s %u", i ? ", " : ": ", names[i],
        GPOINTER_TO_UINT (g_hash_table_lookup (d->labels, names[i])));
  printf ("\n");
  g_free (names);
}

void
oa_detect_close (OaDetect *d)
{
  if (d->out)
    fclose (d->out);
  d->out = NULL;
  g_clear_pointer (&d->labels, g_hash_table_unref);
}
