/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_PRELUDE_H__
#define __OMNI_PRELUDE_H__

#include <gst/gst.h>

/* Public symbols of libgstomni-1.0; everything else is hidden. */
#ifdef BUILDING_OMNI
#define OMNI_API GST_API_EXPORT
#else
#define OMNI_API GST_API_IMPORT
#endif

#endif /* __OMNI_PRELUDE_H__ */
