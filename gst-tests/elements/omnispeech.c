/* gst-omni: GstHarness tests for omnispeech
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The speech is a real recording with a known transcript: PocketSphinx's
 * own test utterance goforward.raw ("go forward ten meters", 16 kHz, in
 * ../shared/data/speech-real), which the US English model recognises
 * word for word. It is placed at known offsets, between digital silence or
 * noise, converted to other formats and rates, cut short, flushed, and fed
 * faster than real time from a live source; the element must find the same
 * words at the same places in the audio's timeline, and say the rest with
 * GAP events and messages.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/audio/audio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>

#define RATE 16000
#define MS (GST_MSECOND)
/* one analysis frame of the engine is 10 ms; a word boundary may move by a
 * frame or two when the detector starts the utterance elsewhere */
#define TIME_TOL (30 * MS)

#define assert_close(a, b, tol)                                                \
  fail_unless (ABS ((gint64) (a) - (gint64) (b)) <= (gint64) (tol),            \
      "%s = %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT                  \
      " +- %" G_GINT64_FORMAT,                                                 \
      #a, (gint64) (a), (gint64) (b), (gint64) (tol))

/* where the words of goforward.raw are, decoded alone from time 0 (the
 * engine's answer, checked by ear: the recording starts with 0.46 s of
 * room noise) */
static const struct {
  const gchar *word;
  GstClockTime start, end;
} goforward_words[] = {
  { "go", 460 * MS, 640 * MS },
  { "forward", 640 * MS, 1170 * MS },
  { "ten", 1170 * MS, 1530 * MS },
  { "meters", 1530 * MS, 2120 * MS },
};

typedef struct {
  GstHarness *h;
  GstBus *bus;
  GstClockTime pts;
  GPtrArray *buffers; /* received GstBuffer */
  GPtrArray *gaps;    /* GstEvent */
  gboolean eos;
} Rig;

static gint16 *
load_goforward (gsize *n)
{
  gchar *path = g_build_filename (g_getenv ("OMNI_SOURCE_ROOT"), "..", "shared",
      "data", "speech-real", "goforward.raw", NULL);
  gchar *data = NULL;
  gsize len = 0;

  fail_unless (g_file_get_contents (path, &data, &len, NULL),
      "cannot read %s (../shared/data beside the source tree)", path);
  g_free (path);
  *n = len / 2;
  return (gint16 *) data;
}

/* answers the element's upstream LATENCY query as a non-live source would
 * (GstHarness's source always says live) */
static GstPadProbeReturn
not_live_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstQuery *q = GST_PAD_PROBE_INFO_QUERY (info);

  if (GST_QUERY_TYPE (q) != GST_QUERY_LATENCY)
    return GST_PAD_PROBE_OK;
  gst_query_set_latency (q, FALSE, 0, GST_CLOCK_TIME_NONE);
  return GST_PAD_PROBE_HANDLED;
}

static void
rig_setup_full (Rig *r, const gchar *props, const gchar *caps, gboolean live)
{
  gchar *desc = g_strdup_printf ("omnispeech %s", props ? props : "");

  memset (r, 0, sizeof (*r));
  r->h = gst_harness_new_parse (desc);
  g_free (desc);
  r->bus = gst_bus_new ();
  gst_element_set_bus (r->h->element, r->bus);
  if (!live) {
    GstPad *sink = gst_element_get_static_pad (r->h->element, "sink");
    gst_pad_add_probe (
        sink, GST_PAD_PROBE_TYPE_QUERY_UPSTREAM, not_live_probe, NULL, NULL);
    gst_object_unref (sink);
  }
  gst_harness_set_src_caps_str (r->h, caps);
  r->buffers
      = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
  r->gaps = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_event_unref);
}

static void
rig_setup (Rig *r, const gchar *props)
{
  rig_setup_full (r, props,
      "audio/x-raw,format=S16LE,rate=16000,channels=1,layout=interleaved",
      FALSE);
}

static void
rig_teardown (Rig *r)
{
  g_ptr_array_unref (r->buffers);
  g_ptr_array_unref (r->gaps);
  gst_element_set_bus (r->h->element, NULL);
  gst_object_unref (r->bus);
  gst_harness_teardown (r->h);
}

static GstFlowReturn
push_bytes (Rig *r, gconstpointer data, gsize size, gint bpf, gint rate)
{
  GstBuffer *buf = gst_buffer_new_memdup (data, size);

  GST_BUFFER_PTS (buf) = r->pts;
  GST_BUFFER_DURATION (buf)
      = gst_util_uint64_scale (size / bpf, GST_SECOND, rate);
  r->pts += GST_BUFFER_DURATION (buf);
  return gst_harness_push (r->h, buf);
}

