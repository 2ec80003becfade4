/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omnivkdevice
 * @title: OmniVkDevice
 * @short_description: a Vulkan device with a compute queue, shared per
 *   process
 *
 * omni_vk_device_get() picks a physical device and returns the process-wide
 * #OmniVkDevice for it, creating it on first use: every element asking for
 * the same device shares one VkDevice, one compute queue and one pipeline
 * cache. The device is destroyed when its last reference goes.
 *
 * Device choice. The `selector` (an element's `device` property, or the
 * `OMNI_VK_DEVICE` environment variable when the property is unset) is
 * - %NULL, "" or "auto": the best usable device, preferring a discrete GPU,
 *   then an integrated GPU, a virtual GPU, and last a CPU implementation
 *   (Mesa's lavapipe);
 * - a number: the device with that index in Vulkan's enumeration order
 *   (`vulkaninfo --summary` prints it);
 * - "discrete", "integrated", "virtual" or "cpu": the first device of that
 *   kind;
 * - anything else: the best device whose name contains the text, ignoring
 *   case ("nvidia", "radeon", "llvmpipe").
 *
 * When nothing matches, or no device exists, the #GError lists the devices
 * found and says what to install (mesa-vulkan-drivers for the CPU driver).
 *
 * Queue. The device uses one compute-capable queue, preferring a family
 * without graphics (the asynchronous compute queue of desktop GPUs).
 * Submissions are serialised by a lock, so elements in different streaming
 * threads can share the device.
 *
 * Device loss. Any VK_ERROR_DEVICE_LOST marks the device lost: every later
 * call on it fails with %OMNI_VK_ERROR_DEVICE_LOST, and the next
 * omni_vk_device_get() creates a fresh device.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "omnivk-private.h"

G_DEFINE_TYPE (OmniVkDevice, omni_vk_device, GST_TYPE_OBJECT);

typedef struct {
  guint index;
  GWeakRef ref;
} RegistryEntry;

/* Devices alive in this process, by physical device index. Entries hold
 * weak references: the registry never keeps a device alive. */
static GMutex registry_lock;
static GList *registry;

static void
registry_entry_free (RegistryEntry *e)
{
  g_weak_ref_clear (&e->ref);
  g_free (e);
}

static void
omni_vk_device_init (OmniVkDevice *self)
{
  g_mutex_init (&self->queue_lock);
  g_mutex_init (&self->cache_lock);
  g_mutex_init (&self->oneshot_lock);
}

static void
omni_vk_device_finalize (GObject *object)
{
  OmniVkDevice *self = OMNI_VK_DEVICE (object);
  GError *err = NULL;
  GSList *alive = NULL;
  GList *l;

  /* Our weak reference is already cleared: prune every dead entry. The
   * temporary references to live ones are dropped outside the lock, since
   * dropping the last one finalizes that device, which takes the lock. */
  g_mutex_lock (&registry_lock);
  for (l = registry; l;) {
    GList *next = l->next;
    RegistryEntry *e = l->data;
    GObject *o = g_weak_ref_get (&e->ref);

    if (o == NULL) {
      registry = g_list_delete_link (registry, l);
      registry_entry_free (e);
    } else {
      alive = g_slist_prepend (alive, o);
    }
    l = next;
  }
  g_mutex_unlock (&registry_lock);
  g_slist_free_full (alive, g_object_unref);

  if (self->device) {
    if (!g_atomic_int_get (&self->lost))
      vkDeviceWaitIdle (self->device);
    if (self->pipeline_cache) {
      if (!g_atomic_int_get (&self->lost) && self->cache_dirty
          && !omni_vk_device_save_pipeline_cache (self, &err)) {
        GST_CAT_WARNING (
            omni_vk_debug, "pipeline cache not saved: %s", err->message);
        g_clear_error (&err);
      }
      vkDestroyPipelineCache (self->device, self->pipeline_cache, NULL);
    }
    vkDestroyDevice (self->device, NULL);
    GST_CAT_INFO (omni_vk_debug, "destroyed device %u (%s)", self->info.index,
        self->info.name);
  }
  if (self->instance)
    _omni_vk_instance_unref (self->instance);
  g_free (self->info.name);
  g_free (self->cache_path);
  g_mutex_clear (&self->queue_lock);
  g_mutex_clear (&self->cache_lock);
  g_mutex_clear (&self->oneshot_lock);
  G_OBJECT_CLASS (omni_vk_device_parent_class)->finalize (object);
}

static void
omni_vk_device_class_init (OmniVkDeviceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = omni_vk_device_finalize;
}

static gint
type_rank (OmniVkDeviceType t)
{
  /* The enum is declared in order of preference. */
  return (gint) t;
}

static gboolean
all_digits (const gchar *s)
{
  if (!*s)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static gboolean
parse_type (const gchar *s, OmniVkDeviceType *type)
{
  static const OmniVkDeviceType types[]
      = { OMNI_VK_DEVICE_TYPE_DISCRETE, OMNI_VK_DEVICE_TYPE_INTEGRATED,
          OMNI_VK_DEVICE_TYPE_VIRTUAL, OMNI_VK_DEVICE_TYPE_CPU };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_ascii_strcasecmp (s, omni_vk_device_type_to_string (types[i])) == 0) {
      *type = types[i];
      return TRUE;
    }
  return FALSE;
}

static gboolean
name_contains (const gchar *name, const gchar *needle)
{
  gchar *a = g_utf8_casefold (name, -1), *b = g_utf8_casefold (needle, -1);
  gboolean found = strstr (a, b) != NULL;

  g_free (a);
  g_free (b);
  return found;
}

/* Returns the index into @phys of the chosen device, or -1 with @error set. */
static gint
choose (GArray *phys, const gchar *selector, GError **error)
{
  gint best = -1;
  guint i;
  gboolean by_index = FALSE, by_type = FALSE;
  guint64 index = 0;
  OmniVkDeviceType type = OMNI_VK_DEVICE_TYPE_OTHER;
  gchar *list;

  if (phys->len == 0) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_NO_DEVICE,
        "No Vulkan device found (devices found: none): %s",
        _omni_vk_no_driver_hint ());
    return -1;
  }
  if (selector && *selector && g_ascii_strcasecmp (selector, "auto") != 0) {
    if (all_digits (selector)) {
      by_index = TRUE;
      index = g_ascii_strtoull (selector, NULL, 10);
    } else {
      by_type = parse_type (selector, &type);
    }
  } else {
    selector = NULL;
  }

  for (i = 0; i < phys->len; i++) {
    const OmniVkDeviceInfo *info
        = &g_array_index (phys, OmniVkPhysical, i).info;

    if (!info->usable)
      continue;
    if (by_index && info->index != index)
      continue;
    if (by_type && info->type != type)
      continue;
    if (selector && !by_index && !by_type
        && !name_contains (info->name, selector))
      continue;
    if (best < 0
        || type_rank (info->type) < type_rank (
               g_array_index (phys, OmniVkPhysical, best).info.type))
      best = i;
  }
  if (best >= 0)
    return best;

  list = _omni_vk_format_device_list (phys);
  if (selector)
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_NO_DEVICE,
        "No usable Vulkan device matches device=\"%s\". Devices found: %s. "
        "Give an index, a kind (discrete, integrated, virtual, cpu) or part "
        "of a name; for the CPU driver install mesa-vulkan-drivers",
        selector, list);
  else
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_NO_DEVICE,
        "No usable Vulkan device (gst-omni needs Vulkan 1.1 with a compute "
        "queue). Devices found: %s. %s",
        list, _omni_vk_no_driver_hint ());
  g_free (list);
  return -1;
}

