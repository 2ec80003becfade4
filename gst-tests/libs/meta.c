/* gst-omni: unit tests for the metas of libgstomni-1.0
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <float.h>
#include <math.h>

#include <gst/check/gstcheck.h>
#include <omni/omni.h>

/* Serialises @meta, parses the text back onto a fresh buffer and returns
 * the new meta of the same API type. */
static GstMeta *
round_trip (GstMeta *meta, GstBuffer *dest)
{
  JsonNode *node = omni_meta_to_json (meta);
  gchar *text;
  JsonParser *parser;
  GError *err = NULL;
  GstMeta *out;

  fail_unless (node != NULL);
  text = omni_json_node_to_string (node, FALSE);
  json_node_unref (node);

  parser = json_parser_new ();
  fail_unless (json_parser_load_from_data (parser, text, -1, &err), "%s: %s",
      text, err ? err->message : "");
  out = omni_buffer_add_meta_from_json (
      dest, json_parser_get_root (parser), &err);
  fail_unless (out != NULL, "%s: %s", text, err ? err->message : "");
  fail_unless (out->info->api == meta->info->api);
  g_object_unref (parser);
  g_free (text);
  return out;
}

GST_START_TEST (test_sample_meta_add_get)
{
  GstBuffer *buf = gst_buffer_new ();
  OmniSampleMeta *m;

  fail_unless (omni_buffer_get_sample_meta (buf) == NULL);
  omni_buffer_add_sample_meta (
      buf, OMNI_SAMPLE_REASON_FIRST | OMNI_SAMPLE_REASON_SCENE, 0.625, 7);
  m = omni_buffer_get_sample_meta (buf);
  fail_unless (m != NULL);
  fail_unless_equals_int (
      m->reasons, OMNI_SAMPLE_REASON_FIRST | OMNI_SAMPLE_REASON_SCENE);
  fail_unless_equals_float (m->scene_score, 0.625);
  fail_unless_equals_uint64 (m->index, 7);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_sample_meta_copy)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 16, NULL);
  GstBuffer *copy;
  OmniSampleMeta *m;

  omni_buffer_add_sample_meta (buf, OMNI_SAMPLE_REASON_INTERVAL, 0.25, 3);
  copy = gst_buffer_copy (buf);
  m = omni_buffer_get_sample_meta (copy);
  fail_unless (m != NULL);
  fail_unless_equals_int (m->reasons, OMNI_SAMPLE_REASON_INTERVAL);
  fail_unless_equals_float (m->scene_score, 0.25);
  fail_unless_equals_uint64 (m->index, 3);
  gst_buffer_unref (copy);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_sample_meta_json)
{
  GstBuffer *buf = gst_buffer_new (), *dest = gst_buffer_new ();
  OmniSampleMeta *in, *out;
  JsonNode *node;
  gchar *text;

  in = omni_buffer_add_sample_meta (buf,
      OMNI_SAMPLE_REASON_SCENE | OMNI_SAMPLE_REASON_FORCED, 0.1 + 0.2,
      G_GUINT64_CONSTANT (1) << 40);
  node = omni_meta_to_json ((GstMeta *) in);
  text = omni_json_node_to_string (node, FALSE);
  fail_unless (strstr (text, "\"type\":\"sample\"") != NULL, "%s", text);
  fail_unless (
      strstr (text, "\"reasons\":[\"scene\",\"forced\"]") != NULL, "%s", text);
  g_free (text);
  json_node_unref (node);

  out = (OmniSampleMeta *) round_trip ((GstMeta *) in, dest);
  fail_unless_equals_int (out->reasons, in->reasons);
  /* doubles must survive the text form bit-exactly */
  fail_unless (out->scene_score == in->scene_score);
  fail_unless_equals_uint64 (out->index, in->index);
  gst_buffer_unref (buf);
  gst_buffer_unref (dest);
}

GST_END_TEST;

GST_START_TEST (test_json_errors)
{
  GstBuffer *buf = gst_buffer_new ();
  const gchar *bad[] = {
    "[]",
    "{\"reasons\":[]}",
    "{\"type\":\"nosuchmeta\"}",
    "{\"type\":\"sample\",\"reasons\":[\"bogus\"],\"scene-score\":0,\"index\":"
    "0}",
    "{\"type\":\"sample\",\"reasons\":[],\"index\":0}",
    "{\"type\":\"sample\",\"reasons\":[],\"scene-score\":\"x\",\"index\":0}",
    "{\"type\":\"sample\",\"reasons\":[],\"scene-score\":0,\"index\":-1}",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    JsonParser *parser = json_parser_new ();
    GError *err = NULL;

    fail_unless (json_parser_load_from_data (parser, bad[i], -1, NULL));
    fail_unless (omni_buffer_add_meta_from_json (
                     buf, json_parser_get_root (parser), &err)
                     == NULL,
        "%s", bad[i]);
    fail_unless (err != NULL && err->domain == OMNI_META_ERROR, "%s", bad[i]);
    g_clear_error (&err);
    g_object_unref (parser);
  }
  fail_unless (omni_buffer_get_sample_meta (buf) == NULL);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_buffer_metas_to_json)
{
  GstBuffer *buf = gst_buffer_new (), *parent = gst_buffer_new ();
  JsonNode *node;

  omni_buffer_add_sample_meta (buf, OMNI_SAMPLE_REASON_FIRST, 1.0, 0);
  /* a non-omni meta is skipped */
  gst_buffer_add_parent_buffer_meta (buf, parent);
  gst_buffer_unref (parent);
  node = omni_buffer_metas_to_json (buf);
  fail_unless (JSON_NODE_HOLDS_ARRAY (node));
  fail_unless_equals_int (
      json_array_get_length (json_node_get_array (node)), 1);
  json_node_unref (node);
  gst_buffer_unref (buf);
}

GST_END_TEST;

/* ---- helpers for the metas below ---- */

static JsonParser *
parse_json (const gchar *text)
{
  JsonParser *parser = json_parser_new ();
  GError *err = NULL;

  fail_unless (json_parser_load_from_data (parser, text, -1, &err), "%s: %s",
      text, err ? err->message : "");
  return parser;
}

/* Parses @text, adds it to a fresh buffer and expects an
 * OMNI_META_ERROR_FIELD error whose message names @member. */
static void
expect_field_error (const gchar *text, const gchar *member)
{
  JsonParser *parser = parse_json (text);
  GstBuffer *buf = gst_buffer_new ();
  GError *err = NULL;
  gchar *quoted = g_strdup_printf ("\"%s\"", member);

  fail_unless (
      omni_buffer_add_meta_from_json (buf, json_parser_get_root (parser), &err)
          == NULL,
      "accepted: %s", text);
  fail_unless (err != NULL, "%s", text);
  fail_unless (err->domain == OMNI_META_ERROR, "%s", text);
  fail_unless_equals_int (err->code, OMNI_META_ERROR_FIELD);
  fail_unless (strstr (err->message, quoted) != NULL,
      "error for %s does not name %s: %s", text, quoted, err->message);
  /* nothing half-built is left on the buffer */
  fail_unless (gst_buffer_get_n_meta (buf, OMNI_RHYTHM_META_API_TYPE) == 0);
  fail_unless (gst_buffer_get_n_meta (buf, OMNI_CLASS_META_API_TYPE) == 0);
  fail_unless (gst_buffer_get_n_meta (buf, OMNI_TENSOR_META_API_TYPE) == 0);
  fail_unless (gst_buffer_get_n_meta (buf, OMNI_FUSION_META_API_TYPE) == 0);
  g_free (quoted);
  g_clear_error (&err);
  gst_buffer_unref (buf);
  g_object_unref (parser);
}

