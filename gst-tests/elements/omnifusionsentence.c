/* gst-omni: omnifusion's sentence captions, from windows built of
 * synthetic metas with known contents (ROI metas as docs/conventions say
 * omnidetect, omnivisionenc and omniocr attach them), table-driven.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/check/gstcheck.h>
#include <gst/video/video.h>
#include <omni/omni.h>

#include "../../plugins/omni/omnifusioncaption.h"
#include "../../plugins/omni/omnifusionjudge.h"
#include "../../plugins/omni/omnifusionsentence.h"

#define FRAME_NS (100 * GST_MSECOND)

/* One token per box: LABEL[#TRACK][:EMOTION:CONF[:GENDER:CONF]], "_" for
 * a space in the label ("wine_glass"). */
static void
add_box (GstBuffer *buf, const gchar *token, gint id)
{
  gchar **parts = g_strsplit (token, ":", -1);
  gchar *label = g_strdelimit (g_strdup (parts[0]), "_", ' ');
  gchar *hash = strchr (label, '#');
  guint track = 0;
  GstVideoRegionOfInterestMeta *roi;

  if (hash) {
    track = atoi (hash + 1);
    *hash = '\0';
  }
  roi = gst_buffer_add_video_region_of_interest_meta (
      buf, label, 10 * id, 10, 64, 48);
  roi->id = id;
  roi->parent_id = -1;
  gst_video_region_of_interest_meta_add_param (
      roi, gst_structure_new ("detection", "confidence", G_TYPE_DOUBLE, 0.9,
               "label-id", G_TYPE_UINT, 0, "track-id", G_TYPE_UINT, track,
               "model", G_TYPE_STRING, "test", "x-norm", G_TYPE_DOUBLE, 0.1,
               "y-norm", G_TYPE_DOUBLE, 0.1, "w-norm", G_TYPE_DOUBLE, 0.2,
               "h-norm", G_TYPE_DOUBLE, 0.3, NULL));
  if (parts[1] && parts[2])
    gst_video_region_of_interest_meta_add_param (
        roi, gst_structure_new ("classification", "model", G_TYPE_STRING,
                 "emotion", "label", G_TYPE_STRING, parts[1], "confidence",
                 G_TYPE_DOUBLE, g_ascii_strtod (parts[2], NULL), NULL));
  if (parts[1] && parts[2] && parts[3] && parts[4])
    gst_video_region_of_interest_meta_add_param (roi,
        gst_structure_new ("classification", "model", G_TYPE_STRING, "faceres",
            "label", G_TYPE_STRING, parts[3], "confidence", G_TYPE_DOUBLE, 1.0,
            "gender", G_TYPE_STRING, parts[3], "gender-confidence",
            G_TYPE_DOUBLE, g_ascii_strtod (parts[4], NULL), NULL));
  g_free (label);
  g_strfreev (parts);
}

static void
add_frame (OmniFusionWindow *w, const OmniFusionPolicy *p, const gchar *boxes,
    const gchar *screen, guint i)
{
  GstBuffer *buf = gst_buffer_new ();
  GstClockTime t = w->start + i * FRAME_NS;
  gchar **tokens = g_strsplit (boxes ? boxes : "", " ", -1);
  guint k;

  omni_buffer_add_sample_meta (buf, OMNI_SAMPLE_REASON_INTERVAL, 0, i);
  for (k = 0; tokens[k]; k++) {
    if (*tokens[k])
      add_box (buf, tokens[k], k);
  }
  if (screen) {
    GstVideoRegionOfInterestMeta *roi
        = gst_buffer_add_video_region_of_interest_meta (
            buf, "text", 0, 0, 100, 20);

    gst_video_region_of_interest_meta_add_param (
        roi, gst_structure_new ("omniocr", "text", G_TYPE_STRING, screen,
                 "confidence", G_TYPE_DOUBLE, 0.95, "inverted", G_TYPE_BOOLEAN,
                 FALSE, NULL));
  }
  omni_fusion_window_add_video (w, p, buf, NULL, t, t, TRUE);
  gst_buffer_unref (buf);
  g_strfreev (tokens);
}

