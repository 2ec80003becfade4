/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omnivkcommand
 * @title: OmniVkCommand
 * @short_description: recording, barriers, submission and fences
 *
 * An #OmniVkCommand is one primary command buffer, with its own command
 * pool (so commands can be recorded in different threads) and a fence. It
 * is recorded between omni_vk_command_begin() and omni_vk_command_end(),
 * then submitted and waited for; a recording can be submitted again and
 * again (a network records its whole inference once and submits it per
 * frame).
 *
 * Barriers. Recording tracks, per buffer, the last write and the reads
 * since, and inserts a VkBufferMemoryBarrier only where a command depends
 * on an earlier one: read-after-write (compute→compute, transfer→compute,
 * compute→transfer), write-after-write, and write-after-read (an execution
 * dependency only). Independent dispatches get no barrier between them and
 * can overlap. Barriers needed before the same command are merged into one
 * vkCmdPipelineBarrier. Each recording starts with a global memory barrier
 * from earlier submissions' compute and transfer writes (the first
 * synchronisation scope of a barrier includes all commands submitted
 * before), and ends with one from this recording's writes to host reads, so
 * results can be read through a mapping once the fence has signalled. The
 * test suite runs with the validation layer's synchronisation validation,
 * which reports any missing barrier.
 *
 * Errors while recording (a full descriptor pool, a lost device) are kept
 * and reported by omni_vk_command_end().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnivk-private.h"

typedef enum {
  STATE_INITIAL,
  STATE_RECORDING,
  STATE_EXECUTABLE,
  STATE_PENDING,
} CommandState;

struct _OmniVkCommand {
  GstMiniObject mini_object;

  OmniVkDevice *device;
  VkCommandPool pool;
  VkCommandBuffer cb;
  VkFence fence;
  CommandState state;
  guint epoch;
  GError *error;        /* first recording error */
  GPtrArray *resources; /* mini objects used by the recording */
  OmniVkDescriptorPool *transient;
  VkPipeline bound;

  /* barriers waiting to be emitted before the next command */
  GArray *barriers; /* VkBufferMemoryBarrier */
  VkPipelineStageFlags src_stages;
  VkPipelineStageFlags dst_stages;

  guint n_barriers;
  guint n_dispatches;
};

GST_DEFINE_MINI_OBJECT_TYPE (OmniVkCommand, omni_vk_command);

static gint epoch_counter;

static void
release_resources (OmniVkCommand *self)
{
  g_ptr_array_set_size (self->resources, 0);
  if (self->transient) {
    omni_vk_descriptor_pool_unref (self->transient);
    self->transient = NULL;
  }
}

static void
omni_vk_command_free (OmniVkCommand *self)
{
  VkDevice dev = self->device->device;

  if (self->state == STATE_PENDING && !g_atomic_int_get (&self->device->lost))
    vkWaitForFences (dev, 1, &self->fence, VK_TRUE, G_MAXUINT64);
  release_resources (self);
  g_ptr_array_unref (self->resources);
  g_array_unref (self->barriers);
  if (self->fence)
    vkDestroyFence (dev, self->fence, NULL);
  if (self->pool)
    vkDestroyCommandPool (dev, self->pool, NULL); /* frees the buffer too */
  g_clear_error (&self->error);
  gst_object_unref (self->device);
  g_free (self);
}

/**
 * omni_vk_command_new:
 * @device: an #OmniVkDevice
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a new command, or %NULL with @error set
 */
