/* gst-omni: elements of one process share one model (the session cache)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Several omnivisionenc in one process: one loaded model and one Vulkan
 * engine for all (OMNI_NN_SESSION_CACHE unset), a model each when it is
 * "off", the same scores either way, and nothing left once they stop.
 * Needs the models of tools/omni-fetch-models in $OMNI_MODEL_PATH.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <omni/meta/omniclassmeta.h>
#include <omni/nn/omninnsession.h>
#include <omni/vk/omnivk.h>

#define N_ELEMENTS 3
#define N_FRAMES 12

static GstHarness *
new_enc (void)
{
  GstHarness *h = gst_harness_new_parse ("omnivisionenc backend=vulkan");

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGBx,width=64,height=48,framerate=25/1");
  return h;
}

static GstBuffer *
frame_buffer (guint64 index)
{
  GstVideoInfo info;
  GstBuffer *buf;
  GstMapInfo map;
  GRand *r = g_rand_new_with_seed (index + 1);
  gsize i;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGBx, 64, 48);
  buf = gst_buffer_new_allocate (NULL, info.size, NULL);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < map.size; i++)
    map.data[i] = g_rand_int_range (r, 0, 256);
  gst_buffer_unmap (buf, &map);
  g_rand_free (r);
  GST_BUFFER_PTS (buf) = index * 40 * GST_MSECOND;
  GST_BUFFER_DURATION (buf) = 40 * GST_MSECOND;
  return buf;
}

/* Pushes the same frames through every harness; the scores of each frame
 * must be the same in all (bit for bit: one model, the same arithmetic);
 * returns them (N_FRAMES x 5). */
static gfloat *
push_frames (GstHarness **h, guint n)
{
  gfloat *scores = g_new0 (gfloat, N_FRAMES * 5);
  guint f, i, c;

  for (f = 0; f < N_FRAMES; f++) {
    for (i = 0; i < n; i++) {
      GstBuffer *out = gst_harness_push_and_pull (h[i], frame_buffer (f));
      OmniClassMeta *cm;

      fail_unless (out != NULL);
      cm = omni_buffer_get_class_meta (out);
      fail_unless (cm != NULL && cm->n_classes == 5);
      for (c = 0; c < 5; c++) {
        if (i == 0)
          scores[f * 5 + c] = cm->scores[c];
        else
          fail_unless (cm->scores[c] == scores[f * 5 + c],
              "element %u frame %u class %u: %g, element 0 %g", i, f, c,
              cm->scores[c], scores[f * 5 + c]);
      }
      gst_buffer_unref (out);
    }
  }
  return scores;
}

static gfloat *
run_elements (guint expect_loads, guint expect_engines)
{
  OmniNnSessionCacheStats st0, st;
  GstHarness *h[N_ELEMENTS];
  gfloat *scores;
  guint i;

  omni_nn_session_cache_get_stats (&st0);
  for (i = 0; i < N_ELEMENTS; i++)
    h[i] = new_enc ();
  omni_nn_session_cache_get_stats (&st);
  fail_unless_equals_int (st.n_loads - st0.n_loads, expect_loads);
  fail_unless_equals_int (st.n_models, expect_loads);
  fail_unless_equals_int (st.n_engines, expect_engines);
  scores = push_frames (h, N_ELEMENTS);
  for (i = 0; i < N_ELEMENTS; i++)
    gst_harness_teardown (h[i]);
  omni_nn_session_cache_get_stats (&st);
  fail_unless_equals_int (st.n_models, 0);
  fail_unless_equals_int (st.n_engines, 0);
  return scores;
}

/* Shared (the default), the model bytes only, nothing: the same scores,
 * with 1, 1 and 3 loads and 1, 3 and 3 engines. */