static void
add_music (OmniFusionWindow *w, const OmniFusionPolicy *p, gdouble bpm)
{
  guint i;

  for (i = 0; i < 10; i++) {
    GstBuffer *buf = gst_buffer_new ();
    OmniRhythmMeta *rm = omni_buffer_add_rhythm_meta (buf);

    rm->rms_db = -20;
    rm->peak_db = -10;
    rm->tempo = bpm;
    rm->tempo_confidence = 0.9;
    omni_fusion_window_add_audio (w, p, buf, w->start + i * FRAME_NS, FRAME_NS);
    gst_buffer_unref (buf);
  }
}

typedef struct {
  const gchar *name;
  const gchar *frames[8]; /* boxes per frame, NULL-terminated */
  const gchar *screen;    /* an on-screen line on every frame */
  const gchar *speech;    /* words on a text pad */
  gdouble bpm;            /* music at this tempo; 0: no audio */
  OmniVerdictState state;
  const gchar *label;
  const gchar *expect;
} Case;

static const Case cases[] = {
  { "one dog", { "dog", "dog", "dog" }, NULL, NULL, 0, 0, NULL, "A dog." },
  { "people and a dog", { "person person dog", "person person dog" }, NULL,
      NULL, 0, 0, NULL, "Two people and a dog." },
  { "several", { "person person person person person person" }, NULL, NULL, 0,
      0, NULL, "Several people." },
  { "four", { "car car car car" }, NULL, NULL, 0, 0, NULL, "Four cars." },
  { "a missed detection does not count",
      { "person person", "person", "person person" }, NULL, NULL, 0, 0, NULL,
      "Two people." },
  { "a ghost in one frame does not count", { "cat", "", "", "" }, NULL, NULL, 0,
      0, NULL, "Nothing detected." },
  { "articles and order", { "umbrella knife" }, NULL, NULL, 0, 0, NULL,
      "A knife and an umbrella." },
  { "plurals", { "knife knife wine_glass wine_glass bus bus bus" }, NULL, NULL,
      0, 0, NULL, "Three buses, two knives and two wine glasses." },
  { "at most four kinds", { "person dog cat car bus" }, NULL, NULL, 0, 0, NULL,
      "A person, a bus, a car and a cat." },
  { "a confident smiling woman",
      { "person face:happy:0.9:female:0.95",
          "person face:happy:0.9:female:0.95" },
      NULL, NULL, 0, 0, NULL, "A person. A smiling woman." },
  { "an unsure expression is not said", { "person face:happy:0.4" }, NULL, NULL,
      0, 0, NULL, "A person." },
  { "a face without people", { "face:neutral:0.9" }, NULL, NULL, 0, 0, NULL,
      "A face." },
  { "gender alone", { "face:neutral:0.9:male:0.9 face:sad:0.8:male:0.3" }, NULL,
      NULL, 0, 0, NULL, "A man and a sad face." },
  { "speech", { NULL }, NULL, "ask not what your country can do for you", 0, 0,
      NULL,
      "Someone says: \xe2\x80\x9c"
      "ask not what your country can do for you\xe2\x80\x9d." },
  { "long speech is cut at a word", { NULL }, NULL,
      "we choose to go to the moon in this decade and do the other things "
      "not because they are easy but because they are hard",
      0, 0, NULL,
      "Someone says: \xe2\x80\x9cwe choose to go to the moon in this decade "
      "and do the other things not because\xe2\x80\xa6\xe2\x80\x9d." },
  { "the speaker, when the models are sure",
      { "person person dog face:neutral:0.9:male:0.95" }, NULL,
      "ask not what your country can do for you", 0, 0, NULL,
      "Two people and a dog. A man. A man says: \xe2\x80\x9c"
      "ask not what your country can do for you\xe2\x80\x9d." },
  { "two faces: someone", { "face:neutral:0.9:male:0.95 face:happy:0.9" }, NULL,
      "hello", 0, 0, NULL,
      "A man and a smiling face. Someone says: "
      "\xe2\x80\x9chello\xe2\x80\x9d." },
  { "on screen", { "" }, "BREAKING NEWS", NULL, 0, 0, NULL,
      "On screen: \xe2\x80\x9c"
      "BREAKING NEWS\xe2\x80\x9d." },
  { "everything, audio last", { "person person dog", "person person dog" },
      "BREAKING NEWS", "ask not", 120, 0, NULL,
      "Two people and a dog. Someone says: \xe2\x80\x9c"
      "ask not\xe2\x80\x9d. On screen: \xe2\x80\x9c"
      "BREAKING NEWS\xe2\x80\x9d. Music, 120 BPM." },
  { "verdict", { "knife" }, NULL, NULL, 0, OMNI_VERDICT_FLAGGED, "violence",
      "A knife. Flagged: violence." },
};

