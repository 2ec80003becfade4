/* gst-omni: text lines from an image, behind a small engine interface
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniocrengine.h"
#include "omniocrtesseract.h"

#include <math.h>
#include <string.h>

/* The page passes see frames at least this high: captions and titles are
 * some 3 to 5 % of the picture's height, so at 1080 lines they are 30 px or
 * more, what Tesseract reads best; smaller frames are enlarged (at most
 * 3x: on the test corpus, 720p frames brought to 1080 lines gain 14 points
 * of character accuracy, 1440 lines gain nothing more). Frames longer than
 * MAX_SIDE are reduced: a page pass on 33 Mpixels costs seconds, and text
 * that matters on an 8K frame is large anyway. */
#define MIN_HEIGHT 1080
#define MAX_UPSCALE 3.0
#define MAX_SIDE 3840
/* Below this, an image holds no readable line. */
#define MIN_SIDE 8
/* Lines lower than this (in the image's pixels) are noise. */
#define MIN_LINE_HEIGHT 6

struct _OmniOcrEngine {
  const OmniOcrBackend *backend;
  gpointer state;
  gint cancelled; /* atomic */
};

G_DEFINE_QUARK (omni - ocr - error - quark, omni_ocr_error);

static const OmniOcrBackend *const backends[] = {
  &omni_ocr_tesseract_backend,
};

void
omni_ocr_line_free (OmniOcrLine *line)
{
  if (!line)
    return;
  g_free (line->text);
  g_free (line);
}

/**
 * omni_ocr_params_init:
 * @params: parameters to fill with the defaults: lines scaled to 30 px,
 *   both polarities, confidence >= 0.5, at most 64 lines
 */
void
omni_ocr_params_init (OmniOcrParams *params)
{
  params->text_height = 30;
  params->polarity = OMNI_OCR_POLARITY_AUTO;
  params->min_confidence = 0.5;
  params->max_lines = 64;
}

/**
 * omni_ocr_engine_list:
 *
 * Returns: (transfer none): the names of the engines built in, %NULL ended
 */
const gchar *const *
omni_ocr_engine_list (void)
{
  static const gchar *names[G_N_ELEMENTS (backends) + 1];
  static gsize once = 0;

  if (g_once_init_enter (&once)) {
    guint i;
    for (i = 0; i < G_N_ELEMENTS (backends); i++)
      names[i] = backends[i]->name;
    g_once_init_leave (&once, 1);
  }
  return names;
}

/**
 * omni_ocr_engine_new:
 * @engine: (nullable): an engine name from omni_ocr_engine_list(); %NULL
 *   for the first
 * @language: the engine's language code(s), e.g. "eng" or "eng+deu"
 * @error: where to put an error
 *
 * Loads an engine and its language data; slow (hundreds of ms).
 *
 * Returns: (transfer full) (nullable): the engine, %NULL on error
 */
OmniOcrEngine *
omni_ocr_engine_new (const gchar *engine, const gchar *language, GError **error)
{
  const OmniOcrBackend *backend = NULL;
  OmniOcrEngine *self;
  gpointer state;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (backends) && !backend; i++)
    if (!engine || g_strcmp0 (engine, backends[i]->name) == 0)
      backend = backends[i];
  if (!backend) {
    g_set_error (error, OMNI_OCR_ERROR, OMNI_OCR_ERROR_NO_ENGINE,
        "no OCR engine named \"%s\"", engine);
    return NULL;
  }
  state = backend->open (language, error);
  if (!state)
    return NULL;
  self = g_new0 (OmniOcrEngine, 1);
  self->backend = backend;
  self->state = state;
  return self;
}

void
omni_ocr_engine_free (OmniOcrEngine *engine)
{
  if (!engine)
    return;
  engine->backend->close (engine->state);
  g_free (engine);
}

/**
 * omni_ocr_engine_cancel:
 * @engine: an engine
 *
 * Makes the running omni_ocr_engine_read(), and every later one until
 * omni_ocr_engine_uncancel(), fail soon with %OMNI_OCR_ERROR_CANCELLED.
 * Any thread may call it.
 */
void
omni_ocr_engine_cancel (OmniOcrEngine *engine)
{
  g_atomic_int_set (&engine->cancelled, 1);
  engine->backend->cancel (engine->state);
}

void
omni_ocr_engine_uncancel (OmniOcrEngine *engine)
{
  g_atomic_int_set (&engine->cancelled, 0);
}

