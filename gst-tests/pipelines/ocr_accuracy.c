/* gst-omni: omniocr's character and word accuracy in a pipeline
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every frame of gst-tests/data/ocr-corpus.h (textoverlay over Debian's
 * wallpapers, several fonts, sizes, white-on-dark and dark-on-light) is
 * written as PNG; one pipeline, multifilesrc ! pngdec ! videoconvert !
 * omniocr ! fakesink, reads them all (caps change between frames, the
 * engine stays loaded), and the `omniocr` messages are scored against the
 * rendered strings: 1 - edit distance / reference length, in characters
 * and in words, over the whole corpus, garbage included. The `tesseract`
 * command line tool reads the same PNG files: omniocr must not make more
 * errors than it. bench/ocr.c prints the same with times. With
 * detector=paddleocr (PaddleOCR's text detector finding the lines) omniocr
 * must not make more word errors than with Tesseract's layout analysis
 * (bench/ocrdetect.c prints both with box recall and times).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>

#include "ocr-accuracy.h"
#include "ocr-corpus.h"

/* Measured 0.741 and 0.676 (bench/ocr.c, docs/benchmarks.md): a margin
 * for other Tesseract builds. */
#define MIN_CHAR_ACCURACY 0.68
#define MIN_WORD_ACCURACY 0.55

static void
run (const gchar *desc, GPtrArray *results)
{
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstBus *bus;
  GstMessage *m;

  fail_unless (pipe != NULL, "%s", desc);
  bus = gst_element_get_bus (pipe);
  fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  while ((m = gst_bus_timed_pop (bus, 600 * GST_SECOND))) {
    GstMessageType t = GST_MESSAGE_TYPE (m);

    if (t == GST_MESSAGE_ELEMENT && gst_message_has_name (m, "omniocr"))
      g_ptr_array_add (results, g_strdup (gst_structure_get_string (
                                    gst_message_get_structure (m), "text")));
    fail_if (t == GST_MESSAGE_ERROR, "error in %s", desc);
    gst_message_unref (m);
    if (t == GST_MESSAGE_EOS)
      break;
  }
  fail_unless (m != NULL, "timeout in %s", desc);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipe);
}

static gchar *
cli (const gchar *path)
{
  const gchar *argv[] = { "tesseract", path, "stdout", NULL };
  gchar *out = NULL;
  gint status;

  fail_unless (g_spawn_sync (NULL, (gchar **) argv, NULL,
      G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
      &status, NULL));
  return out;
}

GST_START_TEST (test_corpus_accuracy)
{
  gchar *dir = g_dir_make_tmp ("omniocr-XXXXXX", NULL), *desc;
  GPtrArray *results = g_ptr_array_new_with_free_func (g_free);
  guint i, n, ce = 0, cn = 0, we = 0, wn = 0, cli_ce = 0;
  gdouble char_acc, word_acc;

  for (i = 0; i < G_N_ELEMENTS (ocr_corpus); i++) {
    gchar *tail
        = g_strdup_printf ("pngenc ! filesink location=%s/%03u.png", dir, i);
    GPtrArray *none = g_ptr_array_new ();

    desc = ocr_corpus_pipeline (&ocr_corpus[i], "RGB", tail);
    run (desc, none);
    g_ptr_array_unref (none);
    g_free (desc);
    g_free (tail);
  }
  desc = g_strdup_printf ("multifilesrc location=%s/%%03d.png index=0 "
                          "stop-index=%u caps=image/png,framerate=1/1 ! "
                          "pngdec ! videoconvert ! omniocr ! fakesink",
      dir, (guint) G_N_ELEMENTS (ocr_corpus) - 1);
  run (desc, results);
  g_free (desc);
  fail_unless_equals_int (results->len, G_N_ELEMENTS (ocr_corpus));

  for (i = 0; i < results->len; i++) {
    const gchar *truth = ocr_corpus[i].text, *text = results->pdata[i];
    gchar *path = g_strdup_printf ("%s/%03u.png", dir, i), *c = cli (path);

    ce += ocr_accuracy_char_errors (truth, text, &n);
    cn += n;
    we += ocr_accuracy_word_errors (truth, text, &n);
    wn += n;
    cli_ce += ocr_accuracy_char_errors (truth, c, &n);
    g_print ("%-18s %.2f \"%s\" (tesseract CLI %.2f)\n", ocr_corpus[i].photo,
        ocr_accuracy_chars (truth, text), text, ocr_accuracy_chars (truth, c));
    g_unlink (path);
    g_free (path);
    g_free (c);
  }
  g_rmdir (dir);
  char_acc = 1.0 - (gdouble) ce / cn;
  word_acc = 1.0 - (gdouble) we / wn;
  g_print ("omniocr: character accuracy %.3f, word accuracy %.3f; "
           "character errors %u, tesseract CLI %u\n",
      char_acc, word_acc, ce, cli_ce);
  fail_unless (
      char_acc >= MIN_CHAR_ACCURACY, "character accuracy %.3f", char_acc);
  fail_unless (word_acc >= MIN_WORD_ACCURACY, "word accuracy %.3f", word_acc);
  fail_unless (ce <= cli_ce, "%u character errors, the CLI %u", ce, cli_ce);
  g_ptr_array_unref (results);
  g_free (dir);
}
GST_END_TEST;

