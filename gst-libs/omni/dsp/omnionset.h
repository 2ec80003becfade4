/* gst-omni: onset strength (log-mel spectral flux, SuperFlux)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_ONSET_H__
#define __OMNI_ONSET_H__

#include <omni/omni-prelude.h>

G_BEGIN_DECLS

/**
 * OmniOnsetStrength:
 *
 * Onset strength envelope of a stream of band-energy frames (usually a
 * mel spectrogram, one frame per hop), computed causally.
 */
typedef struct _OmniOnsetStrength OmniOnsetStrength;

OMNI_API OmniOnsetStrength *omni_onset_strength_new (
    unsigned n_bands, unsigned lag, unsigned max_size, double floor_db);
OMNI_API void omni_onset_strength_set_masking (
    OmniOnsetStrength *o, double decay_db, double offset_db);
OMNI_API float omni_onset_strength_do (
    OmniOnsetStrength *o, const float *band_power);
OMNI_API float omni_onset_strength_get_accent (const OmniOnsetStrength *o);
OMNI_API void omni_onset_strength_set_bass_bands (
    OmniOnsetStrength *o, unsigned n);
OMNI_API float omni_onset_strength_get_bass (const OmniOnsetStrength *o);
OMNI_API void omni_onset_strength_reset (OmniOnsetStrength *o);
OMNI_API void omni_onset_strength_free (OmniOnsetStrength *o);

/**
 * OmniPeakPicker:
 *
 * Causal onset peak picking on an onset strength envelope.
 */
typedef struct _OmniPeakPicker OmniPeakPicker;

OMNI_API OmniPeakPicker *omni_peak_picker_new (unsigned pre_avg,
    unsigned pre_max, unsigned min_gap, double delta, double lambda);
OMNI_API int omni_peak_picker_do (
    OmniPeakPicker *p, float value, double *peak_offset, float *peak_value);
OMNI_API void omni_peak_picker_reset (OmniPeakPicker *p);
OMNI_API void omni_peak_picker_free (OmniPeakPicker *p);

G_END_DECLS

#endif /* __OMNI_ONSET_H__ */