/* Serialises the JSON form of @meta after @edit was applied to member
 * @member: removed (value NULL) or replaced by @value (taken). */
static gchar *
edited_json (GstMeta *meta, const gchar *member, JsonNode *value)
{
  JsonNode *node = omni_meta_to_json (meta);
  JsonObject *o = json_node_get_object (node);
  gchar *text;

  fail_unless (json_object_has_member (o, member), "%s", member);
  if (value)
    json_object_set_member (o, member, value);
  else
    json_object_remove_member (o, member);
  text = omni_json_node_to_string (node, FALSE);
  json_node_unref (node);
  return text;
}

/* For each member of @meta's JSON form: missing, of the wrong type, and
 * (unless listed in @nullable) null must each be refused with an error that
 * names the member. */
static void
check_required_members (
    GstMeta *meta, const gchar *const *members, const gchar *const *nullable)
{
  guint i;

  for (i = 0; members[i]; i++) {
    JsonNode *node = omni_meta_to_json (meta);
    JsonNode *m
        = json_object_get_member (json_node_get_object (node), members[i]);
    JsonNode *wrong;
    gchar *text;

    fail_unless (m != NULL, "%s", members[i]);
    /* a JSON object is the wrong type for every member of every meta
     * except "evidence", for which an array is */
    if (g_str_equal (members[i], "evidence")) {
      wrong = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (wrong, json_array_new ());
    } else {
      wrong = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (wrong, json_object_new ());
    }
    json_node_unref (node);

    text = edited_json (meta, members[i], NULL);
    expect_field_error (text, members[i]);
    g_free (text);

    text = edited_json (meta, members[i], wrong);
    expect_field_error (text, members[i]);
    g_free (text);

    if (!nullable || !g_strv_contains (nullable, members[i])) {
      text = edited_json (meta, members[i], json_node_new (JSON_NODE_NULL));
      expect_field_error (text, members[i]);
      g_free (text);
    }
  }
}

/* Replaces member @member of @meta's JSON form by the JSON @value and
 * expects an error naming @member. */
static void
expect_bad_value (GstMeta *meta, const gchar *member, const gchar *value)
{
  JsonParser *parser = parse_json (value);
  gchar *text = edited_json (
      meta, member, json_node_copy (json_parser_get_root (parser)));

  expect_field_error (text, member);
  g_free (text);
  g_object_unref (parser);
}

/* ---- OmniRhythmMeta ---- */

static void
fill_rhythm (OmniRhythmMeta *m)
{
  m->onset_strength = 0.1 + 0.2;
  m->onset = TRUE;
  m->onset_offset = 5333333;
  m->tempo = 120.00000000000001;
  m->tempo_confidence = 1.0 / 3.0;
  m->beat = FALSE;
  m->beat_offset = GST_CLOCK_TIME_NONE;
  m->beat_phase = 0.999999999;
  m->rms_db = -18.456789012345678;
  m->peak_db = -0.0;
  m->centroid = 1830.25;
  m->flux = 7e-300;
  m->rolloff = 5200.0;
  m->short_term_db = -9.75;
  m->impulses = 3;
  m->flux_variance = 4.25e-4;
  m->level_std_db = 9.5;
  m->persistence = 0.6125;
  m->context_s = 1.0;
}

static void
assert_rhythm_equal (const OmniRhythmMeta *a, const OmniRhythmMeta *b)
{
  /* bit-exact: compare the doubles with == (and signs of zeros) */
  fail_unless (a->onset_strength == b->onset_strength);
  fail_unless_equals_int (a->onset, b->onset);
  fail_unless_equals_uint64 (a->onset_offset, b->onset_offset);
  fail_unless (a->tempo == b->tempo);
  fail_unless (a->tempo_confidence == b->tempo_confidence);
  fail_unless_equals_int (a->beat, b->beat);
  fail_unless_equals_uint64 (a->beat_offset, b->beat_offset);
  fail_unless (a->beat_phase == b->beat_phase);
  fail_unless (a->rms_db == b->rms_db);
  fail_unless (a->peak_db == b->peak_db);
  fail_unless (a->centroid == b->centroid);
  fail_unless (a->flux == b->flux);
  fail_unless (a->rolloff == b->rolloff);
  fail_unless (a->short_term_db == b->short_term_db);
  fail_unless_equals_int (a->impulses, b->impulses);
  fail_unless (a->flux_variance == b->flux_variance);
  fail_unless (a->level_std_db == b->level_std_db);
  fail_unless (a->persistence == b->persistence);
  fail_unless (a->context_s == b->context_s);
}

