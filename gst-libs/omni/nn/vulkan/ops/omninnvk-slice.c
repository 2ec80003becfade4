/* gst-omni: Vulkan kernel of op slice (nn_slice)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../omninnvkop.h"

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnSliceParams *p = &k->params.slice;
  guint64 n = (guint64) p->outer * p->out_len * p->inner;

  if (!n || n > G_MAXUINT32 || (guint64) p->offset + p->out_len > p->in_len
      || (guint64) p->outer * p->in_len * p->inner > G_MAXUINT32)
    return FALSE;
  k->shader = "nn_slice";
  k->local[0] = omni_vk_device_get_local_size (k->device, 256);
  k->local[1] = 1;
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->spec[OMNI_SPEC_SLICE_OUTER] = p->outer;
  b->spec[OMNI_SPEC_SLICE_IN_LEN] = p->in_len;
  b->spec[OMNI_SPEC_SLICE_OFFSET] = p->offset;
  b->spec[OMNI_SPEC_SLICE_OUT_LEN] = p->out_len;
  b->spec[OMNI_SPEC_SLICE_INNER] = p->inner;
  b->n_spec = OMNI_SPEC_SLICE_INNER + 1;
  b->access = omni_nn_vk_access_w_r;
  k->n_buffers = 2;
  omni_nn_vk_groups_1d (k->device, n, k->local[0], k->groups);
  return TRUE;
}

const OmniNnVkOpBuilder omni_nn_vk_op_slice = {
  .op = OMNI_NN_OP_SLICE,
  .build = build,
};