/* 16 kHz mono S16 in 100 ms buffers */
static void
push_s16 (Rig *r, const gint16 *s, gsize n)
{
  gsize i;

  for (i = 0; i < n; i += RATE / 10)
    fail_unless_equals_int (
        push_bytes (r, s + i, MIN (RATE / 10, n - i) * 2, 2, RATE),
        GST_FLOW_OK);
}

static void
push_silence (Rig *r, GstClockTime dur)
{
  gsize n = gst_util_uint64_scale (dur, RATE, GST_SECOND);
  gint16 *z = g_new0 (gint16, n);

  push_s16 (r, z, n);
  g_free (z);
}

/* deterministic white noise, about -50 dBFS */
static void
push_noise (Rig *r, GstClockTime dur)
{
  gsize i, n = gst_util_uint64_scale (dur, RATE, GST_SECOND);
  gint16 *z = g_new0 (gint16, n);
  guint32 seed = 12345;

  for (i = 0; i < n; i++) {
    seed = seed * 1664525u + 1013904223u;
    z[i] = (gint16) ((gint32) (seed >> 16) % 200 - 100);
  }
  push_s16 (r, z, n);
  g_free (z);
}

static void
collect_until_eos (Rig *r)
{
  GstBuffer *buf;

  while (!r->eos) {
    GstEvent *ev = gst_harness_pull_event (r->h);
    fail_unless (ev != NULL, "no EOS from omnispeech");
    if (GST_EVENT_TYPE (ev) == GST_EVENT_EOS)
      r->eos = TRUE;
    if (GST_EVENT_TYPE (ev) == GST_EVENT_GAP)
      g_ptr_array_add (r->gaps, ev);
    else
      gst_event_unref (ev);
  }
  while ((buf = gst_harness_try_pull (r->h)))
    g_ptr_array_add (r->buffers, buf);
}

static void
finish (Rig *r)
{
  fail_unless (gst_harness_push_event (r->h, gst_event_new_eos ()));
  collect_until_eos (r);
}

static gchar *
buffer_text (GstBuffer *buf)
{
  GstMapInfo map;
  gchar *s;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  s = g_strndup ((const gchar *) map.data, map.size);
  gst_buffer_unmap (buf, &map);
  fail_unless (g_utf8_validate (s, -1, NULL));
  return s;
}

/* the words out, space separated */
static gchar *
rig_text (Rig *r)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < r->buffers->len; i++) {
    gchar *w = buffer_text (g_ptr_array_index (r->buffers, i));
    g_string_append_printf (s, "%s%s", i ? " " : "", w);
    g_free (w);
  }
  return g_string_free (s, FALSE);
}

/* element messages named @name, in posting order */
static GList *
rig_messages (Rig *r, const gchar *name)
{
  GList *list = NULL;
  GstMessage *m;

  while ((m = gst_bus_pop (r->bus))) {
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ELEMENT
        && gst_structure_has_name (gst_message_get_structure (m), name))
      list = g_list_append (list, m);
    else
      gst_message_unref (m);
  }
  return list;
}

static GstMessage *
rig_pop_type (Rig *r, GstMessageType type)
{
  return gst_bus_pop_filtered (r->bus, type);
}

static void
check_goforward_words (Rig *r, GstClockTime offset)
{
  guint i;

  fail_unless_equals_int (r->buffers->len, G_N_ELEMENTS (goforward_words));
  for (i = 0; i < r->buffers->len; i++) {
    GstBuffer *b = g_ptr_array_index (r->buffers, i);
    gchar *w = buffer_text (b);
    fail_unless_equals_string (w, goforward_words[i].word);
    assert_close (
        GST_BUFFER_PTS (b), offset + goforward_words[i].start, TIME_TOL);
    assert_close (GST_BUFFER_PTS (b) + GST_BUFFER_DURATION (b),
        offset + goforward_words[i].end, TIME_TOL);
    g_free (w);
  }
}

/* words and gaps tile the timeline from @from to @to: no hole, no overlap */
static gint
cmp_interval (gconstpointer a, gconstpointer b)
{
  const GstClockTime *x = a, *y = b;

  return x[0] < y[0] ? -1 : x[0] > y[0];
}

static void
check_tiling (Rig *r, GstClockTime from, GstClockTime to)
{
  GArray *iv = g_array_new (FALSE, FALSE, 2 * sizeof (GstClockTime));
  GstClockTime pos = from;
  guint i;

  for (i = 0; i < r->buffers->len; i++) {
    GstBuffer *b = g_ptr_array_index (r->buffers, i);
    GstClockTime x[2]
        = { GST_BUFFER_PTS (b), GST_BUFFER_PTS (b) + GST_BUFFER_DURATION (b) };
    g_array_append_val (iv, x);
  }
  for (i = 0; i < r->gaps->len; i++) {
    GstClockTime x[2];
    gst_event_parse_gap (g_ptr_array_index (r->gaps, i), &x[0], &x[1]);
    x[1] += x[0];
    g_array_append_val (iv, x);
  }
  g_array_sort (iv, cmp_interval);
  for (i = 0; i < iv->len; i++) {
    GstClockTime *x = &g_array_index (iv, GstClockTime, 2 * i);
    fail_unless (x[0] == pos,
        "interval %u starts at %" GST_TIME_FORMAT
        ", previous ended at %" GST_TIME_FORMAT,
        i, GST_TIME_ARGS (x[0]), GST_TIME_ARGS (pos));
    fail_unless (x[1] >= x[0]);
    pos = x[1];
  }
  assert_close (pos, to, 10 * MS);
  g_array_unref (iv);
}

