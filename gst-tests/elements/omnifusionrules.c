/* gst-omni: omnifusion's category rules: table-driven verdicts from
 * windows of synthetic metas, and a keyword at a known time through the
 * element (words as omnispeech sends them: one text buffer a word, its PTS
 * and duration the word's span).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <math.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <json-glib/json-glib.h>
#include <omni/omni.h>

#include "../../plugins/omni/omnifusionjudge.h"
#include "../../plugins/omni/omnifusionrules.h"

#define FRAME_NS (100 * GST_MSECOND)

/* boxes: "LABEL@CONF/AREA ..." ("_" for a space in the label) */
static void
add_frame (
    OmniFusionWindow *w, const OmniFusionPolicy *p, const gchar *boxes, guint i)
{
  GstBuffer *buf = gst_buffer_new ();
  gchar **tokens = g_strsplit (boxes, " ", -1);
  GstClockTime t = w->start + i * FRAME_NS;
  guint k;

  omni_buffer_add_sample_meta (buf, OMNI_SAMPLE_REASON_INTERVAL, 0, i);
  for (k = 0; tokens[k]; k++) {
    gchar label[64];
    gdouble conf = 0.9, area = 0.05, side;
    GstVideoRegionOfInterestMeta *roi;

    if (!*tokens[k])
      continue;
    g_strlcpy (label, tokens[k], sizeof (label));
    if (strchr (label, '@')) {
      gchar *at = strchr (label, '@'), *slash = strchr (at, '/');

      conf = g_ascii_strtod (at + 1, NULL);
      if (slash)
        area = g_ascii_strtod (slash + 1, NULL);
      *at = '\0';
    }
    g_strdelimit (label, "_", ' ');
    side = sqrt (area);
    roi = gst_buffer_add_video_region_of_interest_meta (buf, label, 0, 0, 8, 8);
    gst_video_region_of_interest_meta_add_param (
        roi, gst_structure_new ("detection", "confidence", G_TYPE_DOUBLE, conf,
                 "label-id", G_TYPE_UINT, 0, "track-id", G_TYPE_UINT, 0,
                 "model", G_TYPE_STRING, "test", "x-norm", G_TYPE_DOUBLE, 0.0,
                 "y-norm", G_TYPE_DOUBLE, 0.0, "w-norm", G_TYPE_DOUBLE, side,
                 "h-norm", G_TYPE_DOUBLE, side, NULL));
  }
  omni_fusion_window_add_video (w, p, buf, NULL, t, t, TRUE);
  gst_buffer_unref (buf);
  g_strfreev (tokens);
}

typedef struct {
  const gchar *name;
  const gchar *frames[4];
  const gchar *words; /* one text piece per word, 100 ms apart */
  const gchar *screen;
  const gchar *category; /* strongest hit's category, NULL: no hit */
  const gchar *rule;
  const gchar *match;
  gint64 start_ms; /* the hit's span */
  gint64 end_ms;
} Case;

static const Case cases[] = {
  { "a knife", { "knife", "knife" }, NULL, NULL, "violence", "weapon", "knife",
      0, 0 },
  { "a baseball bat", { "person baseball_bat@0.8" }, NULL, NULL, "violence",
      "weapon", "baseball bat", 0, 0 },
  { "a weak knife is no hit", { "knife@0.3" }, NULL, NULL, NULL, NULL, NULL, 0,
      0 },
  { "a tiny knife is no hit", { "knife@0.9/0.0001" }, NULL, NULL, NULL, NULL,
      NULL, 0, 0 },
  { "a wine glass", { "person", "wine_glass@0.7" }, NULL, NULL, "drugs-alcohol",
      "alcohol", "wine glass", 100, 100 },
  { "a person is nothing", { "person person" }, NULL, NULL, NULL, NULL, NULL, 0,
      0 },
  { "a profane word", { NULL }, "well holy SHIT that hurt", NULL, "profanity",
      "profanity-speech", "shit", 200, 300 },
  { "whole words only", { NULL }, "shitake mushrooms", NULL, NULL, NULL, NULL,
      0, 0 },
  { "a phrase over words", { NULL }, "you son of a bitch", NULL, "profanity",
      "profanity-speech", "son of a bitch", 100, 500 },
  { "on screen", { NULL }, NULL, "DAMN IT", "profanity", "profanity-text",
      "damn", 0, 0 },
};

