/* gst-omni: unit tests for OmniResultsMeta (typed entries and relations)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/video/video.h>
#include <omni/omni.h>

static const gchar *emotions[]
    = { "angry", "disgust", "fear", "happy", "sad", "surprise", "neutral" };
static const gfloat emotion_scores[]
    = { 0.01f, 0.02f, 0.03f, 0.8f, 0.04f, 0.05f, 0.05f };
static const gchar *kp_names[] = { "nose", "left_eye", "right_eye" };
static const gfloat kp_x[] = { 0.5f, 0.45f, 0.55f };
static const gfloat kp_y[] = { 0.25f, 0.2f, 0.2f };
static const gfloat kp_s[] = { 0.9f, 0.6f, 0.3f };

/* A meta with one entry of each type and relations between them; returns
 * the ids in @ids (box, class, keypoints, text, tensor, face box). */
static OmniResultsMeta *
fill (GstBuffer *buf, guint ids[6])
{
  OmniResultsMeta *r = omni_buffer_add_results_meta (buf);
  const gfloat emb[] = { 1.0f, -2.0f, 0.5f, 3.25f };
  const gsize dims[] = { 1, 4 };
  GBytes *data = g_bytes_new (emb, sizeof (emb));

  ids[0] = omni_results_meta_add_box (r, "person", 10, 20, 100, 200, 0.9f, 7);
  ids[1] = omni_results_meta_add_class (
      r, "emotion", "happy", 0.8f, 7, emotions, emotion_scores);
  ids[2] = omni_results_meta_add_keypoints (
      r, "movenet-lightning", 3, kp_names, kp_x, kp_y, kp_s);
  ids[3] = omni_results_meta_add_text (r, "Grüße 123", 0.75f);
  ids[4] = omni_results_meta_add_tensor (
      r, "embedding", OMNI_TENSOR_DTYPE_F32, 2, dims, data, NAN);
  ids[5] = omni_results_meta_add_box (r, "face", 40, 30, 32, 40, 0.5f, 0);
  g_bytes_unref (data);

  fail_unless (
      omni_results_meta_relate (r, ids[0], ids[1], OMNI_RELATION_CONTAINS));
  fail_unless (
      omni_results_meta_relate (r, ids[0], ids[2], OMNI_RELATION_CONTAINS));
  fail_unless (
      omni_results_meta_relate (r, ids[5], ids[0], OMNI_RELATION_IS_PART_OF));
  fail_unless (
      omni_results_meta_relate (r, ids[5], ids[0], OMNI_RELATION_RELATES_TO));
  return r;
}