static gboolean
has_device_extension (VkPhysicalDevice pd, const gchar *name)
{
  guint32 n = 0, i;
  VkExtensionProperties *exts;
  gboolean found = FALSE;

  if (vkEnumerateDeviceExtensionProperties (pd, NULL, &n, NULL) != VK_SUCCESS)
    return FALSE;
  exts = g_new0 (VkExtensionProperties, MAX (n, 1));
  if (vkEnumerateDeviceExtensionProperties (pd, NULL, &n, exts) >= VK_SUCCESS)
    for (i = 0; i < n; i++)
      if (strcmp (exts[i].extensionName, name) == 0)
        found = TRUE;
  g_free (exts);
  return found;
}

static OmniVkDevice *
device_create (
    OmniVkInstance *instance, const OmniVkPhysical *p, GError **error)
{
  OmniVkDevice *self;
  VkPhysicalDeviceProperties2 props2
      = { VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2 };
  VkPhysicalDeviceSubgroupProperties subgroup
      = { VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES };
  VkDeviceQueueCreateInfo qci = { VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO };
  VkDeviceCreateInfo dci = { VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO };
  const gchar *exts[2];
  guint n_exts = 0;
  const float priority = 1.0f;
  gchar *name;

  name = g_strdup_printf ("omnivkdevice%u", p->info.index);
  self = g_object_new (OMNI_TYPE_VK_DEVICE, "name", name, NULL);
  g_free (name);
  gst_object_ref_sink (self);

  self->instance = instance;
  self->physical = p->handle;
  self->info = p->info;
  self->info.name = g_strdup (p->info.name);
  self->queue_family = p->queue_family;
  self->force_staging
      = g_strcmp0 (g_getenv ("OMNI_VK_FORCE_STAGING"), "1") == 0;

  props2.pNext = &subgroup;
  vkGetPhysicalDeviceProperties2 (p->handle, &props2);
  self->props = props2.properties;
  self->subgroup_size = MAX (subgroup.subgroupSize, 1);
  self->subgroup_shuffle
      = (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT)
        && (subgroup.supportedOperations & VK_SUBGROUP_FEATURE_SHUFFLE_BIT);
  /* OMNI_VK_MAX_TEXELS lowers maxTexelBufferElements, to exercise the
   * storage-buffer fallbacks of the texel-reading kernels (0: none fit). */
  if (g_getenv ("OMNI_VK_MAX_TEXELS")) {
    guint64 max = g_ascii_strtoull (g_getenv ("OMNI_VK_MAX_TEXELS"), NULL, 10);

    self->props.limits.maxTexelBufferElements
        = MIN (self->props.limits.maxTexelBufferElements, max);
  }
  vkGetPhysicalDeviceMemoryProperties (p->handle, &self->mem_props);

  /* A non-conformant (portability) implementation must be told we know. */
  if (has_device_extension (p->handle, "VK_KHR_portability_subset"))
    exts[n_exts++] = "VK_KHR_portability_subset";

  qci.queueFamilyIndex = self->queue_family;
  qci.queueCount = 1;
  qci.pQueuePriorities = &priority;
  dci.queueCreateInfoCount = 1;
  dci.pQueueCreateInfos = &qci;
  dci.enabledExtensionCount = n_exts;
  dci.ppEnabledExtensionNames = exts;
  if (!_omni_vk_check (NULL,
          vkCreateDevice (p->handle, &dci, NULL, &self->device),
          "vkCreateDevice", error)) {
    self->device = VK_NULL_HANDLE;
    gst_object_unref (self);
    return NULL;
  }
  vkGetDeviceQueue (self->device, self->queue_family, 0, &self->queue);

  self->cache_path = _omni_vk_pipeline_cache_path (self);
  self->pipeline_cache = _omni_vk_pipeline_cache_load (
      self, self->cache_path, &self->cache_loaded_size);
  if (!self->pipeline_cache) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_FAILED,
        "vkCreatePipelineCache failed");
    gst_object_unref (self);
    return NULL;
  }

  GST_CAT_INFO_OBJECT (omni_vk_debug, self,
      "created device %u: %s (%s), subgroup %u, queue family %u",
      self->info.index, self->info.name,
      omni_vk_device_type_to_string (self->info.type), self->subgroup_size,
      self->queue_family);
  return self;
}

