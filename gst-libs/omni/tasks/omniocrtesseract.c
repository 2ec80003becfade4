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

static gboolean
language_loads (const gchar *language)
{
  TessBaseAPI *api = TessBaseAPICreate ();
  gboolean ok = TessBaseAPIInit3 (api, NULL, language) == 0;

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
      || TessBaseAPIInit3 (self->api, NULL, language) != 0) {
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

static gboolean
is_text_block (TessPolyBlockType type)
{
  switch (type) {
    case PT_FLOWING_TEXT:
    case PT_HEADING_TEXT:
    case PT_PULLOUT_TEXT:
    case PT_CAPTION_TEXT:
    case PT_VERTICAL_TEXT:
    case PT_TABLE:
      return TRUE;
    default:
      return FALSE;
  }
}

/* Tesseract's page layout analysis (column finding, text line
 * construction), without recognition. */
static gboolean
tesseract_find_lines (
    gpointer state, const OmniOcrImage *image, GArray *boxes, GError **error)
{
  OmniOcrTesseract *self = state;
  TessPageIterator *it;

  g_atomic_int_set (&self->cancelled, 0);
  TessBaseAPISetPageSegMode (self->api, PSM_SPARSE_TEXT);
  TessBaseAPISetImage (self->api, image->data, image->width, image->height, 1,
      image->stride);
  TessBaseAPISetSourceResolution (self->api, 300);
  it = TessBaseAPIAnalyseLayout (self->api);
  if (!it)
    return TRUE; /* nothing that looks like text */
  do {
    int l, t, r, b;

    if (!is_text_block (TessPageIteratorBlockType (it))
        || !TessPageIteratorBoundingBox (it, RIL_TEXTLINE, &l, &t, &r, &b))
      continue;
    g_array_append_vals (
        boxes, &(OmniOcrBox) { l, t, r - l, b - t }, 1);
  } while (TessPageIteratorNext (it, RIL_TEXTLINE));
  TessPageIteratorDelete (it);
  TessBaseAPIClear (self->api);
  return TRUE;
}

/* Tesseract's LSTM recogniser on one line. */
static gboolean
tesseract_read_line (gpointer state, const OmniOcrImage *line, gchar **text,
    gdouble *confidence, GError **error)
{
  OmniOcrTesseract *self = state;
  char *utf8;

  TessBaseAPISetPageSegMode (self->api, PSM_SINGLE_LINE);
  TessBaseAPISetImage (
      self->api, line->data, line->width, line->height, 1, line->stride);
  TessBaseAPISetSourceResolution (self->api, 300);
  if (TessBaseAPIRecognize (self->api, self->monitor) != 0) {
    TessBaseAPIClear (self->api);
    if (g_atomic_int_get (&self->cancelled))
      g_set_error_literal (
          error, OMNI_OCR_ERROR, OMNI_OCR_ERROR_CANCELLED, "cancelled");
    else
      g_set_error_literal (error, OMNI_OCR_ERROR, OMNI_OCR_ERROR_FAILED,
          "Tesseract could not recognise the line");
    return FALSE;
  }
  utf8 = TessBaseAPIGetUTF8Text (self->api);
  *text = g_strdup (utf8 ? utf8 : "");
  *confidence = CLAMP (TessBaseAPIMeanTextConf (self->api) / 100.0, 0.0, 1.0);
  TessDeleteText (utf8);
  TessBaseAPIClear (self->api);
  return TRUE;
}

const OmniOcrBackend omni_ocr_tesseract_backend = {
  .name = "tesseract",
  .open = tesseract_open,
  .find_lines = tesseract_find_lines,
  .read_line = tesseract_read_line,
  .cancel = tesseract_cancel,
  .close = tesseract_close,
};