GST_START_TEST (test_results_add_get)
{
  GstBuffer *buf = gst_buffer_new ();
  OmniResultsMeta *r;
  const OmniResultBox *box;
  const OmniResultClass *cls;
  const OmniResultKeypoints *kp;
  const OmniResultText *text;
  const OmniResultTensor *t;
  guint ids[6], i;

  fail_unless (omni_buffer_get_results_meta (buf) == NULL);
  r = fill (buf, ids);
  for (i = 0; i < 6; i++)
    fail_unless_equals_int (ids[i], i);
  fail_unless (omni_buffer_get_results_meta (buf) == r);
  fail_unless (omni_buffer_add_results_meta (buf) == r, "one per buffer");
  fail_unless_equals_int (omni_results_meta_get_n_results (r), 6);

  box = omni_results_meta_get_box (r, ids[0]);
  fail_unless (box != NULL);
  fail_unless_equals_string (box->label, "person");
  fail_unless (box->x == 10 && box->y == 20 && box->w == 100 && box->h == 200);
  fail_unless_equals_int (box->track_id, 7);
  fail_unless_equals_int (box->roi_id, -1);
  fail_unless_equals_float (box->result.confidence, 0.9f);
  fail_unless (box->result.type == OMNI_RESULT_TYPE_BOX);

  cls = omni_results_meta_get_class (r, ids[1]);
  fail_unless_equals_string (cls->model, "emotion");
  fail_unless_equals_string (cls->label, "happy");
  fail_unless (isnan (cls->value));
  fail_unless_equals_int (cls->n_classes, 7);
  fail_unless_equals_string (cls->labels[6], "neutral");
  fail_unless (cls->labels[7] == NULL);
  fail_unless_equals_float (cls->scores[3], 0.8f);

  kp = omni_results_meta_get_keypoints (r, ids[2]);
  fail_unless_equals_int (kp->n_points, 3);
  fail_unless_equals_string (kp->names[1], "left_eye");
  fail_unless_equals_float (kp->x[2], 0.55f);
  fail_unless_equals_float (kp->y[0], 0.25f);
  /* the mean of the point scores */
  fail_unless (fabsf (kp->result.confidence - 0.6f) < 1e-6f);

  text = omni_results_meta_get_text (r, ids[3]);
  fail_unless_equals_string (text->text, "Grüße 123");

  t = omni_results_meta_get_tensor (r, ids[4]);
  fail_unless_equals_string (t->name, "embedding");
  fail_unless (t->n_dims == 2 && t->dims[0] == 1 && t->dims[1] == 4);
  fail_unless_equals_int (g_bytes_get_size (t->data), 16);
  fail_unless (isnan (t->result.confidence));

  /* typed getters refuse other types and unknown ids */
  fail_unless (omni_results_meta_get_box (r, ids[1]) == NULL);
  fail_unless (omni_results_meta_get_class (r, ids[0]) == NULL);
  fail_unless (omni_results_meta_get (r, 6) == NULL);
  fail_unless (omni_results_meta_get (r, ids[3]) == &text->result);

  /* a tensor whose data does not match its dims is refused */
  {
    const gsize dims[] = { 3 };
    GBytes *data = g_bytes_new_static ("abcd", 4);

    fail_unless_equals_int (omni_results_meta_add_tensor (r, "bad",
                                OMNI_TENSOR_DTYPE_F32, 1, dims, data, 1.0f),
        OMNI_RESULT_ID_INVALID);
    g_bytes_unref (data);
    fail_unless_equals_int (omni_results_meta_get_n_results (r), 6);
  }
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_results_relations)
{
  GstBuffer *buf = gst_buffer_new ();
  guint ids[6], state = 0, n = 0;
  OmniResultsMeta *r = fill (buf, ids);
  const OmniResult *e;

  fail_unless (omni_results_meta_get_relation (r, ids[0], ids[1])
               == OMNI_RELATION_CONTAINS);
  /* directed: nothing recorded the other way */
  fail_unless (
      omni_results_meta_get_relation (r, ids[1], ids[0]) == OMNI_RELATION_NONE);
  /* flags accumulate on a pair */
  fail_unless (omni_results_meta_get_relation (r, ids[5], ids[0])
               == (OMNI_RELATION_IS_PART_OF | OMNI_RELATION_RELATES_TO));

  /* refused: unknown ids, self relation, no relation */
  fail_if (omni_results_meta_relate (r, ids[0], 99, OMNI_RELATION_CONTAINS));
  fail_if (omni_results_meta_relate (r, ids[0], ids[0], OMNI_RELATION_ANY));
  fail_if (omni_results_meta_relate (r, ids[0], ids[3], OMNI_RELATION_NONE));

  /* what the person box contains: the class and the keypoints */
  while ((e = omni_results_meta_iterate_related (r, ids[0],
              OMNI_RELATION_CONTAINS, OMNI_RESULT_TYPE_ANY, &state))) {
    fail_unless (e->id == (n == 0 ? ids[1] : ids[2]));
    n++;
  }
  fail_unless_equals_int (n, 2);
  state = 0;
  e = omni_results_meta_iterate_related (
      r, ids[0], OMNI_RELATION_CONTAINS, OMNI_RESULT_TYPE_KEYPOINTS, &state);
  fail_unless (e != NULL && e->id == ids[2]);
  fail_unless (omni_results_meta_iterate_related (r, ids[0],
                   OMNI_RELATION_CONTAINS, OMNI_RESULT_TYPE_KEYPOINTS, &state)
               == NULL);
  state = 0;
  e = omni_results_meta_iterate_related (
      r, ids[5], OMNI_RELATION_IS_PART_OF, OMNI_RESULT_TYPE_BOX, &state);
  fail_unless (e != NULL && e->id == ids[0]);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_results_iterate)
{
  GstBuffer *buf = gst_buffer_new ();
  guint ids[6], state = 0, n = 0;
  OmniResultsMeta *r = fill (buf, ids);
  const OmniResult *e;

  while ((e = omni_results_meta_iterate (r, &state, OMNI_RESULT_TYPE_BOX))) {
    fail_unless (e->type == OMNI_RESULT_TYPE_BOX);
    fail_unless (e->id == (n == 0 ? ids[0] : ids[5]));
    n++;
  }
  fail_unless_equals_int (n, 2);
  state = n = 0;
  while ((e = omni_results_meta_iterate (r, &state, OMNI_RESULT_TYPE_ANY)))
    fail_unless_equals_int (e->id, n++);
  fail_unless_equals_int (n, 6);
  state = 0;
  e = omni_results_meta_iterate (r, &state, OMNI_RESULT_TYPE_TEXT);
  fail_unless (e != NULL && e->id == ids[3]);
  fail_unless (
      omni_results_meta_iterate (r, &state, OMNI_RESULT_TYPE_TEXT) == NULL);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_results_copy)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 64, NULL);
  GstBuffer *copy;
  guint ids[6];
  OmniResultsMeta *r = fill (buf, ids), *c;

  copy = gst_buffer_copy (buf);
  c = omni_buffer_get_results_meta (copy);
  fail_unless (c != NULL && c != r);
  fail_unless (omni_results_meta_equal (r, c));
  /* a deep copy: changing the original leaves the copy alone */
  omni_results_meta_add_text (r, "more", 1.0f);
  fail_unless_equals_int (omni_results_meta_get_n_results (c), 6);
  fail_if (omni_results_meta_equal (r, c));
  gst_buffer_unref (buf);
  /* the copy outlives its original */
  fail_unless_equals_string (omni_results_meta_get_box (c, 0)->label, "person");
  gst_buffer_unref (copy);
}