/**
 * omni_vk_device_get:
 * @selector: (nullable): which device: %NULL, "" or "auto" for the best one,
 *   an index, a kind ("discrete", "integrated", "virtual", "cpu") or part of
 *   the device name; %NULL also consults the `OMNI_VK_DEVICE` environment
 *   variable
 * @error: return location for a #GError
 *
 * Returns the process-wide device for @selector, creating it on first use.
 *
 * Returns: (transfer full) (nullable): a new reference to the device, or
 *   %NULL with @error set (its message lists the devices found)
 */
OmniVkDevice *
omni_vk_device_get (const gchar *selector, GError **error)
{
  OmniVkInstance *instance;
  OmniVkDevice *device = NULL;
  GArray *phys;
  RegistryEntry *entry;
  GList *l;
  gint chosen;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (selector == NULL)
    selector = g_getenv ("OMNI_VK_DEVICE");

  instance = _omni_vk_instance_get (error);
  if (!instance)
    return NULL;
  phys = _omni_vk_instance_list_physical (instance, error);
  if (!phys) {
    _omni_vk_instance_unref (instance);
    return NULL;
  }
  chosen = choose (phys, selector, error);
  if (chosen < 0) {
    g_array_unref (phys);
    _omni_vk_instance_unref (instance);
    return NULL;
  }

  g_mutex_lock (&registry_lock);
  for (l = registry; l && !device; l = l->next) {
    RegistryEntry *e = l->data;

    if (e->index == g_array_index (phys, OmniVkPhysical, chosen).info.index)
      device = g_weak_ref_get (&e->ref);
  }
  if (device) {
    _omni_vk_instance_unref (instance);
  } else {
    /* The device keeps the instance reference. */
    device = device_create (
        instance, &g_array_index (phys, OmniVkPhysical, chosen), error);
    if (device) {
      entry = g_new0 (RegistryEntry, 1);
      entry->index = device->info.index;
      g_weak_ref_init (&entry->ref, device);
      registry = g_list_prepend (registry, entry);
    }
  }
  g_mutex_unlock (&registry_lock);
  g_array_unref (phys);
  return device;
}

