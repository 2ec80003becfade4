/* gst-omni: CPU backend of the model runtime (XNNPACK and plain-C ops)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_CPU_H__
#define __OMNI_NN_CPU_H__

#include <omni/nn/omninngraph.h>

G_BEGIN_DECLS

/**
 * omni_nn_cpu_backend:
 *
 * The backend that runs a graph on the CPU: the heavy ops (convolutions,
 * GEMMs, pooling, element-wise and unary arithmetic, softmax, transposes)
 * through XNNPACK on a thread pool (half the logical CPUs, or
 * OMNI_NN_CPU_THREADS) when omni_nn_cpu_has_xnnpack(), every other node (and
 * every node without XNNPACK) with the single-threaded plain-C references
 * of omninnops.h. Its device argument must be %NULL or "cpu".
 *
 * Returns: (transfer none): the CPU backend
 */
OMNI_API const OmniNnBackend *omni_nn_cpu_backend (void);

/**
 * omni_nn_cpu_reference_backend:
 *
 * The CPU backend with every node on its plain-C reference, XNNPACK or not
 * (the yardstick its fast paths are tested against).
 *
 * Returns: (transfer none): the reference CPU backend
 */
OMNI_API const OmniNnBackend *omni_nn_cpu_reference_backend (void);

/**
 * omni_nn_cpu_has_xnnpack:
 *
 * Returns: %TRUE when omni_nn_cpu_backend() runs its heavy ops through
 *   XNNPACK: the build found it, it initialised on this CPU, and the
 *   environment variable OMNI_NN_CPU_XNNPACK is not "0"
 */
OMNI_API gboolean omni_nn_cpu_has_xnnpack (void);

G_END_DECLS

#endif /* __OMNI_NN_CPU_H__ */
