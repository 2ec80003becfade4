/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omnivkinstance
 * @title: Vulkan instance and devices
 * @short_description: the process-wide VkInstance, device enumeration and
 *   validation
 *
 * gst-omni owns its VkInstance, as ncnn does. One instance is shared by every
 * #OmniVkDevice of the process and destroyed with the last of them.
 *
 * When the environment variable `OMNI_VK_VALIDATION=1` is set (the test
 * suite sets it), the instance enables VK_LAYER_KHRONOS_validation with
 * synchronisation validation and VK_EXT_debug_utils. A messenger logs every
 * message at GST_LEVEL_WARNING in the `omnivk` debug category and counts the
 * validation and performance warnings and all errors, which
 * omni_vk_device_get_validation_message_count() returns: tests assert it is
 * zero. When the layer is requested but not installed, creating the instance
 * fails with %OMNI_VK_ERROR_VALIDATION_MISSING rather than silently running
 * unchecked.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "omnivk-private.h"

GST_DEBUG_CATEGORY (omni_vk_debug);

#define VALIDATION_LAYER "VK_LAYER_KHRONOS_validation"

static GMutex instance_lock;
static OmniVkInstance *shared_instance;
static gint validation_messages;

void
_omni_vk_debug_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (
        omni_vk_debug, "omnivk", 0, "gst-omni Vulkan compute core");
    g_once_init_leave (&done, 1);
  }
}

/**
 * omni_vk_validation_enabled:
 *
 * Returns: %TRUE when the environment asks for the Khronos validation layer
 *   (`OMNI_VK_VALIDATION` set to 1, yes or true)
 */
gboolean
omni_vk_validation_enabled (void)
{
  const gchar *v = g_getenv ("OMNI_VK_VALIDATION");

  return v
         && (g_strcmp0 (v, "1") == 0 || g_ascii_strcasecmp (v, "yes") == 0
             || g_ascii_strcasecmp (v, "true") == 0);
}

/**
 * omni_vk_device_get_validation_message_count:
 *
 * The number of validation-layer messages counted so far in this process:
 * every error, and every warning of the validation or performance kind
 * (general loader warnings are logged but not counted). Messages emitted
 * while devices and the instance are destroyed count too, so leaked Vulkan
 * objects show up here. Always 0 without `OMNI_VK_VALIDATION=1`.
 *
 * Returns: the count
 */
guint
omni_vk_device_get_validation_message_count (void)
{
  return (guint) g_atomic_int_get (&validation_messages);
}

static VKAPI_ATTR VkBool32 VKAPI_CALL
debug_messenger_cb (VkDebugUtilsMessageSeverityFlagBitsEXT severity,
    VkDebugUtilsMessageTypeFlagsEXT types,
    const VkDebugUtilsMessengerCallbackDataEXT *data, void *user_data)
{
  gboolean counted
      = (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT)
        || (types
            & (VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT
                | VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT));

  if (counted)
    g_atomic_int_inc (&validation_messages);
  GST_CAT_WARNING (omni_vk_debug, "vulkan %s%s [%s]: %s",
      (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) ? "error"
                                                                 : "warning",
      counted ? "" : " (not counted)",
      data->pMessageIdName ? data->pMessageIdName : "-",
      data->pMessage ? data->pMessage : "");
  /* Never abort the call: the application decides. */
  return VK_FALSE;
}

static gboolean
has_layer (const gchar *name)
{
  guint32 n = 0, i;
  VkLayerProperties *layers;
  gboolean found = FALSE;

  if (vkEnumerateInstanceLayerProperties (&n, NULL) != VK_SUCCESS)
    return FALSE;
  layers = g_new0 (VkLayerProperties, MAX (n, 1));
  if (vkEnumerateInstanceLayerProperties (&n, layers) >= VK_SUCCESS)
    for (i = 0; i < n; i++)
      if (strcmp (layers[i].layerName, name) == 0)
        found = TRUE;
  g_free (layers);
  return found;
}

static gboolean
has_instance_extension (const gchar *layer, const gchar *name)
{
  guint32 n = 0, i;
  VkExtensionProperties *exts;
  gboolean found = FALSE;

  if (vkEnumerateInstanceExtensionProperties (layer, &n, NULL) != VK_SUCCESS)
    return FALSE;
  exts = g_new0 (VkExtensionProperties, MAX (n, 1));
  if (vkEnumerateInstanceExtensionProperties (layer, &n, exts) >= VK_SUCCESS)
    for (i = 0; i < n; i++)
      if (strcmp (exts[i].extensionName, name) == 0)
        found = TRUE;
  g_free (exts);
  return found;
}