static void
run_case (const Case *c)
{
  OmniFusionPolicy *p = omni_fusion_policy_new_default ();
  OmniFusionWindow *w = omni_fusion_window_new (0, 0, GST_SECOND);
  GArray *hits;
  guint i;

  for (i = 0; c->frames[i]; i++)
    add_frame (w, p, c->frames[i], i);
  if (c->words) {
    gchar **words = g_strsplit (c->words, " ", -1);

    for (i = 0; words[i]; i++)
      omni_fusion_window_add_text (
          w, words[i], i * FRAME_NS, (i + 1) * FRAME_NS);
    g_strfreev (words);
  }
  if (c->screen) {
    GstBuffer *buf = gst_buffer_new ();
    GstVideoRegionOfInterestMeta *roi
        = gst_buffer_add_video_region_of_interest_meta (
            buf, "text", 0, 0, 8, 8);

    gst_video_region_of_interest_meta_add_param (
        roi, gst_structure_new ("omniocr", "text", G_TYPE_STRING, c->screen,
                 "confidence", G_TYPE_DOUBLE, 0.9, NULL));
    omni_fusion_window_add_video (w, p, buf, NULL, 0, 0, TRUE);
    gst_buffer_unref (buf);
  }
  hits = omni_fusion_rules_match (p->rules, w, NULL, 0);
  if (!c->category) {
    fail_unless (hits->len == 0, "%s: %u hits (%s)", c->name, hits->len,
        hits->len ? g_array_index (hits, OmniFusionHit, 0).what : "");
  } else {
    const OmniFusionHit *best = NULL;

    for (i = 0; i < hits->len; i++) {
      const OmniFusionHit *h = &g_array_index (hits, OmniFusionHit, i);

      if (!best || h->risk > best->risk)
        best = h;
    }
    fail_unless (best != NULL, "%s: no hit", c->name);
    fail_unless_equals_string (best->category, c->category);
    fail_unless_equals_string (best->rule, c->rule);
    fail_unless_equals_string (best->what, c->match);
    fail_unless_equals_int64 (best->start, c->start_ms * GST_MSECOND);
    fail_unless_equals_int64 (best->end, c->end_ms * GST_MSECOND);
  }
  g_array_unref (hits);
  omni_fusion_window_free (w);
  omni_fusion_policy_free (p);
}

GST_START_TEST (test_rules_table)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    run_case (&cases[i]);
}

GST_END_TEST;

GST_START_TEST (test_fold_and_word_file)
{
  OmniFusionRules *rules = omni_fusion_rules_new_default ();
  gchar *f = omni_fusion_rules_fold ("Café CRÈME");
  gchar *path = NULL;
  GError *err = NULL;
  gint fd;
  static const gchar list[] = "# hate words\n\nCrème Brûlée\nvermin\n";
  const OmniFusionRule *r = NULL;
  guint i;

  fail_unless_equals_string (f, "cafe creme");
  g_free (f);
  fd = g_file_open_tmp ("omnifusion-words-XXXXXX", &path, &err);
  fail_unless (fd >= 0);
  close (fd);
  fail_unless (g_file_set_contents (path, list, -1, NULL));
  fail_unless (
      omni_fusion_rules_add_words_file (rules, "hate-speech", path, &err));
  for (i = 0; i < rules->rules->len; i++) {
    r = g_ptr_array_index (rules->rules, i);
    if (g_str_equal (r->name, "hate-speech"))
      break;
  }
  fail_unless_equals_int (g_strv_length (r->words), 2);
  fail_unless_equals_string (r->words[0], "creme brulee");
  fail_unless_equals_string (r->words[1], "vermin");
  fail_if (
      omni_fusion_rules_add_words_file (rules, "no-such-rule", path, NULL));
  fail_if (omni_fusion_rules_add_words_file (
      rules, "hate-speech", "/nonexistent/words.txt", NULL));
  g_unlink (path);
  g_free (path);
  omni_fusion_rules_free (rules);
}

GST_END_TEST;

/* ---- verdicts: judge_window() without the element ------------------ */

/* frames: "knife" boxes, or "class:SEXY" (nsfwjs scores), "nan" (a broken
 * model); speech: words */
typedef struct {
  const gchar *name;
  guint windows;          /* judged in a row, all alike */
  const gchar *frame;     /* every frame of every window (10 a window) */
  const gchar *speech;    /* words of each window */
  OmniVerdictState state; /* of the last window */
  const gchar *label;
  gdouble risk;
  guint category_segments; /* closed by the end (final) */
} Verdict;