GST_END_TEST;

/* The scaling transform (videoscale) scales the boxes. */
GST_START_TEST (test_results_scale)
{
  GstBuffer *buf = gst_buffer_new (), *dest = gst_buffer_new ();
  OmniResultsMeta *r = omni_buffer_add_results_meta (buf), *d;
  GstVideoInfo in, out;
  GstVideoMetaTransform trans = { &in, &out };
  const OmniResultBox *b;
  guint id;

  gst_video_info_set_format (&in, GST_VIDEO_FORMAT_I420, 640, 480);
  gst_video_info_set_format (&out, GST_VIDEO_FORMAT_I420, 320, 240);
  id = omni_results_meta_add_box (r, "car", 100, 50, 201, 100, 0.5f, 0);
  fail_unless (r->meta.info->transform_func (dest, &r->meta, buf,
      gst_video_meta_transform_scale_get_quark (), &trans));
  d = omni_buffer_get_results_meta (dest);
  b = omni_results_meta_get_box (d, id);
  fail_unless (b->x == 50 && b->y == 25 && b->w == 101 && b->h == 50,
      "%d %d %d %d", b->x, b->y, b->w, b->h);
  gst_buffer_unref (buf);
  gst_buffer_unref (dest);
}

GST_END_TEST;

static OmniResultsMeta *
round_trip (OmniResultsMeta *r, GstBuffer *dest)
{
  JsonNode *node = omni_meta_to_json (&r->meta);
  gchar *text = omni_json_node_to_string (node, FALSE);
  JsonParser *parser = json_parser_new ();
  GError *err = NULL;
  GstMeta *out;

  json_node_unref (node);
  fail_unless (json_parser_load_from_data (parser, text, -1, &err));
  out = omni_buffer_add_meta_from_json (
      dest, json_parser_get_root (parser), &err);
  fail_unless (out != NULL, "%s: %s", text, err ? err->message : "");
  g_object_unref (parser);
  g_free (text);
  return (OmniResultsMeta *) out;
}

GST_START_TEST (test_results_json)
{
  GstBuffer *buf = gst_buffer_new (), *dest = gst_buffer_new ();
  guint ids[6];
  OmniResultsMeta *r = fill (buf, ids), *back;
  JsonNode *node;
  JsonObject *o, *e;
  gchar *text;

  omni_results_meta_add_class_value (r, "faceres", "age", 31.5, NAN);
  back = round_trip (r, dest);
  fail_unless (omni_results_meta_equal (r, back));
  fail_unless_equals_float (omni_results_meta_get_class (back, 6)->value, 31.5);

  /* the form itself */
  node = omni_results_meta_to_json (r);
  o = json_node_get_object (node);
  fail_unless_equals_string (
      json_object_get_string_member (o, "type"), "results");
  e = json_array_get_object_element (
      json_object_get_array_member (o, "results"), 0);
  fail_unless_equals_string (json_object_get_string_member (e, "kind"), "box");
  fail_unless_equals_int (json_object_get_int_member (e, "track-id"), 7);
  e = json_array_get_object_element (
      json_object_get_array_member (o, "results"), 4);
  fail_unless (json_object_get_null_member (e, "confidence"));
  /* the tensor entry has OmniTensorMeta's members: 1, -2, 0.5, 3.25 */
  fail_unless_equals_string (
      json_object_get_string_member (e, "data"), "AACAPwAAAMAAAAA/AABQQA==");
  e = json_array_get_object_element (
      json_object_get_array_member (o, "relations"), 2);
  text = omni_json_node_to_string (json_object_get_member (e, "relation"), 0);
  fail_unless_equals_string (text, "[\"is-part-of\",\"relates-to\"]");
  g_free (text);
  json_node_unref (node);
  gst_buffer_unref (buf);
  gst_buffer_unref (dest);
}