static gboolean
check_cancelled (OmniOcrEngine *engine, GError **error)
{
  if (!g_atomic_int_get (&engine->cancelled))
    return FALSE;
  g_set_error_literal (
      error, OMNI_OCR_ERROR, OMNI_OCR_ERROR_CANCELLED, "cancelled");
  return TRUE;
}

/* ---- passes ------------------------------------------------------------ */

static gdouble
base_scale (const OmniOcrImage *image)
{
  gint side = MAX (image->width, image->height);
  gdouble s = 1.0;

  if (image->height < MIN_HEIGHT)
    s = MIN (MAX_UPSCALE, (gdouble) MIN_HEIGHT / image->height);
  if (side * s > MAX_SIDE)
    s = (gdouble) MAX_SIDE / side;
  return s;
}

/* Reads @page (@image scaled by @s, inverted when @light) and appends its
 * lines to @lines in @image's pixels. */
static gboolean
read_pass (OmniOcrEngine *engine, const OmniOcrImage *page, gboolean light,
    gdouble s, GPtrArray *lines, GError **error)
{
  GPtrArray *found
      = g_ptr_array_new_with_free_func ((GDestroyNotify) omni_ocr_line_free);
  OmniOcrImage *inv = NULL;
  gboolean ok;
  guint i;

  if (light) {
    inv = omni_ocr_image_crop (page, 0, 0, page->width, page->height);
    omni_ocr_image_invert (inv);
  }
  ok = engine->backend->read (
      engine->state, inv ? inv : page, FALSE, found, error);
  for (i = 0; ok && i < found->len; i++) {
    OmniOcrLine *l = g_ptr_array_index (found, i);
    OmniOcrBox b = l->box;

    l->box.x = (gint) (b.x / s);
    l->box.y = (gint) (b.y / s);
    l->box.width = MAX (1, (gint) (b.width / s + 0.5));
    l->box.height = MAX (1, (gint) (b.height / s + 0.5));
    l->inverted = light;
    if (l->box.height >= MIN_LINE_HEIGHT)
      g_ptr_array_add (lines, g_ptr_array_steal_index (found, i--));
  }
  omni_ocr_image_free (inv);
  g_ptr_array_unref (found);
  return ok;
}

/* ---- small lines -------------------------------------------------------- */

/* Below this confidence a small line is read again, enlarged. */
#define REREAD_CONFIDENCE 0.9

/* Reads @line's box again from @image, cropped with a margin, made dark on
 * light and enlarged to @params->text_height; keeps the better reading. */
static gboolean
reread_small_line (OmniOcrEngine *engine, const OmniOcrImage *image,
    OmniOcrLine *line, const OmniOcrParams *params, GError **error)
{
  const OmniOcrBox *b = &line->box;
  gint pad = MAX (2, b->height / 4);
  gdouble s = MIN (4.0, (gdouble) params->text_height / b->height);
  OmniOcrImage *crop, *scaled;
  GPtrArray *found
      = g_ptr_array_new_with_free_func ((GDestroyNotify) omni_ocr_line_free);
  gboolean ok;
  guint i;

  crop = omni_ocr_image_crop (
      image, b->x - pad, b->y - pad, b->width + 2 * pad, b->height + 2 * pad);
  if (line->inverted)
    omni_ocr_image_invert (crop);
  scaled = omni_ocr_image_scale (crop, MAX (1, (gint) (crop->width * s)),
      MAX (1, (gint) (crop->height * s)));
  ok = engine->backend->read (engine->state, scaled, TRUE, found, error);
  for (i = 0; ok && i < found->len; i++) {
    OmniOcrLine *l = g_ptr_array_index (found, i);

    if (l->confidence > line->confidence) {
      g_free (line->text);
      line->text = g_steal_pointer (&l->text);
      line->confidence = l->confidence;
    }
  }
  omni_ocr_image_free (crop);
  omni_ocr_image_free (scaled);
  g_ptr_array_unref (found);
  return ok;
}

/* A line without a letter or digit is texture taken for text. */
static gboolean
has_alnum (const gchar *text)
{
  for (; *text; text = g_utf8_next_char (text))
    if (g_unichar_isalnum (g_utf8_get_char (text)))
      return TRUE;
  return FALSE;
}

static gboolean
boxes_overlap (const OmniOcrBox *a, const OmniOcrBox *b)
{
  gint ix = MIN (a->x + a->width, b->x + b->width) - MAX (a->x, b->x);
  gint iy = MIN (a->y + a->height, b->y + b->height) - MAX (a->y, b->y);
  gint64 inter, small;

  if (ix <= 0 || iy <= 0)
    return FALSE;
  inter = (gint64) ix * iy;
  small = MIN ((gint64) a->width * a->height, (gint64) b->width * b->height);
  return inter * 2 > small;
}

