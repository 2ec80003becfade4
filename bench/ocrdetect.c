/* gst-omni benchmark: how omniocr finds text lines, detector=tesseract
 * (Tesseract's page layout analysis) against detector=paddleocr (PaddleOCR
 * v4's text detector + DB post-processing, each region read by Tesseract
 * as one line), on the same images in the same run: word accuracy, box
 * recall and time per frame.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: bench-ocrdetect [BACKEND] [photo.png=TRUTH ...]
 *   BACKEND: where the text detector runs, cpu (default) or vulkan
 *
 * Generated frames: gst-tests/data/ocr-corpus.h (textoverlay over Debian's
 * mate-backgrounds photos). Their truth is exact: the words are the string
 * given to textoverlay, the box is where textoverlay draws it, measured by
 * drawing the same text with the same settings in white on a black frame
 * of the same size (the bounding box of its lit pixels). A truth line is
 * recalled when a line omniocr reports overlaps its box with IoU >= 0.5
 * (ICDAR's criterion). Photos given on the command line (real photos of
 * text, e.g. scikit-image's page.png) count for word accuracy only: their
 * truth is the text, one line per "|". Word accuracy is 1 - word edit
 * distance / reference words, summed over the images (ocr-accuracy.h).
 * Time per frame is omniocr's "inference-ms" (conversion, detection,
 * recognition). Run under the heavy lock (flock /tmp/omni-heavy.lock).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "benchproc.h"
#include "ocr-accuracy.h"
#include "ocr-corpus.h"

#define N_DET 2

typedef struct {
  gint x, y, w, h;
} Box;

typedef struct {
  gchar *path;
  gchar *truth;
  gboolean has_box;
  Box box;
  gchar *text[N_DET];
  GArray *lines[N_DET]; /* Box */
  gdouble ms[N_DET];
} Image;

static const gchar *detectors[N_DET] = { "tesseract", "paddleocr" };

/* Where textoverlay draws @c's text: the same overlay in white on black. */
static Box
truth_box (const OcrCase *c, const gchar *dir)
{
  gchar *mask = g_strdup_printf ("%s/mask.gray", dir), *bytes = NULL;
  gchar *desc = g_strdup_printf (
      "videotestsrc pattern=black num-buffers=1 ! "
      "video/x-raw,format=BGRx,width=%d,height=%d ! textoverlay text=\"%s\" "
      "font-desc=\"%s\" valignment=%s halignment=center wrap-mode=none "
      "draw-outline=false draw-shadow=false color=0xffffffff ! videoconvert ! "
      "video/x-raw,format=GRAY8 ! filesink location=%s",
      c->width, c->height, c->text, c->font, c->valign, mask);
  gsize len = 0;
  gint x, y, stride = GST_ROUND_UP_4 (c->width);
  Box b = { G_MAXINT, G_MAXINT, 0, 0 };
  gint x1 = -1, y1 = -1;

  if (!run_collect (desc, NULL, NULL)
      || !g_file_get_contents (mask, &bytes, &len, NULL)
      || len < (gsize) stride * c->height)
    g_error ("could not render the truth of \"%s\"", c->text);
  for (y = 0; y < c->height; y++)
    for (x = 0; x < c->width; x++)
      if ((guint8) bytes[(gsize) y * stride + x] > 128) {
        b.x = MIN (b.x, x);
        b.y = MIN (b.y, y);
        x1 = MAX (x1, x);
        y1 = MAX (y1, y);
      }
  b.w = x1 - b.x + 1;
  b.h = y1 - b.y + 1;
  g_unlink (mask);
  g_free (mask);
  g_free (bytes);
  g_free (desc);
  return b;
}

static void
render_corpus (const gchar *dir, GPtrArray *images)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (ocr_corpus); i++) {
    Image *im = g_new0 (Image, 1);
    gchar *tail, *desc;

    im->path = g_strdup_printf ("%s/%03u.png", dir, images->len);
    im->truth = g_strdup (ocr_corpus[i].text);
    tail = g_strdup_printf ("pngenc ! filesink location=%s", im->path);
    desc = ocr_corpus_pipeline (&ocr_corpus[i], "RGB", tail);
    if (!run_collect (desc, NULL, NULL))
      g_error ("could not render %s", desc);
    im->box = truth_box (&ocr_corpus[i], dir);
    im->has_box = TRUE;
    g_ptr_array_add (images, im);
    g_free (tail);
    g_free (desc);
  }
}

static void
add_photo (const gchar *dir, GPtrArray *images, const gchar *arg)
{
  gchar **kv = g_strsplit (arg, "=", 2);
  Image *im = g_new0 (Image, 1);
  gchar *cmd;

  im->path = g_strdup_printf ("%s/%03u.png", dir, images->len);
  im->truth = g_strdelimit (g_strdup (kv[1] ? kv[1] : ""), "|", '\n');
  cmd = g_strdup_printf ("filesrc location=%s ! decodebin ! videoconvert ! "
                         "video/x-raw,format=RGB ! pngenc ! filesink "
                         "location=%s",
      kv[0], im->path);
  if (!run_collect (cmd, NULL, NULL))
    g_error ("could not copy %s", kv[0]);
  g_ptr_array_add (images, im);
  g_free (cmd);
  g_strfreev (kv);
}