OmniVkCommand *
omni_vk_command_new (OmniVkDevice *device, GError **error)
{
  OmniVkCommand *self;
  VkCommandPoolCreateInfo pci = { VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO };
  VkCommandBufferAllocateInfo ai
      = { VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO };
  VkFenceCreateInfo fci = { VK_STRUCTURE_TYPE_FENCE_CREATE_INFO };
  VkResult res;

  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), NULL);
  if (!_omni_vk_device_check_lost (device, error))
    return NULL;

  self = g_new0 (OmniVkCommand, 1);
  gst_mini_object_init (GST_MINI_OBJECT_CAST (self), 0, OMNI_TYPE_VK_COMMAND,
      NULL, NULL, (GstMiniObjectFreeFunction) omni_vk_command_free);
  self->device = gst_object_ref (device);
  self->resources
      = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_mini_object_unref);
  self->barriers = g_array_new (FALSE, TRUE, sizeof (VkBufferMemoryBarrier));

  pci.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  pci.queueFamilyIndex = device->queue_family;
  res = vkCreateCommandPool (device->device, &pci, NULL, &self->pool);
  if (!_omni_vk_check (device, res, "vkCreateCommandPool", error)) {
    self->pool = VK_NULL_HANDLE;
    goto fail;
  }
  ai.commandPool = self->pool;
  ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  ai.commandBufferCount = 1;
  res = vkAllocateCommandBuffers (device->device, &ai, &self->cb);
  if (!_omni_vk_check (device, res, "vkAllocateCommandBuffers", error))
    goto fail;
  res = vkCreateFence (device->device, &fci, NULL, &self->fence);
  if (!_omni_vk_check (device, res, "vkCreateFence", error)) {
    self->fence = VK_NULL_HANDLE;
    goto fail;
  }
  return self;

fail:
  omni_vk_command_unref (self);
  return NULL;
}

/**
 * omni_vk_command_ref:
 * @cmd: an #OmniVkCommand
 *
 * Returns: (transfer full): @cmd
 */
OmniVkCommand *
omni_vk_command_ref (OmniVkCommand *cmd)
{
  return (OmniVkCommand *) gst_mini_object_ref (GST_MINI_OBJECT_CAST (cmd));
}

/**
 * omni_vk_command_unref:
 * @cmd: (transfer full): an #OmniVkCommand
 *
 * Drops a reference; the last one waits for a pending submission, then
 * frees the command buffer and releases what the recording used.
 */
void
omni_vk_command_unref (OmniVkCommand *cmd)
{
  gst_mini_object_unref (GST_MINI_OBJECT_CAST (cmd));
}

static void
global_barrier (OmniVkCommand *self, VkPipelineStageFlags src,
    VkAccessFlags src_access, VkPipelineStageFlags dst,
    VkAccessFlags dst_access)
{
  VkMemoryBarrier mb = { VK_STRUCTURE_TYPE_MEMORY_BARRIER };

  mb.srcAccessMask = src_access;
  mb.dstAccessMask = dst_access;
  vkCmdPipelineBarrier (self->cb, src, dst, 0, 1, &mb, 0, NULL, 0, NULL);
}

/**
 * omni_vk_command_begin:
 * @cmd: an #OmniVkCommand
 * @error: return location for a #GError
 *
 * Starts a new recording, replacing the previous one (after waiting for it
 * if it is still executing) and releasing what it used.
 *
 * Returns: %FALSE with @error set on failure
 */
gboolean
omni_vk_command_begin (OmniVkCommand *cmd, GError **error)
{
  VkCommandBufferBeginInfo bi = { VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO };
  VkResult res;

  g_return_val_if_fail (cmd != NULL, FALSE);
  g_return_val_if_fail (cmd->state != STATE_RECORDING, FALSE);
  if (cmd->state == STATE_PENDING
      && !omni_vk_command_wait (cmd, G_MAXUINT64, error))
    return FALSE;
  if (!_omni_vk_device_check_lost (cmd->device, error))
    return FALSE;
  release_resources (cmd);
  g_clear_error (&cmd->error);
  g_array_set_size (cmd->barriers, 0);
  cmd->src_stages = cmd->dst_stages = 0;
  cmd->n_barriers = cmd->n_dispatches = 0;
  cmd->bound = VK_NULL_HANDLE;
  /* 0 means "no state" in a buffer's tracking. */
  do
    cmd->epoch = (guint) g_atomic_int_add (&epoch_counter, 1) + 1;
  while (cmd->epoch == 0);

  res = vkResetCommandBuffer (cmd->cb, 0);
  if (!_omni_vk_check (cmd->device, res, "vkResetCommandBuffer", error))
    return FALSE;
  res = vkBeginCommandBuffer (cmd->cb, &bi);
  if (!_omni_vk_check (cmd->device, res, "vkBeginCommandBuffer", error))
    return FALSE;
  cmd->state = STATE_RECORDING;
  /* Work submitted earlier (a previous frame) may still write buffers this
   * recording reads or overwrites. */
  global_barrier (cmd,
      VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
      VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
      VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
      VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT
          | VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT);
  return TRUE;
}