/**
 * omni_vk_device_get_info:
 * @device: an #OmniVkDevice
 *
 * Returns: (transfer none): what the device is
 */
const OmniVkDeviceInfo *
omni_vk_device_get_info (OmniVkDevice *device)
{
  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), NULL);
  return &device->info;
}

/**
 * omni_vk_device_get_name:
 * @device: an #OmniVkDevice
 *
 * Returns: (transfer none): the driver's name of the device
 */
const gchar *
omni_vk_device_get_name (OmniVkDevice *device)
{
  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), NULL);
  return device->info.name;
}

/**
 * omni_vk_device_get_subgroup_size:
 * @device: an #OmniVkDevice
 *
 * Returns: the default subgroup size of compute shaders (8 on lavapipe with
 *   AVX2, 32 on NVIDIA, 32 or 64 on AMD); never assume a value
 */
guint32
omni_vk_device_get_subgroup_size (OmniVkDevice *device)
{
  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), 1);
  return device->subgroup_size;
}

/**
 * omni_vk_device_has_subgroup_shuffle:
 * @device: an #OmniVkDevice
 *
 * Returns: whether compute shaders may use subgroupShuffle()
 *   (VK_SUBGROUP_FEATURE_SHUFFLE_BIT in the compute stage)
 */
gboolean
omni_vk_device_has_subgroup_shuffle (OmniVkDevice *device)
{
  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), FALSE);
  return device->subgroup_shuffle;
}

/**
 * omni_vk_device_get_limits:
 * @device: an #OmniVkDevice
 *
 * Returns: (transfer none): the device limits (workgroup sizes, shared
 *   memory, push constant size, storage buffer range...)
 */
const VkPhysicalDeviceLimits *
omni_vk_device_get_limits (OmniVkDevice *device)
{
  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), NULL);
  return &device->props.limits;
}

/**
 * omni_vk_device_get_max_texels:
 * @device: an #OmniVkDevice
 *
 * Returns: how many texels a buffer bound as %OMNI_VK_ACCESS_READ_TEXELS may
 *   hold (maxTexelBufferElements: 65536 at least, 2^27 and more on desktop
 *   drivers). Kernels fall back to storage-buffer reads above it.
 */
guint64
omni_vk_device_get_max_texels (OmniVkDevice *device)
{
  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), 0);
  return device->props.limits.maxTexelBufferElements;
}