static gint
compare_conf_desc (gconstpointer a, gconstpointer b)
{
  const OmniOcrLine *x = *(OmniOcrLine **) a, *y = *(OmniOcrLine **) b;

  return x->confidence < y->confidence   ? 1
         : x->confidence > y->confidence ? -1
                                         : 0;
}

static gint
compare_reading_order (gconstpointer a, gconstpointer b)
{
  const OmniOcrLine *x = *(OmniOcrLine **) a, *y = *(OmniOcrLine **) b;

  if (x->box.y + x->box.height <= y->box.y)
    return -1;
  if (y->box.y + y->box.height <= x->box.y)
    return 1;
  return x->box.x - y->box.x;
}

static guint
cluster_root (guint *parent, guint i)
{
  while (parent[i] != i)
    i = parent[i] = parent[parent[i]];
  return i;
}

/* The two passes often read the same text, one of them in pieces or as
 * garbage. Overlapping lines form clusters; in each, the lines of the pass
 * with the most confident characters (sum of confidence x length) are
 * kept. Then the @max_lines most confident, in reading order. */
static GPtrArray *
suppress_overlaps (GPtrArray *lines, guint max_lines)
{
  guint n = lines->len, i, j, *parent = g_new (guint, n);
  gdouble *score = g_new0 (gdouble, 2 * n);
  GPtrArray *kept
      = g_ptr_array_new_with_free_func ((GDestroyNotify) omni_ocr_line_free);

  for (i = 0; i < n; i++)
    parent[i] = i;
  for (i = 0; i < n; i++)
    for (j = i + 1; j < n; j++)
      if (boxes_overlap (&((OmniOcrLine *) g_ptr_array_index (lines, i))->box,
              &((OmniOcrLine *) g_ptr_array_index (lines, j))->box))
        parent[cluster_root (parent, i)] = cluster_root (parent, j);
  for (i = 0; i < n; i++) {
    OmniOcrLine *l = g_ptr_array_index (lines, i);
    score[2 * cluster_root (parent, i) + (l->inverted ? 1 : 0)]
        += l->confidence * g_utf8_strlen (l->text, -1);
  }
  for (i = 0; i < n; i++) {
    OmniOcrLine *l = g_ptr_array_index (lines, i);
    guint r = cluster_root (parent, i);
    gboolean inverted_wins = score[2 * r + 1] > score[2 * r];

    if (l->inverted == inverted_wins)
      g_ptr_array_add (kept, g_steal_pointer (&lines->pdata[i]));
  }
  g_ptr_array_unref (lines);
  g_free (parent);
  g_free (score);
  g_ptr_array_sort (kept, compare_conf_desc);
  if (kept->len > max_lines)
    g_ptr_array_set_size (kept, max_lines);
  g_ptr_array_sort (kept, compare_reading_order);
  return kept;
}

/**
 * omni_ocr_engine_read:
 * @engine: an engine
 * @image: a grey or RGB image
 * @params: how to read it
 * @error: where to put an error
 *
 * Reads the text lines of @image: as is and inverted (so that light
 * captions on dark boxes are read as well as dark text on light
 * backgrounds) unless @params restricts the polarity; small frames
 * enlarged and huge ones reduced first; lines lower than
 * @params->text_height read with a confidence under 0.9 read again
 * enlarged to that height; overlapping readings keep the most confident.
 * Blocks for the whole recognition (hundreds of ms).
 *
 * Returns: (transfer full) (element-type OmniOcrLine) (nullable): the
 *   lines in reading order, boxes in @image's pixels; %NULL on error or
 *   cancellation
 */
