/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omniresultsmeta
 * @title: OmniResultsMeta
 * @short_description: typed results of a buffer and their relations
 *
 * Results that are many per buffer and typed (the boxes of a detector,
 * the classes a classifier found in a box, the keypoints of a pose, the
 * text lines read in a frame, per-box tensors) go into one
 * #OmniResultsMeta, modelled on GStreamer 1.24's
 * GstAnalyticsRelationMeta: a list of entries, each with a type, an id
 * (its index, 0, 1, 2, ...) and a confidence, and directed relations
 * between them (#OmniRelation: "box 0 contains class 1", "box 2 is part
 * of box 0").
 *
 * |[<!-- language="C" -->
 * OmniResultsMeta *r = omni_buffer_add_results_meta (buffer);
 * guint box = omni_results_meta_add_box (r, "face", 10, 20, 64, 64, 0.9f, 3);
 * guint cls = omni_results_meta_add_class (r, "emotion", "happy", 0.8f,
 *     0, NULL, NULL);
 * omni_results_meta_relate (r, box, cls, OMNI_RELATION_CONTAINS);
 *
 * guint state = 0;
 * const OmniResult *e;
 * while ((e = omni_results_meta_iterate (r, &state, OMNI_RESULT_TYPE_BOX))) {
 *   const OmniResultBox *b = (const OmniResultBox *) e;
 *   ...
 * }
 * ]|
 *
 * Producers that attach #GstVideoRegionOfInterestMeta (omnidetect,
 * omniocr) mirror them with one call, omni_results_meta_add_from_rois().
 *
 * The meta has the tags of #GstVideoRegionOfInterestMeta ("video",
 * "size", "orientation"): its boxes are in pixels. Copies keep it
 * (identical), scaling transforms (videoscale) scale the boxes, other
 * transforms that change size or orientation drop it.
 *
 * JSON form ("confidence" is null when not given; the members of each
 * kind are in docs/metas.md):
 * |[
 * {"type": "results",
 *  "results": [
 *    {"id": 0, "kind": "box", "confidence": 0.9, "label": "face",
 *     "x": 10, "y": 20, "w": 64, "h": 64, "track-id": 3, "roi-id": -1},
 *    {"id": 1, "kind": "class", "confidence": 0.8, "model": "emotion",
 *     "label": "happy", "value": null, "labels": [], "scores": []}],
 *  "relations": [{"from": 0, "to": 1, "relation": ["contains"]}]}
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/video/video.h>

#include "omniresults-private.h"

typedef struct {
  guint from, to;
  OmniRelation relation;
} OmniResultsRelation;

static const OmniResultsEntryClass *
entry_class (OmniResultType type)
{
  switch (type) {
  case OMNI_RESULT_TYPE_CLASS:
    return &omni_results_class_class;
  case OMNI_RESULT_TYPE_BOX:
    return &omni_results_box_class;
  case OMNI_RESULT_TYPE_KEYPOINTS:
    return &omni_results_keypoints_class;
  case OMNI_RESULT_TYPE_TEXT:
    return &omni_results_text_class;
  case OMNI_RESULT_TYPE_TENSOR:
    return &omni_results_tensor_class;
  default:
    return NULL;
  }
}

GType
omni_result_type_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { OMNI_RESULT_TYPE_ANY, "Any type", "any" },
    { OMNI_RESULT_TYPE_CLASS, "Classes", "class" },
    { OMNI_RESULT_TYPE_BOX, "Box", "box" },
    { OMNI_RESULT_TYPE_KEYPOINTS, "Keypoints", "keypoints" },
    { OMNI_RESULT_TYPE_TEXT, "Text", "text" },
    { OMNI_RESULT_TYPE_TENSOR, "Tensor", "tensor" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("OmniResultType", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

GType
omni_relation_get_type (void)
{
  static GType type = 0;
  static const GFlagsValue values[] = {
    { OMNI_RELATION_NONE, "No relation", "none" },
    { OMNI_RELATION_CONTAINS, "Contains", "contains" },
    { OMNI_RELATION_IS_PART_OF, "Is part of", "is-part-of" },
    { OMNI_RELATION_RELATES_TO, "Relates to", "relates-to" },
    { OMNI_RELATION_ANY, "Any relation", "any" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_flags_register_static ("OmniRelation", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

GType
omni_results_meta_api_get_type (void)
{
  static GType type = 0;
  static const gchar *tags[] = { GST_META_TAG_VIDEO_STR,
    GST_META_TAG_VIDEO_ORIENTATION_STR, GST_META_TAG_VIDEO_SIZE_STR, NULL };

  if (g_once_init_enter (&type)) {
    GType t = gst_meta_api_type_register ("OmniResultsMetaAPI", tags);
    g_once_init_leave (&type, t);
  }
  return type;
}

static void
result_free (gpointer data)
{
  OmniResult *result = data;

  entry_class (result->type)->clear (result);
  g_free (result);
}

static gboolean
omni_results_meta_init (GstMeta *meta, gpointer params, GstBuffer *buffer)
{
  OmniResultsMeta *rmeta = (OmniResultsMeta *) meta;

  rmeta->results = g_ptr_array_new_with_free_func (result_free);
  rmeta->relations = g_array_new (FALSE, FALSE, sizeof (OmniResultsRelation));
  return TRUE;
}

static void
omni_results_meta_free (GstMeta *meta, GstBuffer *buffer)
{
  OmniResultsMeta *rmeta = (OmniResultsMeta *) meta;

  g_ptr_array_unref (rmeta->results);
  g_array_unref (rmeta->relations);
}

/* Appends copies of @src's entries and relations to @dest (ids shifted by
 * @dest's count); scales boxes by @sx, @sy. */
static void
append_copy (
    OmniResultsMeta *dest, const OmniResultsMeta *src, gdouble sx, gdouble sy)
{
  guint offset = dest->results->len, i;

  for (i = 0; i < src->results->len; i++) {
    const OmniResult *s = g_ptr_array_index (src->results, i);
    OmniResult *d = omni_results_meta_append (dest, s->type, s->confidence);

    entry_class (s->type)->copy (d, s);
    if (s->type == OMNI_RESULT_TYPE_BOX && (sx != 1.0 || sy != 1.0)) {
      OmniResultBox *b = (OmniResultBox *) d;
      gint x1 = (gint) (b->x * sx + 0.5), y1 = (gint) (b->y * sy + 0.5);

      b->w = (gint) ((b->x + b->w) * sx + 0.5) - x1;
      b->h = (gint) ((b->y + b->h) * sy + 0.5) - y1;
      b->x = x1;
      b->y = y1;
    }
  }
  for (i = 0; i < src->relations->len; i++) {
    OmniResultsRelation r
        = g_array_index (src->relations, OmniResultsRelation, i);

    r.from += offset;
    r.to += offset;
    g_array_append_val (dest->relations, r);
  }
}

static gboolean
omni_results_meta_transform (GstBuffer *dest, GstMeta *meta, GstBuffer *buffer,
    GQuark type, gpointer data)
{
  OmniResultsMeta *src = (OmniResultsMeta *) meta;
  gdouble sx = 1.0, sy = 1.0;

  if (GST_META_TRANSFORM_IS_COPY (type)) {
    GstMetaTransformCopy *copy = data;

    /* A region is another frame: its pixels no longer match the boxes. */
    if (copy->region)
      return TRUE;
  } else if (GST_VIDEO_META_TRANSFORM_IS_SCALE (type)) {
    GstVideoMetaTransform *trans = data;

    if (GST_VIDEO_INFO_WIDTH (trans->in_info) == 0
        || GST_VIDEO_INFO_HEIGHT (trans->in_info) == 0)
      return FALSE;
    sx = (gdouble) GST_VIDEO_INFO_WIDTH (trans->out_info)
         / GST_VIDEO_INFO_WIDTH (trans->in_info);
    sy = (gdouble) GST_VIDEO_INFO_HEIGHT (trans->out_info)
         / GST_VIDEO_INFO_HEIGHT (trans->in_info);
  } else {
    return FALSE;
  }
  append_copy (omni_buffer_add_results_meta (dest), src, sx, sy);
  return TRUE;
}

const GstMetaInfo *
omni_results_meta_get_info (void)
{
  static const GstMetaInfo *info = NULL;

  if (g_once_init_enter ((GstMetaInfo **) &info)) {
    const GstMetaInfo *mi = gst_meta_register (OMNI_RESULTS_META_API_TYPE,
        "OmniResultsMeta", sizeof (OmniResultsMeta), omni_results_meta_init,
        omni_results_meta_free, omni_results_meta_transform);
    g_once_init_leave ((GstMetaInfo **) &info, (GstMetaInfo *) mi);
  }
  return info;
}

/* The header's macro of the same name inlines this lookup for C callers. */
#undef omni_buffer_get_results_meta

/**
 * omni_buffer_get_results_meta:
 * @buffer: a #GstBuffer
 *
 * The function behind the omni_buffer_get_results_meta() macro, for
 * language bindings: from Python, `Omni.buffer_get_results_meta (buf)`.
 *
 * Returns: (transfer none) (nullable): the #OmniResultsMeta of @buffer, or
 * %NULL if it has none
 */
OmniResultsMeta *
omni_buffer_get_results_meta (GstBuffer *buffer)
{
  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);

  return (OmniResultsMeta *) gst_buffer_get_meta (
      buffer, OMNI_RESULTS_META_API_TYPE);
}

/**
 * omni_buffer_add_results_meta:
 * @buffer: a writable #GstBuffer
 *
 * A buffer carries at most one #OmniResultsMeta: this returns the one
 * @buffer has, or adds an empty one.
 *
 * Returns: (transfer none): the #OmniResultsMeta of @buffer
 */
OmniResultsMeta *
omni_buffer_add_results_meta (GstBuffer *buffer)
{
  OmniResultsMeta *meta;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);

  meta = (OmniResultsMeta *) gst_buffer_get_meta (
      buffer, OMNI_RESULTS_META_API_TYPE);
  if (meta)
    return meta;
  g_return_val_if_fail (gst_buffer_is_writable (buffer), NULL);
  return (OmniResultsMeta *) gst_buffer_add_meta (
      buffer, OMNI_RESULTS_META_INFO, NULL);
}

OmniResult *
omni_results_meta_append (
    OmniResultsMeta *meta, OmniResultType type, gfloat confidence)
{
  const OmniResultsEntryClass *klass = entry_class (type);
  OmniResult *result = g_malloc0 (klass->size);

  result->id = meta->results->len;
  result->type = type;
  result->confidence = confidence;
  g_ptr_array_add (meta->results, result);
  return result;
}

const OmniResult *
omni_results_meta_get_typed (
    const OmniResultsMeta *meta, guint id, OmniResultType type)
{
  const OmniResult *result;

  g_return_val_if_fail (meta != NULL, NULL);

  if (id >= meta->results->len)
    return NULL;
  result = g_ptr_array_index (meta->results, id);
  return type == OMNI_RESULT_TYPE_ANY || result->type == type ? result : NULL;
}

/**
 * omni_results_meta_get_n_results:
 * @meta: an #OmniResultsMeta
 *
 * Returns: the number of entries (ids run from 0 to this minus 1)
 */
guint
omni_results_meta_get_n_results (const OmniResultsMeta *meta)
{
  g_return_val_if_fail (meta != NULL, 0);

  return meta->results->len;
}

/**
 * omni_results_meta_get:
 * @meta: an #OmniResultsMeta
 * @id: an entry id
 *
 * Returns: (transfer none) (nullable): entry @id (cast it to the struct of
 * its type, or use the typed getters), or %NULL if there is none
 */
const OmniResult *
omni_results_meta_get (const OmniResultsMeta *meta, guint id)
{
  return omni_results_meta_get_typed (meta, id, OMNI_RESULT_TYPE_ANY);
}

/**
 * omni_results_meta_iterate:
 * @meta: an #OmniResultsMeta
 * @state: (inout): 0 before the first call; updated by each call
 * @type: the type of the entries wanted, or %OMNI_RESULT_TYPE_ANY
 *
 * Iterates over the entries of type @type in id order.
 *
 * Returns: (transfer none) (nullable): the next entry, or %NULL at the end
 */
const OmniResult *
omni_results_meta_iterate (
    const OmniResultsMeta *meta, guint *state, OmniResultType type)
{
  g_return_val_if_fail (meta != NULL, NULL);
  g_return_val_if_fail (state != NULL, NULL);

  while (*state < meta->results->len) {
    const OmniResult *r = g_ptr_array_index (meta->results, *state);

    (*state)++;
    if (type == OMNI_RESULT_TYPE_ANY || r->type == type)
      return r;
  }
  return NULL;
}

/**
 * omni_results_meta_relate:
 * @meta: an #OmniResultsMeta
 * @from: id of the first entry
 * @to: id of the second entry
 * @relation: the relation(s) of @from to @to, added to those already set
 *
 * Records "@from @relation @to", e.g. (box, class, %OMNI_RELATION_CONTAINS).
 *
 * Returns: %FALSE if an id is unknown, @from equals @to or @relation has
 * no known flag
 */
gboolean
omni_results_meta_relate (
    OmniResultsMeta *meta, guint from, guint to, OmniRelation relation)
{
  OmniResultsRelation r = { from, to, relation & OMNI_RELATION_ANY };
  guint i;

  g_return_val_if_fail (meta != NULL, FALSE);

  if (from >= meta->results->len || to >= meta->results->len || from == to
      || r.relation == OMNI_RELATION_NONE)
    return FALSE;
  for (i = 0; i < meta->relations->len; i++) {
    OmniResultsRelation *e
        = &g_array_index (meta->relations, OmniResultsRelation, i);

    if (e->from == from && e->to == to) {
      e->relation |= r.relation;
      return TRUE;
    }
  }
  g_array_append_val (meta->relations, r);
  return TRUE;
}

/**
 * omni_results_meta_get_relation:
 * @meta: an #OmniResultsMeta
 * @from: id of the first entry
 * @to: id of the second entry
 *
 * Returns: the relations recorded from @from to @to
 * (%OMNI_RELATION_NONE if none)
 */
OmniRelation
omni_results_meta_get_relation (
    const OmniResultsMeta *meta, guint from, guint to)
{
  guint i;

  g_return_val_if_fail (meta != NULL, OMNI_RELATION_NONE);

  for (i = 0; i < meta->relations->len; i++) {
    const OmniResultsRelation *e
        = &g_array_index (meta->relations, OmniResultsRelation, i);

    if (e->from == from && e->to == to)
      return e->relation;
  }
  return OMNI_RELATION_NONE;
}

/**
 * omni_results_meta_iterate_related:
 * @meta: an #OmniResultsMeta
 * @id: an entry id
 * @relation: the relations wanted (any of them matches)
 * @type: the type of the related entries wanted, or %OMNI_RESULT_TYPE_ANY
 * @state: (inout): 0 before the first call; updated by each call
 *
 * Iterates, in id order, over the entries E of type @type such that
 * "@id R E" was recorded with R in @relation: e.g. the classes a box
 * contains.
 *
 * Returns: (transfer none) (nullable): the next such entry, or %NULL
 */
const OmniResult *
omni_results_meta_iterate_related (const OmniResultsMeta *meta, guint id,
    OmniRelation relation, OmniResultType type, guint *state)
{
  g_return_val_if_fail (meta != NULL, NULL);
  g_return_val_if_fail (state != NULL, NULL);

  while (*state < meta->results->len) {
    const OmniResult *r = g_ptr_array_index (meta->results, *state);

    (*state)++;
    if ((type == OMNI_RESULT_TYPE_ANY || r->type == type)
        && (omni_results_meta_get_relation (meta, id, r->id) & relation))
      return r;
  }
  return NULL;
}

/**
 * omni_results_meta_equal:
 * @a: an #OmniResultsMeta
 * @b: an #OmniResultsMeta
 *
 * Returns: whether @a and @b have the same entries (same types and values,
 * NaN equal to NaN) and the same relations, in the same order
 */
gboolean
omni_results_meta_equal (const OmniResultsMeta *a, const OmniResultsMeta *b)
{
  guint i;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->results->len != b->results->len
      || a->relations->len != b->relations->len)
    return FALSE;
  for (i = 0; i < a->results->len; i++) {
    const OmniResult *x = g_ptr_array_index (a->results, i);
    const OmniResult *y = g_ptr_array_index (b->results, i);

    if (x->type != y->type
        || !omni_results_floats_equal (&x->confidence, &y->confidence, 1)
        || !entry_class (x->type)->equal (x, y))
      return FALSE;
  }
  for (i = 0; i < a->relations->len; i++) {
    const OmniResultsRelation *x
        = &g_array_index (a->relations, OmniResultsRelation, i);
    const OmniResultsRelation *y
        = &g_array_index (b->relations, OmniResultsRelation, i);

    if (x->from != y->from || x->to != y->to || x->relation != y->relation)
      return FALSE;
  }
  return TRUE;
}

/**
 * omni_results_meta_to_json:
 * @meta: an #OmniResultsMeta
 *
 * Returns: (transfer full): a JSON object node (see the SECTION comment)
 */
JsonNode *
omni_results_meta_to_json (const OmniResultsMeta *meta)
{
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonArray *results = json_array_sized_new (meta->results->len);
  JsonArray *relations = json_array_sized_new (meta->relations->len);
  guint i;

  for (i = 0; i < meta->results->len; i++) {
    const OmniResult *r = g_ptr_array_index (meta->results, i);
    const OmniResultsEntryClass *klass = entry_class (r->type);
    JsonObject *e = json_object_new ();

    json_object_set_int_member (e, "id", r->id);
    json_object_set_string_member (e, "kind", klass->kind);
    omni_json_set_double_or_null (e, "confidence", r->confidence);
    klass->to_json (r, e);
    json_array_add_object_element (results, e);
  }
  for (i = 0; i < meta->relations->len; i++) {
    const OmniResultsRelation *r
        = &g_array_index (meta->relations, OmniResultsRelation, i);
    JsonObject *e = json_object_new ();

    json_object_set_int_member (e, "from", r->from);
    json_object_set_int_member (e, "to", r->to);
    json_object_set_member (e, "relation",
        omni_json_flags_to_array (OMNI_TYPE_RELATION, r->relation));
    json_array_add_object_element (relations, e);
  }
  json_object_set_string_member (o, "type", "results");
  json_object_set_array_member (o, "results", results);
  json_object_set_array_member (o, "relations", relations);
  json_node_take_object (node, o);
  return node;
}

/* One entry of "results": appended to @meta, %FALSE with @error set if
 * malformed (the caller then drops @meta's new entries). */
static gboolean
result_from_json (
    OmniResultsMeta *meta, JsonNode *node, guint index, GError **error)
{
  JsonObject *e;
  const gchar *kind;
  guint64 id;
  gdouble confidence;
  gint type;
  OmniResult *r;

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"results\": element %u is not an object", index);
    return FALSE;
  }
  e = json_node_get_object (node);
  if (!omni_json_get_uint64 (e, "id", &id, error)
      || !(kind = omni_json_get_string (e, "kind", error))
      || !omni_results_nullable_double_from_json (
          e, "confidence", &confidence, error)
      || !omni_json_get_enum (e, "kind", OMNI_TYPE_RESULT_TYPE, &type, error))
    return FALSE;
  if (id != meta->results->len || type == OMNI_RESULT_TYPE_ANY) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"results\": element %u has id %" G_GUINT64_FORMAT
        " or kind \"%s\" (ids are 0, 1, 2, ... in order)",
        index, id, kind);
    return FALSE;
  }
  r = omni_results_meta_append (meta, type, (gfloat) confidence);
  return entry_class (type)->from_json (r, e, error);
}