static gchar *
caption_of (const Case *c, OmniFusionTracks *tracks)
{
  OmniFusionPolicy *p = omni_fusion_policy_new_default ();
  OmniFusionWindow *w = omni_fusion_window_new (0, 0, GST_SECOND);
  OmniFusionVerdict v;
  OmniFusionSentence s;
  gchar *caption;
  guint i;

  for (i = 0; c->frames[i] || (i == 0 && c->screen); i++)
    add_frame (w, p, c->frames[i], c->screen, i);
  if (c->speech)
    omni_fusion_window_add_text (w, c->speech, 0, GST_SECOND);
  if (c->bpm > 0)
    add_music (w, p, c->bpm);
  omni_fusion_verdict_init (&v);
  v.state = c->state;
  v.label = c->label;
  omni_fusion_sentence_build (&s, w, p, &v, tracks);
  caption = omni_fusion_sentence_join (&s, NULL);
  omni_fusion_sentence_clear (&s);
  omni_fusion_verdict_clear (&v);
  omni_fusion_window_free (w);
  omni_fusion_policy_free (p);
  return caption;
}

GST_START_TEST (test_sentence_table)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gchar *caption = caption_of (&cases[i], NULL);

    fail_unless (g_str_equal (caption, cases[i].expect), "%s: \"%s\" != \"%s\"",
        cases[i].name, caption, cases[i].expect);
    g_free (caption);
  }
}

GST_END_TEST;

GST_START_TEST (test_noun_phrases)
{
  static const struct {
    const gchar *noun;
    guint n;
    const gchar *expect;
  } t[] = {
    { "dog", 1, "a dog" },
    { "orange", 1, "an orange" },
    { "dog", 2, "two dogs" },
    { "person", 3, "three people" },
    { "person", 5, "several people" },
    { "sheep", 2, "two sheep" },
    { "smiling woman", 2, "two smiling women" },
    { "teddy bear", 4, "four teddy bears" },
    { "couch", 2, "two couches" },
  };
  guint i;

  fail_unless (omni_fusion_sentence_noun_phrase ("dog", 0) == NULL);
  for (i = 0; i < G_N_ELEMENTS (t); i++) {
    gchar *s = omni_fusion_sentence_noun_phrase (t[i].noun, t[i].n);

    fail_unless_equals_string (s, t[i].expect);
    g_free (s);
  }
}

GST_END_TEST;

GST_START_TEST (test_quote_limit)
{
  gchar *q = omni_fusion_sentence_quote ("one two three", 7);

  fail_unless_equals_string (q, "\xe2\x80\x9cone two\xe2\x80\xa6\xe2\x80\x9d");
  g_free (q);
  q = omni_fusion_sentence_quote ("one two three", 13);
  fail_unless_equals_string (q, "\xe2\x80\x9cone two three\xe2\x80\x9d");
  g_free (q);
  q = omni_fusion_sentence_quote ("abcdefghij", 4);
  fail_unless_equals_string (q, "\xe2\x80\x9c"
                                "abcd\xe2\x80\xa6\xe2\x80\x9d");
  g_free (q);
}

