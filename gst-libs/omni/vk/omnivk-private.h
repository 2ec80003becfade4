/* gst-omni: internals shared by the files of the Vulkan core (not installed)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_VK_PRIVATE_H__
#define __OMNI_VK_PRIVATE_H__

#include "omnivk.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (omni_vk_debug);
#define GST_CAT_DEFAULT omni_vk_debug

void _omni_vk_debug_init (void);

/* ---- instance (shared by every device of the process) ---- */
typedef struct {
  gint refcount;
  VkInstance instance;
  guint32 api_version;
  gboolean validation;
  VkDebugUtilsMessengerEXT messenger;
  PFN_vkDestroyDebugUtilsMessengerEXT destroy_messenger;
} OmniVkInstance;

typedef struct {
  VkPhysicalDevice handle;
  OmniVkDeviceInfo info;
  guint32 queue_family; /* a compute-capable family, G_MAXUINT32 if none */
} OmniVkPhysical;

OmniVkInstance *_omni_vk_instance_get (GError **error);
void _omni_vk_instance_unref (OmniVkInstance *instance);
/* (element-type OmniVkPhysical) owned by the caller */
GArray *_omni_vk_instance_list_physical (
    OmniVkInstance *instance, GError **error);
gchar *_omni_vk_format_device_list (GArray *physicals);
const gchar *_omni_vk_no_driver_hint (void);

/* ---- device ---- */
struct _OmniVkDevice {
  GstObject parent;

  OmniVkInstance *instance;
  VkPhysicalDevice physical;
  OmniVkDeviceInfo info;
  VkPhysicalDeviceProperties props;
  VkPhysicalDeviceMemoryProperties mem_props;
  guint32 subgroup_size;
  gboolean subgroup_shuffle; /* in compute shaders */
  VkDevice device;
  guint32 queue_family;
  VkQueue queue;
  GMutex queue_lock;      /* vkQueueSubmit needs external synchronisation */
  gint lost;              /* atomic */
  gint inject_lost;       /* atomic: fault injection for tests */
  gboolean force_staging; /* OMNI_VK_FORCE_STAGING=1: never map DEVICE memory */

  /* pipeline cache */
  GMutex cache_lock;
  VkPipelineCache pipeline_cache;
  gchar *cache_path;
  gsize cache_loaded_size;
  gboolean cache_dirty;

  /* internal one-shot commands (staging copies) */
  GMutex oneshot_lock;
};

void _omni_vk_device_mark_lost (OmniVkDevice *device);
gboolean _omni_vk_device_check_lost (OmniVkDevice *device, GError **error);
gboolean _omni_vk_check (
    OmniVkDevice *device, VkResult result, const gchar *what, GError **error);
/* Submits under the queue lock; honours fault injection. */
VkResult _omni_vk_device_submit (
    OmniVkDevice *device, const VkSubmitInfo *submit, VkFence fence);

static inline VkDescriptorType
_omni_vk_access_descriptor_type (OmniVkAccess access)
{
  return (access & OMNI_VK_ACCESS_TEXELS_BIT)
             ? VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER
             : VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
}

/* An RGBA32F view of the first @bytes of the buffer (0: all of it) for
 * texel bindings, made on first use and kept with the buffer. */
VkBufferView _omni_vk_buffer_get_texel_view (
    OmniVkBuffer *buffer, gsize bytes, GError **error);

/* ---- pipeline cache on disk ---- */
gchar *_omni_vk_pipeline_cache_path (OmniVkDevice *device);
VkPipelineCache _omni_vk_pipeline_cache_load (
    OmniVkDevice *device, const gchar *path, gsize *loaded_size);
gboolean _omni_vk_pipeline_cache_save (OmniVkDevice *device,
    VkPipelineCache cache, const gchar *path, GError **error);

/* ---- buffers: hazard tracking used by command recording ---- */
typedef struct {
  VkDeviceSize texels;
  VkBufferView view;
} TexelView;

typedef struct {
  guint epoch;                      /* recording the state belongs to */
  VkPipelineStageFlags write_stage; /* last unsynchronised write */
  VkAccessFlags write_access;
  VkPipelineStageFlags read_stages;    /* reads since that write */
  VkPipelineStageFlags visible_stages; /* stages the write is visible to */
} OmniVkBufferTrack;

struct _OmniVkBuffer {
  GstMiniObject mini_object;

  OmniVkDevice *device;
  VkBuffer buffer;
  VkDeviceMemory memory;
  gsize size; /* as asked */
  VkDeviceSize alloc_size;
  OmniVkMemoryUsage usage;
  VkMemoryPropertyFlags mem_flags;
  guint8 *mapped;      /* persistent mapping when host-visible */
  GArray *texel_views; /* TexelView: RGBA32F views, made at first use */
  OmniVkBufferTrack track;
};

/* ---- pipelines ---- */
struct _OmniVkPipeline {
  GstMiniObject mini_object;

  OmniVkDevice *device;
  gchar *shader;
  guint n_bindings;
  OmniVkAccess *access;
  guint push_size;
  VkDescriptorSetLayout set_layout;
  VkPipelineLayout layout;
  VkPipeline pipeline;
  gboolean cache_hit;
  gboolean feedback_valid;
};

/* ---- descriptors ---- */
struct _OmniVkDescriptorPool {
  GstMiniObject mini_object;

  OmniVkDevice *device;
  VkDescriptorPool pool;
  guint max_sets;
  guint max_buffers;
  guint used_sets;
  guint used_buffers;
};

struct _OmniVkDescriptorSet {
  GstMiniObject mini_object;

  OmniVkDescriptorPool *pool;
  OmniVkPipeline *pipeline;
  VkDescriptorSet set;
  guint n_buffers;
  OmniVkBuffer **buffers;
};

G_END_DECLS

#endif /* __OMNI_VK_PRIVATE_H__ */