static gboolean
relation_from_json (
    OmniResultsMeta *meta, JsonNode *node, guint index, GError **error)
{
  JsonObject *e;
  guint64 from, to;
  guint relation;

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"relations\": element %u is not an object", index);
    return FALSE;
  }
  e = json_node_get_object (node);
  if (!omni_json_get_uint64 (e, "from", &from, error)
      || !omni_json_get_uint64 (e, "to", &to, error)
      || !omni_json_get_flags (
          e, "relation", OMNI_TYPE_RELATION, &relation, error))
    return FALSE;
  if (from > G_MAXUINT || to > G_MAXUINT
      || !omni_results_meta_relate (
          meta, (guint) from, (guint) to, (OmniRelation) relation)) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"relations\": element %u relates unknown or equal ids or "
        "has no relation",
        index);
    return FALSE;
  }
  return TRUE;
}

/* Reads the entries into a scratch meta on a scratch buffer, so that
 * nothing is added to @buffer on error. */
static gboolean
results_from_json (OmniResultsMeta *meta, JsonObject *object, GError **error)
{
  JsonArray *results, *relations;
  guint i;

  if (!(results = omni_json_get_array (object, "results", error))
      || !(relations = omni_json_get_array (object, "relations", error)))
    return FALSE;
  for (i = 0; i < json_array_get_length (results); i++) {
    if (!result_from_json (meta, json_array_get_element (results, i), i, error))
      return FALSE;
  }
  for (i = 0; i < json_array_get_length (relations); i++) {
    if (!relation_from_json (
            meta, json_array_get_element (relations, i), i, error))
      return FALSE;
  }
  return TRUE;
}

/**
 * omni_buffer_add_results_meta_from_json:
 * @buffer: a writable #GstBuffer
 * @object: the JSON object written by omni_results_meta_to_json()
 * @error: return location for a #GError
 *
 * Adds the entries and relations of @object to @buffer's results meta
 * (added if it has none; ids are shifted by the entries it already has).
 *
 * Returns: (transfer none) (nullable): the results meta of @buffer, or
 * %NULL with @error set (and @buffer unchanged) when a member is missing
 * or malformed
 */
OmniResultsMeta *
omni_buffer_add_results_meta_from_json (
    GstBuffer *buffer, JsonObject *object, GError **error)
{
  GstBuffer *scratch = gst_buffer_new ();
  OmniResultsMeta *tmp = omni_buffer_add_results_meta (scratch);
  OmniResultsMeta *meta = NULL;

  if (results_from_json (tmp, object, error)) {
    meta = omni_buffer_add_results_meta (buffer);
    append_copy (meta, tmp, 1.0, 1.0);
  }
  gst_buffer_unref (scratch);
  return meta;
}