GST_START_TEST (test_rhythm_meta_add_get)
{
  GstBuffer *buf = gst_buffer_new ();
  OmniRhythmMeta *m;

  fail_unless (omni_buffer_get_rhythm_meta (buf) == NULL);
  m = omni_buffer_add_rhythm_meta (buf);
  fail_unless (m != NULL);
  fail_unless (omni_buffer_get_rhythm_meta (buf) == m);
  /* documented defaults */
  fail_unless_equals_float (m->onset_strength, 0.0);
  fail_unless (!m->onset && !m->beat);
  fail_unless_equals_uint64 (m->onset_offset, GST_CLOCK_TIME_NONE);
  fail_unless_equals_uint64 (m->beat_offset, GST_CLOCK_TIME_NONE);
  fail_unless_equals_float (m->tempo, 0.0);
  fail_unless_equals_float (m->tempo_confidence, 0.0);
  fail_unless_equals_float (m->beat_phase, 0.0);
  fail_unless_equals_float (m->rms_db, OMNI_RHYTHM_DB_FLOOR);
  fail_unless_equals_float (m->peak_db, -200.0);
  fail_unless_equals_float (m->centroid, 0.0);
  fail_unless_equals_float (m->flux, 0.0);
  fail_unless_equals_float (m->rolloff, 0.0);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_rhythm_meta_copy)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 64, NULL);
  GstBuffer *copy, *part, *w;
  OmniRhythmMeta *m;

  fill_rhythm (omni_buffer_add_rhythm_meta (buf));
  copy = gst_buffer_copy (buf);
  m = omni_buffer_get_rhythm_meta (copy);
  fail_unless (m != NULL);
  assert_rhythm_equal (m, omni_buffer_get_rhythm_meta (buf));

  /* make_writable on a shared buffer copies it with the meta */
  w = gst_buffer_ref (buf);
  w = gst_buffer_make_writable (w);
  fail_unless (w != buf);
  fail_unless (omni_buffer_get_rhythm_meta (w) != NULL);
  assert_rhythm_equal (
      omni_buffer_get_rhythm_meta (w), omni_buffer_get_rhythm_meta (buf));
  gst_buffer_unref (w);

  /* the features describe the whole buffer: a part of it does not get them */
  part = gst_buffer_copy_region (buf, GST_BUFFER_COPY_ALL, 16, 16);
  fail_unless (omni_buffer_get_rhythm_meta (part) == NULL);
  gst_buffer_unref (part);

  gst_buffer_unref (copy);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_rhythm_meta_json)
{
  GstBuffer *buf = gst_buffer_new (), *dest = gst_buffer_new ();
  OmniRhythmMeta *in, *out;
  JsonNode *node;
  gchar *text;
  const gchar *members[] = { "onset-strength", "onset", "onset-offset", "tempo",
    "tempo-confidence", "beat", "beat-offset", "beat-phase", "rms-db",
    "peak-db", "centroid", "flux", "rolloff", NULL };
  const gchar *nullable[] = { "onset-offset", "beat-offset", NULL };

  in = omni_buffer_add_rhythm_meta (buf);
  fill_rhythm (in);
  node = omni_meta_to_json ((GstMeta *) in);
  text = omni_json_node_to_string (node, FALSE);
  fail_unless (strstr (text, "\"type\":\"rhythm\"") != NULL, "%s", text);
  fail_unless (strstr (text, "\"onset-offset\":5333333") != NULL, "%s", text);
  fail_unless (strstr (text, "\"beat-offset\":null") != NULL, "%s", text);
  g_free (text);
  json_node_unref (node);

  out = (OmniRhythmMeta *) round_trip ((GstMeta *) in, dest);
  assert_rhythm_equal (in, out);
  fail_unless (signbit (out->peak_db)); /* -0.0 kept */

  check_required_members ((GstMeta *) in, members, nullable);
  expect_bad_value ((GstMeta *) in, "onset-offset", "-1");
  expect_bad_value ((GstMeta *) in, "onset-offset", "1.5");
  expect_bad_value ((GstMeta *) in, "onset", "1");
  expect_bad_value ((GstMeta *) in, "tempo", "\"120\"");
  gst_buffer_unref (buf);
  gst_buffer_unref (dest);
}

GST_END_TEST;

/* JSON written before the loud-event and speech/music cues existed is
 * still read (the cues take their defaults); present cues must be valid */
GST_START_TEST (test_rhythm_meta_json_cues_optional)
{
  GstBuffer *buf = gst_buffer_new ();
  OmniRhythmMeta *m;
  JsonParser *parser = json_parser_new ();
  GError *err = NULL;
  const gchar *old = "{\"type\":\"rhythm\",\"onset-strength\":0.5,"
                     "\"onset\":false,\"onset-offset\":null,\"tempo\":0,"
                     "\"tempo-confidence\":0,\"beat\":false,"
                     "\"beat-offset\":null,\"beat-phase\":0,\"rms-db\":-20,"
                     "\"peak-db\":-6,\"centroid\":1000,\"flux\":0.1,"
                     "\"rolloff\":4000";
  gchar *text;

  text = g_strconcat (old, "}", NULL);
  fail_unless (json_parser_load_from_data (parser, text, -1, NULL));
  m = omni_buffer_add_rhythm_meta_from_json (
      buf, json_node_get_object (json_parser_get_root (parser)), &err);
  fail_unless (m != NULL, "%s", err ? err->message : "");
  fail_unless (m->short_term_db == OMNI_RHYTHM_DB_FLOOR);
  fail_unless_equals_int (m->impulses, 0);
  fail_unless (m->context_s == 0.0);
  g_free (text);

  text = g_strconcat (old, ",\"impulses\":2.5}", NULL);
  fail_unless (json_parser_load_from_data (parser, text, -1, NULL));
  fail_unless (omni_buffer_add_rhythm_meta_from_json (buf,
                   json_node_get_object (json_parser_get_root (parser)), &err)
               == NULL);
  fail_unless (strstr (err->message, "impulses") != NULL, "%s", err->message);
  g_clear_error (&err);
  g_free (text);
  g_object_unref (parser);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_rhythm_meta_json_non_finite)
{
  GstBuffer *buf = gst_buffer_new (), *dest = gst_buffer_new ();
  OmniRhythmMeta *in, *out;
  JsonNode *node;
  JsonObject *o;
  gchar *text;

  in = omni_buffer_add_rhythm_meta (buf);
  fill_rhythm (in);
  in->rms_db = -INFINITY; /* digital silence */
  in->peak_db = -1000.0;
  node = omni_meta_to_json ((GstMeta *) in);
  o = json_node_get_object (node);
  fail_unless (json_object_get_double_member (o, "rms-db") == -200.0);
  fail_unless (json_object_get_double_member (o, "peak-db") == -200.0);
  json_node_unref (node);
  out = (OmniRhythmMeta *) round_trip ((GstMeta *) in, dest);
  fail_unless (out->rms_db == OMNI_RHYTHM_DB_FLOOR);
  fail_unless (out->peak_db == OMNI_RHYTHM_DB_FLOOR);
  fail_unless (out->centroid == in->centroid);

  /* NaN elsewhere is written as null, which is valid JSON, and the reader
   * refuses it naming the member */
  in->flux = NAN;
  in->tempo = INFINITY;
  node = omni_meta_to_json ((GstMeta *) in);
  o = json_node_get_object (node);
  fail_unless (JSON_NODE_HOLDS_NULL (json_object_get_member (o, "flux")));
  fail_unless (JSON_NODE_HOLDS_NULL (json_object_get_member (o, "tempo")));
  text = omni_json_node_to_string (node, FALSE);
  fail_unless (
      strstr (text, "nan") == NULL && strstr (text, "inf") == NULL, "%s", text);
  expect_field_error (text, "tempo");
  g_free (text);
  json_node_unref (node);
  gst_buffer_unref (buf);
  gst_buffer_unref (dest);
}

GST_END_TEST;

/* ---- OmniClassMeta ---- */

static const gchar *nsfw_labels[]
    = { "drawing", "hentai", "neutral", "porn", "sexy", NULL };
static const gfloat nsfw_scores[] = { 0.01f, 0.002f, 0.95f, 0.008f, 0.03f };
static const gchar *coco_labels[] = { "person", "car", NULL };
static const gfloat coco_scores[] = { 0.7f, 0.3f };