static const Verdict verdicts[] = {
  { "nothing", 2, "", NULL, OMNI_VERDICT_OK, NULL, 0, 0 },
  { "a person is nothing", 2, "person person", NULL, OMNI_VERDICT_OK, NULL, 0,
      0 },
  /* the proxies (weight 0.6) raise review, never flag on their own */
  { "knives are violence to review", 2, "knife", NULL, OMNI_VERDICT_REVIEW,
      "violence", 0.54, 1 },
  { "a weak knife: a violence segment, an ok window", 2, "knife@0.55", NULL,
      OMNI_VERDICT_OK, NULL, 0.33, 1 },
  { "a knife under min-score is nothing", 2, "knife@0.45", NULL,
      OMNI_VERDICT_OK, NULL, 0, 0 },
  { "suggestive classes in the band", 1, "class:0.55", NULL,
      OMNI_VERDICT_REVIEW, "suggestive", 0.55, 0 },
  { "strong suggestive classes flag", 1, "class:0.95", NULL,
      OMNI_VERDICT_FLAGGED, "suggestive", 0.95, 1 },
  { "one profane word is review", 1, NULL, "oh damn it", OMNI_VERDICT_REVIEW,
      "profanity", 1.0, 1 },
  /* one segment: the words are less than the 1 s gap apart */
  { "words every window: the window observations flag", 3, NULL, "damn",
      OMNI_VERDICT_FLAGGED, "profanity", 1.0, 1 },
  { "a broken model is an error", 1, "nan", NULL, OMNI_VERDICT_ERROR,
      "non-finite-model-output", NAN, 0 },
};

static void
add_class_frame (
    OmniFusionWindow *w, const OmniFusionPolicy *p, gfloat sexy, guint i)
{
  static const gchar *const labels[]
      = { "Drawing", "Hentai", "Neutral", "Porn", "Sexy" };
  gfloat scores[5] = { 0, 0, 1 - sexy, 0, sexy };
  GstBuffer *buf = gst_buffer_new ();
  GstClockTime t = w->start + i * FRAME_NS;

  if (isnan (sexy))
    scores[2] = NAN;
  omni_buffer_add_sample_meta (buf, OMNI_SAMPLE_REASON_INTERVAL, 0, i);
  omni_buffer_add_class_meta (buf, "nsfw", 5, labels, scores);
  omni_fusion_window_add_video (w, p, buf, NULL, t, t, TRUE);
  gst_buffer_unref (buf);
}

static void
count_segment (const OmniFusionCategorySegment *seg, gpointer user_data)
{
  (*(guint *) user_data)++;
}

GST_START_TEST (test_judge_table)
{
  guint c, k, i;

  for (c = 0; c < G_N_ELEMENTS (verdicts); c++) {
    const Verdict *t = &verdicts[c];
    OmniFusionPolicy *p = omni_fusion_policy_new_default ();
    OmniFusionJudge *j = omni_fusion_judge_new (p, 0.7, 0.4, 3, 5);
    guint segments = 0;

    omni_fusion_judge_set_category_func (j, count_segment, &segments);
    for (k = 0; k < t->windows; k++) {
      OmniFusionWindow *w
          = omni_fusion_window_new (k, k * GST_SECOND, (k + 1) * GST_SECOND);
      OmniFusionJudgeInput in = { k * GST_SECOND, k + 1 == t->windows,
        (k + 1) * GST_SECOND, GST_SECOND };
      OmniFusionVerdict v;

      for (i = 0; t->frame && i < 10; i++) {
        if (g_str_has_prefix (t->frame, "class:"))
          add_class_frame (w, p, g_ascii_strtod (t->frame + 6, NULL), i);
        else if (g_str_equal (t->frame, "nan"))
          add_class_frame (w, p, NAN, i);
        else
          add_frame (w, p, t->frame, i);
      }
      if (t->speech)
        omni_fusion_window_add_text (
            w, t->speech, w->start + GST_SECOND / 4, w->start + GST_SECOND / 2);
      omni_fusion_verdict_init (&v);
      omni_fusion_judge_window (j, w, &in, &v, NULL, NULL);
      if (k + 1 == t->windows) {
        fail_unless (v.state == t->state, "%s: state %d, not %d", t->name,
            v.state, t->state);
        fail_unless (g_strcmp0 (v.label, t->label) == 0, "%s: label %s, not %s",
            t->name, v.label, t->label);
        fail_unless ((isnan (t->risk) && isnan (v.risk))
                         || fabs (v.risk - t->risk) < 1e-6,
            "%s: risk %g, not %g", t->name, v.risk, t->risk);
      }
      omni_fusion_verdict_clear (&v);
      omni_fusion_window_free (w);
    }
    fail_unless (segments == t->category_segments,
        "%s: %u category segments, not %u", t->name, segments,
        t->category_segments);
    omni_fusion_judge_free (j);
    omni_fusion_policy_free (p);
  }
}