static GArray *
line_boxes (const GstStructure *s)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Box));
  const GValue *lines = gst_structure_get_value (s, "lines");
  guint i;

  for (i = 0; lines && i < gst_value_array_get_size (lines); i++) {
    const GstStructure *l
        = gst_value_get_structure (gst_value_array_get_value (lines, i));
    Box b;

    gst_structure_get (l, "x", G_TYPE_INT, &b.x, "y", G_TYPE_INT, &b.y, "width",
        G_TYPE_INT, &b.w, "height", G_TYPE_INT, &b.h, NULL);
    g_array_append_val (out, b);
  }
  return out;
}

static void
run_omniocr (const gchar *dir, GPtrArray *images, guint d, const gchar *backend)
{
  GPtrArray *msgs
      = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_structure_free);
  gchar *desc = g_strdup_printf (
      "multifilesrc location=%s/%%03d.png index=0 stop-index=%u "
      "caps=image/png,framerate=1/1 ! pngdec ! videoconvert ! "
      "omniocr detector=%s backend=%s ! fakesink",
      dir, images->len - 1, detectors[d], backend);
  guint i;

  if (!run_collect (desc, "omniocr", msgs) || msgs->len != images->len)
    g_error ("omniocr: %u results for %u images", msgs->len, images->len);
  for (i = 0; i < images->len; i++) {
    Image *im = g_ptr_array_index (images, i);
    GstStructure *s = g_ptr_array_index (msgs, i);

    im->text[d] = g_strdup (gst_structure_get_string (s, "text"));
    gst_structure_get_double (s, "inference-ms", &im->ms[d]);
    im->lines[d] = line_boxes (s);
  }
  g_free (desc);
  g_ptr_array_unref (msgs);
}

static gdouble
box_iou (const Box *a, const Box *b)
{
  gint ix = MIN (a->x + a->w, b->x + b->w) - MAX (a->x, b->x);
  gint iy = MIN (a->y + a->h, b->y + b->h) - MAX (a->y, b->y);
  gdouble inter = ix > 0 && iy > 0 ? (gdouble) ix * iy : 0;

  return inter / ((gdouble) a->w * a->h + (gdouble) b->w * b->h - inter);
}

/* the best IoU of a reported line with the truth box */
static gdouble
best_iou (const Image *im, guint d)
{
  gdouble best = 0;
  guint i;

  for (i = 0; i < im->lines[d]->len; i++)
    best
        = MAX (best, box_iou (&im->box, &g_array_index (im->lines[d], Box, i)));
  return best;
}

static gchar *
one_line (const gchar *text)
{
  return g_strdelimit (g_strdup (text ? text : ""), "\n", '|');
}

static void
report (GPtrArray *images)
{
  guint d, i, errors[N_DET] = { 0 }, words = 0, boxes = 0;
  guint recalled[N_DET] = { 0 }, reported[N_DET] = { 0 };
  gdouble ms[N_DET] = { 0 };

  printf ("| image | truth | tesseract | IoU | ms | paddleocr + tesseract | "
          "IoU | ms |\n|---|---|---|---|---|---|---|---|\n");
  for (i = 0; i < images->len; i++) {
    Image *im = g_ptr_array_index (images, i);
    gchar *truth = one_line (im->truth);

    printf ("| %u | %s |", i, truth);
    for (d = 0; d < N_DET; d++) {
      guint n = 0;
      gchar *t = one_line (im->text[d]);

      errors[d] += ocr_accuracy_word_errors (im->truth, im->text[d], &n);
      if (d == 0)
        words += n;
      ms[d] += im->ms[d];
      reported[d] += im->lines[d]->len;
      if (im->has_box && best_iou (im, d) >= 0.5)
        recalled[d]++;
      if (im->has_box)
        printf (" %s | %.2f | %.0f |", t, best_iou (im, d), im->ms[d]);
      else
        printf (" %s | – | %.0f |", t, im->ms[d]);
      g_free (t);
    }
    boxes += im->has_box;
    printf ("\n");
    g_free (truth);
  }
  printf ("\n");
  for (d = 0; d < N_DET; d++)
    printf (
        "detector=%s: word accuracy %.3f (%u errors / %u words), box "
        "recall %u/%u = %.3f (IoU >= 0.5), %u lines reported, %.0f ms/frame\n",
        detectors[d], 1.0 - (gdouble) errors[d] / MAX (words, 1), errors[d],
        words, recalled[d], boxes, (gdouble) recalled[d] / MAX (boxes, 1),
        reported[d], ms[d] / images->len);
  printf (
      "time ratio paddleocr / tesseract: %.2f\n", ms[1] / MAX (ms[0], 1e-9));
}

int
main (int argc, char **argv)
{
  GPtrArray *images = g_ptr_array_new ();
  gchar *dir = g_dir_make_tmp ("bench-ocrdetect-XXXXXX", NULL);
  const gchar *backend = "cpu";
  gint i, first = 1;
  guint d;

  gst_init (&argc, &argv);
  if (argc > 1 && !strchr (argv[1], '=')) {
    backend = argv[1];
    first = 2;
  }
  render_corpus (dir, images);
  for (i = first; i < argc; i++)
    add_photo (dir, images, argv[i]);
  for (d = 0; d < N_DET; d++)
    run_omniocr (dir, images, d, backend);
  printf ("text detector on backend=%s\n\n", backend);
  report (images);
  for (i = 0; i < (gint) images->len; i++) {
    Image *im = g_ptr_array_index (images, i);

    g_unlink (im->path);
    for (d = 0; d < N_DET; d++) {
      g_free (im->text[d]);
      g_array_unref (im->lines[d]);
    }
    g_free (im->truth);
    g_free (im->path);
    g_free (im);
  }
  g_ptr_array_unref (images);
  g_rmdir (dir);
  g_free (dir);
  return 0;
}