static void
keep (OmniVkCommand *cmd, gpointer mini_object)
{
  g_ptr_array_add (
      cmd->resources, gst_mini_object_ref (GST_MINI_OBJECT_CAST (mini_object)));
}

/* Records that the next command accesses @buf at @stage; queues the barrier
 * that makes it safe. @access holds VK_ACCESS_*_READ/WRITE bits. */
static void
track (OmniVkCommand *cmd, OmniVkBuffer *buf, VkPipelineStageFlags stage,
    VkAccessFlags access)
{
  OmniVkBufferTrack *t = &buf->track;
  const VkAccessFlags write_bits
      = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  gboolean writes = (access & write_bits) != 0;
  gboolean reads = (access & ~write_bits) != 0;
  gboolean need;

  if (t->epoch != cmd->epoch) {
    /* First use in this recording: earlier work is covered by the global
     * barrier at the start of the recording, host writes by the submit. */
    memset (t, 0, sizeof (*t));
    t->epoch = cmd->epoch;
  }
  need = (t->write_stage && (writes || (reads && !(t->visible_stages & stage))))
         || (writes && t->read_stages);
  if (need) {
    VkBufferMemoryBarrier b = { VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER };

    b.srcAccessMask = t->write_access;
    b.dstAccessMask = access;
    b.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    b.buffer = buf->buffer;
    b.offset = 0;
    b.size = VK_WHOLE_SIZE;
    g_array_append_val (cmd->barriers, b);
    cmd->src_stages |= t->write_stage | (writes ? t->read_stages : 0);
    cmd->dst_stages |= stage;
  }
  if (writes) {
    t->write_stage = stage;
    t->write_access = access & write_bits;
    t->read_stages = 0;
    t->visible_stages = 0;
  } else {
    if (t->write_stage)
      t->visible_stages |= stage;
    t->read_stages |= stage;
  }
}

static void
flush_barriers (OmniVkCommand *cmd)
{
  if (cmd->barriers->len == 0)
    return;
  vkCmdPipelineBarrier (cmd->cb, cmd->src_stages, cmd->dst_stages, 0, 0, NULL,
      cmd->barriers->len, (const VkBufferMemoryBarrier *) cmd->barriers->data,
      0, NULL);
  cmd->n_barriers++;
  g_array_set_size (cmd->barriers, 0);
  cmd->src_stages = cmd->dst_stages = 0;
}

static void
record_error (OmniVkCommand *cmd, GError *err)
{
  if (!cmd->error)
    cmd->error = err;
  else
    g_error_free (err);
}

static VkAccessFlags
shader_access (OmniVkAccess a)
{
  return ((a & OMNI_VK_ACCESS_READ) ? VK_ACCESS_SHADER_READ_BIT : 0)
         | ((a & OMNI_VK_ACCESS_WRITE) ? VK_ACCESS_SHADER_WRITE_BIT : 0);
}

static void
dispatch_set (OmniVkCommand *cmd, OmniVkDescriptorSet *set, gconstpointer push,
    guint push_size, guint32 gx, guint32 gy, guint32 gz)
{
  OmniVkPipeline *p = set->pipeline;
  const VkPhysicalDeviceLimits *lim = &cmd->device->props.limits;
  guint i, j;

  if (gx > lim->maxComputeWorkGroupCount[0]
      || gy > lim->maxComputeWorkGroupCount[1]
      || gz > lim->maxComputeWorkGroupCount[2]) {
    record_error (
        cmd, g_error_new (OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
                 "shader %s: %u×%u×%u workgroups exceed the "
                 "device limit %u×%u×%u",
                 p->shader, gx, gy, gz, lim->maxComputeWorkGroupCount[0],
                 lim->maxComputeWorkGroupCount[1],
                 lim->maxComputeWorkGroupCount[2]));
    return;
  }
  if (gx == 0 || gy == 0 || gz == 0)
    return;

  /* A buffer bound twice is one access with the union of both uses. */
  for (i = 0; i < set->n_buffers; i++) {
    VkAccessFlags access = shader_access (p->access[i]);
    gboolean seen = FALSE;

    for (j = 0; j < i; j++)
      if (set->buffers[j] == set->buffers[i])
        seen = TRUE;
    if (seen)
      continue;
    for (j = i + 1; j < set->n_buffers; j++)
      if (set->buffers[j] == set->buffers[i])
        access |= shader_access (p->access[j]);
    track (cmd, set->buffers[i], VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, access);
  }
  flush_barriers (cmd);

  if (cmd->bound != p->pipeline) {
    vkCmdBindPipeline (cmd->cb, VK_PIPELINE_BIND_POINT_COMPUTE, p->pipeline);
    cmd->bound = p->pipeline;
  }
  vkCmdBindDescriptorSets (cmd->cb, VK_PIPELINE_BIND_POINT_COMPUTE, p->layout,
      0, 1, &set->set, 0, NULL);
  if (push_size)
    vkCmdPushConstants (
        cmd->cb, p->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, push_size, push);
  vkCmdDispatch (cmd->cb, gx, gy, gz);
  cmd->n_dispatches++;
  keep (cmd, set);
}

