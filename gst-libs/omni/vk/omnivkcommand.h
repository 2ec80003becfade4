/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_VK_COMMAND_H__
#define __OMNI_VK_COMMAND_H__

#include <omni/omni-prelude.h>
#include <omni/vk/omnivkbuffer.h>
#include <omni/vk/omnivkdescriptor.h>
#include <omni/vk/omnivkpipeline.h>

G_BEGIN_DECLS

/**
 * OMNI_VK_DEFAULT_TIMEOUT_NS:
 *
 * How long omni_vk_command_run() waits for a submission: 120 s, far beyond
 * any legitimate inference even on a CPU driver; only a hung device hits it.
 */
#define OMNI_VK_DEFAULT_TIMEOUT_NS (G_GUINT64_CONSTANT (120) * 1000000000)

/**
 * OmniVkCommand:
 *
 * A primary command buffer with its own command pool and fence, recorded
 * once and submitted any number of times. A #GstMiniObject.
 */
typedef struct _OmniVkCommand OmniVkCommand;

#define OMNI_TYPE_VK_COMMAND (omni_vk_command_get_type ())
OMNI_API GType omni_vk_command_get_type (void);

OMNI_API OmniVkCommand *omni_vk_command_new (
    OmniVkDevice *device, GError **error);
OMNI_API OmniVkCommand *omni_vk_command_ref (OmniVkCommand *cmd);
OMNI_API void omni_vk_command_unref (OmniVkCommand *cmd);

OMNI_API gboolean omni_vk_command_begin (OmniVkCommand *cmd, GError **error);
OMNI_API void omni_vk_command_dispatch (OmniVkCommand *cmd,
    OmniVkDescriptorSet *set, gconstpointer push_constants, guint push_size,
    guint32 groups_x, guint32 groups_y, guint32 groups_z);
OMNI_API void omni_vk_command_dispatch_buffers (OmniVkCommand *cmd,
    OmniVkPipeline *pipeline, OmniVkBuffer *const *buffers, guint n_buffers,
    gconstpointer push_constants, guint push_size, guint32 groups_x,
    guint32 groups_y, guint32 groups_z);
OMNI_API void omni_vk_command_copy_buffer (OmniVkCommand *cmd,
    OmniVkBuffer *src, gsize src_offset, OmniVkBuffer *dst, gsize dst_offset,
    gsize size);
OMNI_API void omni_vk_command_fill_buffer (OmniVkCommand *cmd,
    OmniVkBuffer *dst, gsize offset, gsize size, guint32 value);
OMNI_API gboolean omni_vk_command_end (OmniVkCommand *cmd, GError **error);

OMNI_API gboolean omni_vk_command_submit (OmniVkCommand *cmd, GError **error);
OMNI_API gboolean omni_vk_command_wait (
    OmniVkCommand *cmd, guint64 timeout_ns, GError **error);
OMNI_API gboolean omni_vk_command_run (OmniVkCommand *cmd, GError **error);
OMNI_API gboolean omni_vk_command_is_pending (OmniVkCommand *cmd);

OMNI_API guint omni_vk_command_get_n_barriers (OmniVkCommand *cmd);
OMNI_API guint omni_vk_command_get_n_dispatches (OmniVkCommand *cmd);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniVkCommand, omni_vk_command_unref)

G_END_DECLS

#endif /* __OMNI_VK_COMMAND_H__ */
