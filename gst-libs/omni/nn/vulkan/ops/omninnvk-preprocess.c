/* gst-omni: Vulkan kernel of op preprocess (nn_preprocess): video frame
 * bytes -> RGB float, geometry in push constants
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "../omninnvkop.h"

/* Push constants of nn_preprocess.comp (std430 push_constant block). */
typedef struct {
  guint32 in_w, in_h, out_w, out_h;
  guint32 num_x, den_x, num_y, den_y;
  guint32 stride[3];
  guint32 offset[3];
  gfloat scale, offset_value;
  gfloat m[12];
} PreprocessPush;

G_STATIC_ASSERT (sizeof (PreprocessPush) == 112);

gboolean
omni_nn_vk_preprocess_push (OmniNnVkKernel *k, const OmniNnPreprocessParams *p)
{
  PreprocessPush pc = { 0 };
  guint i;

  if (p->in_w == 0 || p->in_h == 0 || p->out_w == 0 || p->out_h == 0)
    return FALSE;
  for (i = 0; i < 3; i++)
    if (p->offsets[i] > G_MAXUINT32)
      return FALSE;
  if (omni_nn_preprocess_frame_size (p) > G_MAXUINT32)
    return FALSE;
  pc.in_w = p->in_w;
  pc.in_h = p->in_h;
  pc.out_w = p->out_w;
  pc.out_h = p->out_h;
  /* tf.image.resizeBilinear: alignCorners drops one pixel from both sizes
   * when the output has more than one. */
  if (p->align_corners && p->out_w > 1) {
    pc.num_x = p->in_w - 1;
    pc.den_x = p->out_w - 1;
  } else {
    pc.num_x = p->in_w;
    pc.den_x = p->out_w;
  }
  if (p->align_corners && p->out_h > 1) {
    pc.num_y = p->in_h - 1;
    pc.den_y = p->out_h - 1;
  } else {
    pc.num_y = p->in_h;
    pc.den_y = p->out_h;
  }
  if ((guint64) (p->out_w - 1) * pc.num_x > G_MAXUINT32
      || (guint64) (p->out_h - 1) * pc.num_y > G_MAXUINT32)
    return FALSE;
  for (i = 0; i < 3; i++) {
    pc.stride[i] = p->strides[i];
    pc.offset[i] = (guint32) p->offsets[i];
  }
  pc.scale = p->scale;
  pc.offset_value = p->offset;
  omni_nn_yuv_to_rgb_coefficients (p->matrix, p->full_range, pc.m);
  memcpy (k->push, &pc, sizeof (pc));
  k->push_size = sizeof (pc);
  k->groups[0] = omni_nn_vk_div_up (p->out_w, k->local[0]);
  k->groups[1] = omni_nn_vk_div_up (p->out_h, k->local[1]);
  k->groups[2] = 1;
  return TRUE;
}

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnPreprocessParams *p = &k->params.preprocess;
  guint bytes_per_pixel = 1, ro = 0, go = 0, bo = 0;

  if ((guint) p->layout >= OMNI_NN_PIXEL_N_LAYOUTS)
    return FALSE;
  omni_nn_pixel_layout_packed (p->layout, &bytes_per_pixel, &ro, &go, &bo);
  k->shader = "nn_preprocess";
  k->local[0] = omni_vk_device_get_local_size (k->device, 16);
  k->local[1]
      = MAX (omni_vk_device_get_local_size (k->device, 64) / k->local[0], 1);
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = k->local[1];
  b->spec[OMNI_SPEC_PREPROCESS_LAYOUT] = p->layout;
  b->spec[OMNI_SPEC_PREPROCESS_BPP] = bytes_per_pixel;
  b->spec[OMNI_SPEC_PREPROCESS_RO] = ro;
  b->spec[OMNI_SPEC_PREPROCESS_GO] = go;
  b->spec[OMNI_SPEC_PREPROCESS_BO] = bo;
  b->n_spec = OMNI_SPEC_PREPROCESS_BO + 1;
  b->access = omni_nn_vk_access_w_r;
  k->n_buffers = 2;
  return omni_nn_vk_preprocess_push (k, p);
}

const OmniNnVkOpBuilder omni_nn_vk_op_preprocess = {
  .op = OMNI_NN_OP_PREPROCESS,
  .build = build,
};
