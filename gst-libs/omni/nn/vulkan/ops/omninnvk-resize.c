/* gst-omni: Vulkan kernel of op resize (nn_resize)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../omninnvkop.h"

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnResizeParams *p = &k->params.resize;
  guint64 n = (guint64) p->out_h * p->out_w * p->c;

  if (!p->in_h || !p->in_w || !p->c || n == 0 || n > G_MAXUINT32)
    return FALSE;
  k->shader = "nn_resize";
  b->access = omni_nn_vk_access_w_r;
  if (p->c % 4 == 0) {
    /* vec4s of 4 channels, 16-byte texel loads (docs/vulkan.md) */
    n /= 4;
    k->shader = "nn_resize_v4";
    k->read_bytes[1] = (gsize) p->in_h * p->in_w * p->c * 4;
    if (omni_nn_vk_reads_fit_texels (k)) {
      k->shader = "nn_resize_v4_texel";
      b->access = omni_nn_vk_access_w_t;
    }
  }
  k->local[0] = omni_vk_device_get_local_size (k->device, 256);
  k->local[1] = 1;
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->spec[OMNI_SPEC_RESIZE_IN_H] = p->in_h;
  b->spec[OMNI_SPEC_RESIZE_IN_W] = p->in_w;
  b->spec[OMNI_SPEC_RESIZE_C] = p->c;
  b->spec[OMNI_SPEC_RESIZE_OUT_H] = p->out_h;
  b->spec[OMNI_SPEC_RESIZE_OUT_W] = p->out_w;
  b->spec[OMNI_SPEC_RESIZE_ALIGN] = p->align_corners ? 1 : 0;
  b->spec[OMNI_SPEC_RESIZE_HALF] = p->half_pixel_centers ? 1 : 0;
  b->spec[OMNI_SPEC_RESIZE_NEAREST] = p->nearest ? 1 : 0;
  b->n_spec = OMNI_SPEC_RESIZE_NEAREST + 1;
  k->n_buffers = 2;
  omni_nn_vk_groups_1d (k->device, n, k->local[0], k->groups);
  return TRUE;
}

const OmniNnVkOpBuilder omni_nn_vk_op_resize = {
  .op = OMNI_NN_OP_RESIZE,
  .build = build,
};