GST_END_TEST;

static void
expect_json_error (const gchar *json, const gchar *what)
{
  GstBuffer *buf = gst_buffer_new ();
  JsonParser *parser = json_parser_new ();
  GError *err = NULL;

  fail_unless (json_parser_load_from_data (parser, json, -1, NULL), "%s", json);
  fail_unless (
      omni_buffer_add_meta_from_json (buf, json_parser_get_root (parser), &err)
      == NULL);
  fail_unless (g_error_matches (err, OMNI_META_ERROR, OMNI_META_ERROR_FIELD));
  fail_unless (
      strstr (err->message, what) != NULL, "%s: %s", json, err->message);
  fail_unless (omni_buffer_get_results_meta (buf) == NULL, "nothing added");
  g_error_free (err);
  g_object_unref (parser);
  gst_buffer_unref (buf);
}

GST_START_TEST (test_results_json_errors)
{
  expect_json_error ("{\"type\":\"results\",\"relations\":[]}", "results");
  expect_json_error ("{\"type\":\"results\",\"results\":[{\"id\":1,\"kind\":"
                     "\"text\",\"confidence\":1,\"text\":\"a\"}],"
                     "\"relations\":[]}",
      "ids are");
  expect_json_error ("{\"type\":\"results\",\"results\":[{\"id\":0,\"kind\":"
                     "\"blob\",\"confidence\":1}],\"relations\":[]}",
      "blob");
  expect_json_error ("{\"type\":\"results\",\"results\":[{\"id\":0,\"kind\":"
                     "\"box\",\"confidence\":1,\"label\":\"a\",\"x\":0,"
                     "\"y\":0,\"w\":-1,\"h\":1,\"track-id\":0,\"roi-id\":-1}],"
                     "\"relations\":[]}",
      "\"w\"");
  expect_json_error ("{\"type\":\"results\",\"results\":[{\"id\":0,\"kind\":"
                     "\"class\",\"confidence\":1,\"model\":null,\"label\":"
                     "\"a\",\"value\":null,\"labels\":[\"a\",\"b\"],"
                     "\"scores\":[1]}],\"relations\":[]}",
      "scores");
  expect_json_error ("{\"type\":\"results\",\"results\":[{\"id\":0,\"kind\":"
                     "\"text\",\"confidence\":1,\"text\":\"a\"}],"
                     "\"relations\":[{\"from\":0,\"to\":1,\"relation\":"
                     "[\"contains\"]}]}",
      "relations");
  expect_json_error ("{\"type\":\"results\",\"results\":[{\"id\":0,\"kind\":"
                     "\"tensor\",\"confidence\":1,\"name\":\"t\",\"dtype\":"
                     "\"f32\",\"dims\":[2],\"data\":\"AACAPw==\"}],"
                     "\"relations\":[]}",
      "data");
}

GST_END_TEST;

static GValue *
array_of_strings (GValue *v, const gchar *const *s, guint n)
{
  guint i;

  g_value_init (v, GST_TYPE_ARRAY);
  for (i = 0; i < n; i++) {
    GValue e = G_VALUE_INIT;

    g_value_init (&e, G_TYPE_STRING);
    g_value_set_string (&e, s[i]);
    gst_value_array_append_and_take_value (v, &e);
  }
  return v;
}

static GValue *
array_of_doubles (GValue *v, const gfloat *d, guint n)
{
  guint i;

  g_value_init (v, GST_TYPE_ARRAY);
  for (i = 0; i < n; i++) {
    GValue e = G_VALUE_INIT;

    g_value_init (&e, G_TYPE_DOUBLE);
    g_value_set_double (&e, d[i]);
    gst_value_array_append_and_take_value (v, &e);
  }
  return v;
}

static void
take_array (GstStructure *s, const gchar *field, GValue *v)
{
  gst_structure_take_value (s, field, v);
}

