/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omnivkpipeline
 * @title: OmniVkPipeline
 * @short_description: compute pipelines from the embedded SPIR-V
 *
 * The GLSL compute shaders in `shaders/` are compiled to SPIR-V at build
 * time and embedded in the library; omni_vk_pipeline_new() looks one up by
 * name and builds a compute pipeline from it through the device's pipeline
 * cache.
 *
 * Shapes and workgroup sizes are specialization constants: the
 * @spec_constants array gives the value of constant_id i at index i, each a
 * 32-bit word (use omni_vk_float_bits() for floats). gst-omni's shaders
 * declare `local_size_x_id = 0` (and y = 1, z = 2 where used), so the
 * caller chooses the workgroup size for the device at hand (see
 * omni_vk_device_get_local_size()) rather than assuming a subgroup of 32;
 * lavapipe's subgroup is 8.
 *
 * Every binding is a storage buffer at descriptor set 0; @bindings says how
 * the shader uses each one (#OmniVkAccess), which is what lets command
 * recording place barriers only where a later dispatch depends on an
 * earlier one. Small per-dispatch parameters go in push constants.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnivk-private.h"
#include "omni-shaders.h"

GST_DEFINE_MINI_OBJECT_TYPE (OmniVkPipeline, omni_vk_pipeline);

static void
omni_vk_pipeline_free (OmniVkPipeline *self)
{
  VkDevice dev = self->device->device;

  if (self->pipeline)
    vkDestroyPipeline (dev, self->pipeline, NULL);
  if (self->layout)
    vkDestroyPipelineLayout (dev, self->layout, NULL);
  if (self->set_layout)
    vkDestroyDescriptorSetLayout (dev, self->set_layout, NULL);
  gst_object_unref (self->device);
  g_free (self->shader);
  g_free (self->access);
  g_free (self);
}

/**
 * omni_vk_pipeline_new:
 * @device: an #OmniVkDevice
 * @shader: name of an embedded shader (its file name in `shaders/` without
 *   `.comp`)
 * @bindings: (array length=n_bindings): how the shader uses each storage
 *   buffer binding 0..n_bindings-1
 * @n_bindings: number of bindings, at least 1
 * @push_constant_size: bytes of push constants (a multiple of 4, at most
 *   the device's maxPushConstantsSize), 0 for none
 * @spec_constants: (array length=n_spec_constants) (nullable): value of
 *   specialization constant i at index i
 * @n_spec_constants: length of @spec_constants
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the pipeline, or %NULL with @error set
 */
OmniVkPipeline *
omni_vk_pipeline_new (OmniVkDevice *device, const gchar *shader,
    const OmniVkAccess *bindings, guint n_bindings, guint push_constant_size,
    const guint32 *spec_constants, guint n_spec_constants, GError **error)
{
  const OmniShaderModule *mod;

  g_return_val_if_fail (shader != NULL, NULL);
  mod = omni_shader_lookup (shader);
  if (!mod) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_SHADER,
        "no embedded compute shader named \"%s\"", shader);
    return NULL;
  }
  return omni_vk_pipeline_new_from_spirv (device, shader, mod->code, mod->size,
      bindings, n_bindings, push_constant_size, spec_constants,
      n_spec_constants, error);
}

/**
 * omni_vk_pipeline_new_from_spirv:
 * @device: an #OmniVkDevice
 * @name: a name for messages
 * @code: (array length=size) (element-type guint8): a SPIR-V compute module
 *   with its entry point "main"
 * @size: bytes of @code, a multiple of 4
 * @bindings: (array length=n_bindings): see omni_vk_pipeline_new()
 * @n_bindings: number of bindings
 * @push_constant_size: bytes of push constants
 * @spec_constants: (array length=n_spec_constants) (nullable): values of
 *   specialization constants 0..n-1
 * @n_spec_constants: length of @spec_constants
 * @error: return location for a #GError
 *
 * Like omni_vk_pipeline_new() for a module that is not embedded in the
 * library (an application's own shader).
 *
 * Returns: (transfer full) (nullable): the pipeline, or %NULL with @error set
 */