GST_START_TEST (test_words_times_and_gaps)
{
  gsize n;
  gint16 *speech = load_goforward (&n);
  GstClockTime end;
  Rig r;

  rig_setup (&r, NULL);
  push_silence (&r, 2 * GST_SECOND);
  push_s16 (&r, speech, n);
  push_silence (&r, 2 * GST_SECOND);
  end = r.pts;
  finish (&r);
  check_goforward_words (&r, 2 * GST_SECOND);
  /* silence said with gaps, from the first sample to the last */
  fail_unless (r.gaps->len >= 2);
  check_tiling (&r, 0, end);
  g_free (speech);
  rig_teardown (&r);
}
GST_END_TEST;

static void
check_word_structure (
    const GstStructure *w, guint i, GstClockTime offset, GstClockTime rt_offset)
{
  guint64 start, end, ts;
  gdouble conf;

  fail_unless_equals_string (
      gst_structure_get_string (w, "text"), goforward_words[i].word);
  fail_unless (gst_structure_get_uint64 (w, "start", &start));
  fail_unless (gst_structure_get_uint64 (w, "end", &end));
  fail_unless (gst_structure_get_uint64 (w, "timestamp", &ts));
  fail_unless (gst_structure_get_double (w, "confidence", &conf));
  assert_close (ts, offset + goforward_words[i].start, TIME_TOL);
  fail_unless_equals_uint64 (start, ts - rt_offset);
  assert_close (end, offset + goforward_words[i].end - rt_offset, TIME_TOL);
  fail_unless (conf >= 0.0 && conf <= 1.0);
}

/* messages in running time: segment start 10 s, base 3 s */
GST_START_TEST (test_messages_running_time)
{
  const GstClockTime seg_start = 10 * GST_SECOND, seg_base = 3 * GST_SECOND;
  gsize n;
  gint16 *speech = load_goforward (&n);
  GstSegment seg;
  GList *msgs;
  const GstStructure *s;
  const GValue *words;
  guint64 start, end;
  gdouble conf;
  guint i;
  Rig r;

  rig_setup (&r, NULL);
  gst_segment_init (&seg, GST_FORMAT_TIME);
  seg.start = seg.time = seg_start;
  seg.base = seg_base;
  fail_unless (gst_harness_push_event (r.h, gst_event_new_segment (&seg)));
  r.pts = seg_start;
  push_silence (&r, GST_SECOND);
  push_s16 (&r, speech, n);
  push_silence (&r, GST_SECOND);
  finish (&r);
  check_goforward_words (&r, seg_start + GST_SECOND);

  msgs = rig_messages (&r, "omnispeech");
  fail_unless_equals_int (g_list_length (msgs), 1);
  s = gst_message_get_structure (msgs->data);
  fail_unless_equals_string (
      gst_structure_get_string (s, "text"), "go forward ten meters");
  fail_unless (gst_structure_get_uint64 (s, "start", &start));
  fail_unless (gst_structure_get_uint64 (s, "end", &end));
  fail_unless (gst_structure_get_double (s, "confidence", &conf));
  assert_close (
      start, GST_SECOND + seg_base + goforward_words[0].start, TIME_TOL);
  assert_close (end, GST_SECOND + seg_base + goforward_words[3].end, TIME_TOL);
  fail_unless (conf > 0.5 && conf <= 1.0, "confidence %f", conf);
  words = gst_structure_get_value (s, "words");
  fail_unless (GST_VALUE_HOLDS_LIST (words));
  fail_unless_equals_int (gst_value_list_get_size (words), 4);
  for (i = 0; i < 4; i++)
    check_word_structure (
        gst_value_get_structure (gst_value_list_get_value (words, i)), i,
        seg_start + GST_SECOND, seg_start - seg_base);
  g_list_free_full (msgs, (GDestroyNotify) gst_message_unref);
  g_free (speech);
  rig_teardown (&r);
}
GST_END_TEST;