static const gchar no_driver_hint[]
    = "install mesa-vulkan-drivers for the CPU driver (lavapipe), or the "
      "Vulkan "
      "driver of your GPU (e.g. nvidia-driver, mesa-vulkan-drivers for "
      "AMD/Intel); the loader is libvulkan1";

static OmniVkInstance *
instance_create (GError **error)
{
  OmniVkInstance *self;
  VkApplicationInfo app = { VK_STRUCTURE_TYPE_APPLICATION_INFO };
  VkInstanceCreateInfo ci = { VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO };
  VkDebugUtilsMessengerCreateInfoEXT mci
      = { VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT };
  VkValidationFeaturesEXT features
      = { VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT };
  static const VkValidationFeatureEnableEXT enables[] = {
    VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT,
  };
  const gchar *layers[1];
  const gchar *exts[4];
  guint n_exts = 0;
  guint32 version = VK_API_VERSION_1_0;
  gboolean validation = omni_vk_validation_enabled ();
  VkResult res;

  res = vkEnumerateInstanceVersion (&version);
  if (res != VK_SUCCESS) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_NO_DRIVER,
        "The Vulkan loader does not work (%s): %s",
        omni_vk_result_to_string (res), no_driver_hint);
    return NULL;
  }
  if (version < VK_API_VERSION_1_1) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_NO_DRIVER,
        "The Vulkan loader supports only Vulkan %u.%u; gst-omni needs 1.1: "
        "update libvulkan1",
        VK_API_VERSION_MAJOR (version), VK_API_VERSION_MINOR (version));
    return NULL;
  }

  self = g_new0 (OmniVkInstance, 1);
  self->refcount = 1;
  self->api_version = MIN (version, VK_API_VERSION_1_3);

  app.pApplicationName = "gst-omni";
  app.applicationVersion = VK_MAKE_API_VERSION (0, 0, 1, 0);
  app.pEngineName = "gst-omni";
  app.engineVersion = VK_MAKE_API_VERSION (0, 0, 1, 0);
  app.apiVersion = self->api_version;
  ci.pApplicationInfo = &app;

  if (has_instance_extension (NULL, "VK_KHR_portability_enumeration")) {
    /* MoltenVK and other non-conformant implementations only show up when
     * the application says it can handle them. */
    exts[n_exts++] = "VK_KHR_portability_enumeration";
    ci.flags |= VK_INSTANCE_CREATE_ENUMERATE_PORTABILITY_BIT_KHR;
  }

  if (validation) {
    if (!has_layer (VALIDATION_LAYER)) {
      g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_VALIDATION_MISSING,
          "OMNI_VK_VALIDATION=1 asks for the Vulkan validation layer "
          "%s, which is not installed: install vulkan-validationlayers "
          "(or unset OMNI_VK_VALIDATION)",
          VALIDATION_LAYER);
      g_free (self);
      return NULL;
    }
    layers[0] = VALIDATION_LAYER;
    ci.enabledLayerCount = 1;
    ci.ppEnabledLayerNames = layers;
    exts[n_exts++] = VK_EXT_DEBUG_UTILS_EXTENSION_NAME;

    mci.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT
                          | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    mci.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT
                      | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT
                      | VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
    mci.pfnUserCallback = debug_messenger_cb;
    /* Chained into the create info, the messenger also sees what happens
     * inside vkCreateInstance and vkDestroyInstance. */
    ci.pNext = &mci;

    if (has_instance_extension (
            VALIDATION_LAYER, VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME)) {
      exts[n_exts++] = VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME;
      features.enabledValidationFeatureCount = G_N_ELEMENTS (enables);
      features.pEnabledValidationFeatures = enables;
      mci.pNext = &features;
    }
  }
  ci.enabledExtensionCount = n_exts;
  ci.ppEnabledExtensionNames = exts;

  res = vkCreateInstance (&ci, NULL, &self->instance);
  if (res == VK_ERROR_INCOMPATIBLE_DRIVER
      || res == VK_ERROR_INITIALIZATION_FAILED) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_NO_DRIVER,
        "No Vulkan driver could be loaded (vkCreateInstance: %s): %s",
        omni_vk_result_to_string (res), no_driver_hint);
    g_free (self);
    return NULL;
  } else if (!_omni_vk_check (NULL, res, "vkCreateInstance", error)) {
    g_free (self);
    return NULL;
  }

  if (validation) {
    PFN_vkCreateDebugUtilsMessengerEXT create_messenger
        = (PFN_vkCreateDebugUtilsMessengerEXT) vkGetInstanceProcAddr (
            self->instance, "vkCreateDebugUtilsMessengerEXT");
    self->destroy_messenger
        = (PFN_vkDestroyDebugUtilsMessengerEXT) vkGetInstanceProcAddr (
            self->instance, "vkDestroyDebugUtilsMessengerEXT");
    mci.pNext = NULL;
    if (!create_messenger || !self->destroy_messenger
        || !_omni_vk_check (NULL,
            create_messenger (self->instance, &mci, NULL, &self->messenger),
            "vkCreateDebugUtilsMessengerEXT", error)) {
      if (!create_messenger || !self->destroy_messenger)
        g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_VALIDATION_MISSING,
            "VK_EXT_debug_utils is not available: cannot report validation "
            "messages");
      vkDestroyInstance (self->instance, NULL);
      g_free (self);
      return NULL;
    }
    self->validation = TRUE;
  }
  GST_CAT_INFO (omni_vk_debug, "created VkInstance (Vulkan %u.%u%s)",
      VK_API_VERSION_MAJOR (self->api_version),
      VK_API_VERSION_MINOR (self->api_version),
      self->validation ? ", validation on" : "");
  return self;
}

