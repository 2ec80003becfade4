/* gst-omni: text lines from an image, behind a small engine interface
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_OCR_ENGINE_H__
#define __OMNI_OCR_ENGINE_H__

#include <omni/omni-prelude.h>
#include <omni/tasks/omniocrimage.h>

G_BEGIN_DECLS

#define OMNI_OCR_ERROR (omni_ocr_error_quark ())
OMNI_API GQuark omni_ocr_error_quark (void);

/**
 * OmniOcrError:
 * @OMNI_OCR_ERROR_NO_ENGINE: no engine of that name was built
 * @OMNI_OCR_ERROR_LANGUAGE: the language's data is not installed
 * @OMNI_OCR_ERROR_FAILED: the engine failed
 * @OMNI_OCR_ERROR_CANCELLED: omni_ocr_engine_cancel() stopped it
 */
typedef enum {
  OMNI_OCR_ERROR_NO_ENGINE,
  OMNI_OCR_ERROR_LANGUAGE,
  OMNI_OCR_ERROR_FAILED,
  OMNI_OCR_ERROR_CANCELLED,
} OmniOcrError;

/**
 * OmniOcrBox:
 * @x: left edge in pixels
 * @y: top edge in pixels
 * @width: width in pixels
 * @height: height in pixels
 */
typedef struct {
  gint x, y, width, height;
} OmniOcrBox;

/**
 * OmniOcrLine:
 * @text: the line's text, UTF-8, without trailing white space
 * @confidence: the engine's confidence, in [0, 1]
 * @box: where it is, in the pixels of the image given to
 *   omni_ocr_engine_read()
 * @inverted: whether the line was read from the inverted image (its text
 *   lighter than the background around it, as captions on a dark box)
 */
typedef struct {
  gchar *text;
  gdouble confidence;
  OmniOcrBox box;
  gboolean inverted;
} OmniOcrLine;

OMNI_API void omni_ocr_line_free (OmniOcrLine *line);

/**
 * OmniOcrBackend:
 * @name: the engine's name ("tesseract")
 * @open: loads the models for @language ("eng", "eng+deu"); on a missing
 *   language, fails with %OMNI_OCR_ERROR_LANGUAGE naming what to install
 * @read: finds and reads the text lines of @image (dark text on a light
 *   background), appending #OmniOcrLine to @lines with boxes in @image's
 *   pixels; with @single_line, @image holds one line
 * @cancel: asks a running @read to stop soon; callable from any thread
 * @close: frees what @open returned
 *
 * An OCR engine: text lines from a grey image. Polarity, scaling and the
 * merging of passes are done above it, by omni_ocr_engine_read().
 */
typedef struct {
  const gchar *name;
  gpointer (*open) (const gchar *language, GError **error);
  gboolean (*read) (gpointer state, const OmniOcrImage *image,
      gboolean single_line, GPtrArray *lines, GError **error);
  void (*cancel) (gpointer state);
  void (*close) (gpointer state);
} OmniOcrBackend;

/**
 * OmniOcrPolarity:
 * @OMNI_OCR_POLARITY_AUTO: look for both; decide per line
 * @OMNI_OCR_POLARITY_DARK_ON_LIGHT: only dark text on light backgrounds
 * @OMNI_OCR_POLARITY_LIGHT_ON_DARK: only light text (captions) on dark
 */
typedef enum {
  OMNI_OCR_POLARITY_AUTO,
  OMNI_OCR_POLARITY_DARK_ON_LIGHT,
  OMNI_OCR_POLARITY_LIGHT_ON_DARK,
} OmniOcrPolarity;

/**
 * OmniOcrParams:
 * @text_height: lines lower than this many pixels, read with a confidence
 *   under 0.9, are read again enlarged to it (30 suits Tesseract)
 * @polarity: which text to look for
 * @min_confidence: lines below this confidence, in [0, 1], are dropped
 * @max_lines: at most this many lines are kept, most confident first
 */
typedef struct {
  gint text_height;
  OmniOcrPolarity polarity;
  gdouble min_confidence;
  guint max_lines;
} OmniOcrParams;

OMNI_API void omni_ocr_params_init (OmniOcrParams *params);

typedef struct _OmniOcrEngine OmniOcrEngine;

OMNI_API const gchar *const *omni_ocr_engine_list (void);
OMNI_API OmniOcrEngine *omni_ocr_engine_new (
    const gchar *engine, const gchar *language, GError **error);
OMNI_API void omni_ocr_engine_free (OmniOcrEngine *engine);
OMNI_API GPtrArray *omni_ocr_engine_read (OmniOcrEngine *engine,
    const OmniOcrImage *image, const OmniOcrParams *params, GError **error);
OMNI_API GPtrArray *omni_ocr_engine_read_regions (OmniOcrEngine *engine,
    const OmniOcrImage *image, const gdouble *quads, guint n_quads,
    const OmniOcrParams *params, GError **error);
OMNI_API void omni_ocr_engine_cancel (OmniOcrEngine *engine);
OMNI_API void omni_ocr_engine_uncancel (OmniOcrEngine *engine);

G_END_DECLS

#endif /* __OMNI_OCR_ENGINE_H__ */
