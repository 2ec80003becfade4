/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omnivkbuffer
 * @title: OmniVkBuffer
 * @short_description: storage buffers, host-visible where possible
 *
 * Buffers get their own VkDeviceMemory, chosen by #OmniVkMemoryUsage:
 * device-local for shader data (and host-visible as well where the device
 * has such memory: integrated GPUs, lavapipe, resizable BAR), host-visible
 * and coherent for uploads, host-visible and cached for downloads.
 * Host-visible memory stays mapped for the buffer's life.
 *
 * omni_vk_buffer_write() and omni_vk_buffer_read() copy through the mapping
 * when there is one, and otherwise through a temporary staging buffer and a
 * one-off copy command: staging happens only where memory is not
 * host-visible. They are meant for data that changes rarely (weights at
 * load time); per-frame paths record copies into their own command buffer
 * (omni_vk_command_copy_buffer()) from an %OMNI_VK_MEMORY_UPLOAD buffer.
 *
 * The host must not write a buffer that submitted, unfinished work is
 * using: wait for that work first (omni_vk_command_wait()).
 *
 * With `OMNI_VK_FORCE_STAGING=1` in the environment, %OMNI_VK_MEMORY_DEVICE
 * buffers are never mapped, as on a discrete GPU without resizable BAR, so
 * the staging paths can be exercised on any driver (the tests do).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "omnivk-private.h"

GST_DEFINE_MINI_OBJECT_TYPE (OmniVkBuffer, omni_vk_buffer);

static void
omni_vk_buffer_free (OmniVkBuffer *self)
{
  VkDevice dev = self->device->device;

  if (self->texel_views) {
    guint i;

    for (i = 0; i < self->texel_views->len; i++)
      vkDestroyBufferView (
          dev, g_array_index (self->texel_views, TexelView, i).view, NULL);
    g_array_unref (self->texel_views);
  }
  if (self->mapped)
    vkUnmapMemory (dev, self->memory);
  if (self->buffer)
    vkDestroyBuffer (dev, self->buffer, NULL);
  if (self->memory)
    vkFreeMemory (dev, self->memory, NULL);
  gst_object_unref (self->device);
  g_free (self);
}

/* Memory property sets to try, best first, per usage. */
static const VkMemoryPropertyFlags *
candidates (OmniVkMemoryUsage usage)
{
#define DL VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT
#define HV VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT
#define HC VK_MEMORY_PROPERTY_HOST_COHERENT_BIT
#define CA VK_MEMORY_PROPERTY_HOST_CACHED_BIT
  static const VkMemoryPropertyFlags device[]
      = { DL | HV | HC, DL, HV | HC, HV, 0, G_MAXUINT32 };
  static const VkMemoryPropertyFlags upload[]
      = { DL | HV | HC, HV | HC, HV, G_MAXUINT32 };
  static const VkMemoryPropertyFlags download[]
      = { HV | CA | HC, HV | CA, HV | HC, HV, G_MAXUINT32 };
#undef DL
#undef HV
#undef HC
#undef CA
  switch (usage) {
  case OMNI_VK_MEMORY_UPLOAD:
    return upload;
  case OMNI_VK_MEMORY_DOWNLOAD:
    return download;
  default:
    return device;
  }
}

/**
 * omni_vk_buffer_new:
 * @device: an #OmniVkDevice
 * @size: size in bytes, > 0
 * @usage: what the buffer is for
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a new buffer (contents undefined), or
 *   %NULL with @error set
 */