/**
 * omni_vk_device_get_local_size:
 * @device: an #OmniVkDevice
 * @preferred: the workgroup size (invocations) the caller would like
 *
 * A one-dimensional workgroup size for @device near @preferred: within
 * maxComputeWorkGroupInvocations and maxComputeWorkGroupSize[0], and a
 * multiple of the subgroup size when that fits, so no subgroup runs
 * half-empty. Pass it as the local-size specialization constant.
 *
 * Returns: the size, at least 1
 */
guint
omni_vk_device_get_local_size (OmniVkDevice *device, guint preferred)
{
  const VkPhysicalDeviceLimits *lim;
  guint size, sg;

  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), 1);
  lim = &device->props.limits;
  size = MIN (MAX (preferred, 1), lim->maxComputeWorkGroupInvocations);
  size = MIN (size, lim->maxComputeWorkGroupSize[0]);
  sg = device->subgroup_size;
  if (size >= sg)
    size -= size % sg;
  return MAX (size, 1);
}

/**
 * omni_vk_device_is_unified_memory:
 * @device: an #OmniVkDevice
 *
 * Returns: %TRUE when device-local memory is also host-visible (integrated
 *   GPUs, CPU drivers, resizable BAR), so buffers need no staging copies
 */
gboolean
omni_vk_device_is_unified_memory (OmniVkDevice *device)
{
  guint i;
  const VkMemoryPropertyFlags want = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT
                                     | VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;

  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), FALSE);
  if (device->force_staging)
    return FALSE;
  for (i = 0; i < device->mem_props.memoryTypeCount; i++)
    if ((device->mem_props.memoryTypes[i].propertyFlags & want) == want)
      return TRUE;
  return FALSE;
}

/**
 * omni_vk_device_get_instance:
 * @device: an #OmniVkDevice
 *
 * Returns: the VkInstance, for code that calls Vulkan directly
 */
VkInstance
omni_vk_device_get_instance (OmniVkDevice *device)
{
  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), VK_NULL_HANDLE);
  return device->instance->instance;
}

/**
 * omni_vk_device_get_physical_device:
 * @device: an #OmniVkDevice
 *
 * Returns: the VkPhysicalDevice
 */
VkPhysicalDevice
omni_vk_device_get_physical_device (OmniVkDevice *device)
{
  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), VK_NULL_HANDLE);
  return device->physical;
}

/**
 * omni_vk_device_get_handle:
 * @device: an #OmniVkDevice
 *
 * Returns: the VkDevice
 */
VkDevice
omni_vk_device_get_handle (OmniVkDevice *device)
{
  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), VK_NULL_HANDLE);
  return device->device;
}

/**
 * omni_vk_device_get_queue_family:
 * @device: an #OmniVkDevice
 *
 * Returns: the queue family index of the compute queue
 */
guint32
omni_vk_device_get_queue_family (OmniVkDevice *device)
{
  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), 0);
  return device->queue_family;
}

void
_omni_vk_device_mark_lost (OmniVkDevice *device)
{
  GSList *alive = NULL;
  GList *l;

  if (!g_atomic_int_compare_and_exchange (&device->lost, 0, 1))
    return;
  GST_CAT_ERROR_OBJECT (
      omni_vk_debug, device, "Vulkan device %s was lost", device->info.name);
  /* Forget it, so the next omni_vk_device_get() makes a fresh device. */
  g_mutex_lock (&registry_lock);
  for (l = registry; l; l = l->next) {
    RegistryEntry *e = l->data;
    GObject *o = g_weak_ref_get (&e->ref);

    if (o)
      alive = g_slist_prepend (alive, o);
    if (o == (GObject *) device) {
      registry = g_list_delete_link (registry, l);
      registry_entry_free (e);
      break;
    }
  }
  g_mutex_unlock (&registry_lock);
  g_slist_free_full (alive, g_object_unref);
}

gboolean
_omni_vk_device_check_lost (OmniVkDevice *device, GError **error)
{
  if (!g_atomic_int_get (&device->lost))
    return TRUE;
  g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_DEVICE_LOST,
      "The Vulkan device %s was lost; it must be re-created",
      device->info.name);
  return FALSE;
}

