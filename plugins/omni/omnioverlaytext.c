/* gst-omni: omnioverlay's text masks (Pango + Cairo), cached
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Pango lays a line of text out with a real font (fontconfig, HarfBuzz
 * shaping, any script) and Cairo rasterises it, antialiased, into an A8
 * image: the coverage mask omnioverlay's painter blends in the frame's own
 * format. Labels repeat from frame to frame ("person 0.87"), so masks are
 * cached by text; the cache is emptied when it holds more than
 * CACHE_MAX entries. Each renderer has its own font map, so elements in
 * different streaming threads never share Pango state.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <pango/pangocairo.h>

#include "omnioverlaytext.h"

#define CACHE_MAX 512

struct _OmniTextRenderer {
  PangoFontMap *font_map;
  PangoContext *context;
  PangoLayout *layout;
  GHashTable *cache; /* text -> OmniTextMask */
};

static void
mask_free (gpointer data)
{
  OmniTextMask *m = data;

  g_free (m->data);
  g_free (m);
}

OmniTextRenderer *
omni_text_renderer_new (const gchar *font_desc, gint size_px)
{
  OmniTextRenderer *r = g_new0 (OmniTextRenderer, 1);
  PangoFontDescription *desc
      = pango_font_description_from_string (font_desc ? font_desc : "Sans");

  pango_font_description_set_absolute_size (desc, size_px * PANGO_SCALE);
  r->font_map = pango_cairo_font_map_new ();
  r->context = pango_font_map_create_context (r->font_map);
  r->layout = pango_layout_new (r->context);
  pango_layout_set_font_description (r->layout, desc);
  pango_layout_set_single_paragraph_mode (r->layout, TRUE);
  pango_font_description_free (desc);
  r->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, mask_free);
  return r;
}

void
omni_text_renderer_free (OmniTextRenderer *r)
{
  if (!r)
    return;
  g_hash_table_unref (r->cache);
  g_object_unref (r->layout);
  g_object_unref (r->context);
  g_object_unref (r->font_map);
  g_free (r);
}

/* Rasterises the layout's current text into a new mask. */
static OmniTextMask *
rasterise (OmniTextRenderer *r)
{
  OmniTextMask *m = g_new0 (OmniTextMask, 1);
  PangoRectangle ink, logical;
  cairo_surface_t *surface;
  cairo_t *cr;

  pango_layout_get_pixel_extents (r->layout, &ink, &logical);
  m->width = MAX (logical.width, 1);
  m->height = MAX (logical.height, 1);
  m->stride = cairo_format_stride_for_width (CAIRO_FORMAT_A8, m->width);
  m->data = g_malloc0 ((gsize) m->stride * m->height);
  surface = cairo_image_surface_create_for_data (
      m->data, CAIRO_FORMAT_A8, m->width, m->height, m->stride);
  cr = cairo_create (surface);
  cairo_move_to (cr, -logical.x, -logical.y);
  pango_cairo_show_layout (cr, r->layout);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_destroy (surface);
  return m;
}

/* The mask of @text (one line; valid UTF-8), owned by @r until the next
 * call. */
const OmniTextMask *
omni_text_renderer_render (OmniTextRenderer *r, const gchar *text)
{
  OmniTextMask *m = g_hash_table_lookup (r->cache, text);

  if (m)
    return m;
  if (g_hash_table_size (r->cache) >= CACHE_MAX)
    g_hash_table_remove_all (r->cache);
  pango_layout_set_text (r->layout, text, -1);
  m = rasterise (r);
  g_hash_table_insert (r->cache, g_strdup (text), m);
  return m;
}
