/* gst-omni benchmark: omniocr against the `tesseract` command line tool, on
 * the same images in the same run: character and word accuracy, and time
 * per frame.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: bench-ocr [extra.png=TRUTH ...]
 *
 * The images are gst-tests/data/ocr-corpus.h's frames (textoverlay over
 * Debian's mate-backgrounds wallpapers; ground truth exact), written as
 * PNG, plus any PNG given on the command line with its ground truth. Both
 * read the same PNG files. omniocr runs in one pipeline over all of them
 * (multifilesrc ! pngdec ! videoconvert ! omniocr), the engine loaded once;
 * its time is the message's "inference-ms" (conversion, both passes and
 * re-reads), and again with polarity=dark-on-light (one pass, the work the
 * tool does). The tool runs once per image, as scripts call it, and its
 * time is the wall-clock time of the process (model loading included; the
 * time of `tesseract --version` is printed so that it can be subtracted).
 * Accuracy is 1 - edit distance / reference length over all images, in
 * characters and in words (ocr-accuracy.h), counting everything each
 * printed, garbage included.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "benchproc.h"
#include "ocr-accuracy.h"
#include "ocr-corpus.h"

typedef struct {
  gchar *path;
  const gchar *truth;
  gchar *ocr_text, *one_text, *cli_text;
  gdouble ocr_ms, one_ms, cli_ms;
} Image;

static void
render_corpus (const gchar *dir, GPtrArray *images)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (ocr_corpus); i++) {
    Image *im = g_new0 (Image, 1);
    gchar *tail, *desc;

    im->path = g_strdup_printf ("%s/%03u.png", dir, images->len);
    im->truth = ocr_corpus[i].text;
    tail = g_strdup_printf ("pngenc ! filesink location=%s", im->path);
    desc = ocr_corpus_pipeline (&ocr_corpus[i], "RGB", tail);
    if (!run_collect (desc, NULL, NULL))
      g_error ("could not render %s", desc);
    g_ptr_array_add (images, im);
    g_free (tail);
    g_free (desc);
  }
}

/* omniocr with @props over all images; texts and times into @text/@ms
 * (offsets into Image). */
static void
run_omniocr (
    const gchar *dir, GPtrArray *images, const gchar *props, gboolean one_pass)
{
  GPtrArray *msgs
      = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_structure_free);
  gchar *desc = g_strdup_printf (
      "multifilesrc location=%s/%%03d.png index=0 stop-index=%u "
      "caps=image/png,framerate=1/1 ! pngdec ! videoconvert ! omniocr %s ! "
      "fakesink",
      dir, images->len - 1, props);
  guint i;

  if (!run_collect (desc, "omniocr", msgs) || msgs->len != images->len)
    g_error ("omniocr: %u results for %u images", msgs->len, images->len);
  for (i = 0; i < images->len; i++) {
    Image *im = g_ptr_array_index (images, i);
    GstStructure *s = g_ptr_array_index (msgs, i);

    if (one_pass) {
      im->one_text = g_strdup (gst_structure_get_string (s, "text"));
      gst_structure_get_double (s, "inference-ms", &im->one_ms);
    } else {
      im->ocr_text = g_strdup (gst_structure_get_string (s, "text"));
      gst_structure_get_double (s, "inference-ms", &im->ocr_ms);
    }
  }
  g_free (desc);
  g_ptr_array_unref (msgs);
}

static gdouble
run_cli (const gchar *path, gchar **out)
{
  const gchar *argv[] = { "tesseract", path, "stdout", NULL };
  gint64 t0 = g_get_monotonic_time ();
  gchar *err = NULL;
  gint status;

  if (!g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
          NULL, out, &err, &status, NULL))
    g_error ("could not run tesseract");
  g_free (err);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static void
add_errors (const gchar *ref, const gchar *hyp, guint *ce, guint *cn, guint *we,
    guint *wn)
{
  guint n;

  *ce += ocr_accuracy_char_errors (ref, hyp, &n);
  *cn += n;
  *we += ocr_accuracy_word_errors (ref, hyp, &n);
  *wn += n;
}