/* speech activity: one start, one end around the words */
GST_START_TEST (test_activity)
{
  gsize n;
  gint16 *speech = load_goforward (&n);
  GList *msgs;
  const GstStructure *s;
  gboolean active;
  guint64 start, end;
  Rig r;

  rig_setup (&r, NULL);
  push_silence (&r, 3 * GST_SECOND);
  push_s16 (&r, speech, n);
  push_silence (&r, 3 * GST_SECOND);
  finish (&r);
  msgs = rig_messages (&r, "omnispeech-activity");
  fail_unless_equals_int (g_list_length (msgs), 2);
  s = gst_message_get_structure (msgs->data);
  fail_unless (gst_structure_get_boolean (s, "active", &active) && active);
  fail_unless (gst_structure_get_uint64 (s, "start", &start));
  /* the detector's estimate: the recording's room noise and 0.33 s of
   * look-back put it before the first word */
  fail_unless (start >= 3 * GST_SECOND - 400 * MS
                   && start <= 3 * GST_SECOND + goforward_words[0].start,
      "start %" GST_TIME_FORMAT, GST_TIME_ARGS (start));
  s = gst_message_get_structure (msgs->next->data);
  fail_unless (gst_structure_get_boolean (s, "active", &active) && !active);
  fail_unless (gst_structure_get_uint64 (s, "start", &start));
  fail_unless (gst_structure_get_uint64 (s, "end", &end));
  assert_close (start, 3 * GST_SECOND + goforward_words[0].start, TIME_TOL);
  assert_close (end, 3 * GST_SECOND + goforward_words[3].end, TIME_TOL);
  g_list_free_full (msgs, (GDestroyNotify) gst_message_unref);
  g_free (speech);
  rig_teardown (&r);
}
GST_END_TEST;

/* no speech at all: digital silence, then stationary noise (-50 dBFS white
 * noise, the floor of a quiet room): no word, no utterance, gaps over
 * everything. (An abrupt step from digital silence into noise is another
 * matter: the detector fires on it and the language model may put a short
 * word there; see docs/elements/omnispeech.md.) */
GST_START_TEST (test_no_speech)
{
  GList *msgs;
  GstClockTime end;
  guint k;
  Rig r;

  for (k = 0; k < 2; k++) {
    rig_setup (&r, NULL);
    if (k == 0)
      push_silence (&r, 5 * GST_SECOND);
    else
      push_noise (&r, 8 * GST_SECOND);
    end = r.pts;
    finish (&r);
    fail_unless_equals_int (r.buffers->len, 0);
    check_tiling (&r, 0, end);
    msgs = rig_messages (&r, "omnispeech");
    fail_unless_equals_int (g_list_length (msgs), 0);
    rig_teardown (&r);
  }
}
GST_END_TEST;

static gchar *
write_keywords (const gchar *text)
{
  gchar *path = NULL;
  gint fd = g_file_open_tmp ("omnispeech-test-XXXXXX.kws", &path, NULL);

  fail_unless (fd >= 0);
  fail_unless (write (fd, text, strlen (text)) == (gssize) strlen (text));
  close (fd);
  return path;
}

/* key phrases: the spoken one is found where the word is, with its exact
 * span; one that is not spoken is not */
GST_START_TEST (test_keywords)
{
  gchar *kws = write_keywords (
      "# moderation list\nFORWARD /1e-20/\nlazy dog /1e-20/\n");
  gchar *props = g_strdup_printf ("keywords=%s", kws);
  gsize n;
  gint16 *speech = load_goforward (&n);
  GList *msgs;
  const GstStructure *s;
  guint64 start, end, ts, dur;
  gdouble conf;
  Rig r;

  rig_setup (&r, props);
  push_silence (&r, GST_SECOND);
  push_s16 (&r, speech, n);
  push_silence (&r, GST_SECOND);
  finish (&r);
  /* transcription is unaffected */
  check_goforward_words (&r, GST_SECOND);
  msgs = rig_messages (&r, "omnispeech-keyword");
  fail_unless_equals_int (g_list_length (msgs), 1);
  s = gst_message_get_structure (msgs->data);
  fail_unless_equals_string (
      gst_structure_get_string (s, "keyword"), "forward");
  fail_unless (gst_structure_get_uint64 (s, "start", &start));
  fail_unless (gst_structure_get_uint64 (s, "end", &end));
  fail_unless (gst_structure_get_uint64 (s, "timestamp", &ts));
  fail_unless (gst_structure_get_uint64 (s, "duration", &dur));
  fail_unless (gst_structure_get_double (s, "confidence", &conf));
  /* the keyword search aligns the phrase alone: within 60 ms (6 frames)
   * of the word in the full transcription */
  assert_close (start, GST_SECOND + goforward_words[1].start, 60 * MS);
  assert_close (end, GST_SECOND + goforward_words[1].end, 60 * MS);
  fail_unless_equals_uint64 (ts, start);
  fail_unless_equals_uint64 (dur, end - start);
  fail_unless (conf > 0.0 && conf <= 1.0);
  g_list_free_full (msgs, (GDestroyNotify) gst_message_unref);
  g_free (speech);
  g_unlink (kws);
  g_free (kws);
  g_free (props);
  rig_teardown (&r);
}
GST_END_TEST;