GST_START_TEST (test_class_meta_add_get)
{
  GstBuffer *buf = gst_buffer_new ();
  OmniClassMeta *m, *m2;
  gchar *labels[] = { g_strdup ("a"), g_strdup ("b"), g_strdup ("c"), NULL };
  gfloat scores[] = { 0.2f, 0.5f, 0.3f };
  gfloat top;

  fail_unless (omni_buffer_get_class_meta (buf) == NULL);
  fail_unless (omni_buffer_get_class_meta_for_model (buf, "x") == NULL);
  m = omni_buffer_add_class_meta (
      buf, "abc", 3, (const gchar *const *) labels, scores);
  /* the meta owns copies */
  g_free (labels[1]);
  labels[1] = g_strdup ("changed");
  scores[1] = 9.0f;
  fail_unless (omni_buffer_get_class_meta (buf) == m);
  fail_unless_equals_string (m->model_id, "abc");
  fail_unless_equals_int (m->n_classes, 3);
  fail_unless_equals_string (m->labels[1], "b");
  fail_unless (m->labels[3] == NULL);
  fail_unless (m->scores[1] == 0.5f);
  fail_unless_equals_int (omni_class_meta_get_top (m, &top), 1);
  fail_unless (top == 0.5f);
  fail_unless_equals_int (omni_class_meta_get_top (m, NULL), 1);
  fail_unless (omni_class_meta_get_score (m, "c") == 0.3f);
  fail_unless (omni_class_meta_get_score (m, "changed") == -1.0f);
  fail_unless (omni_class_meta_get_score (m, "") == -1.0f);

  /* empty meta: no top */
  m2 = omni_buffer_add_class_meta (buf, "empty", 0, NULL, NULL);
  fail_unless (m2 != NULL);
  fail_unless_equals_int (omni_class_meta_get_top (m2, &top), -1);
  fail_unless (top == -1.0f);
  fail_unless (omni_class_meta_get_score (m2, "a") == -1.0f);
  fail_unless (omni_buffer_get_class_meta_for_model (buf, "empty") == m2);
  /* the getter macro still returns the first one */
  fail_unless (omni_buffer_get_class_meta (buf) == m);

  g_free (labels[0]);
  g_free (labels[1]);
  g_free (labels[2]);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_class_meta_two_models_copy)
{
  GstBuffer *buf = gst_buffer_new (), *copy, *w;
  OmniClassMeta *a, *b;
  gfloat top;

  omni_buffer_add_class_meta (buf, "nsfw", 5, nsfw_labels, nsfw_scores);
  omni_buffer_add_class_meta (buf, "coco", 2, coco_labels, coco_scores);
  fail_unless_equals_int (
      gst_buffer_get_n_meta (buf, OMNI_CLASS_META_API_TYPE), 2);

  copy = gst_buffer_copy (buf);
  w = gst_buffer_make_writable (gst_buffer_ref (buf));
  fail_unless (w != buf);
  fail_unless_equals_int (
      gst_buffer_get_n_meta (copy, OMNI_CLASS_META_API_TYPE), 2);
  fail_unless_equals_int (
      gst_buffer_get_n_meta (w, OMNI_CLASS_META_API_TYPE), 2);

  a = omni_buffer_get_class_meta_for_model (copy, "nsfw");
  b = omni_buffer_get_class_meta_for_model (copy, "coco");
  fail_unless (a != NULL && b != NULL && a != b);
  fail_unless (omni_buffer_get_class_meta_for_model (copy, "other") == NULL);
  /* deep copies, not shared pointers */
  fail_unless (
      a->labels != omni_buffer_get_class_meta_for_model (buf, "nsfw")->labels);
  fail_unless_equals_int (a->n_classes, 5);
  fail_unless_equals_string (a->labels[4], "sexy");
  fail_unless_equals_int (omni_class_meta_get_top (a, &top), 2);
  fail_unless (top == 0.95f);
  fail_unless_equals_int (b->n_classes, 2);
  fail_unless (omni_class_meta_get_score (b, "car") == 0.3f);
  fail_unless_equals_int (omni_class_meta_get_top (b, NULL), 0);
  b = omni_buffer_get_class_meta_for_model (w, "coco");
  fail_unless (b != NULL && omni_class_meta_get_score (b, "person") == 0.7f);

  gst_buffer_unref (w);
  gst_buffer_unref (copy);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_class_meta_json)
{
  GstBuffer *buf = gst_buffer_new (), *dest = gst_buffer_new ();
  OmniClassMeta *in, *out;
  JsonNode *node;
  gchar *text;
  /* awkward floats: subnormals, extremes, non-terminating decimals */
  gfloat scores[] = { 0.1f, 1.0f / 3.0f, FLT_MIN, 1e-45f, FLT_MAX, -0.0f,
    -FLT_MAX, 0.95f, 16777217.0f };
  gchar *labels[G_N_ELEMENTS (scores) + 1] = { NULL };
  const gchar *members[] = { "model-id", "labels", "scores", NULL };
  GRand *rand = g_rand_new_with_seed (42);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (scores); i++)
    labels[i] = g_strdup_printf ("class \"%u\" ü", i);
  in = omni_buffer_add_class_meta (buf, "model/ü", G_N_ELEMENTS (scores),
      (const gchar *const *) labels, scores);
  node = omni_meta_to_json ((GstMeta *) in);
  text = omni_json_node_to_string (node, FALSE);
  fail_unless (strstr (text, "\"type\":\"class\"") != NULL, "%s", text);
  fail_unless (strstr (text, "\"model-id\":\"model/ü\"") != NULL, "%s", text);
  g_free (text);
  json_node_unref (node);

  out = (OmniClassMeta *) round_trip ((GstMeta *) in, dest);
  fail_unless_equals_string (out->model_id, in->model_id);
  fail_unless_equals_int (out->n_classes, in->n_classes);
  for (i = 0; i < in->n_classes; i++) {
    fail_unless_equals_string (out->labels[i], in->labels[i]);
    fail_unless (memcmp (&out->scores[i], &in->scores[i], sizeof (gfloat)) == 0,
        "score %u: %.9g != %.9g", i, out->scores[i], in->scores[i]);
  }
  fail_unless (out->labels[out->n_classes] == NULL);

  /* many random floats, bit-exact */
  {
    GstBuffer *b2 = gst_buffer_new (), *d2 = gst_buffer_new ();
    gfloat r[256];
    gchar *rl[257] = { NULL };
    OmniClassMeta *ri, *ro;

    for (i = 0; i < 256; i++) {
      guint32 bits;

      do {
        bits = g_rand_int (rand);
        memcpy (&r[i], &bits, 4);
      } while (!isfinite (r[i]));
      rl[i] = g_strdup_printf ("c%u", i);
    }
    ri = omni_buffer_add_class_meta (
        b2, "rand", 256, (const gchar *const *) rl, r);
    ro = (OmniClassMeta *) round_trip ((GstMeta *) ri, d2);
    fail_unless (memcmp (ro->scores, r, sizeof (r)) == 0);
    for (i = 0; i < 256; i++)
      g_free (rl[i]);
    gst_buffer_unref (b2);
    gst_buffer_unref (d2);
  }

  check_required_members ((GstMeta *) in, members, NULL);
  expect_bad_value ((GstMeta *) in, "scores", "[1,2]"); /* length */
  expect_bad_value ((GstMeta *) in, "labels",
      "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",1,\"i\"]");
  expect_bad_value ((GstMeta *) in, "scores", "[0,0,0,0,0,0,0,null,0]");
  expect_bad_value ((GstMeta *) in, "scores", "[0,0,0,0,0,0,0,1e39,0]");
  expect_bad_value ((GstMeta *) in, "scores", "[0,0,0,0,0,0,0,\"0.5\",0]");

  for (i = 0; i < G_N_ELEMENTS (scores); i++)
    g_free (labels[i]);
  g_rand_free (rand);
  gst_buffer_unref (buf);
  gst_buffer_unref (dest);
}

