/* gst-omni: unit tests for the metas of libgstomni-1.0
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

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
  return s;
}

GST_CHECK_MAIN (meta);
