/* gst-omni: Vulkan kernel of op pool2d (nn_pool2d)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../omninnvkop.h"

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnPool2dParams *p = &k->params.pool2d;
  guint64 n = (guint64) p->out_h * p->out_w * p->c;

  if (!p->c || !p->kernel_h || !p->kernel_w || !p->stride_h || !p->stride_w
      || n == 0 || n > G_MAXUINT32)
    return FALSE;
  k->shader = "nn_pool2d";
  k->local[0] = omni_vk_device_get_local_size (k->device, 256);
  k->local[1] = 1;
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->spec[OMNI_SPEC_POOL2D_IN_H] = p->in_h;
  b->spec[OMNI_SPEC_POOL2D_IN_W] = p->in_w;
  b->spec[OMNI_SPEC_POOL2D_C] = p->c;
  b->spec[OMNI_SPEC_POOL2D_OUT_H] = p->out_h;
  b->spec[OMNI_SPEC_POOL2D_OUT_W] = p->out_w;
  b->spec[OMNI_SPEC_POOL2D_KH] = p->kernel_h;
  b->spec[OMNI_SPEC_POOL2D_KW] = p->kernel_w;
  b->spec[OMNI_SPEC_POOL2D_SH] = p->stride_h;
  b->spec[OMNI_SPEC_POOL2D_SW] = p->stride_w;
  b->spec[OMNI_SPEC_POOL2D_PT] = (guint32) p->pad_top;
  b->spec[OMNI_SPEC_POOL2D_PL] = (guint32) p->pad_left;
  b->spec[OMNI_SPEC_POOL2D_MAX] = p->max ? 1 : 0;
  b->n_spec = OMNI_SPEC_POOL2D_MAX + 1;
  b->access = omni_nn_vk_access_w_r;
  k->n_buffers = 2;
  omni_nn_vk_groups_1d (k->device, n, k->local[0], k->groups);
  return TRUE;
}

const OmniNnVkOpBuilder omni_nn_vk_op_pool2d = {
  .op = OMNI_NN_OP_POOL2D,
  .build = build,
};
