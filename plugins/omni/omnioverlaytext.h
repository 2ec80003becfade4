/* gst-omni: omnioverlay's text masks (Pango + Cairo), cached
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_OVERLAY_TEXT_H__
#define __OMNI_OVERLAY_TEXT_H__

#include <glib.h>

G_BEGIN_DECLS

/* The coverage of a rendered line of text: 8 bits per pixel. */
typedef struct {
  guint8 *data;
  gint width, height, stride;
} OmniTextMask;

typedef struct _OmniTextRenderer OmniTextRenderer;

OmniTextRenderer *omni_text_renderer_new (const gchar *font_desc, gint size_px);
void omni_text_renderer_free (OmniTextRenderer *r);
const OmniTextMask *omni_text_renderer_render (
    OmniTextRenderer *r, const gchar *text);

G_END_DECLS

#endif /* __OMNI_OVERLAY_TEXT_H__ */
