/* gst-omni: omnivad (GstHarness)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Needs silero-vad (tools/omni-fetch-models), sox, ../shared/data.
 * - real speech with digital silence before and after it at known times:
 *   the segments start within 0.3 s of the first word (forced alignment of
 *   the LibriVox recording) and end within 0.8 s of the last; the silence
 *   gives no speech;
 * - chan3.wav against its speech-segment labels (README of speech-real);
 * - generated silence and a steady tone: no speech at all;
 * - one `omnivad` message per 32 ms frame, running times 32 ms apart, and
 *   the same probabilities in the buffers' "speech-probability" tensors;
 * - omnivad into omnifusion: the windows' speech-activity evidence (bus
 *   messages and the JSON events) over real speech and silence.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/audio/audio.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <json-glib/json-glib.h>
#include <omni/omni.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#define RATE 16000
#define CAPS                                                                   \
  "audio/x-raw, format=" GST_AUDIO_NE (F32) ", rate=16000, channels=1, "       \
                                            "layout=interleaved"

typedef struct {
  GArray *starts, *ends; /* gdouble seconds (segment ends) */
  GArray *probs;         /* gdouble per frame */
  GArray *times;         /* gdouble frame running time, s */
  GArray *meta_probs;    /* gdouble per frame, from the buffers' tensors */
} Result;

static gchar *
data_path (const gchar *name)
{
  const gchar *root = g_getenv ("OMNI_SOURCE_ROOT");

  return g_build_filename (
      root ? root : "..", "..", "shared", "data", "speech-real", name, NULL);
}

/* A recording as 16 kHz mono float32 samples (sox through a temp file). */
static GArray *
load (const gchar *name)
{
  gchar *src = data_path (name), *tmp = NULL, *bytes = NULL, *err = NULL;
  gint fd = g_file_open_tmp ("omnivad-XXXXXX.f32", &tmp, NULL), status = -1;
  const gchar *argv[] = { "sox", src, "-r", "16000", "-c", "1", "-t", "f32",
    "-e", "floating-point", NULL, NULL };
  GArray *a = g_array_new (FALSE, FALSE, sizeof (gfloat));
  gsize len = 0;

  close (fd);
  argv[10] = tmp;
  fail_unless (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH,
      NULL, NULL, NULL, &err, &status, NULL));
  fail_unless (g_spawn_check_wait_status (status, NULL), "sox: %s", err);
  fail_unless (g_file_get_contents (tmp, &bytes, &len, NULL));
  g_array_append_vals (a, bytes, len / sizeof (gfloat));
  g_unlink (tmp);
  g_free (tmp);
  g_free (bytes);
  g_free (err);
  g_free (src);
  return a;
}

static void
append_silence (GArray *a, gdouble seconds)
{
  guint n = (guint) (seconds * RATE), i;
  gfloat z = 0;

  for (i = 0; i < n; i++)
    g_array_append_val (a, z);
}

static void
result_free (Result *r)
{
  g_array_unref (r->starts);
  g_array_unref (r->ends);
  g_array_unref (r->probs);
  g_array_unref (r->times);
  g_array_unref (r->meta_probs);
}

/* The frames of @buf's "speech-probability" tensor, appended to @probs;
 * the tensor's span is 32 ms per frame. */
static void
read_tensor (GstBuffer *buf, GArray *probs)
{
  OmniTensorMeta *m = omni_buffer_get_tensor_meta (buf, "speech-probability");
  const gfloat *v;
  gsize n, i;

  if (!m)
    return;
  v = omni_tensor_meta_get_f32 (m, &n);
  fail_unless (v != NULL);
  fail_unless_equals_int (m->n_dims, 2);
  fail_unless_equals_int (m->dims[1], 2);
  fail_unless_equals_uint64 (m->end - m->start, m->dims[0] * 32 * GST_MSECOND);
  for (i = 0; i < n / 2; i++) {
    gdouble p = v[2 * i];

    fail_unless (v[2 * i + 1] == 0.0f || v[2 * i + 1] == 1.0f);
    g_array_append_val (probs, p);
  }
}

/* Pushes @x in 100 ms buffers with timestamps, then EOS; gathers the
 * element's messages. */