GST_END_TEST;

/* ---- OmniTensorMeta ---- */

GST_START_TEST (test_tensor_meta_add_get)
{
  GstBuffer *buf = gst_buffer_new ();
  const gfloat values[6] = { 1, 2, 3, 4, 5, 6.5f };
  const gsize dims[2] = { 2, 3 };
  const gsize dims_u8[1] = { 4 };
  GBytes *data = g_bytes_new (values, sizeof (values));
  GBytes *u8 = g_bytes_new ("\x01\x02\x03\xff", 4);
  OmniTensorMeta *m, *m2;
  const gfloat *f;
  gsize n = 99;

  fail_unless_equals_int (omni_tensor_dtype_size (OMNI_TENSOR_DTYPE_F32), 4);
  fail_unless_equals_int (omni_tensor_dtype_size (OMNI_TENSOR_DTYPE_F16), 2);
  fail_unless_equals_int (omni_tensor_dtype_size (OMNI_TENSOR_DTYPE_U8), 1);
  fail_unless_equals_int (omni_tensor_dtype_size (OMNI_TENSOR_DTYPE_I32), 4);

  fail_unless (omni_buffer_get_tensor_meta (buf, NULL) == NULL);
  m = omni_buffer_add_tensor_meta (
      buf, "embedding", OMNI_TENSOR_DTYPE_F32, 2, dims, data);
  fail_unless (m != NULL);
  fail_unless (m->data == data); /* a reference, no copy */
  fail_unless_equals_uint64 (m->start, GST_CLOCK_TIME_NONE);
  fail_unless_equals_uint64 (m->end, GST_CLOCK_TIME_NONE);
  m2 = omni_buffer_add_tensor_meta (
      buf, "bytes", OMNI_TENSOR_DTYPE_U8, 1, dims_u8, u8);
  fail_unless (m2 != NULL);

  fail_unless (omni_buffer_get_tensor_meta (buf, NULL) == m);
  fail_unless (omni_buffer_get_tensor_meta (buf, "embedding") == m);
  fail_unless (omni_buffer_get_tensor_meta (buf, "bytes") == m2);
  fail_unless (omni_buffer_get_tensor_meta (buf, "nope") == NULL);
  fail_unless_equals_string (m->name, "embedding");
  fail_unless_equals_int (m->n_dims, 2);
  fail_unless_equals_uint64 (m->dims[0], 2);
  fail_unless_equals_uint64 (m->dims[1], 3);
  fail_unless_equals_uint64 (omni_tensor_meta_get_n_elements (m), 6);
  f = omni_tensor_meta_get_f32 (m, &n);
  fail_unless (f != NULL);
  fail_unless_equals_uint64 (n, 6);
  fail_unless (f[5] == 6.5f);
  fail_unless (omni_tensor_meta_get_f32 (m2, &n) == NULL);
  fail_unless_equals_uint64 (n, 0);
  fail_unless_equals_uint64 (omni_tensor_meta_get_n_elements (m2), 4);

  g_bytes_unref (data);
  g_bytes_unref (u8);
  /* the metas keep the data alive */
  f = omni_tensor_meta_get_f32 (m, NULL);
  fail_unless (f[0] == 1.0f);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_tensor_meta_size_mismatch)
{
  GstBuffer *buf = gst_buffer_new ();
  const gsize dims[2] = { 2, 3 };
  const gsize many[OMNI_TENSOR_MAX_DIMS + 1] = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
  const gsize huge[2] = { G_MAXSIZE / 2, 3 };
  guint8 zeros[24] = { 0 };
  GBytes *b23 = g_bytes_new (zeros, 23), *b24 = g_bytes_new (zeros, 24);
  GBytes *b4 = g_bytes_new (zeros, 4), *b0 = g_bytes_new (NULL, 0);
  const gsize zero_dim[2] = { 0, 5 };

  /* 2x3 f32 needs 24 bytes */
  fail_unless (omni_buffer_add_tensor_meta (
                   buf, "t", OMNI_TENSOR_DTYPE_F32, 2, dims, b23)
               == NULL);
  fail_unless (omni_buffer_add_tensor_meta (
                   buf, "t", OMNI_TENSOR_DTYPE_F16, 2, dims, b24)
               == NULL);
  fail_unless (
      omni_buffer_add_tensor_meta (buf, "t", OMNI_TENSOR_DTYPE_U8, 2, dims, b4)
      == NULL);
  fail_unless (omni_buffer_add_tensor_meta (buf, "t", OMNI_TENSOR_DTYPE_U8,
                   OMNI_TENSOR_MAX_DIMS + 1, many, b4)
               == NULL);
  fail_unless (omni_buffer_add_tensor_meta (
                   buf, "t", OMNI_TENSOR_DTYPE_F32, 2, huge, b24)
               == NULL);
  fail_unless (omni_buffer_get_tensor_meta (buf, NULL) == NULL);

  /* the matching sizes are accepted: a scalar, 8 dims, an empty tensor */
  fail_unless (
      omni_buffer_add_tensor_meta (buf, "s", OMNI_TENSOR_DTYPE_I32, 0, NULL, b4)
      != NULL);
  fail_unless (omni_buffer_add_tensor_meta (buf, "m", OMNI_TENSOR_DTYPE_F32,
                   OMNI_TENSOR_MAX_DIMS, many, b4)
               != NULL);
  fail_unless (omni_buffer_add_tensor_meta (
                   buf, "e", OMNI_TENSOR_DTYPE_F32, 2, zero_dim, b0)
               != NULL);
  fail_unless (omni_buffer_add_tensor_meta (
                   buf, "t", OMNI_TENSOR_DTYPE_F32, 2, dims, b24)
               != NULL);
  fail_unless_equals_int (
      gst_buffer_get_n_meta (buf, OMNI_TENSOR_META_API_TYPE), 4);

  g_bytes_unref (b23);
  g_bytes_unref (b24);
  g_bytes_unref (b4);
  g_bytes_unref (b0);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_tensor_meta_copy)
{
  GstBuffer *buf = gst_buffer_new (), *copy, *w;
  const gsize dims[1] = { 3 };
  const gint32 values[3] = { -1, 0, G_MAXINT32 };
  GBytes *data = g_bytes_new (values, sizeof (values));
  OmniTensorMeta *m, *c;

  m = omni_buffer_add_tensor_meta (
      buf, "ids", OMNI_TENSOR_DTYPE_I32, 1, dims, data);
  m->start = 40 * GST_MSECOND;
  m->end = 80 * GST_MSECOND;
  omni_buffer_add_tensor_meta (
      buf, "ids2", OMNI_TENSOR_DTYPE_I32, 1, dims, data);
  g_bytes_unref (data);

  copy = gst_buffer_copy (buf);
  w = gst_buffer_make_writable (gst_buffer_ref (buf));
  fail_unless (w != buf);
  fail_unless_equals_int (
      gst_buffer_get_n_meta (copy, OMNI_TENSOR_META_API_TYPE), 2);
  c = omni_buffer_get_tensor_meta (copy, "ids");
  fail_unless (c != NULL && c != m);
  fail_unless (c->data == m->data); /* shared, not copied */
  fail_unless (c->name != m->name);
  fail_unless_equals_string (c->name, "ids");
  fail_unless_equals_int (c->dtype, OMNI_TENSOR_DTYPE_I32);
  fail_unless_equals_int (c->n_dims, 1);
  fail_unless_equals_uint64 (c->dims[0], 3);
  fail_unless_equals_uint64 (c->start, 40 * GST_MSECOND);
  fail_unless_equals_uint64 (c->end, 80 * GST_MSECOND);
  c = omni_buffer_get_tensor_meta (w, "ids2");
  fail_unless (c != NULL && c->data == m->data);
  fail_unless_equals_uint64 (c->start, GST_CLOCK_TIME_NONE);

  gst_buffer_unref (buf);
  /* the copies keep the shared data alive */
  fail_unless_equals_int (
      ((const gint32 *) g_bytes_get_data (c->data, NULL))[2], G_MAXINT32);
  gst_buffer_unref (w);
  gst_buffer_unref (copy);
}

