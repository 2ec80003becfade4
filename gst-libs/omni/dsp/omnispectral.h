/* gst-omni: spectral shape descriptors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_SPECTRAL_H__
#define __OMNI_SPECTRAL_H__

#include <omni/omni-prelude.h>

G_BEGIN_DECLS

OMNI_API double omni_spectral_centroid (
    const float *mag, unsigned n_bins, double bin_hz);
OMNI_API double omni_spectral_rolloff (
    const float *mag, unsigned n_bins, double bin_hz, double fraction);

/**
 * OmniSpectralFlux:
 *
 * Normalised spectral flux of successive magnitude spectra.
 */
typedef struct _OmniSpectralFlux OmniSpectralFlux;

OMNI_API double omni_spectral_flux_between (
    const float *mag, const float *prev, unsigned n_bins);
OMNI_API OmniSpectralFlux *omni_spectral_flux_new (unsigned n_bins);
OMNI_API double omni_spectral_flux_do (
    OmniSpectralFlux *flux, const float *mag);
OMNI_API void omni_spectral_flux_reset (OmniSpectralFlux *flux);
OMNI_API void omni_spectral_flux_free (OmniSpectralFlux *flux);

G_END_DECLS

#endif /* __OMNI_SPECTRAL_H__ */