static Result
run (GArray *x, const gchar *backend)
{
  GstHarness *h = gst_harness_new ("omnivad");
  GstBus *bus = gst_bus_new ();
  Result r;
  guint off = 0, chunk = RATE / 10;
  GstMessage *m;

  r.starts = g_array_new (FALSE, FALSE, sizeof (gdouble));
  r.ends = g_array_new (FALSE, FALSE, sizeof (gdouble));
  r.probs = g_array_new (FALSE, FALSE, sizeof (gdouble));
  r.times = g_array_new (FALSE, FALSE, sizeof (gdouble));
  r.meta_probs = g_array_new (FALSE, FALSE, sizeof (gdouble));
  gst_element_set_bus (h->element, bus);
  g_object_set (h->element, "backend", backend, NULL);
  gst_harness_set_src_caps_str (h, CAPS);
  while (off < x->len) {
    guint n = MIN (chunk, x->len - off);
    GstBuffer *b = gst_buffer_new_memdup (
        &g_array_index (x, gfloat, off), n * sizeof (gfloat));

    GST_BUFFER_PTS (b) = gst_util_uint64_scale_int (off, GST_SECOND, RATE);
    GST_BUFFER_DURATION (b) = gst_util_uint64_scale_int (n, GST_SECOND, RATE);
    fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_OK);
    b = gst_harness_pull (h);
    read_tensor (b, r.meta_probs);
    gst_buffer_unref (b);
    off += n;
  }
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (m);
    guint64 t = 0, e = 0;
    gdouble p = 0;

    if (gst_structure_has_name (s, "omnivad")) {
      fail_unless (gst_structure_get_uint64 (s, "running-time", &t));
      fail_unless (gst_structure_get_double (s, "probability", &p));
      fail_unless (p >= 0 && p <= 1);
      g_array_append_val (r.probs, p);
      p = t / 1e9;
      g_array_append_val (r.times, p);
    } else if (gst_structure_has_name (s, "omnivad-speech-start")) {
      fail_unless (gst_structure_get_uint64 (s, "running-time", &t));
      p = t / 1e9;
      g_array_append_val (r.starts, p);
    } else if (gst_structure_has_name (s, "omnivad-speech-end")) {
      fail_unless (gst_structure_get_uint64 (s, "end", &e));
      fail_unless (gst_structure_get_uint64 (s, "start", &t));
      fail_unless (e > t);
      p = e / 1e9;
      g_array_append_val (r.ends, p);
    }
    gst_message_unref (m);
  }
  /* every frame, 32 ms apart; segments come in start/end pairs */
  fail_unless_equals_int (r.probs->len, x->len / 512);
  fail_unless_equals_int (r.meta_probs->len, r.probs->len);
  fail_unless (!memcmp (
      r.meta_probs->data, r.probs->data, r.probs->len * sizeof (gdouble)));
  fail_unless (fabs (g_array_index (r.times, gdouble, 1) - 0.032) < 1e-6);
  fail_unless_equals_int (r.starts->len, r.ends->len);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
  return r;
}

/* First and last word times of the forced alignment (seconds). */
static void
word_span (const gchar *json, gdouble *first, gdouble *last)
{
  gchar *path = data_path (json);
  JsonParser *p = json_parser_new ();
  JsonArray *w;
  guint i;

  fail_unless (json_parser_load_from_file (p, path, NULL));
  w = json_object_get_array_member (
      json_node_get_object (json_parser_get_root (p)), "w");
  *first = -1;
  for (i = 0; i < json_array_get_length (w); i++) {
    JsonObject *o = json_array_get_object_element (w, i);

    if (g_str_has_prefix (json_object_get_string_member (o, "t"), "<sil>"))
      continue;
    if (*first < 0)
      *first = json_object_get_double_member (o, "b");
    *last = json_object_get_double_member (o, "b")
            + json_object_get_double_member (o, "d");
  }
  g_object_unref (p);
  g_free (path);
}

