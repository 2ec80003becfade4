/* gst-omni: text lines from an image, behind a small engine interface
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniocrengine.h"
#include "omniocrtesseract.h"

#include <string.h>

/* The detection pass sees frames at least this high (small frames are
 * enlarged so that their text has enough pixels for line finding) and at
 * most this long (an 8K frame is reduced: line finding on 33 Mpixels costs
 * seconds and captions on it are large anyway). */
#define DETECT_MIN_HEIGHT 480
#define DETECT_MAX_UPSCALE 3.0
#define DETECT_MAX_SIDE 3840
/* Below this, an image holds no readable line. */
#define MIN_SIDE 8
/* Lines lower than this (in the image's pixels) are noise. */
#define MIN_LINE_HEIGHT 6

struct _OmniOcrEngine {
  const OmniOcrBackend *backend;
  gpointer state;
  gint cancelled; /* atomic */
};

G_DEFINE_QUARK (omni-ocr-error-quark, omni_ocr_error);

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

/* ---- detection --------------------------------------------------------- */

static gdouble
detect_scale (const OmniOcrImage *image)
{
  gint side = MAX (image->width, image->height);
  gdouble s = 1.0;

  if (image->height < DETECT_MIN_HEIGHT)
    s = MIN (DETECT_MAX_UPSCALE, (gdouble) DETECT_MIN_HEIGHT / image->height);
  if (side * s > DETECT_MAX_SIDE)
    s = (gdouble) DETECT_MAX_SIDE / side;
  return s;
}

/* Finds lines in @det (dark on light, or inverted first), appending them to
 * @boxes in the coordinates of the original image (@det scaled by @s). */
static gboolean
find_lines (OmniOcrEngine *engine, const OmniOcrImage *det, gboolean invert,
    gdouble s, GArray *boxes, GError **error)
{
  OmniOcrImage *inv = NULL;
  GArray *found = g_array_new (FALSE, FALSE, sizeof (OmniOcrBox));
  gboolean ok;
  guint i;

  if (invert) {
    inv = omni_ocr_image_crop (det, 0, 0, det->width, det->height);
    omni_ocr_image_invert (inv);
  }
  ok = engine->backend->find_lines (engine->state, inv ? inv : det, found, error);
  for (i = 0; ok && i < found->len; i++) {
    OmniOcrBox b = g_array_index (found, OmniOcrBox, i), o;

    o.x = (gint) (b.x / s);
    o.y = (gint) (b.y / s);
    o.width = MAX (1, (gint) (b.width / s + 0.5));
    o.height = MAX (1, (gint) (b.height / s + 0.5));
    if (o.height >= MIN_LINE_HEIGHT)
      g_array_append_val (boxes, o);
  }
  omni_ocr_image_free (inv);
  g_array_unref (found);
  return ok;
}

static gint
compare_area_desc (gconstpointer a, gconstpointer b)
{
  const OmniOcrBox *x = a, *y = b;
  gint64 ax = (gint64) x->width * x->height, ay = (gint64) y->width * y->height;

  return ax < ay ? 1 : ax > ay ? -1 : 0;
}

/* ---- recognition ------------------------------------------------------- */

/* Below this confidence a line is read a second time, binarised with Otsu's
 * threshold: a textured background or a drop shadow can fool the engine's
 * own binarisation of the grey line, while a clean line reads better grey. */
#define REREAD_CONFIDENCE 0.85

static void
binarise (OmniOcrImage *image)
{
  guint8 t = omni_ocr_image_otsu (image);
  gint x, y;

  for (y = 0; y < image->height; y++) {
    guint8 *row = image->data + (gsize) y * image->stride;
    for (x = 0; x < image->width; x++)
      row[x] = row[x] > t ? 255 : 0;
  }
}

/* Crops @box with a margin, makes it dark on light and at least
 * @params->text_height high. */