GST_END_TEST;

/* What the window shows, in its evidence. */
GST_START_TEST (test_content_evidence)
{
  OmniFusionPolicy *p = omni_fusion_policy_new_default ();
  OmniFusionJudge *j = omni_fusion_judge_new (p, 0.7, 0.4, 3, 5);
  OmniFusionWindow *w = omni_fusion_window_new (0, 0, GST_SECOND);
  OmniFusionJudgeInput in = { 0, FALSE, GST_CLOCK_TIME_NONE, GST_SECOND };
  OmniFusionVerdict v;
  GstStructure *e;
  guint people = 0, n = 0;

  add_frame (w, p, "person person dog", 0);
  add_frame (w, p, "person dog", 1);
  add_frame (w, p, "person person dog face", 2);
  omni_fusion_verdict_init (&v);
  omni_fusion_judge_window (j, w, &in, &v, NULL, NULL);
  e = omni_fusion_judge_evidence (w, p, &v);
  fail_unless (gst_structure_get_uint (e, "people", &people));
  fail_unless_equals_int (people, 2);
  fail_unless (gst_structure_get_uint (e, "inferred-frames", &n));
  fail_unless_equals_int (n, 3);
  fail_unless_equals_string (
      gst_structure_get_string (e, "objects"), "person 2, dog 1");
  fail_unless (gst_structure_get_uint (e, "face-boxes", &n));
  fail_unless_equals_int (n, 1);
  fail_unless (omni_fusion_evidence_is_valid (e));
  gst_structure_free (e);
  omni_fusion_verdict_clear (&v);
  omni_fusion_window_free (w);
  omni_fusion_judge_free (j);
  omni_fusion_policy_free (p);
}

GST_END_TEST;

/* Rules and categories from a policy file (keyfile and JSON), with a word
 * file next to it; typos are refused with their line. */
GST_START_TEST (test_policy_rules)
{
  gchar *dir = g_dir_make_tmp ("omnifusion-policy-XXXXXX", NULL);
  gchar *words = g_build_filename (dir, "hate.txt", NULL);
  gchar *conf = g_build_filename (dir, "policy.conf", NULL);
  static const gchar keyfile[] = "[policy]\nname=test\n"
                                 "[rule hate-speech]\nwords-file=hate.txt\n"
                                 "[rule phones]\nsource=objects\n"
                                 "labels=cell phone\ncategory=distraction\n"
                                 "min-score=0.6\nmin-area=0.01\n"
                                 "[category distraction]\nmin-hits=2\n"
                                 "gap-ms=500\n";
  static const gchar json[]
      = "{\"rules\": {\"cheers\": {\"source\": \"speech\", "
        "\"words\": [\"Cheers\", \"bottoms up\"], \"category\": "
        "\"drugs-alcohol\"}}, \"categories\": {\"drugs-alcohol\": "
        "{\"threshold\": 0.8}}}";
  OmniFusionPolicy *p;
  OmniFusionRule *r;
  OmniFusionCategory *c;
  GError *err = NULL;
  gchar *text;

  fail_unless (g_file_set_contents (words, "vermin\nÜbel Pack\n", -1, NULL));
  fail_unless (g_file_get_contents (words, &text, NULL, NULL));
  g_free (text);
  p = omni_fusion_policy_parse (keyfile, -1, conf, &err);
  fail_unless (p != NULL, "%s", err ? err->message : "");
  r = omni_fusion_rules_get_rule (p->rules, "hate-speech");
  fail_unless_equals_string (r->words[0], "vermin");
  fail_unless_equals_string (r->words[1], "ubel pack");
  r = omni_fusion_rules_get_rule (p->rules, "phones");
  fail_unless (r->source == OMNI_FUSION_RULE_OBJECTS);
  fail_unless_equals_string (r->labels[0], "cell phone");
  fail_unless_equals_string (r->category, "distraction");
  fail_unless (r->min_score == 0.6 && r->min_area == 0.01);
  c = omni_fusion_rules_get_category (p->rules, "distraction");
  fail_unless_equals_int (c->min_hits, 2);
  fail_unless_equals_uint64 (c->gap, 500 * GST_MSECOND);
  /* the defaults are still there */
  fail_unless (omni_fusion_rules_get_rule (p->rules, "weapon") != NULL);
  omni_fusion_policy_free (p);

  p = omni_fusion_policy_parse (json, -1, conf, &err);
  fail_unless (p != NULL, "%s", err ? err->message : "");
  r = omni_fusion_rules_get_rule (p->rules, "cheers");
  fail_unless (r->source == OMNI_FUSION_RULE_SPEECH);
  fail_unless_equals_string (r->words[0], "cheers");
  fail_unless_equals_string (r->words[1], "bottoms up");
  c = omni_fusion_rules_get_category (p->rules, "drugs-alcohol");
  fail_unless (c->threshold == 0.8);
  omni_fusion_policy_free (p);

  fail_if (
      omni_fusion_policy_parse ("[rule x]\nsource=smell\n", -1, conf, &err));
  fail_unless (strstr (err->message, ":2:") != NULL, "%s", err->message);
  g_clear_error (&err);
  fail_if (
      omni_fusion_policy_parse ("[rule x]\nmin-scor=0.5\n", -1, conf, &err));
  fail_unless (strstr (err->message, "min-score") != NULL, "%s", err->message);
  g_clear_error (&err);
  fail_if (omni_fusion_policy_parse (
      "[rule x]\nwords-file=missing.txt\n", -1, conf, &err));
  fail_unless (
      strstr (err->message, ":2: words-file") != NULL, "%s", err->message);
  g_clear_error (&err);

  g_unlink (words);
  g_rmdir (dir);
  g_free (words);
  g_free (conf);
  g_free (dir);
}