static void
speech_in_silence (const gchar *backend)
{
  GArray *x = g_array_new (FALSE, FALSE, sizeof (gfloat)), *speech;
  gdouble first = 0, last = 0, lead = 2.0;
  Result r;
  guint i;

  word_span ("sense_and_sensibility_01_austen_64kb-0870.json", &first, &last);
  speech = load ("sense_and_sensibility_01_austen_64kb-0870.wav");
  append_silence (x, lead);
  g_array_append_vals (x, speech->data, speech->len);
  append_silence (x, 2.0);
  r = run (x, backend);
  fail_unless (r.starts->len >= 1);
  g_print (
      "%s: speech %.2f..%.2f s, segments", backend, lead + first, lead + last);
  for (i = 0; i < r.starts->len; i++)
    g_print (" %.3f..%.3f", g_array_index (r.starts, gdouble, i),
        g_array_index (r.ends, gdouble, i));
  g_print ("\n");
  fail_unless (
      fabs (g_array_index (r.starts, gdouble, 0) - (lead + first)) <= 0.3);
  fail_unless (
      fabs (g_array_index (r.ends, gdouble, r.ends->len - 1) - (lead + last))
      <= 0.8);
  /* the digital silence before and after: no speech */
  for (i = 0; i < r.probs->len; i++) {
    gdouble t = g_array_index (r.times, gdouble, i);

    if (t + 0.032 < lead - 0.1 || t > lead + speech->len / (gdouble) RATE + 0.9)
      fail_unless (g_array_index (r.probs, gdouble, i) < 0.5, "%.3f s: %.3f", t,
          g_array_index (r.probs, gdouble, i));
  }
  result_free (&r);
  g_array_unref (speech);
  g_array_unref (x);
}

GST_START_TEST (test_speech_in_silence_cpu)
{
  speech_in_silence ("cpu");
}

GST_END_TEST;

#if HAVE_VULKAN
GST_START_TEST (test_speech_in_silence_vulkan)
{
  speech_in_silence ("vulkan");
}

GST_END_TEST;
#endif

/* chan3.wav (11025 Hz) against its labels: 0.24-1.80, 2.88-12.12,
 * 12.51-15.75, 16.44-20.87. Silero gives the 12.51-15.75 span (RMS
 * -46 dBFS, a twelfth of the rest) probabilities below 0.01, as
 * onnxruntime does (libs/onnxvad): three of the four starts are found
 * within 0.3 s, and every segment found lies inside a labelled span. */
GST_START_TEST (test_chan3_labels)
{
  static const gdouble lab[4][2]
      = { { 0.24, 1.80 }, { 2.88, 12.12 }, { 12.51, 15.75 }, { 16.44, 20.87 } };
  GArray *x = load ("chan3.wav");
  Result r = run (x, "cpu");
  guint i, j, found = 0;

  for (j = 0; j < 4; j++)
    for (i = 0; i < r.starts->len; i++)
      if (fabs (g_array_index (r.starts, gdouble, i) - lab[j][0]) <= 0.3) {
        found++;
        break;
      }
  fail_unless (found >= 3, "%u labelled starts found", found);
  for (i = 0; i < r.starts->len; i++) {
    gdouble s = g_array_index (r.starts, gdouble, i);
    gdouble e = g_array_index (r.ends, gdouble, i);
    gboolean inside = FALSE;

    for (j = 0; j < 4; j++)
      inside |= s >= lab[j][0] - 0.3 && e <= lab[j][1] + 0.8;
    fail_unless (inside, "segment %.2f..%.2f outside the labels", s, e);
  }
  /* the first segment's end, and the last one's at the end of the file */
  fail_unless (fabs (g_array_index (r.ends, gdouble, 0) - 1.80) <= 0.8);
  fail_unless (
      fabs (g_array_index (r.ends, gdouble, r.ends->len - 1) - 20.87) <= 0.8);
  result_free (&r);
  g_array_unref (x);
}

GST_END_TEST;

/* Generated: digital silence, then a steady 440 Hz tone at -12 dBFS. */
GST_START_TEST (test_silence_and_tone)
{
  GArray *x = g_array_new (FALSE, FALSE, sizeof (gfloat));
  Result r;
  gdouble peak = 0;
  guint i;

  append_silence (x, 3.0);
  for (i = 0; i < 3 * RATE; i++) {
    gfloat v = (gfloat) (0.25 * sin (2 * G_PI * 440.0 * i / RATE));

    g_array_append_val (x, v);
  }
  r = run (x, "cpu");
  for (i = 0; i < r.probs->len; i++)
    peak = MAX (peak, g_array_index (r.probs, gdouble, i));
  g_print ("silence and tone: highest probability %.4f\n", peak);
  fail_unless_equals_int (r.starts->len, 0);
  fail_unless (peak < 0.5);
  result_free (&r);
  g_array_unref (x);
}