GST_START_TEST (test_elements_share_one_model)
{
  gfloat *shared, *model, *off;
  guint k;

  g_unsetenv ("OMNI_NN_SESSION_CACHE");
  shared = run_elements (1, 1);
  g_setenv ("OMNI_NN_SESSION_CACHE", "model", TRUE);
  model = run_elements (1, N_ELEMENTS);
  g_setenv ("OMNI_NN_SESSION_CACHE", "off", TRUE);
  off = run_elements (N_ELEMENTS, N_ELEMENTS);
  g_unsetenv ("OMNI_NN_SESSION_CACHE");
  for (k = 0; k < N_FRAMES * 5; k++) {
    fail_unless (shared[k] == off[k] && model[k] == off[k],
        "value %u: shared %g, model %g, off %g", k, shared[k], model[k],
        off[k]);
  }
  g_free (shared);
  g_free (model);
  g_free (off);
  fail_unless_equals_int (omni_vk_device_get_validation_message_count (), 0);
}

GST_END_TEST;

typedef struct {
  GstElement *pipeline;
  gdouble top[N_FRAMES];
  guint n;
} Run;

/* The same live-less stream in N_ELEMENTS pipelines at once (each its own
 * streaming thread, all on the one shared engine): each frame's top score
 * is the same in every pipeline. */
GST_START_TEST (test_pipelines_concurrent)
{
  Run r[N_ELEMENTS];
  OmniNnSessionCacheStats st;
  guint i, k;

  for (i = 0; i < N_ELEMENTS; i++) {
    GError *err = NULL;

    r[i].n = 0;
    r[i].pipeline = gst_parse_launch (
        "videotestsrc pattern=ball num-buffers=12 ! video/x-raw,width=96,"
        "height=72,framerate=25/1 ! omnivisionenc backend=vulkan ! fakesink",
        &err);
    fail_unless (r[i].pipeline != NULL, "%s", err ? err->message : "");
  }
  for (i = 0; i < N_ELEMENTS; i++)
    gst_element_set_state (r[i].pipeline, GST_STATE_PLAYING);
  omni_nn_session_cache_get_stats (&st);
  fail_unless_equals_int (st.n_loads, 1);
  fail_unless_equals_int (st.n_engines, 1);
  for (i = 0; i < N_ELEMENTS; i++) {
    GstBus *bus = gst_element_get_bus (r[i].pipeline);
    GstMessage *m;

    while ((m = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
                GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT))) {
      const GstStructure *s = gst_message_get_structure (m);
      GstMessageType type = GST_MESSAGE_TYPE (m);

      fail_unless (type != GST_MESSAGE_ERROR, "pipeline %u: an error", i);
      if (type == GST_MESSAGE_ELEMENT
          && gst_structure_has_name (s, "omnivisionenc")) {
        fail_unless (r[i].n < N_FRAMES);
        gst_structure_get_double (s, "top-score", &r[i].top[r[i].n++]);
      }
      gst_message_unref (m);
      if (type == GST_MESSAGE_EOS)
        break;
    }
    gst_object_unref (bus);
    gst_element_set_state (r[i].pipeline, GST_STATE_NULL);
    gst_object_unref (r[i].pipeline);
    fail_unless_equals_int (r[i].n, N_FRAMES);
  }
  for (i = 1; i < N_ELEMENTS; i++)
    for (k = 0; k < N_FRAMES; k++)
      fail_unless (r[i].top[k] == r[0].top[k],
          "pipeline %u frame %u: %g, pipeline 0: %g", i, k, r[i].top[k],
          r[0].top[k]);
  omni_nn_session_cache_get_stats (&st);
  fail_unless_equals_int (st.n_models, 0);
  fail_unless_equals_int (st.n_engines, 0);
}

GST_END_TEST;

static Suite *
sharedmodel_suite (void)
{
  Suite *s = suite_create ("sharedmodel");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 300);
  tcase_add_test (tc, test_elements_share_one_model);
  tcase_add_test (tc, test_pipelines_concurrent);
  return s;
}

GST_CHECK_MAIN (sharedmodel);
