/* gst-omni: omnivisionenc roi-type= (classifying inside boxes)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Ground truth: a real photograph (scikit-image's astronaut.png, NASA's
 * portrait of Eileen Collins: one woman, one face; boxes found by
 * inspection, written below), and the model runtime run directly on a crop
 * tensor made here from a copy of the crop's pixels.
 *
 * Needs the models of tools/omni-fetch-models (emotion, faceres,
 * movenet-lightning) in $OMNI_MODEL_PATH.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <gst/video/gstvideometa.h>
#include <omni/meta/omniclassmeta.h>
#include <omni/nn/omninnsession.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "../../plugins/omni/omnivisionroi.h"

#define ASTRONAUT "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"
#define SIDE 512

/* By inspection of the 512 x 512 photograph: her face from the hairline
 * to the chin and from ear to ear (eyes near (202, 102) and (248, 102),
 * nose tip near (222, 127)), and her whole person (hair to the bottom edge,
 * both arms). */
static const GstVideoRectangle face_box = { 172, 68, 100, 112 };
static const GstVideoRectangle person_box = { 20, 10, 345, 502 };

static const gchar *const emotions[]
    = { "angry", "disgust", "fear", "happy", "sad", "surprise", "neutral" };

/* ---- helpers -------------------------------------------------------------- */

static GstBuffer *
load_astronaut_as (const gchar *format, gsize size)
{
  GError *err = NULL;
  gchar *desc = g_strdup_printf ("filesrc location=" ASTRONAUT
                                 " ! pngdec ! videoconvert ! "
                                 "video/x-raw,format=%s ! appsink name=s",
      format);
  GstElement *p = gst_parse_launch (desc, &err);
  GstElement *sink;
  GstSample *sample = NULL;
  GstBuffer *buf;

  fail_unless (p != NULL, "%s", err ? err->message : "");
  sink = gst_bin_get_by_name (GST_BIN (p), "s");
  gst_element_set_state (p, GST_STATE_PLAYING);
  g_signal_emit_by_name (sink, "pull-preroll", &sample);
  fail_unless (sample != NULL, "cannot decode " ASTRONAUT);
  /* a copy laid out as GstVideoInfo says (RGB: stride 3 * 512) */
  buf = gst_buffer_copy_deep (gst_sample_get_buffer (sample));
  fail_unless_equals_int (gst_buffer_get_size (buf), size);
  g_free (desc);
  gst_sample_unref (sample);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (p);
  GST_BUFFER_PTS (buf) = 0;
  GST_BUFFER_DURATION (buf) = 40 * GST_MSECOND;
  return buf;
}

static GstBuffer *
load_astronaut (void)
{
  return load_astronaut_as ("RGB", SIDE * SIDE * 3);
}

static GstHarness *
new_enc (const gchar *backend, const gchar *model, const gchar *roi_type)
{
  GstElement *e = gst_element_factory_make ("omnivisionenc", NULL);
  GstHarness *h;

  fail_unless (e != NULL);
  gst_util_set_object_arg (G_OBJECT (e), "backend", backend);
  g_object_set (e, "model", model, "roi-type", roi_type, NULL);
  h = gst_harness_new_with_element (e, "sink", "src");
  gst_object_unref (e);
  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=512,height=512,framerate=25/1");
  return h;
}

static GstVideoRegionOfInterestMeta *
add_roi (GstBuffer *buf, const gchar *type, const GstVideoRectangle *r, gint id)
{
  GstVideoRegionOfInterestMeta *m
      = gst_buffer_add_video_region_of_interest_meta (
          buf, type, r->x, r->y, r->w, r->h);

  m->id = id;
  return m;
}

static GstVideoRegionOfInterestMeta *
roi_by_id (GstBuffer *buf, gint id)
{
  gpointer state = NULL;
  GstVideoRegionOfInterestMeta *m;

  while (
      (m = (GstVideoRegionOfInterestMeta *) gst_buffer_iterate_meta_filtered (
           buf, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE)))
    if (m->id == id)
      return m;
  fail ("no ROI %d", id);
  return NULL;
}

