/* gst-omni: the Tesseract OCR engine (libtesseract's C API)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniocrtesseract.h"

#include <tesseract/capi.h>

typedef struct {
  TessBaseAPI *api;
  ETEXT_DESC *monitor;
  gint cancelled; /* atomic */
} OmniOcrTesseract;

/**
 * omni_ocr_tesseract_package_for:
 * @language: one Tesseract language code ("eng", "chi_sim")
 *
 * Returns: the Debian package holding its data ("tesseract-ocr-chi-sim")
 */
gchar *
omni_ocr_tesseract_package_for (const gchar *language)
{
  gchar *lower = g_ascii_strdown (language, -1);
  gchar *pkg;

  g_strdelimit (lower, "_", '-');
  pkg = g_strconcat ("tesseract-ocr-", lower, NULL);
  g_free (lower);
  return pkg;
}

static gboolean all_loaded (TessBaseAPI *api, const gchar *language);

static gboolean
language_loads (const gchar *language)
{
  TessBaseAPI *api = TessBaseAPICreate ();
  gboolean ok = TessBaseAPIInit3 (api, NULL, language) == 0
                && all_loaded (api, language);

  TessBaseAPIEnd (api);
  TessBaseAPIDelete (api);
  return ok;
}

/* Tesseract only says "Failed loading language" on stderr: find which of
 * the '+'-separated languages has no data, and name its package. */
static void
set_language_error (const gchar *language, GError **error)
{
  gchar **langs = g_strsplit (language, "+", -1);
  GString *missing = g_string_new (NULL), *pkgs = g_string_new (NULL);
  gchar **l;

  for (l = langs; *l; l++) {
    gchar *pkg;

    if (!**l || language_loads (*l))
      continue;
    pkg = omni_ocr_tesseract_package_for (*l);
    g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", *l);
    g_string_append_printf (pkgs, " %s", pkg);
    g_free (pkg);
  }
  if (missing->len)
    g_set_error (error, OMNI_OCR_ERROR, OMNI_OCR_ERROR_LANGUAGE,
        "Tesseract has no data for language %s (looked in $TESSDATA_PREFIX "
        "or its default tessdata directory): install it with "
        "`apt-get install%s`",
        missing->str, pkgs->str);
  else
    g_set_error (error, OMNI_OCR_ERROR, OMNI_OCR_ERROR_LANGUAGE,
        "Tesseract could not load \"%s\"", language);
  g_string_free (missing, TRUE);
  g_string_free (pkgs, TRUE);
  g_strfreev (langs);
}

/* Tesseract loads what it can of "eng+xyz" and only warns about the rest:
 * every requested language must have been loaded. */
static gboolean
all_loaded (TessBaseAPI *api, const gchar *language)
{
  char **loaded = TessBaseAPIGetLoadedLanguagesAsVector (api);
  gchar **wanted = g_strsplit (language, "+", -1), **w;
  gboolean ok = loaded != NULL;

  for (w = wanted; ok && *w; w++)
    ok = !**w || g_strv_contains ((const gchar *const *) loaded, *w);
  g_strfreev (wanted);
  if (loaded)
    TessDeleteTextArray (loaded);
  return ok;
}

static bool
cancel_func (void *cancel_this, int words)
{
  OmniOcrTesseract *self = cancel_this;

  return g_atomic_int_get (&self->cancelled) != 0;
}

static void tesseract_close (gpointer state);

static gpointer
tesseract_open (const gchar *language, GError **error)
{
  OmniOcrTesseract *self = g_new0 (OmniOcrTesseract, 1);

  self->api = TessBaseAPICreate ();
  if (!language || !*language
      || TessBaseAPIInit3 (self->api, NULL, language) != 0
      || !all_loaded (self->api, language)) {
    set_language_error (language ? language : "", error);
    tesseract_close (self);
    return NULL;
  }
  /* its diagnostics ("Estimating resolution as ...") go nowhere */
  TessBaseAPISetVariable (self->api, "debug_file", "/dev/null");
  self->monitor = TessMonitorCreate ();
  TessMonitorSetCancelFunc (self->monitor, cancel_func);
  TessMonitorSetCancelThis (self->monitor, self);
  return self;
}

