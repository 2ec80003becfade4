/* gst-omni: log-mel / MFCC front end in Vulkan compute
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_MEL_VK_H__
#define __OMNI_MEL_VK_H__

#include <omni/omni-prelude.h>
#include <omni/dsp/omnilogmelref.h>
#include <omni/vk/omnivkdevice.h>

G_BEGIN_DECLS

/**
 * OmniMelVk:
 *
 * The front end of omniaudioenc on a Vulkan device: windows of mono samples
 * in, per window the log-mel or MFCC patch [frames x features], its deltas
 * and the pooled mean/std embedding out. Same definitions as the
 * double-precision reference omni_logmel_ref_window_features(). Not
 * thread-safe: one per stream (they may share one #OmniVkDevice).
 */
typedef struct _OmniMelVk OmniMelVk;

OMNI_API OmniMelVk *omni_mel_vk_new (OmniVkDevice *device,
    const OmniLogMelParams *params, guint window_samples, guint window_hop,
    guint max_windows, GError **error);
OMNI_API void omni_mel_vk_free (OmniMelVk *mv);

OMNI_API guint omni_mel_vk_get_n_frames (OmniMelVk *mv);
OMNI_API guint omni_mel_vk_get_n_features (OmniMelVk *mv);
OMNI_API guint omni_mel_vk_get_max_windows (OmniMelVk *mv);
OMNI_API OmniVkDevice *omni_mel_vk_get_device (OmniMelVk *mv);
OMNI_API guint64 omni_mel_vk_get_n_frames_computed (OmniMelVk *mv);
OMNI_API guint64 omni_mel_vk_get_n_submissions (OmniMelVk *mv);

OMNI_API gboolean omni_mel_vk_process (OmniMelVk *mv, const gfloat *samples,
    gsize n_samples, const gsize *offsets, guint n_windows, gfloat *features,
    gfloat *deltas, gfloat *embedding, GError **error);
OMNI_API gboolean omni_mel_vk_process_stream (OmniMelVk *mv,
    const gfloat *samples, gsize n_samples, guint64 position,
    const gsize *offsets, guint n_windows, gfloat *features, gfloat *deltas,
    gfloat *embedding, GError **error);
OMNI_API void omni_mel_vk_reset (OmniMelVk *mv);

G_END_DECLS

#endif /* __OMNI_MEL_VK_H__ */