GST_END_TEST;

/* A profane word said at 2.345 s among others, one buffer a word: the
 * profanity segment starts within 50 ms of it and holds it. */
GST_START_TEST (test_keyword_span)
{
  static const gchar *const words[] = { "we", "were", "late", "and", "he",
    "said", "shit", "then", "left", NULL };
  const GstClockTime t0 = 2345 * GST_MSECOND, dur = 310 * GST_MSECOND;
  GstElement *e = gst_element_factory_make ("omnifusion", NULL);
  GstHarness *h;
  GstBuffer *b;
  guint i, found = 0, found_words = 0;

  h = gst_harness_new_with_element (e, "sink_%u", "src");
  gst_harness_set_sink_caps_str (h, "application/x-omni-events");
  gst_harness_set_src_caps_str (h, "text/x-raw,format=utf8");
  for (i = 0; words[i]; i++) {
    /* the profane word (index 6) at t0; the others 300 ms apart */
    GstClockTime t = t0 + ((gint64) i - 6) * 300 * GST_MSECOND;
    GstBuffer *wb = gst_buffer_new_memdup (words[i], strlen (words[i]));

    GST_BUFFER_PTS (wb) = t;
    GST_BUFFER_DURATION (wb) = i == 6 ? dur : 250 * GST_MSECOND;
    fail_unless_equals_int (gst_harness_push (h, wb), GST_FLOW_OK);
  }
  gst_harness_push_event (h, gst_event_new_eos ());
  /* every buffer up to the EOS (the aggregator thread makes them) */
  while (gst_harness_pull_until_eos (h, &b) && b) {
    GstMapInfo map;
    gchar **lines;

    fail_unless (gst_buffer_map (b, &map, GST_MAP_READ));
    {
      gchar *text = g_strndup ((gchar *) map.data, map.size);

      lines = g_strsplit (text, "\n", -1);
      g_free (text);
    }
    gst_buffer_unmap (b, &map);
    for (i = 0; lines[i]; i++) {
      JsonParser *p;
      JsonObject *o;
      gint64 start, end;

      if (!*lines[i])
        continue;
      p = json_parser_new ();
      fail_unless (json_parser_load_from_data (p, lines[i], -1, NULL));
      o = json_node_get_object (json_parser_get_root (p));
      if (g_str_equal (
              json_object_get_string_member (o, "type"), "category-segment")) {
        fail_unless_equals_string (
            json_object_get_string_member (o, "category"), "profanity");
        fail_unless_equals_string (
            json_object_get_string_member (o, "matches"), "shit");
        start = json_object_get_int_member (o, "start");
        end = json_object_get_int_member (o, "end");
        fail_unless (ABS (start - (gint64) t0) <= 50 * GST_MSECOND,
            "segment starts at %" G_GINT64_FORMAT, start);
        fail_unless (start <= (gint64) t0 && end >= (gint64) t0);
        fail_unless_equals_int64 (end - start, dur);
        fail_unless_equals_int64 (
            json_object_get_int_member (o, "duration"), dur);
        fail_unless (json_object_get_double_member (o, "max-confidence") > 0.9);
        found++;
      }
      if (g_str_equal (json_object_get_string_member (o, "type"), "window")
          && json_object_get_int_member (o, "index") == 2) {
        JsonObject *ev = json_object_get_object_member (o, "evidence");

        fail_unless_equals_string (
            json_object_get_string_member (ev, "category"), "profanity");
        fail_unless_equals_int64 (
            json_object_get_int_member (ev, "rule-start"), t0);
        fail_unless_equals_string (
            json_object_get_string_member (o, "state"), "review");
        /* the word's span for omnicensor */
        {
          JsonArray *fw = json_object_get_array_member (ev, "flagged-words");
          JsonObject *w0;

          fail_unless (fw != NULL && json_array_get_length (fw) == 1);
          w0 = json_array_get_object_element (fw, 0);
          fail_unless_equals_string (
              json_object_get_string_member (w0, "word"), "shit");
          fail_unless_equals_int64 (
              json_object_get_int_member (w0, "start"), t0);
          fail_unless_equals_int64 (
              json_object_get_int_member (w0, "end"), t0 + dur);
          found_words++;
        }
      }
      g_object_unref (p);
    }
    g_strfreev (lines);
    gst_buffer_unref (b);
  }
  fail_unless_equals_int (found, 1);
  fail_unless_equals_int (found_words, 1);
  gst_harness_teardown (h);
  gst_object_unref (e);
}