GST_END_TEST;

GST_START_TEST (test_tensor_meta_json)
{
  GstBuffer *buf = gst_buffer_new (), *dest = gst_buffer_new ();
  const gfloat known[2] = { 1.0f, -2.0f };
  const gsize dims12[2] = { 1, 2 };
  GBytes *data = g_bytes_new (known, sizeof (known));
  OmniTensorMeta *in, *out;
  JsonNode *node;
  gchar *text;
  const gchar *members[]
      = { "name", "dtype", "dims", "start", "end", "data", NULL };
  const gchar *nullable[] = { "start", "end", NULL };
  OmniTensorDType dt;
  GRand *rand = g_rand_new_with_seed (7);

  in = omni_buffer_add_tensor_meta (
      buf, "embedding", OMNI_TENSOR_DTYPE_F32, 2, dims12, data);
  g_bytes_unref (data);
  in->start = 0;
  in->end = 40 * GST_MSECOND;
  node = omni_meta_to_json ((GstMeta *) in);
  text = omni_json_node_to_string (node, FALSE);
  /* ground truth: 1.0f = 00 00 80 3f, -2.0f = 00 00 00 c0 (little endian) */
  fail_unless_equals_string (text,
      "{\"type\":\"tensor\",\"name\":\"embedding\",\"dtype\":\"f32\","
      "\"dims\":[1,2],\"start\":0,\"end\":40000000,"
      "\"data\":\"AACAPwAAAMA=\"}");
  g_free (text);
  json_node_unref (node);

  out = (OmniTensorMeta *) round_trip ((GstMeta *) in, dest);
  fail_unless (g_bytes_equal (out->data, in->data));
  fail_unless_equals_uint64 (out->start, 0);
  fail_unless_equals_uint64 (out->end, 40 * GST_MSECOND);

  /* every dtype, odd shapes, random bytes, NONE times */
  for (dt = OMNI_TENSOR_DTYPE_F32; dt <= OMNI_TENSOR_DTYPE_I32; dt++) {
    const gsize dims[3] = { 3, 1, 7 };
    gsize size = 21 * omni_tensor_dtype_size (dt), i;
    guint8 *bytes = g_malloc (size);
    GBytes *b;
    GstBuffer *b1 = gst_buffer_new (), *b2 = gst_buffer_new ();
    OmniTensorMeta *ti, *to;

    for (i = 0; i < size; i++)
      bytes[i] = g_rand_int_range (rand, 0, 256);
    b = g_bytes_new_take (bytes, size);
    ti = omni_buffer_add_tensor_meta (b1, "odd", dt, 3, dims, b);
    g_bytes_unref (b);
    to = (OmniTensorMeta *) round_trip ((GstMeta *) ti, b2);
    fail_unless_equals_string (to->name, "odd");
    fail_unless_equals_int (to->dtype, dt);
    fail_unless_equals_int (to->n_dims, 3);
    fail_unless (memcmp (to->dims, dims, sizeof (dims)) == 0);
    fail_unless (g_bytes_equal (to->data, ti->data), "dtype %d", dt);
    fail_unless_equals_uint64 (to->start, GST_CLOCK_TIME_NONE);
    fail_unless_equals_uint64 (to->end, GST_CLOCK_TIME_NONE);
    gst_buffer_unref (b1);
    gst_buffer_unref (b2);
  }

  check_required_members ((GstMeta *) in, members, nullable);
  expect_bad_value ((GstMeta *) in, "dtype", "\"f64\"");
  expect_bad_value ((GstMeta *) in, "dims", "[1,-2]");
  expect_bad_value ((GstMeta *) in, "dims", "[1,2.0]");
  expect_bad_value ((GstMeta *) in, "dims", "[1,1,1,1,1,1,1,1,2]");
  expect_bad_value ((GstMeta *) in, "dims", "[1,3]"); /* size mismatch */
  expect_bad_value ((GstMeta *) in, "data", "\"AACAPwAAAA==\""); /* 7 bytes */
  expect_bad_value ((GstMeta *) in, "data", "\"AACAPwAAAMA\"");  /* no pad */
  expect_bad_value ((GstMeta *) in, "data", "\"AACAP!AAAMA=\"");
  expect_bad_value ((GstMeta *) in, "data", "\"AA=APwAAAMA=\"");
  expect_bad_value ((GstMeta *) in, "start", "-5");

  g_rand_free (rand);
  gst_buffer_unref (buf);
  gst_buffer_unref (dest);
}

GST_END_TEST;

/* ---- OmniFusionMeta ---- */

static GstStructure *
make_evidence (void)
{
  return gst_structure_new ("evidence", "nsfw-score", G_TYPE_DOUBLE, 0.1 + 0.2,
      "frames", G_TYPE_INT, -12, "total", G_TYPE_INT64,
      G_GINT64_CONSTANT (1) << 53, "windows", G_TYPE_UINT, G_MAXUINT, "loud",
      G_TYPE_BOOLEAN, TRUE, "model", G_TYPE_STRING, "nsfw \"v4\" ✓", "whole",
      G_TYPE_DOUBLE, 2.0, NULL);
}

