/* gst-omni: box entries of OmniResultsMeta
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * JSON members: "label" (string), "x", "y", "w", "h" (integers, pixels),
 * "track-id" (integer, 0 = not tracked), "roi-id" (integer, -1 = none).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniresults-private.h"

static void
box_clear (OmniResult *result)
{
  g_free (((OmniResultBox *) result)->label);
}

static void
box_copy (OmniResult *dest, const OmniResult *src)
{
  OmniResultBox *d = (OmniResultBox *) dest;
  const OmniResultBox *s = (const OmniResultBox *) src;

  d->label = g_strdup (s->label);
  d->x = s->x;
  d->y = s->y;
  d->w = s->w;
  d->h = s->h;
  d->track_id = s->track_id;
  d->roi_id = s->roi_id;
}

static gboolean
box_equal (const OmniResult *a, const OmniResult *b)
{
  const OmniResultBox *x = (const OmniResultBox *) a;
  const OmniResultBox *y = (const OmniResultBox *) b;

  return g_strcmp0 (x->label, y->label) == 0 && x->x == y->x && x->y == y->y
         && x->w == y->w && x->h == y->h && x->track_id == y->track_id
         && x->roi_id == y->roi_id;
}

static void
box_to_json (const OmniResult *result, JsonObject *o)
{
  const OmniResultBox *b = (const OmniResultBox *) result;

  json_object_set_string_member (o, "label", b->label);
  json_object_set_int_member (o, "x", b->x);
  json_object_set_int_member (o, "y", b->y);
  json_object_set_int_member (o, "w", b->w);
  json_object_set_int_member (o, "h", b->h);
  json_object_set_int_member (o, "track-id", b->track_id);
  json_object_set_int_member (o, "roi-id", b->roi_id);
}

/* An integer member within [min, max]. */
static gboolean
get_int (JsonObject *o, const gchar *member, gint64 min, gint64 max,
    gint64 *value, GError **error)
{
  JsonNode *node = json_object_get_member (o, member);

  if (!node || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < min || json_node_get_int (node) > max) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        node ? "member \"%s\" is not an integer in range"
             : "member \"%s\" is missing",
        member);
    return FALSE;
  }
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
box_from_json (OmniResult *result, JsonObject *o, GError **error)
{
  OmniResultBox *b = (OmniResultBox *) result;
  const gchar *label;
  gint64 x, y, w, h, track, roi;

  if (!(label = omni_json_get_string (o, "label", error))
      || !get_int (o, "x", G_MININT, G_MAXINT, &x, error)
      || !get_int (o, "y", G_MININT, G_MAXINT, &y, error)
      || !get_int (o, "w", 0, G_MAXINT, &w, error)
      || !get_int (o, "h", 0, G_MAXINT, &h, error)
      || !get_int (o, "track-id", 0, G_MAXUINT, &track, error)
      || !get_int (o, "roi-id", G_MININT, G_MAXINT, &roi, error))
    return FALSE;
  b->label = g_strdup (label);
  b->x = (gint) x;
  b->y = (gint) y;
  b->w = (gint) w;
  b->h = (gint) h;
  b->track_id = (guint) track;
  b->roi_id = (gint) roi;
  return TRUE;
}

const OmniResultsEntryClass omni_results_box_class = {
  OMNI_RESULT_TYPE_BOX,
  "box",
  sizeof (OmniResultBox),
  box_clear,
  box_copy,
  box_equal,
  box_to_json,
  box_from_json,
};

/**
 * omni_results_meta_add_box:
 * @meta: an #OmniResultsMeta
 * @label: what the box holds ("person", "face", "text", ...)
 * @x: left edge, pixels
 * @y: top edge, pixels
 * @w: width, pixels (>= 0)
 * @h: height, pixels (>= 0)
 * @confidence: the detector's score, 0..1 (NaN: unknown)
 * @track_id: the tracker's id, 0 when not tracked
 *
 * Adds a box entry (its roi_id is -1; see
 * omni_results_meta_set_box_roi_id()).
 *
 * Returns: its id, or %OMNI_RESULT_ID_INVALID on invalid arguments
 */
guint
omni_results_meta_add_box (OmniResultsMeta *meta, const gchar *label, gint x,
    gint y, gint w, gint h, gfloat confidence, guint track_id)
{
  OmniResultBox *b;

  g_return_val_if_fail (meta != NULL, OMNI_RESULT_ID_INVALID);
  g_return_val_if_fail (label != NULL, OMNI_RESULT_ID_INVALID);
  g_return_val_if_fail (w >= 0 && h >= 0, OMNI_RESULT_ID_INVALID);

  b = (OmniResultBox *) omni_results_meta_append (
      meta, OMNI_RESULT_TYPE_BOX, confidence);
  b->label = g_strdup (label);
  b->x = x;
  b->y = y;
  b->w = w;
  b->h = h;
  b->track_id = track_id;
  b->roi_id = -1;
  return b->result.id;
}

/**
 * omni_results_meta_set_box_roi_id:
 * @meta: an #OmniResultsMeta
 * @id: the id of a box entry
 * @roi_id: the id of the #GstVideoRegionOfInterestMeta it mirrors
 *
 * Links box @id to a ROI meta of the same buffer.
 */
void
omni_results_meta_set_box_roi_id (OmniResultsMeta *meta, guint id, gint roi_id)
{
  OmniResultBox *b = (OmniResultBox *) omni_results_meta_get_box (meta, id);

  g_return_if_fail (b != NULL);
  b->roi_id = roi_id;
}

/**
 * omni_results_meta_get_box:
 * @meta: an #OmniResultsMeta
 * @id: an entry id
 *
 * Returns: (transfer none) (nullable): entry @id if it is a box entry
 */
const OmniResultBox *
omni_results_meta_get_box (const OmniResultsMeta *meta, guint id)
{
  return (const OmniResultBox *) omni_results_meta_get_typed (
      meta, id, OMNI_RESULT_TYPE_BOX);
}