GST_END_TEST;

/* A category segment still open at a flushing seek is closed then, at its
 * last hit, and posted. */
GST_START_TEST (test_category_flush)
{
  GstElement *e = gst_element_factory_make ("omnifusion", NULL);
  GstBus *bus = gst_bus_new ();
  GstHarness *h;
  GstMessage *msg;
  GstBuffer *wb;
  guint64 start = 0, end = 0;
  gboolean seen = FALSE;

  gst_element_set_bus (e, bus);
  h = gst_harness_new_with_element (e, "sink_%u", "src");
  gst_harness_set_sink_caps_str (h, "application/x-omni-events");
  gst_harness_set_src_caps_str (h, "text/x-raw,format=utf8");
  wb = gst_buffer_new_memdup ("damn", 4);
  GST_BUFFER_PTS (wb) = 500 * GST_MSECOND;
  GST_BUFFER_DURATION (wb) = 300 * GST_MSECOND;
  gst_harness_push (h, wb);
  wb = gst_buffer_new_memdup ("well", 4);
  GST_BUFFER_PTS (wb) = 1200 * GST_MSECOND;
  GST_BUFFER_DURATION (wb) = 300 * GST_MSECOND;
  gst_harness_push (h, wb);
  /* window 0 is out: the segment is open (its gap has not passed) */
  gst_buffer_unref (gst_harness_pull (h));
  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    fail_if (gst_structure_has_name (
        gst_message_get_structure (msg), "omnifusion-category-segment"));
    gst_message_unref (msg);
  }
  gst_harness_push_event (h, gst_event_new_flush_start ());
  gst_harness_push_event (h, gst_event_new_flush_stop (TRUE));
  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (msg);

    if (gst_structure_has_name (s, "omnifusion-category-segment")) {
      fail_unless_equals_string (
          gst_structure_get_string (s, "category"), "profanity");
      gst_structure_get_uint64 (s, "start", &start);
      gst_structure_get_uint64 (s, "end", &end);
      seen = TRUE;
    }
    gst_message_unref (msg);
  }
  fail_unless (seen);
  fail_unless_equals_uint64 (start, 500 * GST_MSECOND);
  fail_unless_equals_uint64 (end, 800 * GST_MSECOND);
  gst_harness_teardown (h);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
}

GST_END_TEST;

static Suite *
omnifusionrules_suite (void)
{
  Suite *s = suite_create ("omnifusionrules");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_rules_table);
  tcase_add_test (tc, test_fold_and_word_file);
  tcase_add_test (tc, test_judge_table);
  tcase_add_test (tc, test_content_evidence);
  tcase_add_test (tc, test_policy_rules);
  tcase_add_test (tc, test_keyword_span);
  tcase_add_test (tc, test_category_flush);
  return s;
}

GST_CHECK_MAIN (omnifusionrules);