GST_END_TEST;

/* Tracked objects entering and leaving, window after window. */
GST_START_TEST (test_tracks_enter_leave)
{
  static const Case seq[] = {
    { "w0", { "car#1", "car#1" }, NULL, NULL, 0, 0, NULL, "A car." },
    { "w1", { "car#1 dog#2", "car#1 dog#2" }, NULL, NULL, 0, 0, NULL,
        "A car and a dog. A dog enters." },
    { "w2", { "car#1 dog#2", "car#1 dog#2" }, NULL, NULL, 0, 0, NULL,
        "A car and a dog." },
    { "w3", { "car#1 person#4 person#5", "car#1 person#4 person#5" }, NULL,
        NULL, 0, 0, NULL,
        "Two people and a car. Two people enter. A dog leaves." },
    { "w4", { "" }, NULL, NULL, 0, 0, NULL, "A car leaves. Two people leave." },
  };
  OmniFusionTracks *tracks = omni_fusion_tracks_new ();
  guint i;

  for (i = 0; i < G_N_ELEMENTS (seq); i++) {
    gchar *caption = caption_of (&seq[i], tracks);

    fail_unless (g_str_equal (caption, seq[i].expect), "%s: \"%s\" != \"%s\"",
        seq[i].name, caption, seq[i].expect);
    g_free (caption);
  }
  omni_fusion_tracks_free (tracks);
}

GST_END_TEST;

/* A static scene over 60 windows of 10 frames, where the detector misses
 * an object or sees a ghost in up to three frames per window: the
 * caption never changes. */
GST_START_TEST (test_no_flicker)
{
  OmniFusionPolicy *p = omni_fusion_policy_new_default ();
  OmniFusionTracks *tracks = omni_fusion_tracks_new ();
  GRand *rand = g_rand_new_with_seed (17);
  gchar *reference = NULL;
  guint k, i;

  for (k = 0; k < 60; k++) {
    OmniFusionWindow *w
        = omni_fusion_window_new (k, k * GST_SECOND, (k + 1) * GST_SECOND);
    OmniFusionVerdict v;
    OmniFusionSentence s;
    guint glitches = g_rand_int_range (rand, 0, 4);
    gchar *caption;

    for (i = 0; i < 10; i++) {
      const gchar *boxes = "person#1 person#2 dog#3 face:happy:0.9:female:0.9";

      if (i < glitches) {
        static const gchar *const glitch[]
            = { "person#1 dog#3", "person#1 person#2 dog#3 cat#9",
                "person#1 person#2 person#7 dog#3 face:happy:0.5:female:0.9",
                "person#1 person#2" };

        boxes = glitch[g_rand_int_range (rand, 0, 4)];
      }
      add_frame (w, p, boxes, NULL, i);
    }
    add_music (w, p, 120);
    omni_fusion_verdict_init (&v);
    omni_fusion_sentence_build (&s, w, p, &v, tracks);
    caption = omni_fusion_sentence_join (&s, NULL);
    if (!reference)
      reference = g_strdup (caption);
    fail_unless_equals_string (caption, reference);
    omni_fusion_sentence_clear (&s);
    omni_fusion_verdict_clear (&v);
    omni_fusion_window_free (w);
    g_free (caption);
  }
  fail_unless_equals_string (
      reference, "Two people and a dog. A smiling woman. Music, 120 BPM.");
  g_free (reference);
  g_rand_free (rand);
  omni_fusion_tracks_free (tracks);
  omni_fusion_policy_free (p);
}

GST_END_TEST;

/* Near ties of the scene classes and a tempo that wobbles by 1 %: one
 * wording throughout; a clear change of class or tempo is said. */