OmniVkInstance *
_omni_vk_instance_get (GError **error)
{
  OmniVkInstance *self;

  _omni_vk_debug_init ();
  g_mutex_lock (&instance_lock);
  if (shared_instance) {
    shared_instance->refcount++;
    self = shared_instance;
  } else {
    self = shared_instance = instance_create (error);
  }
  g_mutex_unlock (&instance_lock);
  return self;
}

void
_omni_vk_instance_unref (OmniVkInstance *self)
{
  g_mutex_lock (&instance_lock);
  if (--self->refcount == 0) {
    if (self->messenger)
      self->destroy_messenger (self->instance, self->messenger, NULL);
    vkDestroyInstance (self->instance, NULL);
    GST_CAT_INFO (omni_vk_debug, "destroyed VkInstance");
    if (shared_instance == self)
      shared_instance = NULL;
    g_free (self);
  }
  g_mutex_unlock (&instance_lock);
}

static OmniVkDeviceType
map_type (VkPhysicalDeviceType t)
{
  switch (t) {
  case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
    return OMNI_VK_DEVICE_TYPE_DISCRETE;
  case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
    return OMNI_VK_DEVICE_TYPE_INTEGRATED;
  case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
    return OMNI_VK_DEVICE_TYPE_VIRTUAL;
  case VK_PHYSICAL_DEVICE_TYPE_CPU:
    return OMNI_VK_DEVICE_TYPE_CPU;
  default:
    return OMNI_VK_DEVICE_TYPE_OTHER;
  }
}

/* A compute-capable queue family, preferring one without graphics (an
 * asynchronous compute queue on desktop GPUs). */
static guint32
pick_queue_family (VkPhysicalDevice pd)
{
  guint32 n = 0, i, best = G_MAXUINT32;
  VkQueueFamilyProperties *fams;

  vkGetPhysicalDeviceQueueFamilyProperties (pd, &n, NULL);
  fams = g_new0 (VkQueueFamilyProperties, MAX (n, 1));
  vkGetPhysicalDeviceQueueFamilyProperties (pd, &n, fams);
  for (i = 0; i < n; i++) {
    if (!(fams[i].queueFlags & VK_QUEUE_COMPUTE_BIT) || fams[i].queueCount == 0)
      continue;
    if (best == G_MAXUINT32
        || (!(fams[i].queueFlags & VK_QUEUE_GRAPHICS_BIT)
            && (fams[best].queueFlags & VK_QUEUE_GRAPHICS_BIT)))
      best = i;
  }
  g_free (fams);
  return best;
}

static void
physical_clear (gpointer p)
{
  g_free (((OmniVkPhysical *) p)->info.name);
}

GArray *
_omni_vk_instance_list_physical (OmniVkInstance *instance, GError **error)
{
  guint32 n = 0, i;
  VkPhysicalDevice *pds;
  GArray *out;
  VkResult res;

  res = vkEnumeratePhysicalDevices (instance->instance, &n, NULL);
  if (!_omni_vk_check (NULL, res, "vkEnumeratePhysicalDevices", error))
    return NULL;
  pds = g_new0 (VkPhysicalDevice, MAX (n, 1));
  res = vkEnumeratePhysicalDevices (instance->instance, &n, pds);
  if (!_omni_vk_check (NULL, res, "vkEnumeratePhysicalDevices", error)) {
    g_free (pds);
    return NULL;
  }
  out = g_array_sized_new (FALSE, TRUE, sizeof (OmniVkPhysical), n);
  g_array_set_clear_func (out, physical_clear);
  for (i = 0; i < n; i++) {
    VkPhysicalDeviceProperties props;
    OmniVkPhysical p = { 0 };

    vkGetPhysicalDeviceProperties (pds[i], &props);
    p.handle = pds[i];
    p.info.index = i;
    p.info.name = g_strdup (props.deviceName);
    p.info.type = map_type (props.deviceType);
    p.info.vendor_id = props.vendorID;
    p.info.device_id = props.deviceID;
    p.info.api_version = props.apiVersion;
    p.queue_family = pick_queue_family (pds[i]);
    p.info.usable = props.apiVersion >= VK_API_VERSION_1_1
                    && p.queue_family != G_MAXUINT32;
    g_array_append_val (out, p);
  }
  g_free (pds);
  return out;
}