static void
report (GPtrArray *images, gdouble version_ms)
{
  guint oce = 0, ocn = 0, owe = 0, own = 0, cce = 0, ccn = 0, cwe = 0, cwn = 0;
  guint pce = 0, pcn = 0, pwe = 0, pwn = 0;
  gdouble oms = 0, cms = 0, pms = 0;
  guint i;

  printf ("| image | truth | omniocr | ms | tesseract CLI | ms |\n");
  printf ("|---|---|---|---|---|---|\n");
  for (i = 0; i < images->len; i++) {
    Image *im = g_ptr_array_index (images, i);
    gchar **ow = ocr_accuracy_words (im->ocr_text);
    gchar **cw = ocr_accuracy_words (im->cli_text);
    gchar *oj = g_strjoinv (" ", ow), *cj = g_strjoinv (" ", cw);

    printf ("| %s | %s | %s (%.2f) | %.0f | %s (%.2f) | %.0f |\n",
        g_path_get_basename (im->path), im->truth, oj,
        ocr_accuracy_chars (im->truth, im->ocr_text), im->ocr_ms, cj,
        ocr_accuracy_chars (im->truth, im->cli_text), im->cli_ms);
    add_errors (im->truth, im->ocr_text, &oce, &ocn, &owe, &own);
    add_errors (im->truth, im->cli_text, &cce, &ccn, &cwe, &cwn);
    add_errors (im->truth, im->one_text, &pce, &pcn, &pwe, &pwn);
    pms += im->one_ms;
    oms += im->ocr_ms;
    cms += im->cli_ms;
    g_strfreev (ow);
    g_strfreev (cw);
    g_free (oj);
    g_free (cj);
  }
  printf ("\n%u images; `tesseract --version` takes %.0f ms\n", images->len,
      version_ms);
  printf (
      "omniocr:       char accuracy %.3f, word accuracy %.3f, %.0f ms/frame\n",
      1.0 - (gdouble) oce / ocn, 1.0 - (gdouble) owe / own, oms / images->len);
  printf ("omniocr, polarity=dark-on-light (one pass): char accuracy %.3f, "
          "word accuracy %.3f, %.0f ms/frame\n",
      1.0 - (gdouble) pce / pcn, 1.0 - (gdouble) pwe / pwn, pms / images->len);
  printf (
      "tesseract CLI: char accuracy %.3f, word accuracy %.3f, %.0f ms/frame\n",
      1.0 - (gdouble) cce / ccn, 1.0 - (gdouble) cwe / cwn, cms / images->len);
  printf ("ratio CLI/omniocr time: %.2f (one pass: %.2f); char errors "
          "omniocr/one pass/CLI: %u/%u/%u\n",
      cms / oms, cms / pms, oce, pce, cce);
}

int
main (int argc, char **argv)
{
  GPtrArray *images = g_ptr_array_new ();
  gchar *dir = g_dir_make_tmp ("bench-ocr-XXXXXX", NULL), *ver = NULL;
  gdouble version_ms;
  gint i;

  gst_init (&argc, &argv);
  render_corpus (dir, images);
  for (i = 1; i < argc; i++) {
    gchar **kv = g_strsplit (argv[i], "=", 2);
    Image *im = g_new0 (Image, 1);
    gchar *cmd;

    im->path = g_strdup_printf ("%s/%03u.png", dir, images->len);
    im->truth = kv[1] ? g_strdup (kv[1]) : "";
    cmd = g_strdup_printf ("filesrc location=%s ! pngdec ! pngenc ! filesink "
                           "location=%s",
        kv[0], im->path);
    if (!run_collect (cmd, NULL, NULL))
      g_error ("could not copy %s", kv[0]);
    g_ptr_array_add (images, im);
    g_free (cmd);
    g_strfreev (kv);
  }
  run_omniocr (dir, images, "", FALSE);
  run_omniocr (dir, images, "polarity=dark-on-light", TRUE);
  for (i = 0; i < (gint) images->len; i++) {
    Image *im = g_ptr_array_index (images, i);
    im->cli_ms = run_cli (im->path, &im->cli_text);
  }
  {
    const gchar *argv_v[] = { "tesseract", "--version", NULL };
    gint64 t0 = g_get_monotonic_time ();
    g_spawn_sync (NULL, (gchar **) argv_v, NULL,
        G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &ver,
        NULL, NULL, NULL);
    version_ms = (g_get_monotonic_time () - t0) / 1000.0;
  }
  report (images, version_ms);
  for (i = 0; i < (gint) images->len; i++)
    g_unlink (((Image *) g_ptr_array_index (images, i))->path);
  g_rmdir (dir);
  g_free (ver);
  return 0;
}
