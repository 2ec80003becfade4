/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_VK_DESCRIPTOR_H__
#define __OMNI_VK_DESCRIPTOR_H__

#include <omni/omni-prelude.h>
#include <omni/vk/omnivkbuffer.h>
#include <omni/vk/omnivkpipeline.h>

G_BEGIN_DECLS

/**
 * OmniVkDescriptorPool:
 *
 * A VkDescriptorPool for storage-buffer descriptor sets, sized up front
 * (e.g. one set per node of a network, allocated once at load). A
 * #GstMiniObject.
 */
typedef struct _OmniVkDescriptorPool OmniVkDescriptorPool;

/**
 * OmniVkDescriptorSet:
 *
 * A descriptor set binding storage buffers to a pipeline's bindings. It
 * keeps its buffers, pipeline and pool alive. A #GstMiniObject.
 */
typedef struct _OmniVkDescriptorSet OmniVkDescriptorSet;

#define OMNI_TYPE_VK_DESCRIPTOR_POOL (omni_vk_descriptor_pool_get_type ())
OMNI_API GType omni_vk_descriptor_pool_get_type (void);
#define OMNI_TYPE_VK_DESCRIPTOR_SET (omni_vk_descriptor_set_get_type ())
OMNI_API GType omni_vk_descriptor_set_get_type (void);

OMNI_API OmniVkDescriptorPool *omni_vk_descriptor_pool_new (
    OmniVkDevice *device, guint max_sets, guint max_buffers, GError **error);
OMNI_API OmniVkDescriptorPool *omni_vk_descriptor_pool_ref (
    OmniVkDescriptorPool *pool);
OMNI_API void omni_vk_descriptor_pool_unref (OmniVkDescriptorPool *pool);
OMNI_API gboolean omni_vk_descriptor_pool_has_room (
    OmniVkDescriptorPool *pool, guint n_buffers);

OMNI_API OmniVkDescriptorSet *omni_vk_descriptor_set_new (
    OmniVkDescriptorPool *pool, OmniVkPipeline *pipeline,
    OmniVkBuffer *const *buffers, guint n_buffers, GError **error);
OMNI_API OmniVkDescriptorSet *omni_vk_descriptor_set_new_with_ranges (
    OmniVkDescriptorPool *pool, OmniVkPipeline *pipeline,
    OmniVkBuffer *const *buffers, const gsize *ranges, guint n_buffers,
    GError **error);
OMNI_API OmniVkDescriptorSet *omni_vk_descriptor_set_ref (
    OmniVkDescriptorSet *set);
OMNI_API void omni_vk_descriptor_set_unref (OmniVkDescriptorSet *set);
OMNI_API VkDescriptorSet omni_vk_descriptor_set_get_handle (
    OmniVkDescriptorSet *set);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (
    OmniVkDescriptorPool, omni_vk_descriptor_pool_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (
    OmniVkDescriptorSet, omni_vk_descriptor_set_unref)

G_END_DECLS

#endif /* __OMNI_VK_DESCRIPTOR_H__ */