/* key phrases only: no words out, the same detection, activity from the
 * key phrase decoder's detector */
GST_START_TEST (test_keywords_only)
{
  gchar *kws = write_keywords ("forward /1e-20/\n");
  gchar *props = g_strdup_printf ("keywords=%s transcribe=false", kws);
  gsize n;
  gint16 *speech = load_goforward (&n);
  GList *msgs;
  guint64 start, end;
  GstClockTime total;
  Rig r;

  rig_setup (&r, props);
  push_silence (&r, GST_SECOND);
  push_s16 (&r, speech, n);
  push_silence (&r, GST_SECOND);
  total = r.pts;
  finish (&r);
  fail_unless_equals_int (r.buffers->len, 0);
  check_tiling (&r, 0, total);
  msgs = rig_messages (&r, "omnispeech-keyword");
  fail_unless_equals_int (g_list_length (msgs), 1);
  fail_unless (gst_structure_get_uint64 (
      gst_message_get_structure (msgs->data), "start", &start));
  fail_unless (gst_structure_get_uint64 (
      gst_message_get_structure (msgs->data), "end", &end));
  assert_close (start, GST_SECOND + goforward_words[1].start, 60 * MS);
  assert_close (end, GST_SECOND + goforward_words[1].end, 60 * MS);
  g_list_free_full (msgs, (GDestroyNotify) gst_message_unref);
  g_free (speech);
  g_unlink (kws);
  g_free (kws);
  g_free (props);
  rig_teardown (&r);
}
GST_END_TEST;