GPtrArray *
omni_ocr_engine_read (OmniOcrEngine *engine, const OmniOcrImage *image,
    const OmniOcrParams *params, GError **error)
{
  GPtrArray *lines
      = g_ptr_array_new_with_free_func ((GDestroyNotify) omni_ocr_line_free);
  gdouble s = base_scale (image);
  OmniOcrImage *page = NULL;
  gboolean ok = TRUE;
  guint i;

  if (image->width < MIN_SIDE || image->height < MIN_SIDE)
    return lines;
  if (s != 1.0)
    page = omni_ocr_image_scale (image, MAX (1, (gint) (image->width * s)),
        MAX (1, (gint) (image->height * s)));
  if (params->polarity != OMNI_OCR_POLARITY_LIGHT_ON_DARK)
    ok = !check_cancelled (engine, error)
         && read_pass (engine, page ? page : image, FALSE, s, lines, error);
  if (ok && params->polarity != OMNI_OCR_POLARITY_DARK_ON_LIGHT)
    ok = !check_cancelled (engine, error)
         && read_pass (engine, page ? page : image, TRUE, s, lines, error);
  omni_ocr_image_free (page);
  for (i = 0; ok && i < lines->len; i++) {
    OmniOcrLine *l = g_ptr_array_index (lines, i);

    if (l->box.height < params->text_height
        && l->confidence < REREAD_CONFIDENCE)
      ok = !check_cancelled (engine, error)
           && reread_small_line (engine, image, l, params, error);
    if (ok
        && (l->confidence < params->min_confidence
            || !has_alnum (g_strstrip (l->text))))
      g_ptr_array_remove_index (lines, i--);
  }
  if (!ok) {
    g_ptr_array_unref (lines);
    return NULL;
  }
  return suppress_overlaps (lines, params->max_lines);
}

/* ---- lines found by a text detector ------------------------------------ */

/* A region is read at least this high (its text some 60 % of it after the
 * detector's unclip), enlarged at most MAX_REGION_UPSCALE times. */
#define REGION_HEIGHT 48
#define MAX_REGION_UPSCALE 4.0

/* The best single-line reading of @crop (inverted when @light), or NULL. */
static OmniOcrLine *
read_region_pass (OmniOcrEngine *engine, const OmniOcrImage *crop,
    gboolean light, GError **error)
{
  GPtrArray *found
      = g_ptr_array_new_with_free_func ((GDestroyNotify) omni_ocr_line_free);
  OmniOcrImage *inv = NULL;
  OmniOcrLine *best = NULL;
  guint i;

  if (light) {
    inv = omni_ocr_image_crop (crop, 0, 0, crop->width, crop->height);
    omni_ocr_image_invert (inv);
  }
  if (engine->backend->read (
          engine->state, inv ? inv : crop, TRUE, found, error)) {
    guint b = 0;

    for (i = 1; i < found->len; i++)
      if (((OmniOcrLine *) g_ptr_array_index (found, i))->confidence
          > ((OmniOcrLine *) g_ptr_array_index (found, b))->confidence)
        b = i;
    if (found->len > 0) {
      best = g_ptr_array_steal_index_fast (found, b);
      best->inverted = light;
    }
  }
  omni_ocr_image_free (inv);
  g_ptr_array_unref (found);
  return best;
}

/* @q's corners reordered so that its long side runs left to right
 * (PaddleOCR turns crops whose height is 1.5 times their width); the
 * straightened size in @w, @h. */
static void
upright_quad (const gdouble *q, gdouble *out, gint *w, gint *h)
{
  gdouble top = hypot (q[2] - q[0], q[3] - q[1]);
  gdouble left = hypot (q[6] - q[0], q[7] - q[1]);
  guint i, start = left >= 1.5 * top ? 1 : 0;

  for (i = 0; i < 4; i++) {
    out[2 * i] = q[2 * ((start + i) & 3)];
    out[2 * i + 1] = q[2 * ((start + i) & 3) + 1];
  }
  *w = MAX (1, (gint) lround (start ? left : top));
  *h = MAX (1, (gint) lround (start ? top : left));
}

/* Moves @q's sides out by @pad pixels (a quiet zone round the text, which
 * Tesseract's line finder needs); @w and @h grow by 2 @pad. */
static void
pad_quad (gdouble *q, gint *w, gint *h, gint pad)
{
  gdouble ux = (q[2] - q[0]) / *w, uy = (q[3] - q[1]) / *w;
  gdouble vx = (q[6] - q[0]) / *h, vy = (q[7] - q[1]) / *h;
  static const gint su[4] = { -1, 1, 1, -1 }, sv[4] = { -1, -1, 1, 1 };
  guint i;

  for (i = 0; i < 4; i++) {
    q[2 * i] += pad * (su[i] * ux + sv[i] * vx);
    q[2 * i + 1] += pad * (su[i] * uy + sv[i] * vy);
  }
  *w += 2 * pad;
  *h += 2 * pad;
}

/* How much a reading says: its confidence times its length (a pass that
 * reads only the easy half of a line is not the better one). */
static gdouble
line_weight (const OmniOcrLine *l)
{
  return l->confidence * g_utf8_strlen (l->text, -1);
}