GST_END_TEST;

/* ---- omnivad into omnifusion ------------------------------------------ */

typedef struct {
  GPtrArray *windows; /* GstStructure "omnifusion" messages */
  GString *json;      /* the events */
} Fused;

static void
on_handoff (GstElement *sink, GstBuffer *buf, GstPad *pad, Fused *f)
{
  GstMapInfo map;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  g_string_append_len (f->json, (const gchar *) map.data, map.size);
  gst_buffer_unmap (buf, &map);
}

/* @x through appsrc ! omnivad ! omnifusion (1 s windows) into JSON events;
 * the windows' messages and the events' text. */
static Fused
fuse (GArray *x)
{
  GstElement *p = gst_parse_launch (
      "appsrc name=src format=time caps=\"" CAPS "\" ! omnivad backend=cpu "
      "! f.audio omnifusion name=f ! application/x-omni-events "
      "! fakesink name=out signal-handoffs=true sync=false",
      NULL);
  GstElement *src = gst_bin_get_by_name (GST_BIN (p), "src");
  GstElement *out = gst_bin_get_by_name (GST_BIN (p), "out");
  GstBus *bus = gst_element_get_bus (p);
  Fused f
      = { g_ptr_array_new_with_free_func ((GDestroyNotify) gst_structure_free),
          g_string_new (NULL) };
  guint off = 0, chunk = RATE / 10;
  GstFlowReturn ret;
  GstMessage *m;

  g_signal_connect (out, "handoff", G_CALLBACK (on_handoff), &f);
  fail_unless (
      gst_element_set_state (p, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
  while (off < x->len) {
    guint n = MIN (chunk, x->len - off);
    GstBuffer *b = gst_buffer_new_memdup (
        &g_array_index (x, gfloat, off), n * sizeof (gfloat));

    GST_BUFFER_PTS (b) = gst_util_uint64_scale_int (off, GST_SECOND, RATE);
    GST_BUFFER_DURATION (b) = gst_util_uint64_scale_int (n, GST_SECOND, RATE);
    g_signal_emit_by_name (src, "push-buffer", b, &ret);
    gst_buffer_unref (b);
    fail_unless_equals_int (ret, GST_FLOW_OK);
    off += n;
  }
  g_signal_emit_by_name (src, "end-of-stream", &ret);
  while ((m = gst_bus_timed_pop (bus, 120 * GST_SECOND))) {
    const GstStructure *s = gst_message_get_structure (m);

    fail_if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR);
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS) {
      gst_message_unref (m);
      break;
    }
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ELEMENT
        && gst_structure_has_name (s, "omnifusion"))
      g_ptr_array_add (f.windows, gst_structure_copy (s));
    gst_message_unref (m);
  }
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (out);
  gst_object_unref (p);
  return f;
}

/* The speech-activity evidence of each JSON window object, in order:
 * [speech-fraction, speech-probability, vad-frames] (-1: absent). */
static GArray *
json_speech (const gchar *json)
{
  gchar **lines = g_strsplit (json, "\n", -1), **l;
  GArray *a = g_array_new (FALSE, FALSE, sizeof (gdouble) * 3);

  for (l = lines; *l; l++) {
    JsonParser *p;
    JsonObject *o, *ev;
    gdouble v[3] = { -1, -1, -1 };

    if (!**l)
      continue;
    p = json_parser_new ();
    fail_unless (json_parser_load_from_data (p, *l, -1, NULL), "%s", *l);
    o = json_node_get_object (json_parser_get_root (p));
    if (!g_strcmp0 (json_object_get_string_member (o, "type"), "window")) {
      ev = json_object_get_object_member (o, "evidence");
      if (json_object_has_member (ev, "speech-fraction")) {
        v[0] = json_object_get_double_member (ev, "speech-fraction");
        v[1] = json_object_get_double_member (ev, "speech-probability");
        v[2] = json_object_get_int_member (ev, "vad-frames");
      }
      g_array_append_vals (a, v, 1);
    }
    g_object_unref (p);
  }
  g_strfreev (lines);
  return a;
}

/* 2 s of digital silence, the LibriVox excerpt (words 2.20-8.79 s once
 * placed), 2 s of silence, in 1 s windows: the windows inside the silence
 * say no speech (fraction 0, mean probability under 0.1), those inside
 * the words mostly speech (fraction at least 0.9, mean probability over
 * 0.5), every window has its 31 or 32 frames, and the JSON events carry the
 * same numbers as the messages. */