OmniVkBuffer *
omni_vk_buffer_new (
    OmniVkDevice *device, gsize size, OmniVkMemoryUsage usage, GError **error)
{
  OmniVkBuffer *self;
  VkBufferCreateInfo bci = { VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO };
  VkMemoryRequirements req;
  const VkMemoryPropertyFlags *cand;
  VkResult res = VK_ERROR_OUT_OF_DEVICE_MEMORY;
  guint c, t;

  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), NULL);
  if (!_omni_vk_device_check_lost (device, error))
    return NULL;
  if (size == 0) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
        "cannot create an empty Vulkan buffer");
    return NULL;
  }

  self = g_new0 (OmniVkBuffer, 1);
  gst_mini_object_init (GST_MINI_OBJECT_CAST (self), 0, OMNI_TYPE_VK_BUFFER,
      NULL, NULL, (GstMiniObjectFreeFunction) omni_vk_buffer_free);
  self->device = gst_object_ref (device);
  self->size = size;
  self->usage = usage;

  /* Whole 16-byte units, so shaders may read bytes as uint or vec4 words. */
  bci.size = (size + 15) & ~(VkDeviceSize) 15;
  bci.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT
              | VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT
              | VK_BUFFER_USAGE_TRANSFER_SRC_BIT
              | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  bci.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  if (!_omni_vk_check (device,
          vkCreateBuffer (device->device, &bci, NULL, &self->buffer),
          "vkCreateBuffer", error)) {
    self->buffer = VK_NULL_HANDLE;
    omni_vk_buffer_unref (self);
    return NULL;
  }
  vkGetBufferMemoryRequirements (device->device, self->buffer, &req);
  self->alloc_size = req.size;

  cand = candidates (usage);
  for (c = 0; cand[c] != G_MAXUINT32 && !self->memory; c++) {
    for (t = 0; t < device->mem_props.memoryTypeCount; t++) {
      VkMemoryPropertyFlags f = device->mem_props.memoryTypes[t].propertyFlags;
      VkMemoryAllocateInfo mai = { VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO };

      if (!(req.memoryTypeBits & (1u << t)) || (f & cand[c]) != cand[c])
        continue;
      mai.allocationSize = req.size;
      mai.memoryTypeIndex = t;
      res = vkAllocateMemory (device->device, &mai, NULL, &self->memory);
      if (res == VK_SUCCESS) {
        self->mem_flags = f;
        break;
      }
      self->memory = VK_NULL_HANDLE;
      if (res == VK_ERROR_DEVICE_LOST)
        break;
    }
    if (res == VK_ERROR_DEVICE_LOST)
      break;
  }
  if (!self->memory) {
    if (res == VK_SUCCESS)
      res = VK_ERROR_OUT_OF_DEVICE_MEMORY;
    _omni_vk_check (device, res, "vkAllocateMemory", error);
    g_prefix_error (error, "%" G_GSIZE_FORMAT "-byte buffer: ", size);
    omni_vk_buffer_unref (self);
    return NULL;
  }
  if (!_omni_vk_check (device,
          vkBindBufferMemory (device->device, self->buffer, self->memory, 0),
          "vkBindBufferMemory", error)) {
    omni_vk_buffer_unref (self);
    return NULL;
  }
  if ((self->mem_flags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)
      && !(usage == OMNI_VK_MEMORY_DEVICE && device->force_staging)) {
    void *p = NULL;

    if (!_omni_vk_check (device,
            vkMapMemory (device->device, self->memory, 0, VK_WHOLE_SIZE, 0, &p),
            "vkMapMemory", error)) {
      omni_vk_buffer_unref (self);
      return NULL;
    }
    self->mapped = p;
  }
  GST_CAT_LOG (omni_vk_debug,
      "buffer %p: %" G_GSIZE_FORMAT " bytes, memory flags 0x%x", self, size,
      self->mem_flags);
  return self;
}

/* Views are made while descriptor sets are, possibly from several threads
 * for the same buffer. */
static GMutex texel_view_lock;

VkBufferView
_omni_vk_buffer_get_texel_view (OmniVkBuffer *self, gsize bytes, GError **error)
{
  OmniVkDevice *device = self->device;
  VkBufferViewCreateInfo ci = { VK_STRUCTURE_TYPE_BUFFER_VIEW_CREATE_INFO };
  TexelView tv;
  guint i;

  if (bytes == 0 || bytes > self->size)
    bytes = self->size;
  tv.texels = ((VkDeviceSize) bytes + 15) / 16;
  g_mutex_lock (&texel_view_lock);
  if (!self->texel_views)
    self->texel_views = g_array_new (FALSE, FALSE, sizeof (TexelView));
  for (i = 0; i < self->texel_views->len; i++) {
    if (g_array_index (self->texel_views, TexelView, i).texels == tv.texels) {
      tv.view = g_array_index (self->texel_views, TexelView, i).view;
      g_mutex_unlock (&texel_view_lock);
      return tv.view;
    }
  }
  if (tv.texels > device->props.limits.maxTexelBufferElements) {
    g_mutex_unlock (&texel_view_lock);
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
        "%" G_GSIZE_FORMAT " bytes are more texels than the device's texel "
        "buffers hold (%u)",
        bytes, device->props.limits.maxTexelBufferElements);
    return VK_NULL_HANDLE;
  }
  ci.buffer = self->buffer;
  ci.format = VK_FORMAT_R32G32B32A32_SFLOAT;
  ci.offset = 0;
  ci.range = tv.texels * 16;
  if (!_omni_vk_check (device,
          vkCreateBufferView (device->device, &ci, NULL, &tv.view),
          "vkCreateBufferView", error)) {
    g_mutex_unlock (&texel_view_lock);
    return VK_NULL_HANDLE;
  }
  g_array_append_val (self->texel_views, tv);
  g_mutex_unlock (&texel_view_lock);
  return tv.view;
}