GST_START_TEST (test_scene_tempo_stable)
{
  static const gchar *const labels[] = { "Drawing", "Neutral" };
  static const struct {
    gfloat drawing;
    gdouble bpm;
    const gchar *expect;
  } seq[] = {
    { 0.60, 120.0, "Scene: drawing. Music, 120 BPM." },
    { 0.45, 121.4, "Scene: drawing. Music, 120 BPM." },
    { 0.52, 118.9, "Scene: drawing. Music, 120 BPM." },
    { 0.41, 120.6, "Scene: drawing. Music, 120 BPM." },
    { 0.10, 140.0, "Music, 140 BPM." },
    { 0.55, 139.0, "Music, 140 BPM." },
    { 0.75, 140.4, "Scene: drawing. Music, 140 BPM." },
  };
  OmniFusionPolicy *p = omni_fusion_policy_new_default ();
  OmniFusionTracks *tracks = omni_fusion_tracks_new ();
  guint k, i;

  for (k = 0; k < G_N_ELEMENTS (seq); k++) {
    OmniFusionWindow *w
        = omni_fusion_window_new (k, k * GST_SECOND, (k + 1) * GST_SECOND);
    OmniFusionSentence s;
    gchar *caption;

    for (i = 0; i < 2; i++) {
      GstBuffer *buf = gst_buffer_new ();
      gfloat scores[2] = { seq[k].drawing, 1 - seq[k].drawing };

      omni_buffer_add_class_meta (buf, "nsfw", 2, labels, scores);
      omni_fusion_window_add_video (w, p, buf, NULL, w->start + i * FRAME_NS,
          w->start + i * FRAME_NS, TRUE);
      gst_buffer_unref (buf);
    }
    add_music (w, p, seq[k].bpm);
    omni_fusion_sentence_build (&s, w, p, NULL, tracks);
    caption = omni_fusion_sentence_join (&s, NULL);
    fail_unless (g_str_equal (caption, seq[k].expect),
        "window %u: \"%s\" != \"%s\"", k, caption, seq[k].expect);
    g_free (caption);
    omni_fusion_sentence_clear (&s);
    omni_fusion_window_free (w);
  }
  omni_fusion_tracks_free (tracks);
  omni_fusion_policy_free (p);
}

GST_END_TEST;

/* Boxes on a buffer of a request pad that is neither video, audio nor
 * text (a detector's results stream): the same collectors read them. */
GST_START_TEST (test_boxes_from_any_pad)
{
  OmniFusionPolicy *p = omni_fusion_policy_new_default ();
  OmniFusionWindow *w = omni_fusion_window_new (0, 0, GST_SECOND);
  OmniFusionSentence s;
  guint i;

  for (i = 0; i < 3; i++) {
    GstBuffer *buf = gst_buffer_new ();
    OmniFusionInput in = { 0, buf, NULL, NULL, i * FRAME_NS, (i + 1) * FRAME_NS,
      GST_CLOCK_TIME_NONE, TRUE };

    add_box (buf, "dog#4", 0);
    add_box (buf, "dog#5", 1);
    omni_fusion_window_add (w, p, &in);
    gst_buffer_unref (buf);
  }
  fail_unless_equals_int (w->other_buffers, 3);
  fail_unless_equals_int (w->inferred_frames, 3);
  fail_unless_equals_int (w->frames->len, 3);
  omni_fusion_sentence_build (&s, w, p, NULL, NULL);
  fail_unless_equals_string (s.objects, "Two dogs.");
  omni_fusion_sentence_clear (&s);
  omni_fusion_window_free (w);
  omni_fusion_policy_free (p);
}

GST_END_TEST;

static Suite *
omnifusionsentence_suite (void)
{
  Suite *s = suite_create ("omnifusionsentence");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_sentence_table);
  tcase_add_test (tc, test_noun_phrases);
  tcase_add_test (tc, test_quote_limit);
  tcase_add_test (tc, test_tracks_enter_leave);
  tcase_add_test (tc, test_no_flicker);
  tcase_add_test (tc, test_scene_tempo_stable);
  tcase_add_test (tc, test_boxes_from_any_pad);
  return s;
}

GST_CHECK_MAIN (omnifusionsentence);