GST_START_TEST (test_fusion_evidence)
{
  GArray *x = g_array_new (FALSE, FALSE, sizeof (gfloat)), *speech, *js;
  gdouble first = 0, last = 0, lead = 2.0;
  Fused f;
  guint i, silent = 0, spoken = 0;

  word_span ("sense_and_sensibility_01_austen_64kb-0870.json", &first, &last);
  speech = load ("sense_and_sensibility_01_austen_64kb-0870.wav");
  append_silence (x, lead);
  g_array_append_vals (x, speech->data, speech->len);
  append_silence (x, 2.0);
  f = fuse (x);
  js = json_speech (f.json->str);
  fail_unless (f.windows->len >= 10, "%u windows", f.windows->len);
  fail_unless_equals_int (js->len, f.windows->len);
  for (i = 0; i < f.windows->len; i++) {
    const GstStructure *w = g_ptr_array_index (f.windows, i);
    const GstStructure *ev
        = gst_value_get_structure (gst_structure_get_value (w, "evidence"));
    const gdouble *j = &g_array_index (js, gdouble, 3 * i);
    guint64 ws = 0, we = 0;
    guint frames = 0;
    gdouble frac = -1, prob = -1, s, e;

    fail_unless (gst_structure_get_uint64 (w, "window-start", &ws));
    fail_unless (gst_structure_get_uint64 (w, "window-end", &we));
    s = ws / 1e9;
    e = we / 1e9;
    if (e > x->len / (gdouble) RATE)
      continue; /* the last, partial window */
    fail_unless (gst_structure_get_uint (ev, "vad-frames", &frames),
        "%" GST_PTR_FORMAT, ev);
    fail_unless (gst_structure_get_double (ev, "speech-fraction", &frac));
    fail_unless (gst_structure_get_double (ev, "speech-probability", &prob));
    g_print ("window %.0f..%.0f s: %u frames, speech fraction %.3f, mean "
             "probability %.3f\n",
        s, e, frames, frac, prob);
    fail_unless (frames == 31 || frames == 32, "%u frames", frames);
    fail_unless (fabs (j[0] - frac) < 1e-9 && fabs (j[1] - prob) < 1e-9
                 && j[2] == frames);
    if (e <= lead || s >= lead + speech->len / (gdouble) RATE + 1.0) {
      fail_unless (
          frac == 0 && prob < 0.1, "silence %.0f s: %.3f %.3f", s, frac, prob);
      silent++;
    } else if (s >= lead + first && e <= lead + last) {
      fail_unless (
          frac >= 0.9 && prob > 0.5, "speech %.0f s: %.3f %.3f", s, frac, prob);
      spoken++;
    }
  }
  fail_unless (
      silent >= 2 && spoken >= 5, "%u silent, %u spoken", silent, spoken);
  g_ptr_array_unref (f.windows);
  g_string_free (f.json, TRUE);
  g_array_unref (js);
  g_array_unref (speech);
  g_array_unref (x);
}

GST_END_TEST;

/* A model that is not there: an element error, not a crash. */
GST_START_TEST (test_missing_model)
{
  GstElement *e = gst_element_factory_make ("omnivad", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *m;
  GError *err = NULL;

  gst_element_set_bus (e, bus);
  g_object_set (e, "model", "/nonexistent/model.onnx", NULL);
  fail_unless_equals_int (
      gst_element_set_state (e, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (m != NULL);
  gst_message_parse_error (m, &err, NULL);
  fail_unless (
      g_error_matches (err, GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_INIT));
  g_error_free (err);
  gst_message_unref (m);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
}

GST_END_TEST;

static Suite *
omnivad_suite (void)
{
  Suite *s = suite_create ("omnivad");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_speech_in_silence_cpu);
#if HAVE_VULKAN
  tcase_add_test (tc, test_speech_in_silence_vulkan);
#endif
  tcase_add_test (tc, test_chan3_labels);
  tcase_add_test (tc, test_silence_and_tone);
  tcase_add_test (tc, test_missing_model);
  tcase_add_test (tc, test_fusion_evidence);
  return s;
}

GST_CHECK_MAIN (omnivad);