/* ROIs with every kind of parameter of the conventions: a tracked person
 * with keypoints, a face (part of the person) with emotion and faceres
 * classifications, and an omniocr text line. */
static void
attach_rois (GstBuffer *buf)
{
  GstVideoRegionOfInterestMeta *person, *face, *text;
  GstStructure *s;
  GValue v = G_VALUE_INIT;
  const gchar *genders[] = { "female", "male" };
  const gfloat gscores[] = { 0.2f, 0.8f };

  person = gst_buffer_add_video_region_of_interest_meta (
      buf, "person", 10, 20, 100, 200);
  person->id = 0;
  gst_video_region_of_interest_meta_add_param (
      person, gst_structure_new ("detection", "confidence", G_TYPE_DOUBLE,
                  0.875, "label-id", G_TYPE_UINT, 0, "track-id", G_TYPE_UINT, 4,
                  "model", G_TYPE_STRING, "centernet", "x-norm", G_TYPE_DOUBLE,
                  0.1, "y-norm", G_TYPE_DOUBLE, 0.2, "w-norm", G_TYPE_DOUBLE,
                  0.5, "h-norm", G_TYPE_DOUBLE, 0.9, NULL));
  s = gst_structure_new (
      "keypoints", "model", G_TYPE_STRING, "movenet-lightning", NULL);
  take_array (s, "names", array_of_strings (&v, kp_names, 3));
  take_array (s, "x", array_of_doubles (&v, kp_x, 3));
  take_array (s, "y", array_of_doubles (&v, kp_y, 3));
  take_array (s, "score", array_of_doubles (&v, kp_s, 3));
  gst_video_region_of_interest_meta_add_param (person, s);

  face = gst_buffer_add_video_region_of_interest_meta (
      buf, "face", 40, 30, 32, 40);
  face->id = 1;
  face->parent_id = 0;
  gst_video_region_of_interest_meta_add_param (
      face, gst_structure_new ("detection", "confidence", G_TYPE_DOUBLE, 0.5,
                "track-id", G_TYPE_UINT, 0, NULL));
  s = gst_structure_new ("classification", "model", G_TYPE_STRING, "emotion",
      "label", G_TYPE_STRING, "happy", "confidence", G_TYPE_DOUBLE, 0.75, NULL);
  take_array (s, "labels", array_of_strings (&v, emotions, 7));
  take_array (s, "scores", array_of_doubles (&v, emotion_scores, 7));
  gst_video_region_of_interest_meta_add_param (face, s);
  s = gst_structure_new ("classification", "model", G_TYPE_STRING, "faceres",
      "label", G_TYPE_STRING, "male", "confidence", G_TYPE_DOUBLE, 0.8,
      "age-years", G_TYPE_DOUBLE, 42.5, "gender", G_TYPE_STRING, "male",
      "gender-confidence", G_TYPE_DOUBLE, 0.8, NULL);
  take_array (s, "labels", array_of_strings (&v, genders, 2));
  take_array (s, "scores", array_of_doubles (&v, gscores, 2));
  gst_video_region_of_interest_meta_add_param (face, s);

  /* omniocr numbers its lines from 0 too: same id, other label */
  text = gst_buffer_add_video_region_of_interest_meta (
      buf, "text", 5, 300, 90, 16);
  text->id = 0;
  gst_video_region_of_interest_meta_add_param (text,
      gst_structure_new ("omniocr", "text", G_TYPE_STRING, "EXIT", "confidence",
          G_TYPE_DOUBLE, 0.625, "inverted", G_TYPE_BOOLEAN, FALSE, NULL));
}

static guint
count_related (OmniResultsMeta *r, guint id, OmniResultType type)
{
  guint state = 0, n = 0;

  while (omni_results_meta_iterate_related (
      r, id, OMNI_RELATION_CONTAINS, type, &state))
    n++;
  return n;
}