/**
 * omni_vk_command_dispatch:
 * @cmd: a recording #OmniVkCommand
 * @set: the descriptor set, which names the pipeline and the buffers
 * @push_constants: (nullable): @push_size bytes of push constants
 * @push_size: must equal the pipeline's push-constant size
 * @groups_x: workgroups in x
 * @groups_y: workgroups in y
 * @groups_z: workgroups in z
 *
 * Records a dispatch of @set's pipeline, preceded by the barriers its
 * buffers need.
 */
void
omni_vk_command_dispatch (OmniVkCommand *cmd, OmniVkDescriptorSet *set,
    gconstpointer push_constants, guint push_size, guint32 groups_x,
    guint32 groups_y, guint32 groups_z)
{
  g_return_if_fail (cmd != NULL && cmd->state == STATE_RECORDING);
  g_return_if_fail (set != NULL);
  g_return_if_fail (push_size == set->pipeline->push_size);
  g_return_if_fail (push_size == 0 || push_constants != NULL);
  if (cmd->error)
    return;
  dispatch_set (
      cmd, set, push_constants, push_size, groups_x, groups_y, groups_z);
}

/**
 * omni_vk_command_dispatch_buffers:
 * @cmd: a recording #OmniVkCommand
 * @pipeline: the pipeline
 * @buffers: (array length=n_buffers): one buffer per binding
 * @n_buffers: the pipeline's number of bindings
 * @push_constants: (nullable): @push_size bytes of push constants
 * @push_size: must equal the pipeline's push-constant size
 * @groups_x: workgroups in x
 * @groups_y: workgroups in y
 * @groups_z: workgroups in z
 *
 * Like omni_vk_command_dispatch() with a descriptor set allocated for this
 * recording from pools the command owns (released by the next
 * omni_vk_command_begin()). Convenient for one-off work; a network records
 * with sets it allocated once.
 */
void
omni_vk_command_dispatch_buffers (OmniVkCommand *cmd, OmniVkPipeline *pipeline,
    OmniVkBuffer *const *buffers, guint n_buffers, gconstpointer push_constants,
    guint push_size, guint32 groups_x, guint32 groups_y, guint32 groups_z)
{
  OmniVkDescriptorSet *set;
  GError *err = NULL;

  g_return_if_fail (cmd != NULL && cmd->state == STATE_RECORDING);
  g_return_if_fail (pipeline != NULL);
  g_return_if_fail (push_size == pipeline->push_size);
  g_return_if_fail (push_size == 0 || push_constants != NULL);
  if (cmd->error)
    return;
  if (!cmd->transient
      || !omni_vk_descriptor_pool_has_room (cmd->transient, n_buffers)) {
    if (cmd->transient) {
      keep (cmd, cmd->transient);
      omni_vk_descriptor_pool_unref (cmd->transient);
    }
    cmd->transient = omni_vk_descriptor_pool_new (
        cmd->device, 64, MAX (256, n_buffers), &err);
    if (!cmd->transient) {
      record_error (cmd, err);
      return;
    }
  }
  set = omni_vk_descriptor_set_new (
      cmd->transient, pipeline, buffers, n_buffers, &err);
  if (!set) {
    record_error (cmd, err);
    return;
  }
  dispatch_set (
      cmd, set, push_constants, push_size, groups_x, groups_y, groups_z);
  omni_vk_descriptor_set_unref (set);
}

