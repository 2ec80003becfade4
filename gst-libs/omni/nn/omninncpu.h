/* gst-omni: CPU backend of the model runtime (plain-C reference ops)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_CPU_H__
#define __OMNI_NN_CPU_H__

#include <omni/nn/omninngraph.h>

G_BEGIN_DECLS

/**
 * omni_nn_cpu_backend:
 *
 * The backend that runs a graph with the plain-C references of omninnops.h,
 * single-threaded; its device argument must be %NULL or "cpu".
 *
 * Returns: (transfer none): the CPU backend
 */
OMNI_API const OmniNnBackend *omni_nn_cpu_backend (void);

G_END_DECLS

#endif /* __OMNI_NN_CPU_H__ */