/* The params named @name on @m (iterating, as the conventions say). */
static GstStructure *
param (GstVideoRegionOfInterestMeta *m, const gchar *name)
{
  GList *l;

  for (l = m->params; l; l = l->next)
    if (gst_structure_has_name (l->data, name))
      return l->data;
  return NULL;
}

static gdouble
array_double (const GstStructure *s, const gchar *field, guint i)
{
  const GValue *a = gst_structure_get_value (s, field);

  fail_unless (a != NULL && GST_VALUE_HOLDS_ARRAY (a), "no array %s", field);
  return g_value_get_double (gst_value_array_get_value (a, i));
}

static guint64
frames_run (GstHarness *h)
{
  GstStructure *stats;
  guint64 frames;

  g_object_get (h->element, "stats", &stats, NULL);
  fail_unless (gst_structure_get_uint64 (stats, "frames", &frames));
  gst_structure_free (stats);
  return frames;
}

/* The model run directly on @r of the photograph: the crop's pixels copied
 * into a frame of their own, resized to the model input by the C reference
 * pre-processing (RGB code values), grey as luma 0.2989 R + 0.587 G +
 * 0.114 B for a 1-channel model, normalised as the sidecar says. */
static OmniNnSession *
direct_on_crop (
    const gchar *model, GstBuffer *photo, const GstVideoRectangle *r)
{
  GError *err = NULL;
  OmniNnSession *s
      = omni_nn_session_new (model, OMNI_NN_BACKEND_CPU, NULL, &err);
  const OmniNnGraph *g;
  guint8 *crop = g_malloc ((gsize) r->w * r->h * 3);
  gfloat *rgb, *tensor;
  OmniNnPreprocessParams pre;
  OmniNnInput in = { 0 };
  GstVideoInfo info;
  GstMapInfo map;
  gsize i, n;
  gint y;

  fail_unless (s != NULL, "%s", err ? err->message : "");
  g = omni_nn_session_get_model (s)->graph;
  gst_buffer_map (photo, &map, GST_MAP_READ);
  for (y = 0; y < r->h; y++)
    memcpy (crop + (gsize) y * r->w * 3,
        map.data + ((gsize) (r->y + y) * SIDE + r->x) * 3, (gsize) r->w * 3);
  gst_buffer_unmap (photo, &map);
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, r->w, r->h);
  /* packed, tight: stride w * 3 (GstVideoInfo rounds RGB strides to 4) */
  fail_unless (omni_nn_preprocess_params_from_video_info (
      &pre, &info, g->input_w, g->input_h, g->align_corners, 1.0f, 0.0f));
  pre.strides[0] = r->w * 3;
  n = (gsize) g->input_w * g->input_h;
  rgb = g_new (gfloat, n * 3);
  tensor = g_new (gfloat, n * g->input_c);
  omni_nn_ref_preprocess (&pre, crop, rgb);
  for (i = 0; i < n; i++) {
    if (g->input_c == 1)
      tensor[i] = (0.2989f * rgb[3 * i] + 0.587f * rgb[3 * i + 1]
                      + 0.114f * rgb[3 * i + 2])
                      * g->input_scale
                  + g->input_offset;
    else
      for (y = 0; y < 3; y++)
        tensor[3 * i + y] = rgb[3 * i + y] * g->input_scale + g->input_offset;
  }
  in.tensor = tensor;
  fail_unless (
      omni_nn_session_run (s, &in, &err), "%s", err ? err->message : "");
  g_free (crop);
  g_free (rgb);
  g_free (tensor);
  return s;
}

/* ---- tests ---------------------------------------------------------------- */

/* emotion on her face: a "classification" with the 7 expressions summing to
 * 1, equal to the model run directly on the same crop (1e-5); she smiles
 * broadly: "happy". Another type of ROI on the frame gets nothing. */
