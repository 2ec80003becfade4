/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_VK_PIPELINE_H__
#define __OMNI_VK_PIPELINE_H__

#include <string.h>
#include <omni/omni-prelude.h>
#include <omni/vk/omnivkdevice.h>

G_BEGIN_DECLS

/**
 * OmniVkAccess:
 * @OMNI_VK_ACCESS_READ: the shader only reads the binding
 * @OMNI_VK_ACCESS_WRITE: the shader only writes it
 * @OMNI_VK_ACCESS_READ_WRITE: the shader reads and writes it
 * @OMNI_VK_ACCESS_READ_TEXELS: the shader only reads the binding, as a
 *   uniform texel buffer of RGBA32F texels (`samplerBuffer`, texelFetch)
 *   rather than a storage buffer. CPU drivers turn texel fetches into
 *   vector gathers where they load storage buffers lane by lane (lavapipe),
 *   and GPUs read them through the texture cache. The buffer must not hold
 *   more than maxTexelBufferElements texels; see
 *   omni_vk_device_get_max_texels().
 *
 * How a compute shader uses one binding. Command recording uses it to place
 * exactly the barriers needed between dispatches.
 */
typedef enum {
  OMNI_VK_ACCESS_READ = 1,
  OMNI_VK_ACCESS_WRITE = 2,
  OMNI_VK_ACCESS_READ_WRITE = 3,
  OMNI_VK_ACCESS_READ_TEXELS = 5,
} OmniVkAccess;

#define OMNI_VK_ACCESS_TEXELS_BIT 4

/**
 * OmniVkPipeline:
 *
 * A compute pipeline built from one of the embedded SPIR-V shaders, with
 * its descriptor set layout (storage or, for %OMNI_VK_ACCESS_READ_TEXELS,
 * uniform texel buffers at bindings 0..n-1) and
 * pipeline layout (one push-constant range). A #GstMiniObject.
 */
typedef struct _OmniVkPipeline OmniVkPipeline;

#define OMNI_TYPE_VK_PIPELINE (omni_vk_pipeline_get_type ())
OMNI_API GType omni_vk_pipeline_get_type (void);

OMNI_API OmniVkPipeline *omni_vk_pipeline_new (OmniVkDevice *device,
    const gchar *shader, const OmniVkAccess *bindings, guint n_bindings,
    guint push_constant_size, const guint32 *spec_constants,
    guint n_spec_constants, GError **error);
OMNI_API OmniVkPipeline *omni_vk_pipeline_new_from_spirv (OmniVkDevice *device,
    const gchar *name, const guint32 *code, gsize size,
    const OmniVkAccess *bindings, guint n_bindings, guint push_constant_size,
    const guint32 *spec_constants, guint n_spec_constants, GError **error);
OMNI_API OmniVkPipeline *omni_vk_pipeline_ref (OmniVkPipeline *pipeline);
OMNI_API void omni_vk_pipeline_unref (OmniVkPipeline *pipeline);

OMNI_API const gchar *omni_vk_pipeline_get_shader (OmniVkPipeline *pipeline);
OMNI_API guint omni_vk_pipeline_get_n_bindings (OmniVkPipeline *pipeline);
OMNI_API guint omni_vk_pipeline_get_push_constant_size (
    OmniVkPipeline *pipeline);
OMNI_API VkPipeline omni_vk_pipeline_get_handle (OmniVkPipeline *pipeline);
OMNI_API VkPipelineLayout omni_vk_pipeline_get_layout (
    OmniVkPipeline *pipeline);
OMNI_API gboolean omni_vk_pipeline_get_cache_hit (
    OmniVkPipeline *pipeline, gboolean *hit);

/**
 * omni_vk_float_bits:
 * @value: a float
 *
 * The bit pattern of @value, for a float specialization constant (they are
 * all passed as 32-bit words).
 *
 * Returns: the bits of @value
 */
static inline guint32
omni_vk_float_bits (gfloat value)
{
  guint32 bits;

  memcpy (&bits, &value, sizeof (bits));
  return bits;
}

/**
 * omni_vk_group_count:
 * @n: number of items
 * @local_size: items per workgroup
 *
 * Returns: the number of workgroups covering @n items, ceil(@n / @local_size)
 */
static inline guint32
omni_vk_group_count (guint64 n, guint32 local_size)
{
  return (guint32) ((n + local_size - 1) / local_size);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniVkPipeline, omni_vk_pipeline_unref)

G_END_DECLS

#endif /* __OMNI_VK_PIPELINE_H__ */