static OmniOcrLine *
read_region (OmniOcrEngine *engine, const OmniOcrImage *image,
    const gdouble *quad, const OmniOcrParams *params, GError **error)
{
  gdouble q[8], s, x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = 0, y1 = 0;
  gint w, h, i;
  OmniOcrImage *crop;
  OmniOcrLine *dark = NULL, *light = NULL, *best;

  upright_quad (quad, q, &w, &h);
  pad_quad (q, &w, &h, MAX (2, h / 4));
  s = CLAMP ((gdouble) REGION_HEIGHT / h, 1.0, MAX_REGION_UPSCALE);
  crop = omni_ocr_image_warp_quad (
      image, q, MAX (1, (gint) lround (w * s)), MAX (1, (gint) lround (h * s)));
  if (params->polarity != OMNI_OCR_POLARITY_LIGHT_ON_DARK)
    dark = read_region_pass (engine, crop, FALSE, error);
  if (params->polarity != OMNI_OCR_POLARITY_DARK_ON_LIGHT && !*error
      && !check_cancelled (engine, error))
    light = read_region_pass (engine, crop, TRUE, error);
  omni_ocr_image_free (crop);
  best = dark;
  if (light && (!dark || line_weight (light) > line_weight (dark))) {
    omni_ocr_line_free (dark);
    best = light;
  } else {
    omni_ocr_line_free (light);
  }
  if (!best)
    return NULL;
  for (i = 0; i < 4; i++) {
    x0 = MIN (x0, quad[2 * i]);
    x1 = MAX (x1, quad[2 * i]);
    y0 = MIN (y0, quad[2 * i + 1]);
    y1 = MAX (y1, quad[2 * i + 1]);
  }
  best->box.x = CLAMP ((gint) floor (x0), 0, image->width - 1);
  best->box.y = CLAMP ((gint) floor (y0), 0, image->height - 1);
  best->box.width = MAX (1, MIN ((gint) ceil (x1), image->width) - best->box.x);
  best->box.height
      = MAX (1, MIN ((gint) ceil (y1), image->height) - best->box.y);
  return best;
}

/**
 * omni_ocr_engine_read_regions:
 * @engine: an engine
 * @image: a grey or RGB image
 * @quads: (array length=n_quads): per text region 8 values, its corners
 *   x0, y0 (top-left), x1, y1, x2, y2, x3, y3 (clockwise) in @image's
 *   pixels, as a text detector finds them (omni_ocr_text_det_find())
 * @n_quads: how many regions
 * @params: how to read them (@text_height is not used: a region is read
 *   at least 48 px high)
 * @error: where to put an error
 *
 * Reads each region as one line of text (Tesseract's single-line page
 * segmentation): straightened (omni_ocr_image_warp_quad(); a region 1.5
 * times higher than wide is turned, as PaddleOCR does), enlarged to 48 px
 * high (at most 4x), read as is and inverted unless @params restricts the
 * polarity, the reading with the larger confidence × length kept. Readings under
 * @params->min_confidence or without a letter or digit are dropped; at
 * most @params->max_lines, most confident first. A line's box is the
 * region's axis-aligned bounding box.
 *
 * Returns: (transfer full) (element-type OmniOcrLine) (nullable): the
 *   lines in reading order; %NULL on error or cancellation
 */
GPtrArray *
omni_ocr_engine_read_regions (OmniOcrEngine *engine, const OmniOcrImage *image,
    const gdouble *quads, guint n_quads, const OmniOcrParams *params,
    GError **error)
{
  GPtrArray *lines
      = g_ptr_array_new_with_free_func ((GDestroyNotify) omni_ocr_line_free);
  GError *err = NULL;
  guint i;

  for (i = 0; i < n_quads && !err; i++) {
    OmniOcrLine *l;

    if (check_cancelled (engine, &err))
      break;
    l = read_region (engine, image, quads + 8 * i, params, &err);
    if (l
        && (l->confidence < params->min_confidence
            || !has_alnum (g_strstrip (l->text))))
      g_clear_pointer (&l, omni_ocr_line_free);
    if (l)
      g_ptr_array_add (lines, l);
  }
  if (err) {
    g_propagate_error (error, err);
    g_ptr_array_unref (lines);
    return NULL;
  }
  g_ptr_array_sort (lines, compare_conf_desc);
  if (lines->len > params->max_lines)
    g_ptr_array_set_size (lines, params->max_lines);
  g_ptr_array_sort (lines, compare_reading_order);
  return lines;
}