/**
 * omni_vk_command_copy_buffer:
 * @cmd: a recording #OmniVkCommand
 * @src: source buffer
 * @src_offset: byte offset in @src
 * @dst: destination buffer (not @src)
 * @dst_offset: byte offset in @dst
 * @size: bytes to copy
 *
 * Records a transfer (staging upload or download, or a copy between
 * buffers), with the barriers it needs.
 */
void
omni_vk_command_copy_buffer (OmniVkCommand *cmd, OmniVkBuffer *src,
    gsize src_offset, OmniVkBuffer *dst, gsize dst_offset, gsize size)
{
  VkBufferCopy region;

  g_return_if_fail (cmd != NULL && cmd->state == STATE_RECORDING);
  g_return_if_fail (src != NULL && dst != NULL && src != dst);
  if (cmd->error || size == 0)
    return;
  if (src_offset > src->size || size > src->size - src_offset
      || dst_offset > dst->size || size > dst->size - dst_offset) {
    record_error (cmd,
        g_error_new (OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
            "copy of %" G_GSIZE_FORMAT " bytes is outside the buffers", size));
    return;
  }
  track (cmd, src, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_READ_BIT);
  track (
      cmd, dst, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
  flush_barriers (cmd);
  region.srcOffset = src_offset;
  region.dstOffset = dst_offset;
  region.size = size;
  vkCmdCopyBuffer (cmd->cb, src->buffer, dst->buffer, 1, &region);
  keep (cmd, src);
  keep (cmd, dst);
}

/**
 * omni_vk_command_fill_buffer:
 * @cmd: a recording #OmniVkCommand
 * @dst: the buffer
 * @offset: byte offset, a multiple of 4
 * @size: bytes, a multiple of 4, or G_MAXSIZE for the rest of the buffer
 * @value: the 32-bit word to repeat (0 clears; 0x3f800000 is 1.0f)
 *
 * Records vkCmdFillBuffer, e.g. to zero an accumulator.
 */
void
omni_vk_command_fill_buffer (OmniVkCommand *cmd, OmniVkBuffer *dst,
    gsize offset, gsize size, guint32 value)
{
  g_return_if_fail (cmd != NULL && cmd->state == STATE_RECORDING);
  g_return_if_fail (dst != NULL && offset % 4 == 0);
  if (cmd->error)
    return;
  if (size == G_MAXSIZE)
    size = (dst->size - MIN (offset, dst->size)) & ~(gsize) 3;
  if (size == 0)
    return;
  if (size % 4 || offset > dst->size || size > dst->size - offset) {
    record_error (cmd, g_error_new (OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
                           "fill of %" G_GSIZE_FORMAT "+%" G_GSIZE_FORMAT
                           " bytes is misaligned or outside the buffer",
                           offset, size));
    return;
  }
  track (
      cmd, dst, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
  flush_barriers (cmd);
  vkCmdFillBuffer (cmd->cb, dst->buffer, offset, size, value);
  keep (cmd, dst);
}

/**
 * omni_vk_command_end:
 * @cmd: a recording #OmniVkCommand
 * @error: return location for a #GError
 *
 * Ends the recording: adds the barrier that makes every write of the
 * recording visible to host reads after the fence.
 *
 * Returns: %FALSE with @error set when recording failed (the first error is
 *   reported)
 */
gboolean
omni_vk_command_end (OmniVkCommand *cmd, GError **error)
{
  VkResult res;

  g_return_val_if_fail (cmd != NULL && cmd->state == STATE_RECORDING, FALSE);
  global_barrier (cmd,
      VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
      VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
      VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_READ_BIT);
  res = vkEndCommandBuffer (cmd->cb);
  cmd->state = STATE_INITIAL;
  if (cmd->error) {
    g_propagate_error (error, cmd->error);
    cmd->error = NULL;
    return FALSE;
  }
  if (!_omni_vk_check (cmd->device, res, "vkEndCommandBuffer", error))
    return FALSE;
  cmd->state = STATE_EXECUTABLE;
  return TRUE;
}

/**
 * omni_vk_command_submit:
 * @cmd: an ended #OmniVkCommand
 * @error: return location for a #GError
 *
 * Submits the recording to the device's compute queue and returns at once.
 * If the previous submission of @cmd is still executing, waits for it first.
 *
 * Returns: %FALSE with @error set on failure (%OMNI_VK_ERROR_DEVICE_LOST
 *   when the device was lost)
 */
gboolean
omni_vk_command_submit (OmniVkCommand *cmd, GError **error)
{
  VkSubmitInfo si = { VK_STRUCTURE_TYPE_SUBMIT_INFO };
  VkResult res;

  g_return_val_if_fail (cmd != NULL, FALSE);
  if (cmd->state == STATE_PENDING
      && !omni_vk_command_wait (cmd, G_MAXUINT64, error))
    return FALSE;
  if (cmd->state != STATE_EXECUTABLE) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
        "nothing recorded to submit");
    return FALSE;
  }
  if (!_omni_vk_device_check_lost (cmd->device, error))
    return FALSE;
  res = vkResetFences (cmd->device->device, 1, &cmd->fence);
  if (!_omni_vk_check (cmd->device, res, "vkResetFences", error))
    return FALSE;
  si.commandBufferCount = 1;
  si.pCommandBuffers = &cmd->cb;
  res = _omni_vk_device_submit (cmd->device, &si, cmd->fence);
  if (!_omni_vk_check (cmd->device, res, "vkQueueSubmit", error))
    return FALSE;
  cmd->state = STATE_PENDING;
  return TRUE;
}