static void
check_start_error (const gchar *props, const gchar *needle)
{
  GstElement *e = gst_element_factory_make ("omnispeech", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *m;
  GError *err = NULL;
  gchar *dbg = NULL, *all;
  gchar **kv = g_strsplit (props, "=", 2);

  gst_element_set_bus (e, bus);
  gst_util_set_object_arg (G_OBJECT (e), kv[0], kv[1]);
  fail_unless_equals_int (
      gst_element_set_state (e, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (m != NULL, "no error message for %s", props);
  gst_message_parse_error (m, &err, &dbg);
  all = g_strdup_printf ("%s %s", err->message, dbg ? dbg : "");
  fail_unless (
      strstr (all, needle) != NULL, "'%s' does not name '%s'", all, needle);
  g_free (all);
  g_free (dbg);
  g_error_free (err);
  gst_message_unref (m);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
  g_strfreev (kv);
}

/* a missing model names the package; a bad key phrase file names the
 * problem */
GST_START_TEST (test_setup_errors)
{
  gchar *dir = g_dir_make_tmp ("omnispeech-empty-XXXXXX", NULL);
  gchar *props = g_strdup_printf ("model-dir=%s", dir);
  gchar *bad = write_keywords ("forward /1e-20/\nxyzzyplugh /1e-10/\n");
  gchar *badthr = write_keywords ("forward /abc/\n");
  gchar *empty = write_keywords ("# nothing\n\n");
  gchar *p;

  check_start_error (
      "model-dir=/nonexistent/pocketsphinx", "pocketsphinx-en-us");
  check_start_error (props, "pocketsphinx-en-us");
  p = g_strdup_printf ("keywords=%s", bad);
  check_start_error (p, "xyzzyplugh");
  g_free (p);
  p = g_strdup_printf ("keywords=%s", badthr);
  check_start_error (p, "threshold");
  g_free (p);
  p = g_strdup_printf ("keywords=%s", empty);
  check_start_error (p, "no key phrase");
  g_free (p);
  check_start_error ("keywords=/nonexistent/words.kws", "words.kws");
  check_start_error ("engine=whisper", "unknown speech engine");
  check_start_error ("transcribe=false", "no key phrase file");
  g_unlink (bad);
  g_unlink (badthr);
  g_unlink (empty);
  g_rmdir (dir);
  g_free (bad);
  g_free (badthr);
  g_free (empty);
  g_free (props);
  g_free (dir);
}
GST_END_TEST;

/* audio below 8 kHz and non-time segments are refused with a clear error */
GST_START_TEST (test_caps_errors)
{
  gint16 z[400] = { 0 };
  GstMessage *m;
  GError *err = NULL;
  GstSegment seg;
  Rig r;

  rig_setup_full (&r, NULL,
      "audio/x-raw,format=S16LE,rate=4000,channels=1,layout=interleaved",
      FALSE);
  fail_unless_equals_int (
      push_bytes (&r, z, sizeof (z), 2, 4000), GST_FLOW_NOT_NEGOTIATED);
  m = rig_pop_type (&r, GST_MESSAGE_ERROR);
  fail_unless (m != NULL);
  gst_message_parse_error (m, &err, NULL);
  fail_unless (strstr (err->message, "8000 Hz") != NULL, "%s", err->message);
  fail_unless (strstr (err->message, "4000 Hz") != NULL, "%s", err->message);
  g_error_free (err);
  gst_message_unref (m);
  rig_teardown (&r);

  /* video is not audio: refused by the pad */
  {
    GstHarness *h = gst_harness_new ("omnispeech");
    GstCaps *caps = gst_caps_from_string ("video/x-raw,format=RGB,width=4,"
                                          "height=4,framerate=30/1");
    GstPad *sink = gst_element_get_static_pad (h->element, "sink");
    fail_if (gst_pad_query_accept_caps (sink, caps));
    gst_object_unref (sink);
    gst_caps_unref (caps);
    gst_harness_teardown (h);
  }

  rig_setup (&r, NULL);
  gst_segment_init (&seg, GST_FORMAT_BYTES);
  /* (a sticky event is stored even when refused: the error says it) */
  gst_harness_push_event (r.h, gst_event_new_segment (&seg));
  m = rig_pop_type (&r, GST_MESSAGE_ERROR);
  fail_unless (m != NULL);
  gst_message_parse_error (m, &err, NULL);
  fail_unless (
      strstr (err->message, "TIME segment") != NULL, "%s", err->message);
  g_error_free (err);
  gst_message_unref (m);
  rig_teardown (&r);
}
GST_END_TEST;

static gpointer
convert_goforward (
    gint rate, gint channels, GstAudioFormat format, gsize *frames_out)
{
  gsize n, out_frames;
  gint16 *speech = load_goforward (&n);
  GstAudioInfo in, out;
  GstAudioConverter *conv;
  gpointer in_p[1], out_p[1], data;

  gst_audio_info_set_format (&in, GST_AUDIO_FORMAT_S16, RATE, 1, NULL);
  gst_audio_info_set_format (&out, format, rate, channels, NULL);
  conv = gst_audio_converter_new (0, &in, &out, NULL);
  fail_unless (conv != NULL);
  out_frames = gst_audio_converter_get_out_frames (conv, n);
  data = g_malloc0 (out_frames * GST_AUDIO_INFO_BPF (&out));
  in_p[0] = speech;
  out_p[0] = data;
  fail_unless (
      gst_audio_converter_samples (conv, 0, in_p, n, out_p, out_frames));
  gst_audio_converter_free (conv);
  g_free (speech);
  *frames_out = out_frames;
  return data;
}

/* any rate, channel count and sample format: converted inside */
GST_START_TEST (test_formats)
{
  gsize frames, i, step = 4410;
  guint8 *data = convert_goforward (44100, 2, GST_AUDIO_FORMAT_F32LE, &frames);
  gfloat silence[2 * 4410] = { 0 };
  Rig r;

  rig_setup_full (&r, NULL,
      "audio/x-raw,format=F32LE,rate=44100,channels=2,layout=interleaved,"
      "channel-mask=(bitmask)0x3",
      FALSE);
  for (i = 0; i < 10; i++)
    fail_unless_equals_int (
        push_bytes (&r, silence, sizeof (silence), 8, 44100), GST_FLOW_OK);
  for (i = 0; i < frames; i += step)
    fail_unless_equals_int (
        push_bytes (&r, data + i * 8, MIN (step, frames - i) * 8, 8, 44100),
        GST_FLOW_OK);
  for (i = 0; i < 10; i++)
    fail_unless_equals_int (
        push_bytes (&r, silence, sizeof (silence), 8, 44100), GST_FLOW_OK);
  finish (&r);
  check_goforward_words (&r, GST_SECOND);
  g_free (data);
  rig_teardown (&r);
}
GST_END_TEST;

/* 8 kHz telephone audio: accepted with a warning, timestamps right; the
 * wide-band model recognises little of it (docs/elements/omnispeech.md) */
GST_START_TEST (test_telephone_8khz)
{
  gsize frames, i;
  gint16 *data = convert_goforward (8000, 1, GST_AUDIO_FORMAT_S16, &frames);
  gint16 silence[800] = { 0 };
  GstMessage *m;
  GError *err = NULL;
  GstClockTime end;
  Rig r;

  rig_setup_full (&r, NULL,
      "audio/x-raw,format=S16LE,rate=8000,channels=1,layout=interleaved",
      FALSE);
  for (i = 0; i < 10; i++)
    fail_unless_equals_int (
        push_bytes (&r, silence, sizeof (silence), 2, 8000), GST_FLOW_OK);
  for (i = 0; i < frames; i += 800)
    fail_unless_equals_int (
        push_bytes (&r, data + i, MIN (800, frames - i) * 2, 2, 8000),
        GST_FLOW_OK);
  for (i = 0; i < 10; i++)
    fail_unless_equals_int (
        push_bytes (&r, silence, sizeof (silence), 2, 8000), GST_FLOW_OK);
  end = r.pts;
  finish (&r);
  m = rig_pop_type (&r, GST_MESSAGE_WARNING);
  fail_unless (m != NULL, "no narrow-band warning");
  gst_message_parse_warning (m, &err, NULL);
  fail_unless (strstr (err->message, "8000 Hz") != NULL, "%s", err->message);
  g_error_free (err);
  gst_message_unref (m);
  fail_unless (rig_pop_type (&r, GST_MESSAGE_ERROR) == NULL);
  /* whatever it heard lies where the speech is, and the timeline is whole */
  for (i = 0; i < r.buffers->len; i++) {
    GstBuffer *b = g_ptr_array_index (r.buffers, i);
    fail_unless (GST_BUFFER_PTS (b) >= GST_SECOND + 300 * MS);
    fail_unless (GST_BUFFER_PTS (b) + GST_BUFFER_DURATION (b)
                 <= GST_SECOND + goforward_words[3].end + 300 * MS);
  }
  check_tiling (&r, 0, end);
  g_free (data);
  rig_teardown (&r);
}
GST_END_TEST;

/* a flush in the middle of an utterance forgets it; the stream after the
 * flush is decoded as if it were the first */
GST_START_TEST (test_flush)
{
  gsize n;
  gint16 *speech = load_goforward (&n);
  GstSegment seg;
  GstBuffer *b;
  GstEvent *ev;
  gchar *text;
  Rig r;

  rig_setup (&r, NULL);
  push_silence (&r, GST_SECOND);
  push_s16 (&r, speech, n * 2 / 3); /* "go forward ten" and half of meters */
  fail_unless (gst_harness_push_event (r.h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (r.h, gst_event_new_flush_stop (TRUE)));
  while ((b = gst_harness_try_pull (r.h)))
    gst_buffer_unref (b);
  while ((ev = gst_harness_try_pull_event (r.h)))
    gst_event_unref (ev);
  gst_segment_init (&seg, GST_FORMAT_TIME);
  seg.start = seg.time = 30 * GST_SECOND;
  fail_unless (gst_harness_push_event (r.h, gst_event_new_segment (&seg)));
  r.pts = 30 * GST_SECOND;
  push_silence (&r, GST_SECOND);
  push_s16 (&r, speech, n);
  push_silence (&r, GST_SECOND);
  finish (&r);
  text = rig_text (&r);
  fail_unless_equals_string (text, "go forward ten meters");
  check_goforward_words (&r, 31 * GST_SECOND);
  g_free (text);
  g_free (speech);
  rig_teardown (&r);
}
GST_END_TEST;

/* EOS in the middle of an utterance: its words still come out, before EOS */
GST_START_TEST (test_eos_mid_utterance)
{
  gsize n;
  gint16 *speech = load_goforward (&n);
  Rig r;

  rig_setup (&r, NULL);
  push_silence (&r, GST_SECOND);
  /* up to 30 ms after "meters" ends: no silence for the detector */
  push_s16 (&r, speech, gst_util_uint64_scale (2150 * MS, RATE, GST_SECOND));
  finish (&r);
  check_goforward_words (&r, GST_SECOND);
  g_free (speech);
  rig_teardown (&r);
}
GST_END_TEST;

/* the same speech twice with a jump in timestamps: a new time base */
GST_START_TEST (test_discont)
{
  gsize n;
  gint16 *speech = load_goforward (&n);
  guint i;
  Rig r;

  rig_setup (&r, NULL);
  push_silence (&r, GST_SECOND);
  push_s16 (&r, speech, n);
  r.pts = 20 * GST_SECOND; /* 16 s of audio missing */
  push_s16 (&r, speech, n);
  push_silence (&r, GST_SECOND);
  finish (&r);
  fail_unless_equals_int (r.buffers->len, 8);
  for (i = 0; i < 8; i++) {
    GstBuffer *b = g_ptr_array_index (r.buffers, i);
    assert_close (GST_BUFFER_PTS (b),
        (i < 4 ? GST_SECOND : 20 * GST_SECOND) + goforward_words[i % 4].start,
        TIME_TOL);
  }
  g_free (speech);
  rig_teardown (&r);
}
GST_END_TEST;

/* GAP events in: passed on, and the words after them in place */
GST_START_TEST (test_gap_in)
{
  gsize n;
  gint16 *speech = load_goforward (&n);
  GstClockTime end;
  Rig r;

  rig_setup (&r, NULL);
  fail_unless (
      gst_harness_push_event (r.h, gst_event_new_gap (0, 2 * GST_SECOND)));
  r.pts = 2 * GST_SECOND;
  push_s16 (&r, speech, n);
  fail_unless (
      gst_harness_push_event (r.h, gst_event_new_gap (r.pts, 3 * GST_SECOND)));
  r.pts += 3 * GST_SECOND;
  end = r.pts;
  finish (&r);
  check_goforward_words (&r, 2 * GST_SECOND);
  check_tiling (&r, 0, end);
  g_free (speech);
  rig_teardown (&r);
}
GST_END_TEST;

GST_START_TEST (test_latency_query)
{
  GstQuery *q;
  gboolean live;
  GstClockTime min, max;
  Rig r;

  rig_setup_full (&r, "latency=3000000000",
      "audio/x-raw,format=S16LE,rate=16000,channels=1,layout=interleaved",
      TRUE);
  gst_harness_set_upstream_latency (r.h, 20 * MS);
  q = gst_query_new_latency ();
  fail_unless (gst_pad_peer_query (r.h->sinkpad, q));
  gst_query_parse_latency (q, &live, &min, &max);
  fail_unless (live);
  fail_unless_equals_uint64 (min, 3 * GST_SECOND + 20 * MS);
  gst_query_unref (q);
  rig_teardown (&r);
}
GST_END_TEST;

/* live, and audio arriving far faster than it can be decoded: the source
 * is never held up, audio is dropped with QoS and one warning; when audio
 * comes at real time again the decoder has caught up and finds its words */
GST_START_TEST (test_live_falls_behind)
{
  gsize n, i;
  gint16 *speech = load_goforward (&n);
  GstMessage *m;
  GstFormat fmt;
  guint64 processed, dropped, total_dropped = 0;
  guint n_qos = 0, n_warn = 0;
  GstClockTime last;
  GPtrArray *tail = g_ptr_array_new ();
  Rig r;

  /* latency 5 s: 1.25 s of queue, utterances cut at 3.15 s */
  rig_setup_full (&r, "latency=5000000000",
      "audio/x-raw,format=S16LE,rate=16000,channels=1,layout=interleaved",
      TRUE);
  for (i = 0; i < 12; i++) {
    push_s16 (&r, speech, n);
    push_silence (&r, 500 * MS);
  }
  /* then at half real-time speed: 100 ms of audio every 200 ms */
  push_silence (&r, 2 * GST_SECOND);
  last = r.pts + GST_SECOND;
  push_silence (&r, GST_SECOND);
  for (i = 0; i < n; i += RATE / 10) {
    g_usleep (200000);
    push_s16 (&r, speech + i, MIN (RATE / 10, n - i));
  }
  push_silence (&r, GST_SECOND);
  finish (&r);
  while ((m = rig_pop_type (&r, GST_MESSAGE_QOS | GST_MESSAGE_WARNING))) {
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_QOS) {
      gst_message_parse_qos_stats (m, &fmt, &processed, &dropped);
      fail_unless_equals_int (fmt, GST_FORMAT_TIME);
      fail_unless (dropped > total_dropped && dropped <= processed);
      total_dropped = dropped;
      n_qos++;
    } else {
      n_warn++;
    }
    gst_message_unref (m);
  }
  fail_unless (n_qos > 0, "no QoS message");
  fail_unless_equals_int (n_warn, 1);
  /* 12 x 3.3 s pushed at once with room for 1.25 s */
  fail_unless (total_dropped > 20 * GST_SECOND, "dropped %" GST_TIME_FORMAT,
      GST_TIME_ARGS (total_dropped));
  /* caught up: the last utterance, fed at real time, is whole and right */
  for (i = 0; i < r.buffers->len; i++) {
    GstBuffer *b = g_ptr_array_index (r.buffers, i);
    if (GST_BUFFER_PTS (b) >= last)
      g_ptr_array_add (tail, b);
  }
  g_ptr_array_remove_range (r.buffers, 0, r.buffers->len - tail->len);
  check_goforward_words (&r, last);
  g_ptr_array_unref (tail);
  g_free (speech);
  rig_teardown (&r);
}
GST_END_TEST;

static Suite *
omnispeech_suite (void)
{
  Suite *s = suite_create ("omnispeech");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_words_times_and_gaps);
  tcase_add_test (tc, test_messages_running_time);
  tcase_add_test (tc, test_activity);
  tcase_add_test (tc, test_no_speech);
  tcase_add_test (tc, test_keywords);
  tcase_add_test (tc, test_keywords_only);
  tcase_add_test (tc, test_setup_errors);
  tcase_add_test (tc, test_caps_errors);
  tcase_add_test (tc, test_formats);
  tcase_add_test (tc, test_telephone_8khz);
  tcase_add_test (tc, test_flush);
  tcase_add_test (tc, test_eos_mid_utterance);
  tcase_add_test (tc, test_discont);
  tcase_add_test (tc, test_gap_in);
  tcase_add_test (tc, test_latency_query);
  tcase_add_test (tc, test_live_falls_behind);
  return s;
}

GST_CHECK_MAIN (omnispeech);
