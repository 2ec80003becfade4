/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_RESULTS_TEXT_H__
#define __OMNI_RESULTS_TEXT_H__

#include <omni/meta/omniresultsmeta.h>

G_BEGIN_DECLS

/**
 * OmniResultText:
 * @result: the common part (type %OMNI_RESULT_TYPE_TEXT)
 * @text: the text, UTF-8
 *
 * A string read (an on-screen text line) or recognised (a spoken word),
 * usually contained in the box where it was read.
 */
typedef struct {
  OmniResult result;

  gchar *text;
} OmniResultText;

OMNI_API guint omni_results_meta_add_text (
    OmniResultsMeta *meta, const gchar *text, gfloat confidence);
OMNI_API const OmniResultText *omni_results_meta_get_text (
    const OmniResultsMeta *meta, guint id);

G_END_DECLS

#endif /* __OMNI_RESULTS_TEXT_H__ */