OmniVkPipeline *
omni_vk_pipeline_new_from_spirv (OmniVkDevice *device, const gchar *name,
    const guint32 *code, gsize size, const OmniVkAccess *bindings,
    guint n_bindings, guint push_constant_size, const guint32 *spec_constants,
    guint n_spec_constants, GError **error)
{
  const gchar *shader = name;
  const VkPhysicalDeviceLimits *lim;
  OmniVkPipeline *self;
  VkDescriptorSetLayoutBinding *lb;
  VkDescriptorSetLayoutCreateInfo dslci
      = { VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO };
  VkPushConstantRange pcr = { VK_SHADER_STAGE_COMPUTE_BIT, 0, 0 };
  VkPipelineLayoutCreateInfo plci
      = { VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO };
  VkShaderModuleCreateInfo smci
      = { VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO };
  VkShaderModule module = VK_NULL_HANDLE;
  VkSpecializationMapEntry *entries = NULL;
  VkSpecializationInfo spec = { 0 };
  VkComputePipelineCreateInfo cpci
      = { VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO };
  VkPipelineCreationFeedback fb = { 0 }, stage_fb = { 0 };
  VkPipelineCreationFeedbackCreateInfo fbci
      = { VK_STRUCTURE_TYPE_PIPELINE_CREATION_FEEDBACK_CREATE_INFO };
  VkResult res;
  guint i;

  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  if (!_omni_vk_device_check_lost (device, error))
    return NULL;
  if (!code || size < 20 || size % 4 || code[0] != 0x07230203u) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_SHADER,
        "shader %s is not a SPIR-V module", name);
    return NULL;
  }
  lim = &device->props.limits;
  if (n_bindings == 0 || !bindings
      || n_bindings > lim->maxPerStageDescriptorStorageBuffers) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
        "shader %s: %u storage buffer bindings (1 to %u allowed)", shader,
        n_bindings, lim->maxPerStageDescriptorStorageBuffers);
    return NULL;
  }
  if (push_constant_size % 4
      || push_constant_size > lim->maxPushConstantsSize) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
        "shader %s: %u bytes of push constants (a multiple of 4 up to %u "
        "allowed)",
        shader, push_constant_size, lim->maxPushConstantsSize);
    return NULL;
  }

  self = g_new0 (OmniVkPipeline, 1);
  gst_mini_object_init (GST_MINI_OBJECT_CAST (self), 0, OMNI_TYPE_VK_PIPELINE,
      NULL, NULL, (GstMiniObjectFreeFunction) omni_vk_pipeline_free);
  self->device = gst_object_ref (device);
  self->shader = g_strdup (shader);
  self->n_bindings = n_bindings;
  self->access = g_memdup2 (bindings, n_bindings * sizeof (OmniVkAccess));
  self->push_size = push_constant_size;

  lb = g_new0 (VkDescriptorSetLayoutBinding, n_bindings);
  for (i = 0; i < n_bindings; i++) {
    lb[i].binding = i;
    lb[i].descriptorType = _omni_vk_access_descriptor_type (bindings[i]);
    lb[i].descriptorCount = 1;
    lb[i].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
  }
  dslci.bindingCount = n_bindings;
  dslci.pBindings = lb;
  res = vkCreateDescriptorSetLayout (
      device->device, &dslci, NULL, &self->set_layout);
  g_free (lb);
  if (!_omni_vk_check (device, res, "vkCreateDescriptorSetLayout", error)) {
    self->set_layout = VK_NULL_HANDLE;
    goto fail;
  }

  plci.setLayoutCount = 1;
  plci.pSetLayouts = &self->set_layout;
  if (push_constant_size) {
    pcr.size = push_constant_size;
    plci.pushConstantRangeCount = 1;
    plci.pPushConstantRanges = &pcr;
  }
  res = vkCreatePipelineLayout (device->device, &plci, NULL, &self->layout);
  if (!_omni_vk_check (device, res, "vkCreatePipelineLayout", error)) {
    self->layout = VK_NULL_HANDLE;
    goto fail;
  }

  smci.codeSize = size;
  smci.pCode = code;
  res = vkCreateShaderModule (device->device, &smci, NULL, &module);
  if (!_omni_vk_check (device, res, "vkCreateShaderModule", error))
    goto fail;

  if (n_spec_constants) {
    entries = g_new0 (VkSpecializationMapEntry, n_spec_constants);
    for (i = 0; i < n_spec_constants; i++) {
      entries[i].constantID = i;
      entries[i].offset = i * 4;
      entries[i].size = 4;
    }
    spec.mapEntryCount = n_spec_constants;
    spec.pMapEntries = entries;
    spec.dataSize = n_spec_constants * 4;
    spec.pData = spec_constants;
  }

  cpci.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
  cpci.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  cpci.stage.module = module;
  cpci.stage.pName = "main";
  cpci.stage.pSpecializationInfo = n_spec_constants ? &spec : NULL;
  cpci.layout = self->layout;
  /* Creation feedback (core in Vulkan 1.3) says whether the pipeline cache
   * already held this pipeline. */
  if (device->props.apiVersion >= VK_API_VERSION_1_3) {
    fbci.pPipelineCreationFeedback = &fb;
    fbci.pipelineStageCreationFeedbackCount = 1;
    fbci.pPipelineStageCreationFeedbacks = &stage_fb;
    cpci.pNext = &fbci;
  }
  res = vkCreateComputePipelines (
      device->device, device->pipeline_cache, 1, &cpci, NULL, &self->pipeline);
  vkDestroyShaderModule (device->device, module, NULL);
  g_free (entries);
  if (!_omni_vk_check (device, res, "vkCreateComputePipelines", error)) {
    self->pipeline = VK_NULL_HANDLE;
    g_prefix_error (error, "shader %s: ", shader);
    if (error && *error && (*error)->code == OMNI_VK_ERROR_FAILED)
      (*error)->code = OMNI_VK_ERROR_SHADER;
    goto fail;
  }
  self->feedback_valid
      = (fb.flags & VK_PIPELINE_CREATION_FEEDBACK_VALID_BIT) != 0;
  self->cache_hit
      = (fb.flags
            & VK_PIPELINE_CREATION_FEEDBACK_APPLICATION_PIPELINE_CACHE_HIT_BIT)
        != 0;
  g_mutex_lock (&device->cache_lock);
  if (!self->cache_hit)
    device->cache_dirty = TRUE;
  g_mutex_unlock (&device->cache_lock);
  GST_CAT_DEBUG (omni_vk_debug,
      "pipeline %s: %u bindings, %u push bytes, "
      "%u spec constants%s",
      shader, n_bindings, push_constant_size, n_spec_constants,
      self->cache_hit ? ", from the pipeline cache" : "");
  return self;

