/* gst-omni: power-of-two decimation with half-band filters
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_DECIMATOR_H__
#define __OMNI_DECIMATOR_H__

#include <omni/omni-prelude.h>
#include <stddef.h>

G_BEGIN_DECLS

/**
 * OmniDecimator:
 *
 * Lowers the sample rate of a float stream by a power of two with a cascade
 * of half-band low-pass filters.
 */
typedef struct _OmniDecimator OmniDecimator;

OMNI_API OmniDecimator *omni_decimator_new (unsigned factor);
OMNI_API unsigned omni_decimator_get_factor (const OmniDecimator *d);
OMNI_API unsigned omni_decimator_get_delay (const OmniDecimator *d);
OMNI_API size_t omni_decimator_do (
    OmniDecimator *d, const float *in, size_t n, float *out);
OMNI_API size_t omni_decimator_do_split (
    OmniDecimator *d, const float *in, size_t n, float *out, float *high);
OMNI_API void omni_decimator_reset (OmniDecimator *d);
OMNI_API void omni_decimator_free (OmniDecimator *d);

G_END_DECLS

#endif /* __OMNI_DECIMATOR_H__ */