/* Measured 0.824 (bench/ocrdetect.c, docs/benchmarks.md): a margin. */
#define MIN_WORD_ACCURACY_PADDLEOCR 0.75

/* the corpus through omniocr @props; its word errors (of *@words) */
static guint
corpus_word_errors (const gchar *dir, const gchar *props, guint *words)
{
  GPtrArray *results = g_ptr_array_new_with_free_func (g_free);
  gchar *desc = g_strdup_printf ("multifilesrc location=%s/%%03d.png index=0 "
                                 "stop-index=%u caps=image/png,framerate=1/1 "
                                 "! pngdec ! videoconvert ! omniocr %s ! "
                                 "fakesink",
      dir, (guint) G_N_ELEMENTS (ocr_corpus) - 1, props);
  guint i, n, we = 0;

  run (desc, results);
  fail_unless_equals_int (results->len, G_N_ELEMENTS (ocr_corpus));
  *words = 0;
  for (i = 0; i < results->len; i++) {
    we += ocr_accuracy_word_errors (ocr_corpus[i].text, results->pdata[i], &n);
    *words += n;
    g_print ("%s: %-18s \"%s\"\n", props, ocr_corpus[i].photo,
        (gchar *) results->pdata[i]);
  }
  g_ptr_array_unref (results);
  g_free (desc);
  return we;
}

/* detector=paddleocr (PaddleOCR v4 det + DB, Tesseract reading each
 * region) against the default in the same run: not more word errors, and
 * its measured word accuracy within a margin */
GST_START_TEST (test_corpus_accuracy_paddleocr)
{
  gchar *dir = g_dir_make_tmp ("omniocr-XXXXXX", NULL);
  guint i, n, we_tess, we_paddle;
  gdouble acc;

  for (i = 0; i < G_N_ELEMENTS (ocr_corpus); i++) {
    gchar *tail
        = g_strdup_printf ("pngenc ! filesink location=%s/%03u.png", dir, i);
    gchar *desc = ocr_corpus_pipeline (&ocr_corpus[i], "RGB", tail);
    GPtrArray *none = g_ptr_array_new ();

    run (desc, none);
    g_ptr_array_unref (none);
    g_free (desc);
    g_free (tail);
  }
  we_tess = corpus_word_errors (dir, "detector=tesseract", &n);
  we_paddle = corpus_word_errors (dir, "detector=paddleocr backend=cpu", &n);
  acc = 1.0 - (gdouble) we_paddle / n;
  g_print ("word errors: detector=tesseract %u, detector=paddleocr %u of %u "
           "words (accuracy %.3f)\n",
      we_tess, we_paddle, n, acc);
  fail_unless (we_paddle <= we_tess, "%u word errors, tesseract's layout %u",
      we_paddle, we_tess);
  fail_unless (acc >= MIN_WORD_ACCURACY_PADDLEOCR, "word accuracy %.3f", acc);
  for (i = 0; i < G_N_ELEMENTS (ocr_corpus); i++) {
    gchar *path = g_strdup_printf ("%s/%03u.png", dir, i);

    g_unlink (path);
    g_free (path);
  }
  g_rmdir (dir);
  g_free (dir);
}
GST_END_TEST;

static Suite *
ocr_accuracy_suite (void)
{
  Suite *s = suite_create ("ocr_accuracy");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 900);
  tcase_add_test (tc, test_corpus_accuracy);
#if HAVE_ONNX
  tcase_add_test (tc, test_corpus_accuracy_paddleocr);
#endif
  return s;
}

GST_CHECK_MAIN (ocr_accuracy);