/**
 * omni_vk_device_type_to_string:
 * @type: an #OmniVkDeviceType
 *
 * Returns: (transfer none): "discrete", "integrated", "virtual", "cpu" or
 *   "other"
 */
const gchar *
omni_vk_device_type_to_string (OmniVkDeviceType type)
{
  switch (type) {
  case OMNI_VK_DEVICE_TYPE_DISCRETE:
    return "discrete";
  case OMNI_VK_DEVICE_TYPE_INTEGRATED:
    return "integrated";
  case OMNI_VK_DEVICE_TYPE_VIRTUAL:
    return "virtual";
  case OMNI_VK_DEVICE_TYPE_CPU:
    return "cpu";
  default:
    return "other";
  }
}

gchar *
_omni_vk_format_device_list (GArray *physicals)
{
  GString *s = g_string_new (NULL);
  guint i;

  if (!physicals || physicals->len == 0)
    return g_string_free (s, FALSE);
  for (i = 0; i < physicals->len; i++) {
    const OmniVkDeviceInfo *info
        = &g_array_index (physicals, OmniVkPhysical, i).info;

    g_string_append_printf (s, "%s%u: %s (%s, Vulkan %u.%u%s)", i ? "; " : "",
        info->index, info->name, omni_vk_device_type_to_string (info->type),
        VK_API_VERSION_MAJOR (info->api_version),
        VK_API_VERSION_MINOR (info->api_version),
        info->usable ? "" : ", unusable: needs Vulkan 1.1 and compute");
  }
  return g_string_free (s, FALSE);
}

/**
 * omni_vk_device_info_free:
 * @info: (transfer full): an #OmniVkDeviceInfo
 *
 * Frees @info.
 */
void
omni_vk_device_info_free (OmniVkDeviceInfo *info)
{
  if (!info)
    return;
  g_free (info->name);
  g_free (info);
}

/**
 * omni_vk_enumerate_devices:
 * @error: return location for a #GError
 *
 * Lists the Vulkan devices the loader sees, in enumeration order (the order
 * `device=N` indexes).
 *
 * Returns: (transfer full) (element-type OmniVkDeviceInfo) (nullable): the
 *   devices, possibly none; %NULL with @error set when Vulkan itself is
 *   unusable
 */
GPtrArray *
omni_vk_enumerate_devices (GError **error)
{
  OmniVkInstance *instance = _omni_vk_instance_get (error);
  GArray *phys;
  GPtrArray *out;
  guint i;

  if (!instance)
    return NULL;
  phys = _omni_vk_instance_list_physical (instance, error);
  _omni_vk_instance_unref (instance);
  if (!phys)
    return NULL;
  out = g_ptr_array_new_with_free_func (
      (GDestroyNotify) omni_vk_device_info_free);
  for (i = 0; i < phys->len; i++) {
    OmniVkDeviceInfo *info = g_new (OmniVkDeviceInfo, 1);

    *info = g_array_index (phys, OmniVkPhysical, i).info;
    info->name = g_strdup (info->name);
    g_ptr_array_add (out, info);
  }
  g_array_unref (phys);
  return out;
}

/**
 * omni_vk_describe_devices:
 *
 * A one-line, human-readable list of the Vulkan devices, for messages and
 * `gst-inspect-1.0`, e.g. "0: llvmpipe (LLVM 15.0.6, 256 bits) (cpu,
 * Vulkan 1.3)".
 *
 * Returns: (transfer full): the list, or why there is none
 */
gchar *
omni_vk_describe_devices (void)
{
  GError *err = NULL;
  OmniVkInstance *instance = _omni_vk_instance_get (&err);
  GArray *phys;
  gchar *s;

  if (!instance) {
    s = g_strdup_printf ("none (%s)", err->message);
    g_error_free (err);
    return s;
  }
  phys = _omni_vk_instance_list_physical (instance, &err);
  _omni_vk_instance_unref (instance);
  if (!phys) {
    s = g_strdup_printf ("none (%s)", err->message);
    g_error_free (err);
    return s;
  }
  if (phys->len == 0)
    s = g_strdup_printf ("none: %s", no_driver_hint);
  else
    s = _omni_vk_format_device_list (phys);
  g_array_unref (phys);
  return s;
}

const gchar *
_omni_vk_no_driver_hint (void)
{
  return no_driver_hint;
}