GST_START_TEST (test_fusion_meta_add_get_copy)
{
  GstBuffer *buf = gst_buffer_new (), *copy, *w;
  GstStructure *ev = make_evidence ();
  OmniFusionMeta *m, *c;

  fail_unless (omni_buffer_get_fusion_meta (buf) == NULL);
  m = omni_buffer_add_fusion_meta (buf, 2 * GST_SECOND, 3 * GST_SECOND,
      "a person speaking", OMNI_VERDICT_REVIEW, "sexy", 0.64, ev);
  fail_unless (m != NULL);
  fail_unless (m->evidence != ev);
  fail_unless (gst_structure_is_equal (m->evidence, ev));
  gst_structure_free (ev);
  fail_unless_equals_int (m->present, 0);
  fail_unless_equals_int (m->missing, 0);
  m->present = OMNI_MODALITY_VIDEO | OMNI_MODALITY_AUDIO;
  m->missing = OMNI_MODALITY_TEXT;
  fail_unless (omni_buffer_get_fusion_meta (buf) == m);

  copy = gst_buffer_copy (buf);
  w = gst_buffer_make_writable (gst_buffer_ref (buf));
  fail_unless (w != buf);
  fail_unless (omni_buffer_get_fusion_meta (w) != NULL);
  c = omni_buffer_get_fusion_meta (copy);
  fail_unless (c != NULL && c != m);
  fail_unless_equals_uint64 (c->window_start, 2 * GST_SECOND);
  fail_unless_equals_uint64 (c->window_end, 3 * GST_SECOND);
  fail_unless_equals_string (c->caption, "a person speaking");
  fail_unless (c->caption != m->caption);
  fail_unless_equals_int (c->state, OMNI_VERDICT_REVIEW);
  fail_unless_equals_string (c->label, "sexy");
  fail_unless (c->risk == 0.64);
  fail_unless (c->evidence != m->evidence);
  fail_unless (gst_structure_is_equal (c->evidence, m->evidence));
  fail_unless_equals_int (
      c->present, OMNI_MODALITY_VIDEO | OMNI_MODALITY_AUDIO);
  fail_unless_equals_int (c->missing, OMNI_MODALITY_TEXT);
  gst_buffer_unref (w);
  gst_buffer_unref (copy);

  /* NULL caption, label and evidence */
  m = omni_buffer_add_fusion_meta (
      buf, 0, GST_CLOCK_TIME_NONE, NULL, OMNI_VERDICT_OK, NULL, 0.0, NULL);
  fail_unless (m != NULL && m->caption == NULL && m->label == NULL
               && m->evidence == NULL);
  fail_unless_equals_int (
      gst_buffer_get_n_meta (buf, OMNI_FUSION_META_API_TYPE), 2);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_fusion_meta_bad_evidence)
{
  GstBuffer *buf = gst_buffer_new ();
  GstStructure *ev = gst_structure_new (
      "evidence", "ok", G_TYPE_INT, 1, "bad", G_TYPE_FLOAT, 0.5f, NULL);
  OmniFusionMeta *m = NULL;

  fail_if (omni_fusion_evidence_is_valid (ev));
  ASSERT_CRITICAL (m = omni_buffer_add_fusion_meta (
                       buf, 0, 1, NULL, OMNI_VERDICT_OK, NULL, 0.0, ev));
  fail_unless (m == NULL);
  fail_unless (omni_buffer_get_fusion_meta (buf) == NULL);
  gst_structure_remove_field (ev, "bad");
  fail_unless (omni_fusion_evidence_is_valid (ev));
  gst_structure_free (ev);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_fusion_meta_json)
{
  GstBuffer *buf = gst_buffer_new (), *dest = gst_buffer_new ();
  GstStructure *ev = make_evidence (), *expected;
  OmniFusionMeta *in, *out;
  JsonNode *node;
  JsonObject *o, *fields;
  gchar *text;
  const gchar *members[] = { "window-start", "window-end", "caption", "state",
    "label", "risk", "evidence", "present", "missing", NULL };
  const gchar *nullable[] = { "window-start", "window-end", "caption", "label",
    "risk", "evidence", NULL };

  in = omni_buffer_add_fusion_meta (buf, 2 * GST_SECOND, 3 * GST_SECOND,
      "a person speaking — \"quoted\"", OMNI_VERDICT_FLAGGED, "porn", 0.1 + 0.7,
      ev);
  gst_structure_free (ev);
  in->present = OMNI_MODALITY_VIDEO | OMNI_MODALITY_TEXT;
  in->missing = OMNI_MODALITY_AUDIO;

  node = omni_meta_to_json ((GstMeta *) in);
  o = json_node_get_object (node);
  fail_unless_equals_string (
      json_object_get_string_member (o, "type"), "fusion");
  fail_unless_equals_string (
      json_object_get_string_member (o, "state"), "flagged");
  fail_unless_equals_int (
      json_object_get_int_member (o, "window-start"), 2000000000);
  fields = json_object_get_object_member (
      json_object_get_object_member (o, "evidence"), "fields");
  fail_unless_equals_string (
      json_object_get_string_member (
          json_object_get_object_member (o, "evidence"), "name"),
      "evidence");
  fail_unless (
      json_node_get_value_type (json_object_get_member (fields, "frames"))
      == G_TYPE_INT64);
  fail_unless (
      json_node_get_value_type (json_object_get_member (fields, "whole"))
      == G_TYPE_DOUBLE);
  text = omni_json_node_to_string (node, FALSE);
  fail_unless (
      strstr (text, "\"present\":[\"video\",\"text\"]") != NULL, "%s", text);
  fail_unless (strstr (text, "\"missing\":[\"audio\"]") != NULL, "%s", text);
  g_free (text);
  json_node_unref (node);

  out = (OmniFusionMeta *) round_trip ((GstMeta *) in, dest);
  fail_unless_equals_uint64 (out->window_start, in->window_start);
  fail_unless_equals_uint64 (out->window_end, in->window_end);
  fail_unless_equals_string (out->caption, in->caption);
  fail_unless_equals_int (out->state, in->state);
  fail_unless_equals_string (out->label, in->label);
  fail_unless (out->risk == in->risk);
  fail_unless_equals_int (out->present, in->present);
  fail_unless_equals_int (out->missing, in->missing);
  /* the documented type mapping: int and uint come back as int64 */
  expected = gst_structure_new ("evidence", "nsfw-score", G_TYPE_DOUBLE,
      0.1 + 0.2, "frames", G_TYPE_INT64, G_GINT64_CONSTANT (-12), "total",
      G_TYPE_INT64, G_GINT64_CONSTANT (1) << 53, "windows", G_TYPE_INT64,
      (gint64) G_MAXUINT, "loud", G_TYPE_BOOLEAN, TRUE, "model", G_TYPE_STRING,
      "nsfw \"v4\" ✓", "whole", G_TYPE_DOUBLE, 2.0, NULL);
  fail_unless (gst_structure_is_equal (out->evidence, expected),
      "%" GST_PTR_FORMAT " != %" GST_PTR_FORMAT, out->evidence, expected);
  gst_structure_free (expected);

  /* a second trip is the identity */
  {
    GstBuffer *d2 = gst_buffer_new ();
    OmniFusionMeta *o2 = (OmniFusionMeta *) round_trip ((GstMeta *) out, d2);

    fail_unless (gst_structure_is_equal (o2->evidence, out->evidence));
    gst_buffer_unref (d2);
  }

  /* nulls round-trip */
  {
    GstBuffer *b1 = gst_buffer_new (), *b2 = gst_buffer_new ();
    OmniFusionMeta *n1 = omni_buffer_add_fusion_meta (b1, GST_CLOCK_TIME_NONE,
        GST_CLOCK_TIME_NONE, NULL, OMNI_VERDICT_OK, NULL, 0.0, NULL);
    OmniFusionMeta *n2 = (OmniFusionMeta *) round_trip ((GstMeta *) n1, b2);

    fail_unless_equals_uint64 (n2->window_start, GST_CLOCK_TIME_NONE);
    fail_unless_equals_uint64 (n2->window_end, GST_CLOCK_TIME_NONE);
    fail_unless (n2->caption == NULL && n2->label == NULL);
    fail_unless (n2->evidence == NULL);
    fail_unless_equals_int (n2->state, OMNI_VERDICT_OK);
    fail_unless_equals_int (n2->present, 0);
    gst_buffer_unref (b1);
    gst_buffer_unref (b2);
  }

  check_required_members ((GstMeta *) in, members, nullable);
  expect_bad_value ((GstMeta *) in, "state", "\"bad\"");
  expect_bad_value ((GstMeta *) in, "present", "[\"video\",\"smell\"]");
  expect_bad_value ((GstMeta *) in, "risk", "\"high\"");
  expect_bad_value ((GstMeta *) in, "evidence", "{\"fields\":{}}");
  expect_bad_value (
      (GstMeta *) in, "evidence", "{\"name\":\"9x\",\"fields\":{}}");
  expect_bad_value ((GstMeta *) in, "evidence", "{\"name\":\"e\"}");
  expect_bad_value (
      (GstMeta *) in, "evidence", "{\"name\":\"e\",\"fields\":{\"a\":[1]}}");
  expect_bad_value (
      (GstMeta *) in, "evidence", "{\"name\":\"e\",\"fields\":{\"a\":null}}");
  expect_bad_value (
      (GstMeta *) in, "evidence", "{\"name\":\"e\",\"fields\":{\"a b\":1}}");

  /* NaN risk (unknown: a failed analysis) is written as null and read back
   * as NaN; a risk that is not a number is refused */
  in->risk = NAN;
  in->state = OMNI_VERDICT_ERROR;
  text = edited_json ((GstMeta *) in, "type",
      json_node_init_string (json_node_alloc (), "fusion"));
  fail_unless (strstr (text, "\"risk\":null") != NULL, "%s", text);
  fail_unless (strstr (text, "\"state\":\"error\"") != NULL, "%s", text);
  {
    JsonParser *parser = parse_json (text);
    GstBuffer *b = gst_buffer_new ();
    OmniFusionMeta *back = (OmniFusionMeta *) omni_buffer_add_meta_from_json (
        b, json_parser_get_root (parser), NULL);

    fail_unless (back != NULL, "%s", text);
    fail_unless (isnan (back->risk));
    fail_unless_equals_int (back->state, OMNI_VERDICT_ERROR);
    gst_buffer_unref (b);
    g_object_unref (parser);
  }
  g_free (text);
  expect_bad_value ((GstMeta *) in, "risk", "true");

  gst_buffer_unref (buf);
  gst_buffer_unref (dest);
}

