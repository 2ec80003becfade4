/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omnivkdescriptor
 * @title: Descriptor pools and sets
 * @short_description: binding storage buffers to compute pipelines
 *
 * All gst-omni shaders read and write storage buffers at descriptor set 0,
 * so one kind of pool serves them all. A network allocates one pool sized
 * for all its layers and one set per layer at load time, then only binds
 * them while recording; omni_vk_command_dispatch_buffers() instead
 * allocates transient sets from pools owned by the command, for one-off
 * work.
 *
 * Sets are never freed one by one (the pool is created without
 * VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT): their memory returns
 * when the pool is destroyed, after the last set referencing it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnivk-private.h"

GST_DEFINE_MINI_OBJECT_TYPE (OmniVkDescriptorPool, omni_vk_descriptor_pool);
GST_DEFINE_MINI_OBJECT_TYPE (OmniVkDescriptorSet, omni_vk_descriptor_set);

static void
pool_free (OmniVkDescriptorPool *self)
{
  if (self->pool)
    vkDestroyDescriptorPool (self->device->device, self->pool, NULL);
  gst_object_unref (self->device);
  g_free (self);
}

/**
 * omni_vk_descriptor_pool_new:
 * @device: an #OmniVkDevice
 * @max_sets: how many sets the pool can hold
 * @max_buffers: how many buffer descriptors (storage or texel) in all
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the pool, or %NULL with @error set
 */
OmniVkDescriptorPool *
omni_vk_descriptor_pool_new (
    OmniVkDevice *device, guint max_sets, guint max_buffers, GError **error)
{
  OmniVkDescriptorPool *self;
  VkDescriptorPoolSize sizes[2] = { { VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 0 },
    { VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER, 0 } };
  VkDescriptorPoolCreateInfo ci
      = { VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO };
  VkResult res;

  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), NULL);
  if (!_omni_vk_device_check_lost (device, error))
    return NULL;
  if (max_sets == 0 || max_buffers == 0) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
        "a descriptor pool needs room for at least one set and buffer");
    return NULL;
  }
  self = g_new0 (OmniVkDescriptorPool, 1);
  gst_mini_object_init (GST_MINI_OBJECT_CAST (self), 0,
      OMNI_TYPE_VK_DESCRIPTOR_POOL, NULL, NULL,
      (GstMiniObjectFreeFunction) pool_free);
  self->device = gst_object_ref (device);
  self->max_sets = max_sets;
  self->max_buffers = max_buffers;
  /* Any binding may be of either kind. */
  sizes[0].descriptorCount = sizes[1].descriptorCount = max_buffers;
  ci.maxSets = max_sets;
  ci.poolSizeCount = G_N_ELEMENTS (sizes);
  ci.pPoolSizes = sizes;
  res = vkCreateDescriptorPool (device->device, &ci, NULL, &self->pool);
  if (!_omni_vk_check (device, res, "vkCreateDescriptorPool", error)) {
    self->pool = VK_NULL_HANDLE;
    omni_vk_descriptor_pool_unref (self);
    return NULL;
  }
  return self;
}

/**
 * omni_vk_descriptor_pool_ref:
 * @pool: an #OmniVkDescriptorPool
 *
 * Returns: (transfer full): @pool
 */
OmniVkDescriptorPool *
omni_vk_descriptor_pool_ref (OmniVkDescriptorPool *pool)
{
  return (OmniVkDescriptorPool *) gst_mini_object_ref (
      GST_MINI_OBJECT_CAST (pool));
}

/**
 * omni_vk_descriptor_pool_unref:
 * @pool: (transfer full): an #OmniVkDescriptorPool
 *
 * Drops a reference.
 */
void
omni_vk_descriptor_pool_unref (OmniVkDescriptorPool *pool)
{
  gst_mini_object_unref (GST_MINI_OBJECT_CAST (pool));
}

/**
 * omni_vk_descriptor_pool_has_room:
 * @pool: an #OmniVkDescriptorPool
 * @n_buffers: buffers of the next set
 *
 * Returns: %TRUE when one more set of @n_buffers buffers fits
 */
