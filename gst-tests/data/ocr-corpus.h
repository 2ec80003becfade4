/* gst-omni: frames with known text for omniocr's tests and benchmark
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Text rendered with textoverlay (gstreamer1.0-x, Pango) over the Debian
 * wallpapers of mate-backgrounds, in several fonts and sizes and three
 * styles: white with a dark outline straight on the photo, white on a
 * darkened box (captions), and near-black on a light band (titles). The exact
 * ground truth is the string given to textoverlay.
 */
#ifndef __OMNI_OCR_CORPUS_H__
#define __OMNI_OCR_CORPUS_H__

#include <glib.h>

#define OCR_CORPUS_PHOTO_DIR "/usr/share/backgrounds/mate/nature/"

typedef enum {
  OCR_STYLE_OUTLINE, /* white text, dark outline and shadow, on the photo */
  OCR_STYLE_SHADED,  /* white on a darkened box: light on dark */
  OCR_STYLE_BAND,    /* near-black on a light band: dark on light */
} OcrStyle;

typedef struct {
  const gchar *photo; /* file in OCR_CORPUS_PHOTO_DIR */
  const gchar *text;
  const gchar *font; /* Pango font description, sized for 640 px width */
  OcrStyle style;
  const gchar *valign; /* textoverlay valignment: top, center, bottom */
  gint width, height;
} OcrCase;

static const OcrCase ocr_corpus[] = {
  { "Garden.jpg", "The quick brown fox jumps over the lazy dog", "Sans 16",
      OCR_STYLE_SHADED, "bottom", 1280, 720 },
  { "Storm.jpg", "Breaking news: river levels rise again", "Serif 14",
      OCR_STYLE_SHADED, "bottom", 1280, 720 },
  { "Aqua.jpg", "Welcome to the harbour festival", "Sans Bold 18",
      OCR_STYLE_BAND, "top", 1280, 720 },
  { "Dune.jpg", "Chapter 7: Across the Desert", "Serif Bold 20", OCR_STYLE_BAND,
      "top", 1280, 720 },
  { "LadyBird.jpg", "Live from Studio 42 at 9:30 pm", "Monospace 14",
      OCR_STYLE_SHADED, "bottom", 1280, 720 },
  { "Wood.jpg", "Please keep your voices down", "Sans 12", OCR_STYLE_SHADED,
      "bottom", 960, 540 },
  { "GreenMeadow.jpg", "Spring arrives early this year", "Sans 20",
      OCR_STYLE_OUTLINE, "bottom", 1280, 720 },
  { "TwoWings.jpg", "Every frame tells a story", "Serif 18", OCR_STYLE_OUTLINE,
      "center", 1280, 720 },
  { "RainDrops.jpg", "Weather warning for the north coast", "Sans 11",
      OCR_STYLE_BAND, "top", 1280, 720 },
  { "YellowFlower.jpg", "Subscribe for more videos", "Sans Bold 16",
      OCR_STYLE_SHADED, "top", 854, 480 },
  { "Blinds.jpg", "Interview with the mayor, part 3", "Serif 16",
      OCR_STYLE_BAND, "top", 1920, 1080 },
  { "FreshFlower.jpg", "Markets close higher on Friday", "Monospace Bold 12",
      OCR_STYLE_SHADED, "bottom", 640, 360 },
};

/* A pipeline description rendering @c as one @format frame, followed by
 * @tail ("appsink name=out", "omniocr ! fakesink", ...). */
static gchar *
ocr_corpus_pipeline (const OcrCase *c, const gchar *format, const gchar *tail)
{
  gchar *photo = g_strdup_printf (
      "filesrc location=\"%s%s\" ! decodebin ! videoconvert ! videoscale "
      "add-borders=false ! "
      "video/x-raw,format=BGRx,width=%d,height=%d,pixel-aspect-ratio=1/1 ! "
      "imagefreeze num-buffers=1",
      OCR_CORPUS_PHOTO_DIR, c->photo, c->width, c->height);
  gchar *overlay = g_strdup_printf (
      "textoverlay text=\"%s\" font-desc=\"%s\" valignment=%s "
      "halignment=center wrap-mode=none %s",
      c->text, c->font, c->valign,
      c->style == OCR_STYLE_SHADED ? "shaded-background=true"
      : c->style == OCR_STYLE_BAND ? "color=0xff141414 draw-outline=false "
                                     "draw-shadow=false"
                                   : "");
  gchar *desc;

  if (c->style == OCR_STYLE_BAND)
    desc = g_strdup_printf (
        "compositor name=mix background=black ! "
        "video/x-raw,format=BGRx,width=%d,height=%d ! %s ! videoconvert ! "
        "video/x-raw,format=%s ! %s  %s ! mix.  "
        "videotestsrc pattern=solid-color foreground-color=0xffe6e6dc "
        "num-buffers=1 ! "
        "video/x-raw,format=BGRx,width=%d,height=%d,framerate=25/1 ! mix.",
        c->width, c->height, overlay, format, tail, photo, c->width,
        c->height / 5);
  else
    desc = g_strdup_printf (
        "%s ! %s ! videoconvert ! video/x-raw,format=%s ! %s", photo, overlay,
        format, tail);
  g_free (photo);
  g_free (overlay);
  return desc;
}

#endif /* __OMNI_OCR_CORPUS_H__ */
