/* gst-omni: Vulkan backend of the model runtime
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_VULKAN_H__
#define __OMNI_NN_VULKAN_H__

#include <omni/omni-prelude.h>
#include <omni/nn/omninngraph.h>
#include <omni/vk/omnivk.h>

G_BEGIN_DECLS

/* ---- one op as a compute kernel ---------------------------------------- */

/**
 * OmniNnVkKernel:
 *
 * One operator compiled for a device: its compute pipeline (shape,
 * activation and workgroup size as specialization constants), workgroup
 * counts and push constants, and, once bound, its descriptor set.
 * The graph executor makes one per node; tests and benchmarks use them
 * alone.
 */
typedef struct _OmniNnVkKernel OmniNnVkKernel;

OMNI_API OmniNnVkKernel *omni_nn_vk_kernel_new (OmniVkDevice *device,
    OmniNnOpType op, const OmniNnOpParams *params, gboolean has_bias,
    GError **error);
OMNI_API OmniNnVkKernel *omni_nn_vk_kernel_new_residual (OmniVkDevice *device,
    const OmniNnGemmParams *params, gboolean has_bias, GError **error);
OMNI_API OmniNnVkKernel *omni_nn_vk_kernel_new_scaled (OmniVkDevice *device,
    const OmniNnGemmParams *params, gboolean has_bias, gboolean residual,
    GError **error);
OMNI_API void omni_nn_vk_kernel_free (OmniNnVkKernel *kernel);
OMNI_API guint omni_nn_vk_kernel_get_n_buffers (OmniNnVkKernel *kernel);
OMNI_API const gchar *omni_nn_vk_kernel_get_shader (OmniNnVkKernel *kernel);
OMNI_API guint omni_nn_vk_kernel_get_local_size (
    OmniNnVkKernel *kernel, guint dim);
OMNI_API gboolean omni_nn_vk_kernel_bind (OmniNnVkKernel *kernel,
    OmniVkDescriptorPool *pool, OmniVkBuffer *const *buffers, guint n_buffers,
    GError **error);
OMNI_API void omni_nn_vk_kernel_record (
    OmniNnVkKernel *kernel, OmniVkCommand *cmd);
OMNI_API gboolean omni_nn_vk_kernel_set_preprocess (
    OmniNnVkKernel *kernel, const OmniNnPreprocessParams *params);

/* ---- a whole graph ------------------------------------------------------ */

/**
 * OmniNnVulkan:
 *
 * A validated #OmniNnGraph prepared for a Vulkan device: weights uploaded
 * once, activation buffers allocated once (shared between tensors whose
 * lifetimes do not overlap), one compute kernel per node, and two
 * inference slots, each with its own input, output buffers and ONE command
 * buffer holding the whole inference, recorded once and submitted per
 * frame. Not thread-safe: one streaming thread drives it.
 */
typedef struct _OmniNnVulkan OmniNnVulkan;

/**
 * OMNI_NN_VULKAN_MAX_IN_FLIGHT:
 *
 * How many inferences may be submitted and not yet collected: while the
 * device computes frame N, the host uploads and submits frame N+1.
 */
#define OMNI_NN_VULKAN_MAX_IN_FLIGHT 2

OMNI_API OmniNnVulkan *omni_nn_vulkan_new (
    const OmniNnGraph *graph, const gchar *device, GError **error);
OMNI_API void omni_nn_vulkan_free (OmniNnVulkan *self);

OMNI_API gboolean omni_nn_vulkan_submit (
    OmniNnVulkan *self, const OmniNnInput *input, GError **error);
OMNI_API gboolean omni_nn_vulkan_collect (
    OmniNnVulkan *self, gfloat *const *outputs, GError **error);
OMNI_API gboolean omni_nn_vulkan_run (OmniNnVulkan *self,
    const OmniNnInput *input, gfloat *const *outputs, GError **error);
OMNI_API gboolean omni_nn_vulkan_warm_up (OmniNnVulkan *self,
    const OmniNnPreprocessParams *frame_params, GError **error);
OMNI_API guint omni_nn_vulkan_get_n_in_flight (OmniNnVulkan *self);

OMNI_API OmniVkDevice *omni_nn_vulkan_get_device (OmniNnVulkan *self);
OMNI_API gsize omni_nn_vulkan_get_weight_bytes (OmniNnVulkan *self);
OMNI_API gsize omni_nn_vulkan_get_activation_bytes (OmniNnVulkan *self);
OMNI_API guint omni_nn_vulkan_get_n_pipelines (OmniNnVulkan *self);
OMNI_API guint omni_nn_vulkan_get_n_kernels (OmniNnVulkan *self);

/**
 * OmniNnVulkanProfileFunc:
 * @node: the graph node
 * @kernel: its kernel
 * @ms: the best wall-clock time of its dispatch alone, milliseconds
 * @user_data: user data
 *
 * Called by omni_nn_vulkan_profile() once for each node that has a kernel.
 */
typedef void (*OmniNnVulkanProfileFunc) (
    guint node, OmniNnVkKernel *kernel, gdouble ms, gpointer user_data);

OMNI_API gboolean omni_nn_vulkan_profile (OmniNnVulkan *self,
    const OmniNnInput *input, guint reps, OmniNnVulkanProfileFunc func,
    gpointer user_data, GError **error);

OMNI_API const OmniNnBackend *omni_nn_vulkan_backend (void);

G_END_DECLS

#endif /* __OMNI_NN_VULKAN_H__ */