GST_START_TEST (test_emotion_on_face)
{
  GstHarness *h = new_enc ("cpu", "emotion", "face");
  GstBuffer *buf = load_astronaut (), *out;
  GstVideoRegionOfInterestMeta *face;
  OmniNnSession *s = direct_on_crop ("emotion", buf, &face_box);
  const gfloat *want = omni_nn_session_get_output (s, 0, NULL);
  const GstStructure *c;
  const GValue *labels;
  gdouble sum = 0, conf;
  guint i;

  add_roi (buf, "face", &face_box, 1);
  add_roi (buf, "person", &person_box, 2);
  out = gst_harness_push_and_pull (h, buf);
  face = roi_by_id (out, 1);
  c = param (face, "classification");
  fail_unless (c != NULL, "no classification on the face");
  fail_unless_equals_string (gst_structure_get_string (c, "model"), "emotion");
  labels = gst_structure_get_value (c, "labels");
  fail_unless_equals_int (gst_value_array_get_size (labels), 7);
  for (i = 0; i < 7; i++) {
    gdouble v = array_double (c, "scores", i);

    fail_unless_equals_string (
        g_value_get_string (gst_value_array_get_value (labels, i)),
        emotions[i]);
    fail_unless (
        fabs (v - want[i]) <= 1e-5, "score %u: %g != %g", i, v, want[i]);
    sum += v;
  }
  fail_unless (fabs (sum - 1.0) < 1e-5, "scores sum to %g", sum);
  fail_unless_equals_string (gst_structure_get_string (c, "label"), "happy");
  fail_unless (gst_structure_get_double (c, "confidence", &conf));
  fail_unless_equals_float (conf, array_double (c, "scores", 3));
  fail_unless (param (roi_by_id (out, 2), "classification") == NULL);
  /* whole-frame results are not attached in this mode */
  fail_unless (omni_buffer_get_class_meta (out) == NULL);
  fail_unless_equals_uint64 (frames_run (h), 1);
  GST_INFO ("emotion on the face: happy %.4f", conf);
  omni_nn_session_free (s);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* faceres on her face: female, age in a plausible range, equal to the model
 * run directly on the crop (1e-5). Eileen Collins (born 1956) was photographed
 * in the 1990s, about 35 to 43 years old; apparent-age estimators err by
 * about 5 to 10 years (DEX: 3.2 years mean absolute error on ChaLearn LAP
 * 2015, more on other sets), hence 25 to 55. */
GST_START_TEST (test_faceres_on_face)
{
  GstHarness *h = new_enc ("cpu", "faceres", "face");
  GstBuffer *buf = load_astronaut (), *out;
  OmniNnSession *s = direct_on_crop ("faceres", buf, &face_box);
  gint age_i = omni_nn_session_find_output (s, "age_pred/Softmax:0");
  gint male_i = omni_nn_session_find_output (s, "gender_pred/Sigmoid:0");
  const gfloat *age_p, *male;
  const GstStructure *c;
  gdouble age, want_age = 0, gconf;
  gsize n;
  guint i;

  fail_unless (age_i >= 0 && male_i >= 0);
  age_p = omni_nn_session_get_output (s, age_i, &n);
  male = omni_nn_session_get_output (s, male_i, NULL);
  fail_unless_equals_int (n, 100);
  for (i = 0; i < n; i++)
    want_age += i * age_p[i];
  add_roi (buf, "face", &face_box, 7);
  out = gst_harness_push_and_pull (h, buf);
  c = param (roi_by_id (out, 7), "classification");
  fail_unless (c != NULL);
  fail_unless_equals_string (gst_structure_get_string (c, "model"), "faceres");
  fail_unless_equals_string (gst_structure_get_string (c, "gender"), "female");
  fail_unless_equals_string (gst_structure_get_string (c, "label"), "female");
  fail_unless (gst_structure_get_double (c, "gender-confidence", &gconf));
  fail_unless (fabs (gconf - (1.0 - male[0])) <= 1e-5, "%g", gconf);
  fail_unless (gconf > 0.5);
  fail_unless (fabs (array_double (c, "scores", 1) - male[0]) <= 1e-5);
  fail_unless (gst_structure_get_double (c, "age-years", &age));
  fail_unless (fabs (age - want_age) <= 1e-4, "age %g != %g", age, want_age);
  fail_unless (age >= 25 && age <= 55, "age %g", age);
  GST_INFO ("faceres: female %.3f, age %.1f", gconf, age);
  omni_nn_session_free (s);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

static gboolean
inside (const GstVideoRectangle *r, gdouble xn, gdouble yn)
{
  gdouble x = xn * SIDE, y = yn * SIDE;

  return x >= r->x && x <= r->x + r->w && y >= r->y && y <= r->y + r->h;
}

/* movenet-lightning on her person box: 17 named keypoints in frame
 * coordinates; nose and eyes inside her face box, confident; the eyes on
 * the right sides (her left eye on the image's right). */
GST_START_TEST (test_movenet_on_person)
{
  GstHarness *h = new_enc ("cpu", "movenet-lightning", "person");
  GstBuffer *buf = load_astronaut (), *out;
  const GstStructure *k;
  const GValue *names;
  guint i;

  add_roi (buf, "person", &person_box, 3);
  add_roi (buf, "face", &face_box, 4);
  out = gst_harness_push_and_pull (h, buf);
  fail_unless (param (roi_by_id (out, 4), "keypoints") == NULL);
  k = param (roi_by_id (out, 3), "keypoints");
  fail_unless (k != NULL, "no keypoints on the person");
  fail_unless_equals_string (
      gst_structure_get_string (k, "model"), "movenet-lightning");
  names = gst_structure_get_value (k, "names");
  fail_unless_equals_int (gst_value_array_get_size (names), 17);
  fail_unless_equals_string (
      g_value_get_string (gst_value_array_get_value (names, 0)), "nose");
  fail_unless_equals_string (
      g_value_get_string (gst_value_array_get_value (names, 1)), "left_eye");
  fail_unless_equals_string (
      g_value_get_string (gst_value_array_get_value (names, 16)),
      "right_ankle");
  for (i = 0; i < 3; i++) {
    gdouble x = array_double (k, "x", i), y = array_double (k, "y", i);
    gdouble sc = array_double (k, "score", i);

    GST_INFO (
        "keypoint %u: (%.1f, %.1f) score %.3f", i, x * SIDE, y * SIDE, sc);
    fail_unless (inside (&face_box, x, y), "keypoint %u at (%.1f, %.1f)", i,
        x * SIDE, y * SIDE);
    fail_unless (sc > 0.3, "keypoint %u score %g", i, sc);
  }
  fail_unless (array_double (k, "x", 1) > array_double (k, "x", 2));
  for (i = 0; i < 17; i++) {
    gdouble x = array_double (k, "x", i), y = array_double (k, "y", i);

    fail_unless (x >= 0 && x <= 1 && y >= 0 && y <= 1);
  }
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* No ROI of the type: the frame passes with no inference; a 1x1 ROI, a ROI
 * running past the frame's edges and one wholly outside it: clamped (the
 * first two get results), skipped (the last), no crash. */
GST_START_TEST (test_degenerate_rois)
{
  GstHarness *h = new_enc ("cpu", "emotion", "face,person");
  GstBuffer *buf = load_astronaut (), *out;
  const GstVideoRectangle tiny = { 300, 300, 1, 1 };
  const GstVideoRectangle edge = { 450, 480, 200, 200 };
  const GstVideoRectangle outside = { 600, 10, 20, 20 };
  const GstVideoRectangle car = { 10, 10, 100, 100 };
  guint i;

  add_roi (buf, "car", &car, 1);
  out = gst_harness_push_and_pull (h, buf);
  fail_unless (param (roi_by_id (out, 1), "classification") == NULL);
  fail_unless_equals_uint64 (frames_run (h), 0);
  gst_buffer_unref (out);

  buf = load_astronaut ();
  add_roi (buf, "face", &tiny, 1);
  add_roi (buf, "person", &edge, 2);
  add_roi (buf, "face", &outside, 3);
  out = gst_harness_push_and_pull (h, buf);
  for (i = 1; i <= 2; i++) {
    const GstStructure *c = param (roi_by_id (out, i), "classification");
    gdouble sum = 0;
    guint j;

    fail_unless (c != NULL, "ROI %u has no result", i);
    for (j = 0; j < 7; j++)
      sum += array_double (c, "scores", j);
    fail_unless (fabs (sum - 1.0) < 1e-5);
  }
  fail_unless (param (roi_by_id (out, 3), "classification") == NULL);
  fail_unless_equals_uint64 (frames_run (h), 2);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A region of an I420 frame (the usual decoder output): its Y, U and V
 * rows, copied here into an I420 frame of their own, give the same emotion
 * scores (1e-5): the region's chroma is its own. */
GST_START_TEST (test_i420_region)
{
  GstVideoInfo big, small;
  GstBuffer *buf, *out;
  GstHarness *h;
  GError *err = NULL;
  OmniNnSession *s;
  OmniNnPreprocessParams pre;
  OmniNnInput in = { 0 };
  GstMapInfo map;
  guint8 *crop;
  gfloat rgb[64 * 64 * 3], grey[64 * 64];
  const GstStructure *c;
  guint p, i;
  gint y;

  gst_video_info_set_format (&big, GST_VIDEO_FORMAT_I420, SIDE, SIDE);
  gst_video_info_set_format (
      &small, GST_VIDEO_FORMAT_I420, face_box.w, face_box.h);
  buf = load_astronaut_as ("I420", big.size);
  crop = g_malloc0 (small.size);
  gst_buffer_map (buf, &map, GST_MAP_READ);
  for (p = 0; p < 3; p++) {
    guint sub = p ? 1 : 0;

    for (y = 0; y < (face_box.h >> sub); y++)
      memcpy (crop + small.offset[p] + (gsize) y * small.stride[p],
          map.data + big.offset[p]
              + (gsize) ((face_box.y >> sub) + y) * big.stride[p]
              + (face_box.x >> sub),
          face_box.w >> sub);
  }
  gst_buffer_unmap (buf, &map);
  fail_unless (omni_nn_preprocess_params_from_video_info (
      &pre, &small, 64, 64, FALSE, 1.0f, 0.0f));
  omni_nn_ref_preprocess (&pre, crop, rgb);
  for (i = 0; i < 64 * 64; i++)
    grey[i] = (0.2989f * rgb[3 * i] + 0.587f * rgb[3 * i + 1]
                  + 0.114f * rgb[3 * i + 2])
                  * (2.0f / 255.0f)
              - 1.0f;
  s = omni_nn_session_new ("emotion", OMNI_NN_BACKEND_CPU, NULL, &err);
  fail_unless (s != NULL, "%s", err ? err->message : "");
  in.tensor = grey;
  fail_unless (omni_nn_session_run (s, &in, &err));

  h = new_enc ("cpu", "emotion", "face");
  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=I420,width=512,height=512,framerate=25/1");
  add_roi (buf, "face", &face_box, 1);
  out = gst_harness_push_and_pull (h, buf);
  c = param (roi_by_id (out, 1), "classification");
  fail_unless (c != NULL);
  for (i = 0; i < 7; i++)
    fail_unless (fabs (array_double (c, "scores", i)
                       - omni_nn_session_get_output (s, 0, NULL)[i])
                     <= 1e-5,
        "score %u: %g != %g", i, array_double (c, "scores", i),
        omni_nn_session_get_output (s, 0, NULL)[i]);
  g_free (crop);
  omni_nn_session_free (s);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* On Vulkan, faceres' crop is pre-processed on the GPU (the region given as
 * a frame of its own, in RGB and in I420): the same results as the CPU
 * reference within 1e-3. */
GST_START_TEST (test_vulkan_crop)
{
  static const gchar *const formats[] = { "RGB", "I420" };
  guint f, i;

  for (f = 0; f < 2; f++) {
    GstHarness *hc = new_enc ("cpu", "faceres", "face");
    GstHarness *hv = new_enc ("vulkan", "faceres", "face");
    gchar *caps = g_strdup_printf (
        "video/x-raw,format=%s,width=512,height=512,framerate=25/1",
        formats[f]);
    gsize size = f ? SIDE * SIDE * 3 / 2 : SIDE * SIDE * 3;
    GstBuffer *a = load_astronaut_as (formats[f], size);
    GstBuffer *b = gst_buffer_copy_deep (a), *oa, *ob;
    const GstStructure *ca, *cb;
    gdouble x, y;

    gst_harness_set_src_caps_str (hc, caps);
    gst_harness_set_src_caps_str (hv, caps);
    add_roi (a, "face", &face_box, 1);
    add_roi (b, "face", &face_box, 1);
    oa = gst_harness_push_and_pull (hc, a);
    ob = gst_harness_push_and_pull (hv, b);
    ca = param (roi_by_id (oa, 1), "classification");
    cb = param (roi_by_id (ob, 1), "classification");
    fail_unless (ca != NULL && cb != NULL);
    for (i = 0; i < 2; i++)
      fail_unless (
          fabs (array_double (ca, "scores", i) - array_double (cb, "scores", i))
              < 1e-3,
          "%s: score %u", formats[f], i);
    fail_unless (gst_structure_get_double (ca, "age-years", &x));
    fail_unless (gst_structure_get_double (cb, "age-years", &y));
    fail_unless (fabs (x - y) < 0.1, "%s: age %g vs %g", formats[f], x, y);
    g_free (caps);
    gst_buffer_unref (oa);
    gst_buffer_unref (ob);
    gst_harness_teardown (hc);
    gst_harness_teardown (hv);
  }
}

GST_END_TEST;

/* MoveNet's output "Identity" [1, 1, 17, 3] (y, x, score) from TF.js (CPU
 * backend, gst-tests/data/tfjs-graph-reference.js) on input @x. */
static JsonArray *
tfjs_movenet (const gfloat *x, gsize n, JsonParser *parser)
{
  const gchar *root = g_getenv ("OMNI_SOURCE_ROOT");
  gchar *script = g_build_filename (
      root ? root : ".", "gst-tests", "data", "tfjs-graph-reference.js", NULL);
  gchar *json = g_build_filename (
      g_getenv ("OMNI_MODEL_PATH"), "movenet-lightning", "model.json", NULL);
  gchar *tmp = g_build_filename (g_get_tmp_dir (), "omni-roi-XXXXXX.f32", NULL);
  const gchar *argv[]
      = { "node", script, json, tmp, "192", "192", "3", "Identity", NULL };
  gchar *out = NULL, *errs = NULL;
  gint fd = g_mkstemp (tmp), status = 0;
  GError *err = NULL;
  JsonObject *o;

  fail_unless (fd >= 0);
  close (fd);
  fail_unless (
      g_file_set_contents (tmp, (const gchar *) x, n * sizeof (gfloat), NULL));
  fail_unless (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH,
                   NULL, NULL, &out, &errs, &status, &err),
      "node: %s", err ? err->message : "");
  fail_unless (g_spawn_check_wait_status (status, NULL), "tfjs: %s", errs);
  fail_unless (json_parser_load_from_data (parser, out, -1, &err), "%s", out);
  o = json_object_get_object_member (
      json_node_get_object (json_parser_get_root (parser)), "Identity");
  g_unlink (tmp);
  g_free (tmp);
  g_free (out);
  g_free (errs);
  g_free (json);
  g_free (script);
  return json_object_get_array_member (o, "values");
}

/* The C decoding of MoveNet's heat maps (omni_vision_movenet_decode()) on
 * our runtime's outputs of the graph cut before its decode tail gives the
 * keypoints TF.js gives with the whole graph (tail included, as
 * @vladmandic/human runs it), on the same input: the photograph resized to
 * 192 x 192, and mirrored. Positions within 1e-3 of the input size,
 * scores within 1e-3. */
GST_START_TEST (test_movenet_decode_matches_tfjs)
{
  GstBuffer *photo = load_astronaut ();
  GError *err = NULL;
  OmniNnSession *s = omni_nn_session_new (
      "movenet-lightning", OMNI_NN_BACKEND_CPU, NULL, &err);
  const gchar *outs[] = { "StatefulPartitionedCall/Sigmoid",
    "StatefulPartitionedCall/Sigmoid_1",
    "StatefulPartitionedCall/kpt_regress_0/conv2d_6/BiasAdd",
    "StatefulPartitionedCall/kpt_offset_0/conv2d_7/BiasAdd" };
  gfloat *rgb = g_new (gfloat, 192 * 192 * 3),
         *x = g_new (gfloat, 192 * 192 * 3);
  OmniNnPreprocessParams pre;
  GstVideoInfo info;
  GstMapInfo map;
  guint mirror, i;

  fail_unless (s != NULL, "%s", err ? err->message : "");
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, SIDE, SIDE);
  fail_unless (omni_nn_preprocess_params_from_video_info (
      &pre, &info, 192, 192, FALSE, 1.0f, 0.0f));
  gst_buffer_map (photo, &map, GST_MAP_READ);
  omni_nn_ref_preprocess (&pre, map.data, rgb);
  gst_buffer_unmap (photo, &map);
  for (mirror = 0; mirror < 2; mirror++) {
    JsonParser *parser = json_parser_new ();
    const gfloat *o[4];
    OmniNnInput in = { 0 };
    gdouble ky[17], kx[17], ks[17];
    JsonArray *ref;

    for (i = 0; i < 192 * 192 * 3; i++) {
      guint px = i / 3, c = i % 3, col = px % 192, row = px / 192;
      guint src = mirror ? (row * 192 + 191 - col) * 3 + c : i;

      x[i] = truncf (rgb[src]); /* an int32 input */
    }
    in.tensor = x;
    fail_unless (
        omni_nn_session_run (s, &in, &err), "%s", err ? err->message : "");
    for (i = 0; i < 4; i++) {
      gint k = omni_nn_session_find_output (s, outs[i]);

      fail_unless (k >= 0, "no output %s", outs[i]);
      o[i] = omni_nn_session_get_output (s, k, NULL);
    }
    omni_vision_movenet_decode (o[0], o[1], o[2], o[3], 48, 48, 17, ky, kx, ks);
    ref = tfjs_movenet (x, 192 * 192 * 3, parser);
    fail_unless_equals_int (json_array_get_length (ref), 51);
    for (i = 0; i < 17; i++) {
      gdouble ry = json_array_get_double_element (ref, 3 * i);
      gdouble rx = json_array_get_double_element (ref, 3 * i + 1);
      gdouble rs = json_array_get_double_element (ref, 3 * i + 2);

      fail_unless (fabs (ky[i] - ry) < 1e-3 && fabs (kx[i] - rx) < 1e-3
                       && fabs (ks[i] - rs) < 1e-3,
          "mirror %u keypoint %u: ours (%.5f, %.5f) %.4f, tfjs (%.5f, %.5f) "
          "%.4f",
          mirror, i, ky[i], kx[i], ks[i], ry, rx, rs);
    }
    g_object_unref (parser);
  }
  g_free (rgb);
  g_free (x);
  omni_nn_session_free (s);
  gst_buffer_unref (photo);
}

GST_END_TEST;

static Suite *
omnivisionencroi_suite (void)
{
  Suite *s = suite_create ("omnivisionencroi");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_emotion_on_face);
  tcase_add_test (tc, test_faceres_on_face);
  tcase_add_test (tc, test_movenet_on_person);
  tcase_add_test (tc, test_movenet_decode_matches_tfjs);
  tcase_add_test (tc, test_degenerate_rois);
  tcase_add_test (tc, test_i420_region);
  tcase_add_test (tc, test_vulkan_crop);
  return s;
}

GST_CHECK_MAIN (omnivisionencroi);