/**
 * omni_vk_buffer_ref:
 * @buffer: an #OmniVkBuffer
 *
 * Returns: (transfer full): @buffer
 */
OmniVkBuffer *
omni_vk_buffer_ref (OmniVkBuffer *buffer)
{
  return (OmniVkBuffer *) gst_mini_object_ref (GST_MINI_OBJECT_CAST (buffer));
}

/**
 * omni_vk_buffer_unref:
 * @buffer: (transfer full): an #OmniVkBuffer
 *
 * Drops a reference; the last one frees the buffer and its memory.
 */
void
omni_vk_buffer_unref (OmniVkBuffer *buffer)
{
  gst_mini_object_unref (GST_MINI_OBJECT_CAST (buffer));
}

/**
 * omni_vk_buffer_get_size:
 * @buffer: an #OmniVkBuffer
 *
 * Returns: the size asked for at creation, in bytes
 */
gsize
omni_vk_buffer_get_size (OmniVkBuffer *buffer)
{
  return buffer->size;
}

/**
 * omni_vk_buffer_get_handle:
 * @buffer: an #OmniVkBuffer
 *
 * Returns: the VkBuffer
 */
VkBuffer
omni_vk_buffer_get_handle (OmniVkBuffer *buffer)
{
  return buffer->buffer;
}

/**
 * omni_vk_buffer_get_device:
 * @buffer: an #OmniVkBuffer
 *
 * Returns: (transfer none): the device of @buffer
 */
OmniVkDevice *
omni_vk_buffer_get_device (OmniVkBuffer *buffer)
{
  return buffer->device;
}

/**
 * omni_vk_buffer_is_host_visible:
 * @buffer: an #OmniVkBuffer
 *
 * Returns: %TRUE when the buffer's memory is mapped into the process
 */
gboolean
omni_vk_buffer_is_host_visible (OmniVkBuffer *buffer)
{
  return buffer->mapped != NULL;
}

/**
 * omni_vk_buffer_get_mapped:
 * @buffer: an #OmniVkBuffer
 *
 * The persistent host mapping of a host-visible buffer. After writing
 * through it call omni_vk_buffer_flush(); before reading results through it,
 * omni_vk_buffer_invalidate() (both are no-ops on coherent memory).
 *
 * Returns: (transfer none) (nullable): the mapping, %NULL when the memory is
 *   not host-visible
 */
gpointer
omni_vk_buffer_get_mapped (OmniVkBuffer *buffer)
{
  return buffer->mapped;
}

static void
host_wrote (OmniVkBuffer *buffer)
{
  /* A later submission sees host writes made before vkQueueSubmit; nothing
   * on the device side is pending any more. */
  memset (&buffer->track, 0, sizeof (buffer->track));
}

/**
 * omni_vk_buffer_flush:
 * @buffer: a host-visible #OmniVkBuffer
 *
 * Makes host writes through the mapping available to the device (needed on
 * non-coherent memory only).
 */
void
omni_vk_buffer_flush (OmniVkBuffer *buffer)
{
  g_return_if_fail (buffer->mapped != NULL);
  if (!(buffer->mem_flags & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT)) {
    VkMappedMemoryRange r = { VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE };

    r.memory = buffer->memory;
    r.size = VK_WHOLE_SIZE;
    vkFlushMappedMemoryRanges (buffer->device->device, 1, &r);
  }
  host_wrote (buffer);
}

/**
 * omni_vk_buffer_invalidate:
 * @buffer: a host-visible #OmniVkBuffer
 *
 * Makes device writes visible to host reads through the mapping (needed on
 * non-coherent memory only), once the writing submission has completed.
 */
