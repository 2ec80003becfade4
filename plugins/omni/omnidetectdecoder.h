/* gst-omni: omnidetect's choice of decoder from a model's outputs
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_DETECT_DECODER_H__
#define __OMNI_DETECT_DECODER_H__

#include <omni/nn/omninnsession.h>
#include <omni/tasks/omnidetectnms.h>

G_BEGIN_DECLS

typedef struct _OmniDetectDecoder OmniDetectDecoder;

/* Picks the decoder the model's sidecar describes (CenterNet: outputs
 * "class-heatmap" and "box-size"; BlazeFace: "face-scores-*" and
 * "face-boxes-*"; NanoDet: task "object-detection" with per-stride
 * [cells, classes] score maps and [cells, 4 * bins] distributions) and
 * checks the outputs' shapes against it; %NULL with a message in @error
 * naming what does not match. @n_labels: the labels in use (0: unknown). */
OmniDetectDecoder *omni_detect_decoder_new (
    OmniNnSession *session, guint n_labels, GError **error);
void omni_detect_decoder_free (OmniDetectDecoder *decoder);

/* "centernet", "blazeface" or "nanodet" */
const gchar *omni_detect_decoder_get_kind (OmniDetectDecoder *decoder);
guint omni_detect_decoder_get_n_classes (OmniDetectDecoder *decoder);
/* names of the boxes' keypoints, or NULL */
const gchar *const *omni_detect_decoder_get_keypoint_names (
    OmniDetectDecoder *decoder);

/* Decodes the session's last outputs: candidates with a score >
 * @threshold, normalised to the model input, before NMS. The boxes belong
 * to the decoder and stay valid until the next call. */
guint omni_detect_decoder_run (OmniDetectDecoder *decoder,
    OmniNnSession *session, gdouble threshold, OmniDetectBox **boxes);

G_END_DECLS

#endif /* __OMNI_DETECT_DECODER_H__ */