fail:
  omni_vk_pipeline_unref (self);
  return NULL;
}

/**
 * omni_vk_pipeline_ref:
 * @pipeline: an #OmniVkPipeline
 *
 * Returns: (transfer full): @pipeline
 */
OmniVkPipeline *
omni_vk_pipeline_ref (OmniVkPipeline *pipeline)
{
  return (OmniVkPipeline *) gst_mini_object_ref (
      GST_MINI_OBJECT_CAST (pipeline));
}

/**
 * omni_vk_pipeline_unref:
 * @pipeline: (transfer full): an #OmniVkPipeline
 *
 * Drops a reference.
 */
void
omni_vk_pipeline_unref (OmniVkPipeline *pipeline)
{
  gst_mini_object_unref (GST_MINI_OBJECT_CAST (pipeline));
}

/**
 * omni_vk_pipeline_get_shader:
 * @pipeline: an #OmniVkPipeline
 *
 * Returns: (transfer none): the shader name
 */
const gchar *
omni_vk_pipeline_get_shader (OmniVkPipeline *pipeline)
{
  return pipeline->shader;
}

/**
 * omni_vk_pipeline_get_n_bindings:
 * @pipeline: an #OmniVkPipeline
 *
 * Returns: the number of storage buffer bindings
 */
guint
omni_vk_pipeline_get_n_bindings (OmniVkPipeline *pipeline)
{
  return pipeline->n_bindings;
}

/**
 * omni_vk_pipeline_get_push_constant_size:
 * @pipeline: an #OmniVkPipeline
 *
 * Returns: the size of the push-constant range in bytes
 */
guint
omni_vk_pipeline_get_push_constant_size (OmniVkPipeline *pipeline)
{
  return pipeline->push_size;
}

/**
 * omni_vk_pipeline_get_handle:
 * @pipeline: an #OmniVkPipeline
 *
 * Returns: the VkPipeline
 */
VkPipeline
omni_vk_pipeline_get_handle (OmniVkPipeline *pipeline)
{
  return pipeline->pipeline;
}

/**
 * omni_vk_pipeline_get_layout:
 * @pipeline: an #OmniVkPipeline
 *
 * Returns: the VkPipelineLayout
 */
VkPipelineLayout
omni_vk_pipeline_get_layout (OmniVkPipeline *pipeline)
{
  return pipeline->layout;
}

/**
 * omni_vk_pipeline_get_cache_hit:
 * @pipeline: an #OmniVkPipeline
 * @hit: (out): whether the driver found the pipeline in the pipeline cache
 *
 * Returns: %TRUE when the driver gave creation feedback, so that @hit is
 *   meaningful
 */
gboolean
omni_vk_pipeline_get_cache_hit (OmniVkPipeline *pipeline, gboolean *hit)
{
  *hit = pipeline->cache_hit;
  return pipeline->feedback_valid;
}