gboolean
omni_vk_descriptor_pool_has_room (OmniVkDescriptorPool *pool, guint n_buffers)
{
  return pool->used_sets < pool->max_sets
         && pool->used_buffers + n_buffers <= pool->max_buffers;
}

static void
set_free (OmniVkDescriptorSet *self)
{
  guint i;

  for (i = 0; i < self->n_buffers; i++)
    omni_vk_buffer_unref (self->buffers[i]);
  g_free (self->buffers);
  omni_vk_pipeline_unref (self->pipeline);
  omni_vk_descriptor_pool_unref (self->pool);
  g_free (self);
}

/**
 * omni_vk_descriptor_set_new:
 * @pool: the pool to allocate from
 * @pipeline: the pipeline the set is for
 * @buffers: (array length=n_buffers): one buffer per binding, in binding order
 * @n_buffers: must equal the pipeline's number of bindings
 * @error: return location for a #GError
 *
 * Allocates a set and points binding i at the whole of @buffers[i].
 *
 * Returns: (transfer full) (nullable): the set, or %NULL with @error set
 */
OmniVkDescriptorSet *
omni_vk_descriptor_set_new (OmniVkDescriptorPool *pool,
    OmniVkPipeline *pipeline, OmniVkBuffer *const *buffers, guint n_buffers,
    GError **error)
{
  return omni_vk_descriptor_set_new_with_ranges (
      pool, pipeline, buffers, NULL, n_buffers, error);
}

/**
 * omni_vk_descriptor_set_new_with_ranges:
 * @pool: the pool to allocate from
 * @pipeline: the pipeline the set is for
 * @buffers: (array length=n_buffers): one buffer per binding, in binding order
 * @ranges: (array length=n_buffers) (nullable): for each binding, how many
 *   bytes from the start of its buffer the shader reads; 0 for all of it
 * @n_buffers: must equal the pipeline's number of bindings
 * @error: return location for a #GError
 *
 * As omni_vk_descriptor_set_new(), but %OMNI_VK_ACCESS_READ_TEXELS bindings
 * see only the first @ranges[i] bytes (rounded up to whole texels) of their
 * buffer: a buffer shared by several tensors may then be larger than the
 * device's texel-buffer limit as long as the tensor read through it is not.
 * Storage-buffer bindings always cover the whole buffer.
 *
 * Returns: (transfer full) (nullable): the set, or %NULL with @error set
 */