GST_END_TEST;

/* All five metas on one buffer: JSON array and back. */
GST_START_TEST (test_all_metas_one_buffer)
{
  GstBuffer *buf = gst_buffer_new (), *dest = gst_buffer_new (), *copy;
  const gsize dims[1] = { 2 };
  const gfloat v[2] = { 0.5f, 0.25f };
  GBytes *data = g_bytes_new (v, sizeof (v));
  JsonNode *node;
  JsonArray *array;
  gchar *text;
  JsonParser *parser;
  guint i;

  omni_buffer_add_sample_meta (buf, OMNI_SAMPLE_REASON_FIRST, 1.0, 0);
  fill_rhythm (omni_buffer_add_rhythm_meta (buf));
  omni_buffer_add_class_meta (buf, "nsfw", 5, nsfw_labels, nsfw_scores);
  omni_buffer_add_class_meta (buf, "coco", 2, coco_labels, coco_scores);
  omni_buffer_add_tensor_meta (
      buf, "emb", OMNI_TENSOR_DTYPE_F32, 1, dims, data);
  g_bytes_unref (data);
  omni_buffer_add_fusion_meta (
      buf, 0, GST_SECOND, "hi", OMNI_VERDICT_OK, NULL, 0.0, NULL);

  copy = gst_buffer_copy (buf);
  node = omni_buffer_metas_to_json (copy);
  text = omni_json_node_to_string (node, FALSE);
  json_node_unref (node);
  parser = parse_json (text);
  array = json_node_get_array (json_parser_get_root (parser));
  fail_unless_equals_int (json_array_get_length (array), 6);
  for (i = 0; i < json_array_get_length (array); i++) {
    GError *err = NULL;

    fail_unless (omni_buffer_add_meta_from_json (
                     dest, json_array_get_element (array, i), &err)
                     != NULL,
        "%s", err ? err->message : "");
  }
  fail_unless (omni_buffer_get_sample_meta (dest) != NULL);
  assert_rhythm_equal (
      omni_buffer_get_rhythm_meta (dest), omni_buffer_get_rhythm_meta (buf));
  fail_unless (omni_class_meta_get_score (
                   omni_buffer_get_class_meta_for_model (dest, "coco"), "car")
               == 0.3f);
  fail_unless_equals_string (
      omni_buffer_get_class_meta (dest)->model_id, "nsfw");
  fail_unless (g_bytes_equal (omni_buffer_get_tensor_meta (dest, "emb")->data,
      omni_buffer_get_tensor_meta (buf, "emb")->data));
  fail_unless_equals_string (omni_buffer_get_fusion_meta (dest)->caption, "hi");

  /* and the text of the copy is the text of the result */
  node = omni_buffer_metas_to_json (dest);
  {
    gchar *text2 = omni_json_node_to_string (node, FALSE);

    fail_unless_equals_string (text2, text);
    g_free (text2);
  }
  json_node_unref (node);
  g_free (text);
  g_object_unref (parser);
  gst_buffer_unref (copy);
  gst_buffer_unref (buf);
  gst_buffer_unref (dest);
}

GST_END_TEST;

static Suite *
meta_suite (void)
{
  Suite *s = suite_create ("omni-meta");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_sample_meta_add_get);
  tcase_add_test (tc, test_sample_meta_copy);
  tcase_add_test (tc, test_sample_meta_json);
  tcase_add_test (tc, test_json_errors);
  tcase_add_test (tc, test_buffer_metas_to_json);
  tcase_add_test (tc, test_rhythm_meta_add_get);
  tcase_add_test (tc, test_rhythm_meta_copy);
  tcase_add_test (tc, test_rhythm_meta_json);
  tcase_add_test (tc, test_rhythm_meta_json_non_finite);
  tcase_add_test (tc, test_rhythm_meta_json_cues_optional);
  tcase_add_test (tc, test_class_meta_add_get);
  tcase_add_test (tc, test_class_meta_two_models_copy);
  tcase_add_test (tc, test_class_meta_json);
  tcase_add_test (tc, test_tensor_meta_add_get);
  tcase_add_test (tc, test_tensor_meta_size_mismatch);
  tcase_add_test (tc, test_tensor_meta_copy);
  tcase_add_test (tc, test_tensor_meta_json);
  tcase_add_test (tc, test_fusion_meta_add_get_copy);
  tcase_add_test (tc, test_fusion_meta_bad_evidence);
  tcase_add_test (tc, test_fusion_meta_json);
  tcase_add_test (tc, test_all_metas_one_buffer);
  return s;
}

GST_CHECK_MAIN (meta);
