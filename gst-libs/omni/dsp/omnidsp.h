/* gst-omni: DSP objects of libgstomni-1.0 (plain C)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_DSP_H__
#define __OMNI_DSP_H__

#include <omni/dsp/omnifft.h>
#include <omni/dsp/omnidecimator.h>
#include <omni/dsp/omniwindow.h>
#include <omni/dsp/omnimel.h>
#include <omni/dsp/omnilevel.h>
#include <omni/dsp/omnispectral.h>
#include <omni/dsp/omnionset.h>
#include <omni/dsp/omnitempo.h>
#include <omni/dsp/omnibeat.h>
#include <omni/dsp/omnibeatdbn.h>
#include <omni/dsp/omnirhythmanalyzer.h>
#include <omni/dsp/omniaudiofeatures.h>

#endif /* __OMNI_DSP_H__ */