GST_START_TEST (test_results_from_rois)
{
  GstBuffer *buf = gst_buffer_new ();
  OmniResultsMeta *r;
  const OmniResultBox *person, *face, *line;
  const OmniResultKeypoints *kp;
  const OmniResultClass *c;
  const OmniResultText *t;
  guint state = 0;

  fail_unless (omni_results_meta_add_from_rois (buf) == NULL, "no ROIs");
  fail_unless (omni_buffer_get_results_meta (buf) == NULL);
  attach_rois (buf);
  r = omni_results_meta_add_from_rois (buf);
  fail_unless (r != NULL && r == omni_buffer_get_results_meta (buf));
  /* 3 boxes, keypoints, emotion class, faceres top + gender + age, text */
  fail_unless_equals_int (omni_results_meta_get_n_results (r), 9);

  person = omni_results_meta_get_box (r, 0);
  fail_unless_equals_string (person->label, "person");
  fail_unless (person->x == 10 && person->y == 20 && person->w == 100
               && person->h == 200);
  fail_unless_equals_float (person->result.confidence, 0.875f);
  fail_unless_equals_int (person->track_id, 4);
  fail_unless_equals_int (person->roi_id, 0);
  fail_unless_equals_int (count_related (r, 0, OMNI_RESULT_TYPE_KEYPOINTS), 1);
  fail_unless_equals_int (count_related (r, 0, OMNI_RESULT_TYPE_ANY), 1);
  kp = (const OmniResultKeypoints *) omni_results_meta_iterate_related (
      r, 0, OMNI_RELATION_CONTAINS, OMNI_RESULT_TYPE_KEYPOINTS, &state);
  fail_unless_equals_string (kp->model, "movenet-lightning");
  fail_unless_equals_int (kp->n_points, 3);
  fail_unless_equals_string (kp->names[2], "right_eye");
  fail_unless_equals_float (kp->x[1], 0.45f);
  fail_unless_equals_float (kp->scores[2], 0.3f);

  face = omni_results_meta_get_box (r, 2);
  fail_unless_equals_string (face->label, "face");
  fail_unless_equals_int (face->roi_id, 1);
  fail_unless (omni_results_meta_get_relation (r, face->result.id, 0)
               == OMNI_RELATION_IS_PART_OF);
  fail_unless_equals_int (count_related (r, 2, OMNI_RESULT_TYPE_CLASS), 4);
  c = omni_results_meta_get_class (r, 3);
  fail_unless_equals_string (c->model, "emotion");
  fail_unless_equals_string (c->label, "happy");
  fail_unless_equals_float (c->result.confidence, 0.75f);
  fail_unless_equals_int (c->n_classes, 7);
  fail_unless_equals_float (c->scores[3], 0.8f);
  c = omni_results_meta_get_class (r, 4);
  fail_unless_equals_string (c->label, "male");
  fail_unless_equals_int (c->n_classes, 2);
  c = omni_results_meta_get_class (r, 5);
  fail_unless_equals_string (c->model, "faceres");
  fail_unless_equals_string (c->label, "male");
  fail_unless_equals_float (c->result.confidence, 0.8f);
  c = omni_results_meta_get_class (r, 6);
  fail_unless_equals_string (c->label, "age");
  fail_unless_equals_float (c->value, 42.5);

  line = omni_results_meta_get_box (r, 7);
  fail_unless_equals_string (line->label, "text");
  fail_unless_equals_float (line->result.confidence, 0.625f);
  fail_unless_equals_int (line->roi_id, 0);
  fail_unless (omni_results_meta_get_relation (r, 7, 0) == OMNI_RELATION_NONE);
  t = omni_results_meta_get_text (r, 8);
  fail_unless_equals_string (t->text, "EXIT");
  fail_unless (
      omni_results_meta_get_relation (r, 7, 8) == OMNI_RELATION_CONTAINS);

  /* a second call (another producer) mirrors only new ROIs */
  fail_unless (omni_results_meta_add_from_rois (buf) == r);
  fail_unless_equals_int (omni_results_meta_get_n_results (r), 9);
  {
    GstVideoRegionOfInterestMeta *car
        = gst_buffer_add_video_region_of_interest_meta (buf, "car", 0, 0, 8, 8);

    car->id = 5;
    car->parent_id = -1;
  }
  omni_results_meta_add_from_rois (buf);
  fail_unless_equals_int (omni_results_meta_get_n_results (r), 10);
  fail_unless_equals_string (omni_results_meta_get_box (r, 9)->label, "car");
  fail_unless (isnan (omni_results_meta_get_box (r, 9)->result.confidence));
  gst_buffer_unref (buf);
}

GST_END_TEST;

static Suite *
results_suite (void)
{
  Suite *s = suite_create ("omni-results");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_results_add_get);
  tcase_add_test (tc, test_results_relations);
  tcase_add_test (tc, test_results_iterate);
  tcase_add_test (tc, test_results_copy);
  tcase_add_test (tc, test_results_scale);
  tcase_add_test (tc, test_results_json);
  tcase_add_test (tc, test_results_json_errors);
  tcase_add_test (tc, test_results_from_rois);
  return s;
}

GST_CHECK_MAIN (results);