static void
tesseract_close (gpointer state)
{
  OmniOcrTesseract *self = state;

  if (self->monitor)
    TessMonitorDelete (self->monitor);
  TessBaseAPIEnd (self->api);
  TessBaseAPIDelete (self->api);
  g_free (self);
}

static void
tesseract_cancel (gpointer state)
{
  OmniOcrTesseract *self = state;

  g_atomic_int_set (&self->cancelled, 1);
}

/* Words below this confidence, or without a letter or digit, are taken for
 * texture (caption box edges, photo detail) and left out of their line. */
#define MIN_WORD_CONFIDENCE 40.0f

static gboolean
word_is_text (const char *word, float confidence)
{
  const gchar *p;

  if (!word || confidence < MIN_WORD_CONFIDENCE)
    return FALSE;
  for (p = word; *p; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* The words of the line at @it, leaving @it on the line's last word. */
static gchar *
line_words (TessResultIterator *it)
{
  const TessPageIterator *pit = TessResultIteratorGetPageIteratorConst (it);
  GString *text = g_string_new (NULL);

  do {
    char *word = TessResultIteratorGetUTF8Text (it, RIL_WORD);

    if (word_is_text (word, TessResultIteratorConfidence (it, RIL_WORD)))
      g_string_append_printf (text, "%s%s", text->len ? " " : "", word);
    TessDeleteText (word);
    if (TessPageIteratorIsAtFinalElement (pit, RIL_TEXTLINE, RIL_WORD))
      break;
  } while (TessResultIteratorNext (it, RIL_WORD));
  return g_string_free (text, FALSE);
}

/* Appends the recognised lines of the current page to @lines. */
static void
collect_lines (OmniOcrTesseract *self, GPtrArray *lines)
{
  TessResultIterator *it = TessBaseAPIGetIterator (self->api);
  const TessPageIterator *pit;

  if (!it)
    return;
  pit = TessResultIteratorGetPageIteratorConst (it);
  do {
    int l, t, r, b;
    OmniOcrLine *line;
    float conf;

    if (!TessPageIteratorBoundingBox (pit, RIL_TEXTLINE, &l, &t, &r, &b))
      continue;
    conf = TessResultIteratorConfidence (it, RIL_TEXTLINE);
    line = g_new0 (OmniOcrLine, 1);
    line->confidence = CLAMP (conf / 100.0, 0.0, 1.0);
    line->box = (OmniOcrBox){ l, t, r - l, b - t };
    line->text = line_words (it);
    g_ptr_array_add (lines, line);
  } while (TessResultIteratorNext (it, RIL_TEXTLINE));
  TessResultIteratorDelete (it);
}

/* Tesseract's page layout analysis and LSTM recogniser, as its command line
 * tool runs them (automatic page segmentation), or on one line. */
static gboolean
tesseract_read (gpointer state, const OmniOcrImage *image, gboolean single_line,
    GPtrArray *lines, GError **error)
{
  OmniOcrTesseract *self = state;

  g_atomic_int_set (&self->cancelled, 0);
  TessBaseAPISetPageSegMode (
      self->api, single_line ? PSM_SINGLE_LINE : PSM_AUTO);
  TessBaseAPISetImage (self->api, image->data, image->width, image->height,
      image->channels, image->stride);
  if (TessBaseAPIRecognize (self->api, self->monitor) != 0) {
    TessBaseAPIClear (self->api);
    if (g_atomic_int_get (&self->cancelled))
      g_set_error_literal (
          error, OMNI_OCR_ERROR, OMNI_OCR_ERROR_CANCELLED, "cancelled");
    else
      g_set_error_literal (error, OMNI_OCR_ERROR, OMNI_OCR_ERROR_FAILED,
          "Tesseract could not recognise the image");
    return FALSE;
  }
  collect_lines (self, lines);
  TessBaseAPIClear (self->api);
  return TRUE;
}

const OmniOcrBackend omni_ocr_tesseract_backend = {
  .name = "tesseract",
  .open = tesseract_open,
  .read = tesseract_read,
  .cancel = tesseract_cancel,
  .close = tesseract_close,
};
