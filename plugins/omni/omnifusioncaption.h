/* gst-omni: omnifusion's captions: the caption-format template and the
 * wording of what a window holds.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_FUSION_CAPTION_H__
#define __OMNI_FUSION_CAPTION_H__

#include <gst/gst.h>

#include "omnifusionjudge.h"
#include "omnifusionpolicy.h"
#include "omnifusionsentence.h"
#include "omnifusionwindow.h"

G_BEGIN_DECLS

/* The default: the sentence form (omnifusionsentence.c). */
#define OMNI_FUSION_CAPTION_DEFAULT_FORMAT "{sentence}"
/* The default before issue 17: class, audio, transcript, verdict. */
#define OMNI_FUSION_CAPTION_CLASSIC_FORMAT                                     \
  "[{visual}; ][{audio}; ][\xe2\x80\x9c{transcript}\xe2\x80\x9d; ]{verdict}"   \
  "[ ({missing})]"

/* The placeholders a template may use, in this order in the values. */
typedef enum {
  OMNI_FUSION_CAPTION_VISUAL,
  OMNI_FUSION_CAPTION_CLASSES,
  OMNI_FUSION_CAPTION_AUDIO,
  OMNI_FUSION_CAPTION_AUDIO_KIND,
  OMNI_FUSION_CAPTION_TEMPO,
  OMNI_FUSION_CAPTION_LOUDNESS,
  OMNI_FUSION_CAPTION_TRANSCRIPT,
  OMNI_FUSION_CAPTION_VERDICT,
  OMNI_FUSION_CAPTION_STATE,
  OMNI_FUSION_CAPTION_LABEL,
  OMNI_FUSION_CAPTION_RISK,
  OMNI_FUSION_CAPTION_START,
  OMNI_FUSION_CAPTION_END,
  OMNI_FUSION_CAPTION_MISSING,
  OMNI_FUSION_CAPTION_INDEX,
  OMNI_FUSION_CAPTION_SENTENCE,
  OMNI_FUSION_CAPTION_OBJECTS,
  OMNI_FUSION_CAPTION_FACES,
  OMNI_FUSION_CAPTION_TRACKS,
  OMNI_FUSION_CAPTION_SPEECH,
  OMNI_FUSION_CAPTION_SCREEN_TEXT,
  OMNI_FUSION_CAPTION_SCENE,
  OMNI_FUSION_CAPTION_N_FIELDS
} OmniFusionCaptionField;

typedef struct _OmniFusionCaptionTemplate OmniFusionCaptionTemplate;

OmniFusionCaptionTemplate *omni_fusion_caption_template_parse (
    const gchar *format, GError **error);
void omni_fusion_caption_template_free (OmniFusionCaptionTemplate *t);
/* values: OMNI_FUSION_CAPTION_N_FIELDS strings, NULL or "" when unknown */
gchar *omni_fusion_caption_render (
    const OmniFusionCaptionTemplate *t, gchar **values);

gdouble omni_fusion_caption_speech_score (const OmniFusionWindow *w);
const gchar *omni_fusion_caption_audio_kind (
    const OmniFusionWindow *w, const OmniFusionPolicy *policy);
gchar **omni_fusion_caption_values (const OmniFusionWindow *w,
    const OmniFusionPolicy *policy, const gchar *state, const gchar *label,
    gdouble risk, const gchar *missing, GstClockTime stream_start,
    GstClockTime stream_end);

/* The caption of a judged window through template @t; @tracks (nullable)
 * holds the previous window's tracks and is updated. */
gchar *omni_fusion_caption_for_window (const OmniFusionCaptionTemplate *t,
    const OmniFusionWindow *w, const OmniFusionPolicy *policy,
    const OmniFusionVerdict *verdict, OmniFusionTracks *tracks,
    const gchar *missing, GstClockTime stream_start, GstClockTime stream_end);

G_END_DECLS

#endif /* __OMNI_FUSION_CAPTION_H__ */