VkResult
_omni_vk_device_submit (
    OmniVkDevice *device, const VkSubmitInfo *submit, VkFence fence)
{
  VkResult res;

  if (g_atomic_int_get (&device->lost))
    return VK_ERROR_DEVICE_LOST;
  if (g_atomic_int_compare_and_exchange (&device->inject_lost, 1, 0))
    return VK_ERROR_DEVICE_LOST;
  g_mutex_lock (&device->queue_lock);
  res = vkQueueSubmit (device->queue, 1, submit, fence);
  g_mutex_unlock (&device->queue_lock);
  return res;
}

/**
 * omni_vk_device_wait_idle:
 * @device: an #OmniVkDevice
 * @error: return location for a #GError
 *
 * Waits until the device has finished all submitted work.
 *
 * Returns: %FALSE with @error set when the device was lost
 */
gboolean
omni_vk_device_wait_idle (OmniVkDevice *device, GError **error)
{
  VkResult res;

  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), FALSE);
  if (!_omni_vk_device_check_lost (device, error))
    return FALSE;
  g_mutex_lock (&device->queue_lock);
  res = vkQueueWaitIdle (device->queue);
  g_mutex_unlock (&device->queue_lock);
  return _omni_vk_check (device, res, "vkQueueWaitIdle", error);
}

/**
 * omni_vk_device_is_lost:
 * @device: an #OmniVkDevice
 *
 * Returns: %TRUE once a Vulkan call reported VK_ERROR_DEVICE_LOST
 */
gboolean
omni_vk_device_is_lost (OmniVkDevice *device)
{
  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), TRUE);
  return g_atomic_int_get (&device->lost) != 0;
}

/**
 * omni_vk_device_inject_device_lost:
 * @device: an #OmniVkDevice
 *
 * Fault injection for tests: the next queue submission on @device reports
 * VK_ERROR_DEVICE_LOST, exactly as a driver does after a GPU hang, and the
 * device is then treated as lost. Lets elements' error paths be tested on
 * any driver.
 */
void
omni_vk_device_inject_device_lost (OmniVkDevice *device)
{
  g_return_if_fail (OMNI_IS_VK_DEVICE (device));
  g_atomic_int_set (&device->inject_lost, 1);
}

/**
 * omni_vk_device_save_pipeline_cache:
 * @device: an #OmniVkDevice
 * @error: return location for a #GError
 *
 * Writes the pipeline cache to disk now (it is also written when the device
 * is destroyed, if pipelines were built). See
 * omni_vk_device_get_pipeline_cache_path().
 *
 * Returns: %TRUE on success or when caching is disabled
 */
gboolean
omni_vk_device_save_pipeline_cache (OmniVkDevice *device, GError **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), FALSE);
  g_mutex_lock (&device->cache_lock);
  if (device->cache_path) {
    ok = _omni_vk_pipeline_cache_save (
        device, device->pipeline_cache, device->cache_path, error);
    if (ok)
      device->cache_dirty = FALSE;
  }
  g_mutex_unlock (&device->cache_lock);
  return ok;
}

/**
 * omni_vk_device_get_pipeline_cache_path:
 * @device: an #OmniVkDevice
 *
 * Returns: (transfer none) (nullable): the file the pipeline cache of @device
 *   is loaded from and saved to, %NULL when disk caching is off
 *   (`OMNI_VK_PIPELINE_CACHE=0`)
 */
const gchar *
omni_vk_device_get_pipeline_cache_path (OmniVkDevice *device)
{
  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), NULL);
  return device->cache_path;
}

/**
 * omni_vk_device_get_pipeline_cache_loaded_size:
 * @device: an #OmniVkDevice
 *
 * Returns: how many bytes of pipeline cache data were read from disk and
 *   handed to the driver when @device was created; 0 when there was no
 *   file or it was rejected as corrupt or from another device/driver
 */
gsize
omni_vk_device_get_pipeline_cache_loaded_size (OmniVkDevice *device)
{
  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), 0);
  return device->cache_loaded_size;
}