OmniVkDescriptorSet *
omni_vk_descriptor_set_new_with_ranges (OmniVkDescriptorPool *pool,
    OmniVkPipeline *pipeline, OmniVkBuffer *const *buffers, const gsize *ranges,
    guint n_buffers, GError **error)
{
  OmniVkDevice *device = pool->device;
  OmniVkDescriptorSet *self;
  VkDescriptorSetAllocateInfo ai
      = { VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO };
  VkDescriptorBufferInfo *infos;
  VkBufferView *views;
  VkWriteDescriptorSet *writes;
  VkDeviceSize max_range = device->props.limits.maxStorageBufferRange;
  VkResult res;
  guint i;

  if (!_omni_vk_device_check_lost (device, error))
    return NULL;
  if (n_buffers != pipeline->n_bindings) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
        "shader %s has %u bindings, %u buffers given", pipeline->shader,
        pipeline->n_bindings, n_buffers);
    return NULL;
  }
  views = g_newa0 (VkBufferView, n_buffers);
  for (i = 0; i < n_buffers; i++) {
    if (!buffers[i] || buffers[i]->device != device) {
      g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
          "shader %s binding %u: no buffer, or one from another device",
          pipeline->shader, i);
      return NULL;
    }
    /* The binding covers the whole VkBuffer (rounded up to 16 bytes). */
    if (((buffers[i]->size + 15) & ~(gsize) 15) > max_range) {
      g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
          "shader %s binding %u: %" G_GSIZE_FORMAT
          " bytes exceed the device's storage buffer range (%" G_GUINT64_FORMAT
          " bytes)",
          pipeline->shader, i, buffers[i]->size, (guint64) max_range);
      return NULL;
    }
    if (pipeline->access[i] & OMNI_VK_ACCESS_TEXELS_BIT) {
      views[i] = _omni_vk_buffer_get_texel_view (
          buffers[i], ranges ? ranges[i] : 0, error);
      if (!views[i]) {
        g_prefix_error (error, "shader %s binding %u: ", pipeline->shader, i);
        return NULL;
      }
    }
  }
  if (!omni_vk_descriptor_pool_has_room (pool, n_buffers)) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_OUT_OF_MEMORY,
        "descriptor pool full (%u/%u sets, %u/%u buffers)", pool->used_sets,
        pool->max_sets, pool->used_buffers, pool->max_buffers);
    return NULL;
  }

  self = g_new0 (OmniVkDescriptorSet, 1);
  ai.descriptorPool = pool->pool;
  ai.descriptorSetCount = 1;
  ai.pSetLayouts = &pipeline->set_layout;
  res = vkAllocateDescriptorSets (device->device, &ai, &self->set);
  if (!_omni_vk_check (device, res, "vkAllocateDescriptorSets", error)) {
    g_free (self);
    return NULL;
  }
  pool->used_sets++;
  pool->used_buffers += n_buffers;

  gst_mini_object_init (GST_MINI_OBJECT_CAST (self), 0,
      OMNI_TYPE_VK_DESCRIPTOR_SET, NULL, NULL,
      (GstMiniObjectFreeFunction) set_free);
  self->pool = omni_vk_descriptor_pool_ref (pool);
  self->pipeline = omni_vk_pipeline_ref (pipeline);
  self->n_buffers = n_buffers;
  self->buffers = g_new (OmniVkBuffer *, n_buffers);

  infos = g_new0 (VkDescriptorBufferInfo, n_buffers);
  writes = g_new0 (VkWriteDescriptorSet, n_buffers);
  for (i = 0; i < n_buffers; i++) {
    self->buffers[i] = omni_vk_buffer_ref (buffers[i]);
    infos[i].buffer = buffers[i]->buffer;
    infos[i].offset = 0;
    infos[i].range = VK_WHOLE_SIZE;
    writes[i].sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET;
    writes[i].dstSet = self->set;
    writes[i].dstBinding = i;
    writes[i].descriptorCount = 1;
    writes[i].descriptorType
        = _omni_vk_access_descriptor_type (pipeline->access[i]);
    if (writes[i].descriptorType == VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER)
      writes[i].pTexelBufferView = &views[i];
    else
      writes[i].pBufferInfo = &infos[i];
  }
  vkUpdateDescriptorSets (device->device, n_buffers, writes, 0, NULL);
  g_free (infos);
  g_free (writes);
  return self;
}

/**
 * omni_vk_descriptor_set_ref:
 * @set: an #OmniVkDescriptorSet
 *
 * Returns: (transfer full): @set
 */
OmniVkDescriptorSet *
omni_vk_descriptor_set_ref (OmniVkDescriptorSet *set)
{
  return (OmniVkDescriptorSet *) gst_mini_object_ref (
      GST_MINI_OBJECT_CAST (set));
}

/**
 * omni_vk_descriptor_set_unref:
 * @set: (transfer full): an #OmniVkDescriptorSet
 *
 * Drops a reference.
 */
void
omni_vk_descriptor_set_unref (OmniVkDescriptorSet *set)
{
  gst_mini_object_unref (GST_MINI_OBJECT_CAST (set));
}

/**
 * omni_vk_descriptor_set_get_handle:
 * @set: an #OmniVkDescriptorSet
 *
 * Returns: the VkDescriptorSet
 */
VkDescriptorSet
omni_vk_descriptor_set_get_handle (OmniVkDescriptorSet *set)
{
  return set->set;
}
