/* gst-omni: all metas of libgstomni-1.0.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_META_H__
#define __OMNI_META_H__

#include <omni/meta/omnimetajson.h>
#include <omni/meta/omnisamplemeta.h>
#include <omni/meta/omnirhythmmeta.h>
#include <omni/meta/omniclassmeta.h>
#include <omni/meta/omnitensormeta.h>
#include <omni/meta/omnifusionmeta.h>
#include <omni/meta/omniresultsmeta.h>

#endif /* __OMNI_META_H__ */