void
omni_vk_buffer_invalidate (OmniVkBuffer *buffer)
{
  g_return_if_fail (buffer->mapped != NULL);
  if (!(buffer->mem_flags & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT)) {
    VkMappedMemoryRange r = { VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE };

    r.memory = buffer->memory;
    r.size = VK_WHOLE_SIZE;
    vkInvalidateMappedMemoryRanges (buffer->device->device, 1, &r);
  }
}

static gboolean
check_range (OmniVkBuffer *buffer, gsize offset, gsize size, GError **error)
{
  if (offset > buffer->size || size > buffer->size - offset) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
        "range %" G_GSIZE_FORMAT "+%" G_GSIZE_FORMAT
        " is outside the %" G_GSIZE_FORMAT "-byte buffer",
        offset, size, buffer->size);
    return FALSE;
  }
  return TRUE;
}

/* Copies between @buffer and a temporary host-visible buffer with a one-off
 * command: the staging path for memory the host cannot map. */
static gboolean
staged_copy (OmniVkBuffer *buffer, gsize offset, gpointer data, gsize size,
    gboolean to_device, GError **error)
{
  OmniVkDevice *device = buffer->device;
  OmniVkBuffer *staging;
  OmniVkCommand *cmd;
  gboolean ok;

  staging = omni_vk_buffer_new (device, size,
      to_device ? OMNI_VK_MEMORY_UPLOAD : OMNI_VK_MEMORY_DOWNLOAD, error);
  if (!staging)
    return FALSE;
  if (to_device) {
    memcpy (staging->mapped, data, size);
    omni_vk_buffer_flush (staging);
  }
  cmd = omni_vk_command_new (device, error);
  ok = cmd != NULL && omni_vk_command_begin (cmd, error);
  if (ok) {
    if (to_device)
      omni_vk_command_copy_buffer (cmd, staging, 0, buffer, offset, size);
    else
      omni_vk_command_copy_buffer (cmd, buffer, offset, staging, 0, size);
    ok = omni_vk_command_end (cmd, error) && omni_vk_command_run (cmd, error);
  }
  if (ok && !to_device) {
    omni_vk_buffer_invalidate (staging);
    memcpy (data, staging->mapped, size);
  }
  if (cmd)
    omni_vk_command_unref (cmd);
  omni_vk_buffer_unref (staging);
  return ok;
}

/**
 * omni_vk_buffer_write:
 * @buffer: an #OmniVkBuffer
 * @offset: byte offset in @buffer
 * @data: (array length=size) (element-type guint8): bytes to write
 * @size: how many bytes
 * @error: return location for a #GError
 *
 * Writes @data into @buffer now: a memcpy into the mapping when the buffer is
 * host-visible, otherwise a staging copy that this call waits for. No work
 * using @buffer may be in flight.
 *
 * Returns: %FALSE with @error set on failure
 */
gboolean
omni_vk_buffer_write (OmniVkBuffer *buffer, gsize offset, gconstpointer data,
    gsize size, GError **error)
{
  if (!check_range (buffer, offset, size, error)
      || !_omni_vk_device_check_lost (buffer->device, error))
    return FALSE;
  if (size == 0)
    return TRUE;
  if (buffer->mapped) {
    memcpy (buffer->mapped + offset, data, size);
    omni_vk_buffer_flush (buffer);
    return TRUE;
  }
  return staged_copy (buffer, offset, (gpointer) data, size, TRUE, error);
}

/**
 * omni_vk_buffer_read:
 * @buffer: an #OmniVkBuffer
 * @offset: byte offset in @buffer
 * @data: (out caller-allocates) (array length=size) (element-type guint8):
 *   where to put the bytes
 * @size: how many bytes
 * @error: return location for a #GError
 *
 * Reads from @buffer after the work writing it has completed: a memcpy from
 * the mapping, or a staging copy when the memory is not host-visible.
 *
 * Returns: %FALSE with @error set on failure
 */
gboolean
omni_vk_buffer_read (OmniVkBuffer *buffer, gsize offset, gpointer data,
    gsize size, GError **error)
{
  if (!check_range (buffer, offset, size, error)
      || !_omni_vk_device_check_lost (buffer->device, error))
    return FALSE;
  if (size == 0)
    return TRUE;
  if (buffer->mapped) {
    omni_vk_buffer_invalidate (buffer);
    memcpy (data, buffer->mapped + offset, size);
    return TRUE;
  }
  return staged_copy (buffer, offset, data, size, FALSE, error);
}
