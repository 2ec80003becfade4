/* gst-omni: umbrella header for libgstomni-1.0 metas.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_H__
#define __OMNI_H__

#include <omni/omni-prelude.h>
#include <omni/meta/omnimeta.h>

#endif /* __OMNI_H__ */