static OmniOcrImage *
prepare_line (const OmniOcrImage *image, const OmniOcrBox *box,
    const OmniOcrParams *params, gboolean *light)
{
  gint pad = MAX (2, box->height / 4);
  gdouble s = CLAMP ((gdouble) params->text_height / box->height, 1.0, 4.0);
  OmniOcrImage *crop, *scaled;

  crop = omni_ocr_image_crop (image, box->x - pad, box->y - pad,
      box->width + 2 * pad, box->height + 2 * pad);
  if (params->polarity == OMNI_OCR_POLARITY_AUTO)
    *light = omni_ocr_image_is_light_on_dark (crop);
  else
    *light = params->polarity == OMNI_OCR_POLARITY_LIGHT_ON_DARK;
  if (*light)
    omni_ocr_image_invert (crop);
  if (s == 1.0)
    return crop;
  scaled = omni_ocr_image_scale (crop, MAX (1, (gint) (crop->width * s + 0.5)),
      MAX (1, (gint) (crop->height * s + 0.5)));
  omni_ocr_image_free (crop);
  return scaled;
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

/* Reads @box; returns NULL (no error) for an empty line. */
static OmniOcrLine *
read_box (OmniOcrEngine *engine, const OmniOcrImage *image,
    const OmniOcrBox *box, const OmniOcrParams *params, GError **error)
{
  gboolean light;
  OmniOcrImage *line_image = prepare_line (image, box, params, &light);
  gchar *text = NULL, *text2 = NULL;
  gdouble conf = 0, conf2 = 0;
  OmniOcrLine *line = NULL;
  gboolean ok;

  ok = engine->backend->read_line (
      engine->state, line_image, &text, &conf, error);
  if (ok && conf < REREAD_CONFIDENCE) {
    binarise (line_image);
    ok = engine->backend->read_line (
        engine->state, line_image, &text2, &conf2, error);
    if (ok && conf2 > conf) {
      g_free (text);
      text = g_steal_pointer (&text2);
      conf = conf2;
    }
  }
  if (ok && has_alnum (g_strstrip (text))) {
    line = g_new0 (OmniOcrLine, 1);
    line->text = g_steal_pointer (&text);
    line->confidence = conf;
    line->box = *box;
    line->light_on_dark = light;
  }
  g_free (text);
  g_free (text2);
  omni_ocr_image_free (line_image);
  return line;
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

  return x->confidence < y->confidence ? 1 : x->confidence > y->confidence ? -1 : 0;
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

/* Where lines found in both passes (or nested ones) overlap, keeps the more
 * confident reading; then sorts in reading order. */
static GPtrArray *
suppress_overlaps (GPtrArray *lines)
{
  GPtrArray *kept = g_ptr_array_new_with_free_func (
      (GDestroyNotify) omni_ocr_line_free);
  guint i, j;

  g_ptr_array_sort (lines, compare_conf_desc);
  for (i = 0; i < lines->len; i++) {
    OmniOcrLine *l = g_ptr_array_index (lines, i);
    gboolean keep = TRUE;

    for (j = 0; j < kept->len && keep; j++)
      keep = !boxes_overlap (
          &l->box, &((OmniOcrLine *) g_ptr_array_index (kept, j))->box);
    if (keep)
      g_ptr_array_add (kept, g_ptr_array_steal_index (lines, i--));
  }
  g_ptr_array_unref (lines);
  g_ptr_array_sort (kept, compare_reading_order);
  return kept;
}

static GArray *
detect (OmniOcrEngine *engine, const OmniOcrImage *image,
    const OmniOcrParams *params, GError **error)
{
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (OmniOcrBox));
  gdouble s = detect_scale (image);
  OmniOcrImage *det = NULL;
  gboolean ok = TRUE;

  if (s != 1.0)
    det = omni_ocr_image_scale (image, MAX (1, (gint) (image->width * s)),
        MAX (1, (gint) (image->height * s)));
  if (params->polarity != OMNI_OCR_POLARITY_LIGHT_ON_DARK)
    ok = find_lines (engine, det ? det : image, FALSE, s, boxes, error);
  if (ok && params->polarity != OMNI_OCR_POLARITY_DARK_ON_LIGHT)
    ok = find_lines (engine, det ? det : image, TRUE, s, boxes, error);
  omni_ocr_image_free (det);
  if (!ok) {
    g_array_unref (boxes);
    return NULL;
  }
  g_array_sort (boxes, compare_area_desc);
  if (boxes->len > params->max_lines)
    g_array_set_size (boxes, params->max_lines);
  return boxes;
}

/**
 * omni_ocr_engine_read:
 * @engine: an engine
 * @image: a grey image
 * @params: how to read it
 * @error: where to put an error
 *
 * Finds the text lines of @image, of both polarities unless told
 * otherwise, and reads each after cropping it with a margin, inverting it
 * when its text is lighter than its background and scaling it to
 * @params->text_height pixels. Overlapping readings keep the most
 * confident one. Blocks for the whole recognition (hundreds of ms).
 *
 * Returns: (transfer full) (element-type OmniOcrLine) (nullable): the
 *   lines in reading order, boxes in @image's pixels; %NULL on error or
 *   cancellation
 */
GPtrArray *
omni_ocr_engine_read (OmniOcrEngine *engine, const OmniOcrImage *image,
    const OmniOcrParams *params, GError **error)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (
      (GDestroyNotify) omni_ocr_line_free);
  GArray *boxes;
  gboolean failed;
  guint i;

  if (image->width < MIN_SIDE || image->height < MIN_SIDE)
    return lines;
  if (check_cancelled (engine, error)
      || !(boxes = detect (engine, image, params, error))) {
    g_ptr_array_unref (lines);
    return NULL;
  }
  for (i = 0; i < boxes->len; i++) {
    OmniOcrLine *line;
    GError *err = NULL;

    if (check_cancelled (engine, error))
      break;
    line = read_box (engine, image, &g_array_index (boxes, OmniOcrBox, i),
        params, &err);
    if (err) {
      g_propagate_error (error, err);
      break;
    }
    if (line && line->confidence >= params->min_confidence)
      g_ptr_array_add (lines, line);
    else
      omni_ocr_line_free (line);
  }
  failed = i < boxes->len;
  g_array_unref (boxes);
  if (failed) {
    g_ptr_array_unref (lines);
    return NULL;
  }
  return suppress_overlaps (lines);
}
