/* gst-omni: Vulkan kernel of op strided (nn_strided, geometry in push
 * constants)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../omninnvkop.h"

#include <string.h>

/* Push constants of nn_strided.comp (std430 push_constant block). */
typedef struct {
  guint32 dims[4];
  guint32 extent[4];
  gint32 start[4];
  gint32 step[4];
  gint32 stride[4];
  guint32 offset, in_n, mode, n;
  gfloat value;
} StridedPush;

G_STATIC_ASSERT (sizeof (StridedPush) <= OMNI_NN_VK_MAX_PUSH);

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnStridedParams *p = &k->params.strided;
  StridedPush pc = { { 0 } };
  guint64 n = 1;
  guint d, shift;

  if (p->n_dims < 1 || p->n_dims > 4)
    return FALSE;
  /* right-align: unused leading dimensions have size 1 */
  shift = 4 - p->n_dims;
  for (d = 0; d < 4; d++) {
    pc.dims[d] = 1;
    pc.extent[d] = 1;
  }
  for (d = 0; d < p->n_dims; d++) {
    pc.dims[d + shift] = p->dims[d];
    pc.extent[d + shift] = p->extent[d];
    pc.start[d + shift] = p->start[d];
    pc.step[d + shift] = p->step[d];
    pc.stride[d + shift] = p->stride[d];
    n *= p->dims[d];
  }
  if (n == 0 || n > G_MAXUINT32)
    return FALSE;
  pc.offset = p->offset;
  pc.in_n = p->in_n;
  pc.mode = p->mode;
  pc.n = (guint32) n;
  pc.value = p->value;
  memcpy (k->push, &pc, sizeof (pc));
  k->push_size = sizeof (pc);
  k->shader = "nn_strided";
  k->local[0] = omni_vk_device_get_local_size (k->device, 256);
  k->local[1] = 1;
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->n_spec = OMNI_SPEC_LOCAL_Y + 1;
  b->access = omni_nn_vk_access_w_r;
  k->n_buffers = 2;
  omni_nn_vk_groups_1d (k->device, n, k->local[0], k->groups);
  return TRUE;
}

const OmniNnVkOpBuilder omni_nn_vk_op_strided = {
  .op = OMNI_NN_OP_STRIDED,
  .build = build,
};