/**
 * omni_vk_command_wait:
 * @cmd: an #OmniVkCommand
 * @timeout_ns: how long to wait, in nanoseconds
 * @error: return location for a #GError
 *
 * Waits for the last submission of @cmd to complete; returns at once when
 * nothing is pending. Results written by it can then be read.
 *
 * Returns: %FALSE with @error set on timeout (%OMNI_VK_ERROR_TIMEOUT, the
 *   work is still pending) or device loss
 */
gboolean
omni_vk_command_wait (OmniVkCommand *cmd, guint64 timeout_ns, GError **error)
{
  VkResult res;

  g_return_val_if_fail (cmd != NULL, FALSE);
  if (cmd->state != STATE_PENDING)
    return TRUE;
  if (!_omni_vk_device_check_lost (cmd->device, error)) {
    cmd->state = STATE_EXECUTABLE;
    return FALSE;
  }
  res = vkWaitForFences (
      cmd->device->device, 1, &cmd->fence, VK_TRUE, timeout_ns);
  if (res == VK_TIMEOUT) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_TIMEOUT,
        "the Vulkan device did not finish within %.3f s", timeout_ns / 1e9);
    return FALSE;
  }
  cmd->state = STATE_EXECUTABLE;
  return _omni_vk_check (cmd->device, res, "vkWaitForFences", error);
}

/**
 * omni_vk_command_run:
 * @cmd: an ended #OmniVkCommand
 * @error: return location for a #GError
 *
 * Submits and waits (at most #OMNI_VK_DEFAULT_TIMEOUT_NS).
 *
 * Returns: %FALSE with @error set on failure
 */
gboolean
omni_vk_command_run (OmniVkCommand *cmd, GError **error)
{
  return omni_vk_command_submit (cmd, error)
         && omni_vk_command_wait (cmd, OMNI_VK_DEFAULT_TIMEOUT_NS, error);
}

/**
 * omni_vk_command_is_pending:
 * @cmd: an #OmniVkCommand
 *
 * Returns: %TRUE while a submission of @cmd has not been waited for
 */
gboolean
omni_vk_command_is_pending (OmniVkCommand *cmd)
{
  return cmd->state == STATE_PENDING;
}

/**
 * omni_vk_command_get_n_barriers:
 * @cmd: an #OmniVkCommand
 *
 * Returns: how many dependency barriers the last recording needed between
 *   its commands (not counting the barriers at its start and end)
 */
guint
omni_vk_command_get_n_barriers (OmniVkCommand *cmd)
{
  return cmd->n_barriers;
}

/**
 * omni_vk_command_get_n_dispatches:
 * @cmd: an #OmniVkCommand
 *
 * Returns: how many dispatches the last recording holds
 */
guint
omni_vk_command_get_n_dispatches (OmniVkCommand *cmd)
{
  return cmd->n_dispatches;
}
