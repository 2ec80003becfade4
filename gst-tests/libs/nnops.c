/* gst-omni: each neural-network op's Vulkan kernel against its C reference
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * For every operator of the graph IR, random inputs (fixed seeds) on odd
 * shapes — sizes that are not multiples of 4, 8 or 32, stride 2 on odd
 * inputs, dilation 2, depth multipliers, 1x1 inputs — go through the
 * Vulkan kernel (omninnvulkan.c) and through the plain-C reference
 * (omninnops.h); every output element must agree within 1e-4 relative:
 * |vulkan - reference| <= 1e-4 * max (|reference|, 1). Then a small graph
 * with every op runs on the Vulkan backend and on the CPU backend. Runs
 * under the validation layer (OMNI_VK_VALIDATION=1 in the test
 * environment), which must report nothing. The ops that read through
 * texel buffers run a second time with texel buffers made unavailable
 * (OMNI_VK_MAX_TEXELS=0), through their storage-buffer variants.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include <gst/check/gstcheck.h>
#include <omni/nn/omninncpu.h>
#include <omni/nn/vulkan/omninnvulkan.h>

#define TOLERANCE 1e-4

static OmniVkDevice *device;
static GRand *rng;
static guint n_texel_kernels; /* kernels run that read texel buffers */

static void
setup (void)
{
  GError *err = NULL;

  device = omni_vk_device_get (NULL, &err);
  fail_unless (device != NULL, "%s", err ? err->message : "");
  rng = g_rand_new_with_seed (20240611);
  n_texel_kernels = 0;
}

/* The test ran the texel-reading kernels when the device has texel
 * buffers, and only storage-buffer kernels when it has none. */
static void
check_read_path (void)
{
  if (omni_vk_device_get_max_texels (device) == 0) {
    fail_unless_equals_int (n_texel_kernels, 0);
  } else {
    fail_unless (n_texel_kernels > 0);
  }
}

/* The same ops with texel buffers unavailable: the storage-buffer variants
 * of the kernels that read through texel buffers where they can. */
static void
setup_storage_reads (void)
{
  g_setenv ("OMNI_VK_MAX_TEXELS", "0", TRUE);
  setup ();
  g_unsetenv ("OMNI_VK_MAX_TEXELS");
  fail_unless_equals_uint64 (omni_vk_device_get_max_texels (device), 0);
  /* and the shared-memory GEMM tiles that GPUs get for K or N not a
   * multiple of 4 (lavapipe gets nn_dense) */
  g_setenv ("OMNI_VK_GEMM_TILES", "1", TRUE);
}

/* A device whose texel buffers hold 120 texels (480 floats): in the test
 * graph some tensors fit and some do not, and activation buffers shared by
 * both kinds are larger than the limit, so kernels mix texel and storage
 * reads and texel bindings must cover only their tensor. */
static void
setup_small_texels (void)
{
  g_setenv ("OMNI_VK_MAX_TEXELS", "120", TRUE);
  setup ();
  g_unsetenv ("OMNI_VK_MAX_TEXELS");
  fail_unless_equals_uint64 (omni_vk_device_get_max_texels (device), 120);
}

/* Device memory the host cannot map, as on a discrete GPU: uploads and
 * read-backs (the Winograd kernels read the weights back to transform
 * them) go through staging copies. */
static void
setup_staging (void)
{
  OmniVkBuffer *buf;

  g_setenv ("OMNI_VK_FORCE_STAGING", "1", TRUE);
  setup ();
  g_unsetenv ("OMNI_VK_FORCE_STAGING");
  buf = omni_vk_buffer_new (device, 16, OMNI_VK_MEMORY_DEVICE, NULL);
  fail_unless (buf != NULL);
  fail_unless (omni_vk_buffer_get_mapped (buf) == NULL);
  omni_vk_buffer_unref (buf);
}

static void
teardown (void)
{
  gpointer weak = device;

  g_unsetenv ("OMNI_VK_GEMM_TILES");
  g_rand_free (rng);
  g_object_add_weak_pointer (G_OBJECT (device), &weak);
  gst_object_unref (device);
  fail_unless (weak == NULL, "device still alive");
  fail_unless_equals_int (omni_vk_device_get_validation_message_count (), 0);
}

static gfloat *
random_floats (gsize n, gfloat amplitude)
{
  gfloat *v = g_new (gfloat, MAX (n, 1));
  gsize i;

  for (i = 0; i < n; i++)
    v[i] = (gfloat) g_rand_double_range (rng, -amplitude, amplitude);
  return v;
}

static guint8 *
random_bytes (gsize n)
{
  guint8 *v = g_new (guint8, MAX (n, 1));
  gsize i;

  for (i = 0; i < n; i++)
    v[i] = (guint8) g_rand_int_range (rng, 0, 256);
  return v;
}

static void
compare (const gchar *what, const gfloat *vk, const gfloat *ref, gsize n)
{
  gsize i;
  gdouble worst = 0.0;

  for (i = 0; i < n; i++) {
    gdouble err = fabs ((gdouble) vk[i] - ref[i]) / MAX (fabs (ref[i]), 1.0);

    fail_unless (
        isfinite (vk[i]), "%s: [%" G_GSIZE_FORMAT "] = %g", what, i, vk[i]);
    fail_unless (err <= TOLERANCE,
        "%s: [%" G_GSIZE_FORMAT "] vulkan %.9g, reference %.9g", what, i, vk[i],
        ref[i]);
    worst = MAX (worst, err);
  }
  GST_INFO ("%s: %" G_GSIZE_FORMAT " values, worst relative error %.3g", what,
      n, worst);
}

/* Runs one kernel: buffers[0] is the output (@out_n floats), the others
 * hold @inputs (@sizes bytes each). Returns the output. */
static gfloat *
run_kernel (OmniNnOpType op, const OmniNnOpParams *params, gboolean has_bias,
    guint n_inputs, gconstpointer *inputs, const gsize *sizes, gsize out_n)
{
  GError *err = NULL;
  OmniNnVkKernel *k
      = omni_nn_vk_kernel_new (device, op, params, has_bias, &err);
  OmniVkBuffer *bufs[4] = { NULL };
  OmniVkBuffer *down;
  OmniVkDescriptorPool *pool;
  OmniVkCommand *cmd;
  gfloat *out = g_new (gfloat, out_n);
  guint i, nb;

  fail_unless (
      k != NULL, "%s: %s", omni_nn_op_type_name (op), err ? err->message : "");
  if (strstr (omni_nn_vk_kernel_get_shader (k), "_texel"))
    n_texel_kernels++;
  nb = omni_nn_vk_kernel_get_n_buffers (k);
  fail_unless (nb <= 4 && n_inputs + 1 <= nb);
  bufs[0] = omni_vk_buffer_new (
      device, out_n * sizeof (gfloat), OMNI_VK_MEMORY_DEVICE, &err);
  fail_unless (bufs[0] != NULL);
  for (i = 0; i < n_inputs; i++) {
    bufs[i + 1] = omni_vk_buffer_new (
        device, MAX (sizes[i], 4), OMNI_VK_MEMORY_DEVICE, &err);
    fail_unless (bufs[i + 1] != NULL);
    fail_unless (
        omni_vk_buffer_write (bufs[i + 1], 0, inputs[i], sizes[i], &err));
  }
  /* No bias: bind the weights again (never read). */
  for (i = n_inputs + 1; i < nb; i++)
    bufs[i] = omni_vk_buffer_ref (bufs[i - 1]);
  down = omni_vk_buffer_new (
      device, out_n * sizeof (gfloat), OMNI_VK_MEMORY_DOWNLOAD, &err);
  pool = omni_vk_descriptor_pool_new (device, 1, 4, &err);
  fail_unless (omni_nn_vk_kernel_bind (k, pool, bufs, nb, &err), "%s",
      err ? err->message : "");
  cmd = omni_vk_command_new (device, &err);
  fail_unless (omni_vk_command_begin (cmd, &err));
  /* Poison the output so unwritten elements show. */
  omni_vk_command_fill_buffer (cmd, bufs[0], 0, G_MAXSIZE, 0x7fc00000u);
  omni_nn_vk_kernel_record (k, cmd);
  omni_vk_command_copy_buffer (
      cmd, bufs[0], 0, down, 0, out_n * sizeof (gfloat));
  fail_unless (omni_vk_command_end (cmd, &err), "%s", err ? err->message : "");
  fail_unless (omni_vk_command_run (cmd, &err), "%s", err ? err->message : "");
  fail_unless (
      omni_vk_buffer_read (down, 0, out, out_n * sizeof (gfloat), &err));

  omni_vk_command_unref (cmd);
  omni_vk_descriptor_pool_unref (pool);
  omni_vk_buffer_unref (down);
  for (i = 0; i < nb; i++)
    omni_vk_buffer_unref (bufs[i]);
  omni_nn_vk_kernel_free (k);
  return out;
}

/* ---- conv2d ------------------------------------------------------------ */

/* Runs the conv2d of @params (shapes and pads set) on random data against
 * omni_nn_ref_conv2d(). */
static void
check_conv2d_params (const OmniNnOpParams *params, gboolean bias)
{
  const OmniNnConv2dParams *p = &params->conv2d;
  gfloat *in, *w, *b, *ref, *vk;
  gsize n_in, n_w, n_out;
  gconstpointer inputs[3];
  gsize sizes[3];
  gchar *what;

  n_in = (gsize) p->in_h * p->in_w * p->in_c;
  n_w = (gsize) p->kernel_h * p->kernel_w * p->in_c * p->out_c;
  n_out = (gsize) p->out_h * p->out_w * p->out_c;
  in = random_floats (n_in, 1.0f);
  w = random_floats (n_w, 0.5f);
  b = random_floats (p->out_c, 1.0f);
  ref = g_new (gfloat, n_out);
  omni_nn_ref_conv2d (p, in, w, bias ? b : NULL, ref);
  inputs[0] = in;
  inputs[1] = w;
  inputs[2] = b;
  sizes[0] = n_in * 4;
  sizes[1] = n_w * 4;
  sizes[2] = p->out_c * 4;
  vk = run_kernel (
      OMNI_NN_OP_CONV2D, params, bias, bias ? 3 : 2, inputs, sizes, n_out);
  what = g_strdup_printf (
      "conv2d %ux%ux%u k%ux%u s%u,%u d%u,%u p%d,%d act %d bias %d -> %ux%ux%u",
      p->in_h, p->in_w, p->in_c, p->kernel_h, p->kernel_w, p->stride_h,
      p->stride_w, p->dilation_h, p->dilation_w, p->pad_top, p->pad_left,
      p->activation, bias, p->out_h, p->out_w, p->out_c);
  compare (what, vk, ref, n_out);
  g_free (what);
  g_free (in);
  g_free (w);
  g_free (b);
  g_free (ref);
  g_free (vk);
}

static void
set_conv2d (OmniNnOpParams *params, guint in_h, guint in_w, guint in_c,
    guint out_c, guint kh, guint kw, guint sh, guint sw, guint dh, guint dw,
    OmniNnPadding padding, OmniNnActivation act)
{
  OmniNnConv2dParams *p = &params->conv2d;
  guint pt = 0, pl = 0;

  memset (params, 0, sizeof (*params));
  fail_unless (
      omni_nn_conv_output_size (in_h, kh, sh, dh, padding, &p->out_h, &pt));
  fail_unless (
      omni_nn_conv_output_size (in_w, kw, sw, dw, padding, &p->out_w, &pl));
  p->in_h = in_h;
  p->in_w = in_w;
  p->in_c = in_c;
  p->out_c = out_c;
  p->kernel_h = kh;
  p->kernel_w = kw;
  p->stride_h = sh;
  p->stride_w = sw;
  p->dilation_h = dh;
  p->dilation_w = dw;
  p->pad_top = pt;
  p->pad_left = pl;
  p->activation = act;
  /* read for a leaky ReLU (slope) and a hard-swish (scale) only */
  p->alpha = act == OMNI_NN_ACT_HARD_SWISH ? 1.0f / 6 : 0.1f;
}

static void
check_conv2d (guint in_h, guint in_w, guint in_c, guint out_c, guint kh,
    guint kw, guint sh, guint sw, guint dh, guint dw, OmniNnPadding padding,
    OmniNnActivation act, gboolean bias)
{
  OmniNnOpParams params;

  set_conv2d (
      &params, in_h, in_w, in_c, out_c, kh, kw, sh, sw, dh, dw, padding, act);
  check_conv2d_params (&params, bias);
}

GST_START_TEST (test_conv2d)
{
  /* MobileNetV2's stem shape, stride 2 on an odd input, TF 'same'. */
  check_conv2d (17, 13, 3, 7, 3, 3, 2, 2, 1, 1, OMNI_NN_PADDING_SAME,
      OMNI_NN_ACT_RELU6, TRUE);
  /* Dilation 2, valid padding, no bias. */
  check_conv2d (9, 11, 5, 6, 3, 3, 1, 1, 2, 2, OMNI_NN_PADDING_VALID,
      OMNI_NN_ACT_NONE, FALSE);
  /* A 1x1 input with a 3x3 kernel: all but the centre tap pad. */
  check_conv2d (1, 1, 3, 5, 3, 3, 1, 1, 1, 1, OMNI_NN_PADDING_SAME,
      OMNI_NN_ACT_RELU, TRUE);
  /* Non-square kernel, mixed strides and dilations. */
  check_conv2d (7, 5, 4, 9, 5, 3, 2, 1, 1, 2, OMNI_NN_PADDING_SAME,
      OMNI_NN_ACT_RELU, TRUE);
  /* More channels than one workgroup row, out_c not a multiple of 4. */
  check_conv2d (12, 10, 33, 37, 3, 3, 2, 2, 1, 1, OMNI_NN_PADDING_SAME,
      OMNI_NN_ACT_RELU6, TRUE);
  /* 1x1 kernel through the general kernel. */
  check_conv2d (6, 7, 9, 11, 1, 1, 1, 1, 1, 1, OMNI_NN_PADDING_VALID,
      OMNI_NN_ACT_NONE, TRUE);
  /* Output channels in quads (the vec4 kernel): pairs of quads, an odd
   * number of quads, stride 2 on odd sizes, dilation 2, 1x1 input. */
  check_conv2d (23, 19, 3, 32, 3, 3, 2, 2, 1, 1, OMNI_NN_PADDING_SAME,
      OMNI_NN_ACT_RELU6, TRUE);
  check_conv2d (9, 11, 5, 12, 3, 3, 1, 1, 2, 2, OMNI_NN_PADDING_VALID,
      OMNI_NN_ACT_NONE, FALSE);
  check_conv2d (1, 1, 7, 4, 3, 3, 2, 2, 1, 1, OMNI_NN_PADDING_SAME,
      OMNI_NN_ACT_RELU, TRUE);
  /* NanoDet's fused LeakyRelu (0.1): the vec4 and the general kernel */
  check_conv2d (15, 13, 3, 24, 3, 3, 2, 2, 1, 1, OMNI_NN_PADDING_VALID,
      OMNI_NN_ACT_LEAKY_RELU, TRUE);
  check_conv2d (7, 9, 5, 7, 3, 3, 1, 1, 1, 1, OMNI_NN_PADDING_SAME,
      OMNI_NN_ACT_LEAKY_RELU, TRUE);
  /* MobileNetV3's stem: a fused hard-swish; a fused sigmoid */
  check_conv2d (17, 13, 3, 16, 3, 3, 2, 2, 1, 1, OMNI_NN_PADDING_SAME,
      OMNI_NN_ACT_HARD_SWISH, TRUE);
  check_conv2d (7, 5, 4, 9, 5, 3, 2, 1, 1, 2, OMNI_NN_PADDING_SAME,
      OMNI_NN_ACT_SIGMOID, TRUE);
  check_read_path ();
}

GST_END_TEST;

/* nn_conv2d_v4 on odd maps (13x13 and 27x11, stride 2 on odd sizes,
 * dilation 2, 5x3) with x over all rows' column blocks (a CPU device's
 * layout: a workgroup of whole SIMD groups, rows mixed within one), then
 * with x over one row's blocks and y over rows (OMNI_VK_CONV_NO_FLAT, what
 * GPUs get). */
GST_START_TEST (test_conv2d_flat)
{
  OmniNnOpParams params = { 0 };
  OmniNnConv2dParams *p = &params.conv2d;
  GError *err = NULL;
  OmniNnVkKernel *kern;
  guint pass;

  /* the direct kernel (3x3 stride 1 would take the Winograd path) */
  g_setenv ("OMNI_VK_CONV_NO_WINOGRAD", "1", TRUE);
  /* the layout: 13x13x16 -> 24, 3x3 */
  p->in_h = p->in_w = p->out_h = p->out_w = 13;
  p->in_c = 16;
  p->out_c = 24;
  p->kernel_h = p->kernel_w = 3;
  p->stride_h = p->stride_w = p->dilation_h = p->dilation_w = 1;
  p->pad_top = p->pad_left = 1;
  kern = omni_nn_vk_kernel_new (device, OMNI_NN_OP_CONV2D, &params, TRUE, &err);
  fail_unless (kern != NULL, "%s", err ? err->message : "");
  if (omni_vk_device_get_info (device)->type == OMNI_VK_DEVICE_TYPE_CPU) {
    fail_unless_equals_int (omni_nn_vk_kernel_get_local_size (kern, 1), 1);
    fail_unless (omni_nn_vk_kernel_get_local_size (kern, 0)
                     % omni_vk_device_get_subgroup_size (device)
                 == 0);
  }
  omni_nn_vk_kernel_free (kern);

  for (pass = 0; pass < 2; pass++) {
    if (pass == 1)
      g_setenv ("OMNI_VK_CONV_NO_FLAT", "1", TRUE);
    check_conv2d (13, 13, 16, 24, 3, 3, 1, 1, 1, 1, OMNI_NN_PADDING_SAME,
        OMNI_NN_ACT_LEAKY_RELU, TRUE);
    check_conv2d (27, 11, 8, 32, 3, 3, 2, 2, 1, 1, OMNI_NN_PADDING_SAME,
        OMNI_NN_ACT_RELU6, TRUE);
    check_conv2d (19, 23, 5, 12, 3, 3, 1, 1, 2, 2, OMNI_NN_PADDING_VALID,
        OMNI_NN_ACT_NONE, FALSE);
    check_conv2d (9, 14, 3, 20, 5, 3, 2, 1, 1, 1, OMNI_NN_PADDING_SAME,
        OMNI_NN_ACT_HARD_SWISH, TRUE);
  }
  g_unsetenv ("OMNI_VK_CONV_NO_FLAT");
  g_unsetenv ("OMNI_VK_CONV_NO_WINOGRAD");
  check_read_path ();
}

GST_END_TEST;

/* ---- depthwise --------------------------------------------------------- */

static void
check_depthwise (guint in_h, guint in_w, guint in_c, guint mult, guint k,
    guint stride, guint dilation, OmniNnPadding padding, OmniNnActivation act,
    gboolean bias)
{
  OmniNnOpParams params = { 0 };
  OmniNnDepthwiseConv2dParams *p = &params.depthwise;
  guint pt = 0, pl = 0, out_c = in_c * mult;
  gfloat *in, *w, *b, *ref, *vk;
  gsize n_in, n_w, n_out;
  gconstpointer inputs[3];
  gsize sizes[3];
  gchar *what;

  fail_unless (omni_nn_conv_output_size (
      in_h, k, stride, dilation, padding, &p->out_h, &pt));
  fail_unless (omni_nn_conv_output_size (
      in_w, k, stride, dilation, padding, &p->out_w, &pl));
  p->in_h = in_h;
  p->in_w = in_w;
  p->in_c = in_c;
  p->out_c = out_c;
  p->kernel_h = p->kernel_w = k;
  p->stride_h = p->stride_w = stride;
  p->dilation_h = p->dilation_w = dilation;
  p->pad_top = pt;
  p->pad_left = pl;
  p->depth_multiplier = mult;
  p->activation = act;
  p->alpha = act == OMNI_NN_ACT_HARD_SWISH ? 1.0f / 6 : 0.1f;
  n_in = (gsize) in_h * in_w * in_c;
  n_w = (gsize) k * k * out_c;
  n_out = (gsize) p->out_h * p->out_w * out_c;
  in = random_floats (n_in, 1.0f);
  w = random_floats (n_w, 0.5f);
  b = random_floats (out_c, 1.0f);
  ref = g_new (gfloat, n_out);
  omni_nn_ref_depthwise_conv2d (p, in, w, bias ? b : NULL, ref);
  inputs[0] = in;
  inputs[1] = w;
  inputs[2] = b;
  sizes[0] = n_in * 4;
  sizes[1] = n_w * 4;
  sizes[2] = out_c * 4;
  vk = run_kernel (OMNI_NN_OP_DEPTHWISE_CONV2D, &params, bias, bias ? 3 : 2,
      inputs, sizes, n_out);
  what = g_strdup_printf ("depthwise %ux%ux%u x%u k%u s%u d%u -> %ux%ux%u",
      in_h, in_w, in_c, mult, k, stride, dilation, p->out_h, p->out_w, out_c);
  compare (what, vk, ref, n_out);
  g_free (what);
  g_free (in);
  g_free (w);
  g_free (b);
  g_free (ref);
  g_free (vk);
}

GST_START_TEST (test_depthwise)
{
  check_depthwise (
      15, 13, 7, 1, 3, 2, 1, OMNI_NN_PADDING_SAME, OMNI_NN_ACT_RELU6, TRUE);
  check_depthwise (
      9, 9, 5, 3, 3, 1, 2, OMNI_NN_PADDING_VALID, OMNI_NN_ACT_NONE, FALSE);
  check_depthwise (
      1, 1, 6, 1, 3, 1, 1, OMNI_NN_PADDING_SAME, OMNI_NN_ACT_RELU, TRUE);
  check_depthwise (
      10, 7, 11, 2, 5, 1, 1, OMNI_NN_PADDING_SAME, OMNI_NN_ACT_RELU, TRUE);
  check_depthwise (
      14, 14, 97, 1, 3, 2, 1, OMNI_NN_PADDING_SAME, OMNI_NN_ACT_RELU6, TRUE);
  /* Channels in quads (the vec4 kernel, 4 output columns per invocation):
   * stride 2 on odd sizes, widths not a multiple of 4, dilation 2, 1x1. */
  check_depthwise (
      15, 13, 8, 1, 3, 2, 1, OMNI_NN_PADDING_SAME, OMNI_NN_ACT_RELU6, TRUE);
  check_depthwise (
      11, 9, 12, 1, 3, 1, 2, OMNI_NN_PADDING_VALID, OMNI_NN_ACT_NONE, FALSE);
  check_depthwise (
      1, 1, 96, 1, 3, 1, 1, OMNI_NN_PADDING_SAME, OMNI_NN_ACT_RELU, TRUE);
  check_depthwise (
      17, 23, 36, 1, 5, 1, 1, OMNI_NN_PADDING_SAME, OMNI_NN_ACT_RELU6, TRUE);
  /* MobileNetV3's fused hard-swish (vec4 and general kernel) */
  check_depthwise (15, 13, 24, 1, 3, 2, 1, OMNI_NN_PADDING_SAME,
      OMNI_NN_ACT_HARD_SWISH, TRUE);
  check_depthwise (
      9, 7, 6, 2, 3, 1, 1, OMNI_NN_PADDING_SAME, OMNI_NN_ACT_HARD_SWISH, TRUE);
  check_depthwise (
      30, 29, 144, 1, 3, 2, 1, OMNI_NN_PADDING_VALID, OMNI_NN_ACT_RELU6, TRUE);
  check_read_path ();
}

GST_END_TEST;

/* The kernel of a 3x3 stride-1 depthwise convolution, @h x @w x @c, padded
 * by @pad above and left (not run: for its layout). */
static OmniNnVkKernel *
depthwise_3x3_kernel (guint h, guint w, guint c, gint pad)
{
  OmniNnOpParams params = { 0 };
  OmniNnDepthwiseConv2dParams *p = &params.depthwise;
  GError *err = NULL;
  OmniNnVkKernel *kern;

  p->in_h = p->out_h = h;
  p->in_w = p->out_w = w;
  p->in_c = p->out_c = c;
  p->kernel_h = p->kernel_w = 3;
  p->stride_h = p->stride_w = p->dilation_h = p->dilation_w = 1;
  p->pad_top = p->pad_left = pad;
  p->depth_multiplier = 1;
  kern = omni_nn_vk_kernel_new (
      device, OMNI_NN_OP_DEPTHWISE_CONV2D, &params, TRUE, &err);
  fail_unless (kern != NULL, "%s", err ? err->message : "");
  return kern;
}

/* nn_depthwise_v4's workgroup x on a CPU device for a 3x3 stride-1 SAME
 * depthwise convolution of @w columns and @c channels: the channel quads
 * times the output-column blocks folded onto x, a multiple of the SIMD
 * width. */
static void
check_depthwise_fold (guint w, guint c)
{
  OmniNnVkKernel *kern = depthwise_3x3_kernel (5, w, c, 1);
  guint lx, sg = omni_vk_device_get_subgroup_size (device);

  lx = omni_nn_vk_kernel_get_local_size (kern, 0);
  if (omni_vk_device_get_info (device)->type == OMNI_VK_DEVICE_TYPE_CPU)
    fail_unless (lx % sg == 0, "%ux%u: x %u, SIMD width %u", w, c, lx, sg);
  omni_nn_vk_kernel_free (kern);
}

/* Whether a depthwise convolution of these sizes gets the _sg variant. */
static gboolean
depthwise_uses_subgroup (guint h, guint w, guint c)
{
  OmniNnVkKernel *kern = depthwise_3x3_kernel (h, w, c, 0);
  gboolean sg;

  sg = g_str_has_suffix (omni_nn_vk_kernel_get_shader (kern), "_sg");
  fail_if (sg
           && omni_nn_vk_kernel_get_local_size (kern, 0)
                  % omni_vk_device_get_subgroup_size (device));
  omni_nn_vk_kernel_free (kern);
  return sg;
}

/* Channel quads that do not fill a SIMD group (1, 5, 6, 10, 21 quads):
 * odd widths, stride 2, dilation 2, 5x5 (25 taps: 4 rounds of 8 lanes
 * handing weights round), through the three layouts a CPU device can
 * get: the lanes of a subgroup on one quad's pixels sharing its weights
 * (the _sg variant; with fewer blocks than lanes, some lanes only fetch),
 * output-column blocks folded onto x with the quads (OMNI_VK_DW_NO_SG), and
 * the unfolded layout GPUs get (and OMNI_VK_DW_NO_FOLD). */
GST_START_TEST (test_depthwise_fold)
{
  guint pass;

  if (omni_vk_device_get_info (device)->type == OMNI_VK_DEVICE_TYPE_CPU
      && omni_vk_device_has_subgroup_shuffle (device)
      && omni_vk_device_get_subgroup_size (device) > 1
      && omni_vk_device_get_max_texels (device) > 0) {
    fail_unless (depthwise_uses_subgroup (9, 61, 24));
    fail_unless (depthwise_uses_subgroup (1, 1, 96));
  }
  g_setenv ("OMNI_VK_DW_NO_SG", "1", TRUE);
  fail_if (depthwise_uses_subgroup (9, 61, 24));
  check_depthwise_fold (61, 24);
  check_depthwise_fold (131, 20);
  check_depthwise_fold (129, 4);
  check_depthwise_fold (101, 40);
  check_depthwise_fold (150, 84);
  g_unsetenv ("OMNI_VK_DW_NO_SG");
  for (pass = 0; pass < 3; pass++) {
    if (pass == 1)
      g_setenv ("OMNI_VK_DW_NO_SG", "1", TRUE);
    if (pass == 2)
      g_setenv ("OMNI_VK_DW_NO_FOLD", "1", TRUE);
    check_depthwise (
        9, 61, 24, 1, 3, 1, 1, OMNI_NN_PADDING_SAME, OMNI_NN_ACT_RELU6, TRUE);
    check_depthwise (
        7, 131, 20, 1, 3, 2, 1, OMNI_NN_PADDING_SAME, OMNI_NN_ACT_NONE, TRUE);
    check_depthwise (
        11, 129, 4, 1, 5, 1, 2, OMNI_NN_PADDING_VALID, OMNI_NN_ACT_RELU, FALSE);
    check_depthwise (5, 101, 40, 1, 3, 1, 1, OMNI_NN_PADDING_SAME,
        OMNI_NN_ACT_HARD_SWISH, TRUE);
    check_depthwise (
        4, 150, 84, 1, 3, 1, 1, OMNI_NN_PADDING_SAME, OMNI_NN_ACT_NONE, TRUE);
    check_depthwise (
        1, 1, 96, 1, 3, 1, 1, OMNI_NN_PADDING_SAME, OMNI_NN_ACT_RELU, TRUE);
  }
  g_unsetenv ("OMNI_VK_DW_NO_SG");
  g_unsetenv ("OMNI_VK_DW_NO_FOLD");
  check_read_path ();
}

GST_END_TEST;

/* ---- pointwise / dense (GEMM) ------------------------------------------ */

static void
check_gemm (OmniNnOpType op, guint m, guint k, guint n, OmniNnActivation act,
    gboolean bias)
{
  OmniNnOpParams params = { 0 };
  gfloat *in = random_floats ((gsize) m * k, 1.0f);
  gfloat *w = random_floats ((gsize) k * n, 0.5f);
  gfloat *b = random_floats (n, 1.0f);
  gfloat *ref = g_new (gfloat, (gsize) m * n), *vk;
  gconstpointer inputs[3] = { in, w, b };
  gsize sizes[3] = { (gsize) m * k * 4, (gsize) k * n * 4, (gsize) n * 4 };
  gchar *what;

  params.gemm.m = m;
  params.gemm.k = k;
  params.gemm.n = n;
  params.gemm.activation = act;
  params.gemm.alpha = act == OMNI_NN_ACT_HARD_SWISH ? 1.0f / 6 : 0.1f;
  omni_nn_ref_gemm (&params.gemm, in, w, bias ? b : NULL, ref);
  vk = run_kernel (
      op, &params, bias, bias ? 3 : 2, inputs, sizes, (gsize) m * n);
  what = g_strdup_printf (
      "%s %ux%u x %ux%u", omni_nn_op_type_name (op), m, k, k, n);
  compare (what, vk, ref, (gsize) m * n);
  g_free (what);
  g_free (in);
  g_free (w);
  g_free (b);
  g_free (ref);
  g_free (vk);
}

GST_START_TEST (test_pointwise)
{
  /* A 13x11 feature map: M = 143, odd K and N, partial tiles everywhere. */
  check_gemm (
      OMNI_NN_OP_POINTWISE_CONV2D, 143, 37, 29, OMNI_NN_ACT_RELU6, TRUE);
  check_gemm (OMNI_NN_OP_POINTWISE_CONV2D, 17, 1, 1, OMNI_NN_ACT_NONE, FALSE);
  /* 1x1 feature map (goes to the matrix-vector kernel). */
  check_gemm (OMNI_NN_OP_POINTWISE_CONV2D, 1, 33, 17, OMNI_NN_ACT_RELU, TRUE);
  /* MobileNetV2's last 1x1 convolution: 7x7, 320 -> 1280. */
  check_gemm (
      OMNI_NN_OP_POINTWISE_CONV2D, 49, 320, 1280, OMNI_NN_ACT_RELU6, TRUE);
  /* K not a multiple of the K tile, N of the N tile. */
  check_gemm (OMNI_NN_OP_POINTWISE_CONV2D, 100, 23, 41, OMNI_NN_ACT_NONE, TRUE);
  /* K and N in quads (the register-blocked vec4 kernel): odd M, N with an
   * odd number of quads, few rows, many rows. */
  check_gemm (
      OMNI_NN_OP_POINTWISE_CONV2D, 143, 24, 36, OMNI_NN_ACT_RELU6, TRUE);
  check_gemm (OMNI_NN_OP_POINTWISE_CONV2D, 17, 4, 4, OMNI_NN_ACT_NONE, FALSE);
  check_gemm (OMNI_NN_OP_POINTWISE_CONV2D, 63, 16, 12, OMNI_NN_ACT_RELU, TRUE);
  check_gemm (
      OMNI_NN_OP_POINTWISE_CONV2D, 3025, 32, 16, OMNI_NN_ACT_NONE, TRUE);
  /* a fused leaky ReLU: vec4 and general kernels */
  check_gemm (
      OMNI_NN_OP_POINTWISE_CONV2D, 169, 96, 124, OMNI_NN_ACT_LEAKY_RELU, TRUE);
  check_gemm (
      OMNI_NN_OP_POINTWISE_CONV2D, 143, 37, 29, OMNI_NN_ACT_LEAKY_RELU, TRUE);
  /* fused hard-swish and sigmoid (CenterNet's expansions, its class
   * heatmap) */
  check_gemm (
      OMNI_NN_OP_POINTWISE_CONV2D, 131, 24, 72, OMNI_NN_ACT_HARD_SWISH, TRUE);
  check_gemm (
      OMNI_NN_OP_POINTWISE_CONV2D, 143, 37, 29, OMNI_NN_ACT_HARD_SWISH, TRUE);
  check_gemm (
      OMNI_NN_OP_POINTWISE_CONV2D, 257, 64, 80, OMNI_NN_ACT_SIGMOID, TRUE);
  check_gemm (OMNI_NN_OP_DENSE, 1, 37, 5, OMNI_NN_ACT_TANH, TRUE);
  /* N in blocks of 16: odd M, fewer rows than a workgroup, K of one
   * quad */
  check_gemm (
      OMNI_NN_OP_POINTWISE_CONV2D, 143, 12, 32, OMNI_NN_ACT_RELU6, TRUE);
  check_gemm (OMNI_NN_OP_POINTWISE_CONV2D, 9, 20, 16, OMNI_NN_ACT_NONE, FALSE);
  check_gemm (
      OMNI_NN_OP_POINTWISE_CONV2D, 1001, 4, 48, OMNI_NN_ACT_LEAKY_RELU, TRUE);
  check_read_path ();
}

GST_END_TEST;

GST_START_TEST (test_dense)
{
  /* nsfwjs's classifier: 1280 -> 5. */
  check_gemm (OMNI_NN_OP_DENSE, 1, 1280, 5, OMNI_NN_ACT_NONE, TRUE);
  check_gemm (OMNI_NN_OP_DENSE, 1, 7, 1001, OMNI_NN_ACT_RELU, TRUE);
  check_gemm (OMNI_NN_OP_DENSE, 3, 19, 1, OMNI_NN_ACT_RELU6, FALSE);
  check_gemm (OMNI_NN_OP_DENSE, 1, 1, 1, OMNI_NN_ACT_NONE, TRUE);
  /* K and N in quads: the vec4 GEMM with one row per invocation
   * (nsfwjs's 1280 -> 256 and 256 -> 128 layers), and with three rows. */
  check_gemm (OMNI_NN_OP_DENSE, 1, 1280, 256, OMNI_NN_ACT_RELU, TRUE);
  check_gemm (OMNI_NN_OP_DENSE, 3, 16, 12, OMNI_NN_ACT_RELU6, FALSE);
  check_read_path ();
}

GST_END_TEST;

/* A pointwise convolution with the residual Add in its epilogue against
 * the reference GEMM then the reference Add. */
static void
check_residual (guint m, guint k, guint n, OmniNnActivation act, gboolean bias)
{
  OmniNnGemmParams p = { m, k, n, act };
  OmniNnGemmParams plain = { m, k, n, OMNI_NN_ACT_NONE };
  OmniNnEltwiseParams add = { (gsize) m * n, act };
  GError *err = NULL;
  OmniNnVkKernel *kern;
  OmniVkBuffer *bufs[5], *down;
  OmniVkDescriptorPool *pool;
  OmniVkCommand *cmd;
  gfloat *in = random_floats ((gsize) m * k, 1.0f);
  gfloat *w = random_floats ((gsize) k * n, 0.5f);
  gfloat *b = random_floats (n, 1.0f);
  gfloat *res = random_floats ((gsize) m * n, 3.0f);
  gfloat *gemm = g_new (gfloat, (gsize) m * n);
  gfloat *ref = g_new (gfloat, (gsize) m * n);
  gfloat *vk = g_new (gfloat, (gsize) m * n);
  const gfloat *data[4] = { in, w, b, res };
  gsize sizes[4]
      = { (gsize) m * k * 4, (gsize) k * n * 4, n * 4, (gsize) m * n * 4 };
  gchar *what;
  guint i;

  omni_nn_ref_gemm (&plain, in, w, bias ? b : NULL, gemm);
  omni_nn_ref_add (&add, gemm, res, ref);

  kern = omni_nn_vk_kernel_new_residual (device, &p, bias, &err);
  fail_unless (kern != NULL, "%s", err ? err->message : "");
  if (strstr (omni_nn_vk_kernel_get_shader (kern), "_texel_res"))
    n_texel_kernels++;
  fail_unless_equals_int (omni_nn_vk_kernel_get_n_buffers (kern), 5);
  bufs[0] = omni_vk_buffer_new (device, sizes[3], OMNI_VK_MEMORY_DEVICE, &err);
  for (i = 0; i < 4; i++) {
    bufs[i + 1]
        = omni_vk_buffer_new (device, sizes[i], OMNI_VK_MEMORY_DEVICE, &err);
    fail_unless (bufs[i + 1] != NULL);
    fail_unless (
        omni_vk_buffer_write (bufs[i + 1], 0, data[i], sizes[i], &err));
  }
  down = omni_vk_buffer_new (device, sizes[3], OMNI_VK_MEMORY_DOWNLOAD, &err);
  pool = omni_vk_descriptor_pool_new (device, 1, 5, &err);
  fail_unless (omni_nn_vk_kernel_bind (kern, pool, bufs, 5, &err), "%s",
      err ? err->message : "");
  cmd = omni_vk_command_new (device, &err);
  fail_unless (omni_vk_command_begin (cmd, &err));
  omni_vk_command_fill_buffer (cmd, bufs[0], 0, G_MAXSIZE, 0x7fc00000u);
  omni_nn_vk_kernel_record (kern, cmd);
  omni_vk_command_copy_buffer (cmd, bufs[0], 0, down, 0, sizes[3]);
  fail_unless (omni_vk_command_end (cmd, &err), "%s", err ? err->message : "");
  fail_unless (omni_vk_command_run (cmd, &err), "%s", err ? err->message : "");
  fail_unless (omni_vk_buffer_read (down, 0, vk, sizes[3], &err));
  what = g_strdup_printf ("pointwise+residual %ux%u x %ux%u", m, k, k, n);
  compare (what, vk, ref, (gsize) m * n);

  g_free (what);
  omni_vk_command_unref (cmd);
  omni_vk_descriptor_pool_unref (pool);
  omni_vk_buffer_unref (down);
  for (i = 0; i < 5; i++)
    omni_vk_buffer_unref (bufs[i]);
  omni_nn_vk_kernel_free (kern);
  g_free (in);
  g_free (w);
  g_free (b);
  g_free (res);
  g_free (gemm);
  g_free (ref);
  g_free (vk);
}

/* A pointwise convolution reading its input scaled per channel (a
 * squeeze-and-excite multiply folded in), with or without a residual:
 * against the multiply, then the GEMM (then the Add) in C. */
static void
check_scaled (
    guint m, guint k, guint n, OmniNnActivation act, gboolean residual)
{
  OmniNnGemmParams p = { m, k, n, act };
  OmniNnGemmParams plain = { m, k, n, residual ? OMNI_NN_ACT_NONE : act };
  OmniNnEltwiseParams add = { (gsize) m * n, act };
  guint nb = residual ? 6 : 5, i, j;
  GError *err = NULL;
  OmniNnVkKernel *kern;
  OmniVkBuffer *bufs[6], *down;
  OmniVkDescriptorPool *pool;
  OmniVkCommand *cmd;
  gfloat *in = random_floats ((gsize) m * k, 1.0f);
  gfloat *s = random_floats (k, 1.0f);
  gfloat *w = random_floats ((gsize) k * n, 0.5f);
  gfloat *b = random_floats (n, 1.0f);
  gfloat *res = random_floats ((gsize) m * n, 3.0f);
  gfloat *scaled = g_new (gfloat, (gsize) m * k);
  gfloat *ref = g_new (gfloat, (gsize) m * n);
  gfloat *vk = g_new (gfloat, (gsize) m * n);
  const gfloat *data[5] = { in, w, b, residual ? res : s, s };
  gsize sizes[5] = { (gsize) m * k * 4, (gsize) k * n * 4, n * 4,
    residual ? (gsize) m * n * 4 : k * 4, k * 4 };
  gsize out_bytes = (gsize) m * n * 4;
  gchar *what;

  /* a hard-swish's scale */
  p.alpha = plain.alpha = add.alpha = 1.0f / 6;
  for (i = 0; i < m; i++)
    for (j = 0; j < k; j++)
      scaled[(gsize) i * k + j] = in[(gsize) i * k + j] * s[j];
  omni_nn_ref_gemm (&plain, scaled, w, b, ref);
  if (residual)
    omni_nn_ref_add (&add, ref, res, ref);
  kern = omni_nn_vk_kernel_new_scaled (device, &p, TRUE, residual, &err);
  fail_unless (kern != NULL, "%s", err ? err->message : "");
  fail_unless_equals_int (omni_nn_vk_kernel_get_n_buffers (kern), nb);
  fail_unless (strstr (omni_nn_vk_kernel_get_shader (kern), "_scale") != NULL);
  if (strstr (omni_nn_vk_kernel_get_shader (kern), "_texel") != NULL)
    n_texel_kernels++;
  bufs[0] = omni_vk_buffer_new (device, out_bytes, OMNI_VK_MEMORY_DEVICE, &err);
  for (i = 1; i < nb; i++) {
    bufs[i] = omni_vk_buffer_new (
        device, sizes[i - 1], OMNI_VK_MEMORY_DEVICE, &err);
    fail_unless (bufs[i] != NULL);
    fail_unless (
        omni_vk_buffer_write (bufs[i], 0, data[i - 1], sizes[i - 1], &err));
  }
  down = omni_vk_buffer_new (device, out_bytes, OMNI_VK_MEMORY_DOWNLOAD, &err);
  pool = omni_vk_descriptor_pool_new (device, 1, nb, &err);
  fail_unless (omni_nn_vk_kernel_bind (kern, pool, bufs, nb, &err), "%s",
      err ? err->message : "");
  cmd = omni_vk_command_new (device, &err);
  fail_unless (omni_vk_command_begin (cmd, &err));
  omni_vk_command_fill_buffer (cmd, bufs[0], 0, G_MAXSIZE, 0x7fc00000u);
  omni_nn_vk_kernel_record (kern, cmd);
  omni_vk_command_copy_buffer (cmd, bufs[0], 0, down, 0, out_bytes);
  fail_unless (omni_vk_command_end (cmd, &err), "%s", err ? err->message : "");
  fail_unless (omni_vk_command_run (cmd, &err), "%s", err ? err->message : "");
  fail_unless (omni_vk_buffer_read (down, 0, vk, out_bytes, &err));
  what = g_strdup_printf ("pointwise scaled%s %ux%u x %ux%u",
      residual ? "+residual" : "", m, k, k, n);
  compare (what, vk, ref, (gsize) m * n);
  g_free (what);
  omni_vk_command_unref (cmd);
  omni_vk_descriptor_pool_unref (pool);
  omni_vk_buffer_unref (down);
  for (i = 0; i < nb; i++)
    omni_vk_buffer_unref (bufs[i]);
  omni_nn_vk_kernel_free (kern);
  g_free (in);
  g_free (s);
  g_free (w);
  g_free (b);
  g_free (res);
  g_free (scaled);
  g_free (ref);
  g_free (vk);
}

GST_START_TEST (test_scaled)
{
  /* CenterNet's squeeze-and-excite projections (64x64 72->40 with a
   * residual, 32x32 240->40), odd M, the 8x2 blocks (K, N >= 64) */
  check_scaled (4096, 72, 40, OMNI_NN_ACT_NONE, TRUE);
  check_scaled (1024, 240, 40, OMNI_NN_ACT_NONE, FALSE);
  check_scaled (143, 24, 36, OMNI_NN_ACT_RELU6, FALSE);
  check_scaled (257, 96, 64, OMNI_NN_ACT_HARD_SWISH, TRUE);
  check_scaled (131, 20, 48, OMNI_NN_ACT_RELU, TRUE);
  check_read_path ();
}

GST_END_TEST;

GST_START_TEST (test_residual)
{
  GError *err = NULL;
  OmniNnGemmParams odd = { 143, 37, 28, OMNI_NN_ACT_NONE };

  /* MobileNetV2 shapes (56x56 96->24, 7x7 960->160), odd M, an odd number
   * of quads, exactly 16 rows, an activation, no bias. */
  check_residual (3136, 96, 24, OMNI_NN_ACT_NONE, TRUE);
  check_residual (49, 960, 160, OMNI_NN_ACT_NONE, TRUE);
  check_residual (143, 24, 36, OMNI_NN_ACT_RELU6, TRUE);
  check_residual (16, 4, 4, OMNI_NN_ACT_RELU, FALSE);
  check_residual (37, 8, 32, OMNI_NN_ACT_RELU6, FALSE);
  check_read_path ();
  /* K not in quads: no residual kernel, and the error says why. */
  fail_if (omni_nn_vk_kernel_new_residual (device, &odd, TRUE, &err));
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED));
  fail_unless (
      strstr (err->message, "143 x 37 x 28") != NULL, "%s", err->message);
  g_clear_error (&err);
}

GST_END_TEST;

/* The kernel of an @m x @k x @n pointwise convolution with a bias (not
 * run: for its layout). */
static OmniNnVkKernel *
pointwise_kernel (guint m, guint k, guint n)
{
  OmniNnOpParams params = { 0 };
  GError *err = NULL;
  OmniNnVkKernel *kern;

  params.gemm.m = m;
  params.gemm.k = k;
  params.gemm.n = n;
  kern = omni_nn_vk_kernel_new (
      device, OMNI_NN_OP_POINTWISE_CONV2D, &params, TRUE, &err);
  fail_unless (kern != NULL, "%s", err ? err->message : "");
  return kern;
}

/* The vec4 GEMM's workgroup x on a CPU device: exactly its column blocks
 * times the row blocks folded onto x, a multiple of the SIMD width when
 * there are enough rows (lavapipe vectorises along x only). */
static void
check_gemm_fold (guint m, guint k, guint n)
{
  OmniNnVkKernel *kern = pointwise_kernel (m, k, n);
  guint lx, sg = omni_vk_device_get_subgroup_size (device);

  lx = omni_nn_vk_kernel_get_local_size (kern, 0);
  if (omni_vk_device_get_info (device)->type == OMNI_VK_DEVICE_TYPE_CPU)
    fail_unless (
        lx % sg == 0, "%ux%ux%u: x %u, SIMD width %u", m, k, n, lx, sg);
  omni_nn_vk_kernel_free (kern);
}

/* Shapes whose column blocks do not fill a SIMD group (1, 5, 6, 10, 11
 * quads), odd M with a partial last group of folded row blocks, through
 * the folded layout and the power-of-two one (OMNI_VK_GEMM_NO_FOLD, what
 * GPUs get), with the residual and scale epilogues. */
GST_START_TEST (test_pointwise_fold)
{
  guint pass;

  check_gemm_fold (2001, 36, 4);
  check_gemm_fold (1999, 72, 20);
  check_gemm_fold (1037, 128, 80);
  check_gemm_fold (517, 64, 24);
  check_gemm_fold (1001, 24, 44);
  for (pass = 0; pass < 2; pass++) {
    if (pass == 1)
      g_setenv ("OMNI_VK_GEMM_NO_FOLD", "1", TRUE);
    check_gemm (
        OMNI_NN_OP_POINTWISE_CONV2D, 2001, 36, 4, OMNI_NN_ACT_NONE, TRUE);
    check_gemm (
        OMNI_NN_OP_POINTWISE_CONV2D, 1999, 72, 20, OMNI_NN_ACT_RELU6, TRUE);
    check_gemm (
        OMNI_NN_OP_POINTWISE_CONV2D, 1037, 128, 80, OMNI_NN_ACT_SIGMOID, TRUE);
    check_gemm (
        OMNI_NN_OP_POINTWISE_CONV2D, 517, 64, 24, OMNI_NN_ACT_NONE, FALSE);
    check_residual (1001, 24, 44, OMNI_NN_ACT_RELU, TRUE);
    check_scaled (999, 72, 20, OMNI_NN_ACT_NONE, TRUE);
    check_scaled (1037, 128, 80, OMNI_NN_ACT_HARD_SWISH, FALSE);
  }
  g_unsetenv ("OMNI_VK_GEMM_NO_FOLD");
  check_read_path ();
}

GST_END_TEST;

/* The shader a pointwise convolution of this shape gets, and its x. */
static gboolean
gemm_uses_subgroup_rows (guint m, guint k, guint n, guint *lx)
{
  OmniNnVkKernel *kern = pointwise_kernel (m, k, n);
  gboolean sg;

  sg = g_str_has_suffix (omni_nn_vk_kernel_get_shader (kern), "_sg");
  *lx = omni_nn_vk_kernel_get_local_size (kern, 0);
  omni_nn_vk_kernel_free (kern);
  return sg;
}

/* Rows handed round a subgroup (nn_gemm_v4's _sg variants, CPU devices):
 * 16- and 8-row blocks (the wide layout), column blocks that fill x (24)
 * or leave lanes idle that still read rows for the others (28 in 32), a
 * partial last row block, the residual and scale epilogues; and the same
 * shapes without (OMNI_VK_GEMM_NO_SG). Half-idle x (10 column blocks of
 * 16 x 1) keeps the row fold. */
GST_START_TEST (test_pointwise_subgroup_rows)
{
  guint pass, lx;
  gboolean cpu
      = omni_vk_device_get_info (device)->type == OMNI_VK_DEVICE_TYPE_CPU
        && omni_vk_device_has_subgroup_shuffle (device)
        && omni_vk_device_get_subgroup_size (device) == 8;

  if (cpu) {
    fail_unless (gemm_uses_subgroup_rows (1037, 16, 96, &lx) && lx == 24);
    fail_unless (gemm_uses_subgroup_rows (999, 24, 112, &lx) && lx == 32);
    fail_unless (gemm_uses_subgroup_rows (517, 72, 224, &lx) && lx == 32);
    /* 8 x 2 blocks would leave 10 column blocks in 16 lanes: 16 x 1 */
    fail_unless (gemm_uses_subgroup_rows (1037, 128, 80, &lx) && lx == 24);
    fail_if (gemm_uses_subgroup_rows (1037, 128, 40, &lx));
  }
  for (pass = 0; pass < 2; pass++) {
    if (pass == 1) {
      g_setenv ("OMNI_VK_GEMM_NO_SG", "1", TRUE);
      fail_if (gemm_uses_subgroup_rows (1037, 16, 96, &lx));
    }
    check_gemm (
        OMNI_NN_OP_POINTWISE_CONV2D, 1037, 16, 96, OMNI_NN_ACT_RELU, TRUE);
    check_gemm (
        OMNI_NN_OP_POINTWISE_CONV2D, 999, 24, 112, OMNI_NN_ACT_NONE, FALSE);
    check_gemm (
        OMNI_NN_OP_POINTWISE_CONV2D, 517, 72, 224, OMNI_NN_ACT_RELU6, TRUE);
    check_residual (1001, 24, 112, OMNI_NN_ACT_RELU, TRUE);
    check_scaled (999, 72, 224, OMNI_NN_ACT_NONE, TRUE);
    check_residual (70, 64, 96, OMNI_NN_ACT_NONE, FALSE);
    check_gemm (
        OMNI_NN_OP_POINTWISE_CONV2D, 1037, 128, 80, OMNI_NN_ACT_NONE, TRUE);
  }
  g_unsetenv ("OMNI_VK_GEMM_NO_SG");
  check_read_path ();
}

GST_END_TEST;

/* ---- pad, add, activation, pooling, softmax, batch norm ---------------- */

static void
check_pad (guint h, guint w, guint c, guint t, guint b, guint l, guint r)
{
  OmniNnOpParams params = { 0 };
  OmniNnPadParams *p = &params.pad;
  gsize n_in = (gsize) h * w * c;
  gsize n_out = (gsize) (h + t + b) * (w + l + r) * c;
  gfloat *in = random_floats (n_in, 3.0f), *ref = g_new (gfloat, n_out), *vk;
  gconstpointer inputs[1] = { in };
  gsize sizes[1] = { n_in * 4 };

  p->in_h = h;
  p->in_w = w;
  p->c = c;
  p->pad_top = t;
  p->pad_bottom = b;
  p->pad_left = l;
  p->pad_right = r;
  omni_nn_ref_pad (p, in, ref);
  vk = run_kernel (OMNI_NN_OP_PAD, &params, FALSE, 1, inputs, sizes, n_out);
  compare ("pad", vk, ref, n_out);
  g_free (in);
  g_free (ref);
  g_free (vk);
}

GST_START_TEST (test_pad)
{
  check_pad (7, 5, 3, 1, 2, 0, 3);
  check_pad (1, 1, 1, 0, 1, 1, 0);
  check_pad (13, 9, 17, 0, 1, 0, 1); /* TF 'same' on a stride-2 layer */
}

GST_END_TEST;

/* Channel padding (BlazeFace's residuals: Pad on the last axis). */
static void
check_pad_channels (
    guint h, guint w, guint c, guint t, guint l, guint front, guint back)
{
  OmniNnOpParams params = { 0 };
  OmniNnPadParams *p = &params.pad;
  gsize n_in = (gsize) h * w * c;
  gsize n_out = (gsize) (h + t) * (w + l) * (front + c + back);
  gfloat *in = random_floats (n_in, 3.0f), *ref = g_new (gfloat, n_out), *vk;
  gconstpointer inputs[1] = { in };
  gsize sizes[1] = { n_in * 4 };

  p->in_h = h;
  p->in_w = w;
  p->c = c;
  p->pad_top = t;
  p->pad_left = l;
  p->pad_front = front;
  p->pad_back = back;
  omni_nn_ref_pad (p, in, ref);
  /* by hand: the first input value lands after the front channels */
  fail_unless_equals_float (
      ref[((gsize) t * (w + l) + l) * (front + c + back) + front], in[0]);
  vk = run_kernel (OMNI_NN_OP_PAD, &params, FALSE, 1, inputs, sizes, n_out);
  compare ("pad-channels", vk, ref, n_out);
  g_free (in);
  g_free (ref);
  g_free (vk);
}

GST_START_TEST (test_pad_channels)
{
  check_pad_channels (7, 5, 3, 0, 0, 0, 5);
  check_pad_channels (9, 11, 13, 1, 2, 3, 7);
  check_pad_channels (1, 1, 1, 0, 0, 2, 0);
}

GST_END_TEST;

/* The shader omni_nn_vk_kernel_new() picks for @op on this device: the
 * tests below check that the vec4 variants they mean to test are the ones
 * that run. */
static gboolean
kernel_uses (OmniNnOpType op, const OmniNnOpParams *params, const gchar *prefix)
{
  GError *err = NULL;
  OmniNnVkKernel *k = omni_nn_vk_kernel_new (device, op, params, FALSE, &err);
  gboolean ok;

  fail_unless (k != NULL, "%s", err ? err->message : "");
  ok = g_str_has_prefix (omni_nn_vk_kernel_get_shader (k), prefix);
  omni_nn_vk_kernel_free (k);
  return ok;
}

/* ---- conv2d, Winograd F(2x2, 3x3) ------------------------------------- */

/* 3x3 stride-1 convolutions with channels in quads and enough of them
 * (Cin Cout >= 12 (Cin + Cout)) take the Winograd path (nn_wino_f23: input
 * transform, 16 batched GEMMs, output transform); the others, ONNX models
 * summing in onnxruntime's order, and OMNI_VK_CONV_NO_WINOGRAD=1 keep the
 * direct kernels. */
GST_START_TEST (test_conv2d_winograd_choice)
{
  static const guint refused[][6] = {
    /* in_c, out_c, kh, kw, stride, dilation */
    { 24, 28, 3, 3, 2, 1 },
    { 24, 28, 3, 3, 1, 2 },
    { 24, 28, 5, 3, 1, 1 },
    { 26, 28, 3, 3, 1, 1 },
    { 24, 30, 3, 3, 1, 1 },
    { 16, 16, 3, 3, 1, 1 },
    { 32, 16, 3, 3, 1, 1 },
  };
  OmniNnOpParams params;
  guint i;

  set_conv2d (&params, 13, 11, 24, 28, 3, 3, 1, 1, 1, 1, OMNI_NN_PADDING_SAME,
      OMNI_NN_ACT_NONE);
  fail_unless (kernel_uses (OMNI_NN_OP_CONV2D, &params, "nn_wino_f"));
  g_setenv ("OMNI_VK_CONV_NO_WINOGRAD", "1", TRUE);
  fail_unless (kernel_uses (OMNI_NN_OP_CONV2D, &params, "nn_conv2d_v4"));
  g_unsetenv ("OMNI_VK_CONV_NO_WINOGRAD");
  params.conv2d.sum_blocks = TRUE;
  fail_unless (kernel_uses (OMNI_NN_OP_CONV2D, &params, "nn_conv2d_v4"));
  for (i = 0; i < G_N_ELEMENTS (refused); i++) {
    const guint *r = refused[i];

    set_conv2d (&params, 13, 11, r[0], r[1], r[2], r[3], r[4], r[4], r[5], r[5],
        OMNI_NN_PADDING_SAME, OMNI_NN_ACT_NONE);
    fail_if (kernel_uses (OMNI_NN_OP_CONV2D, &params, "nn_wino"),
        "case %u took the Winograd path", i);
  }
  set_conv2d (&params, 13, 11, 32, 32, 3, 3, 1, 1, 1, 1, OMNI_NN_PADDING_SAME,
      OMNI_NN_ACT_NONE);
  fail_unless (kernel_uses (OMNI_NN_OP_CONV2D, &params, "nn_wino_f"));
}

GST_END_TEST;

static gboolean winograd_f23_only; /* OMNI_VK_WINOGRAD_TILE=2 */
static void check_winograd_cases (void);

/* F(4x4, 3x3) up to 256 input channels, unless OMNI_VK_WINOGRAD_TILE=2 */
static void
check_winograd (const OmniNnOpParams *params, gboolean bias)
{
  fail_unless (kernel_uses (OMNI_NN_OP_CONV2D, params,
      !winograd_f23_only && params->conv2d.in_c <= 256 ? "nn_wino_f43"
                                                       : "nn_wino_f23"));
  check_conv2d_params (params, bias);
}

/* The Winograd path against the C reference (direct summation) within
 * 1e-4 relative, as chosen (F(4x4, 3x3) up to 256 input channels, F(2x2,
 * 3x3) above), then F(2x2, 3x3) for all (OMNI_VK_WINOGRAD_TILE=2): odd
 * heights and widths (tiles past the edge), 'same' and 'valid' padding, a
 * folded Pad's larger pads (2 above, 3 left; the bottom and right read past
 * the input), a 1x1 and a 2x2 map, 256 and 512 input channels, every activation,
 * with and without bias. */
GST_START_TEST (test_conv2d_winograd)
{
  for (winograd_f23_only = 0; winograd_f23_only < 2; winograd_f23_only++) {
    if (winograd_f23_only)
      g_setenv ("OMNI_VK_WINOGRAD_TILE", "2", TRUE);
    check_winograd_cases ();
  }
  g_unsetenv ("OMNI_VK_WINOGRAD_TILE");
  check_read_path ();
}

GST_END_TEST;

static void
check_winograd_cases (void)
{
  static const OmniNnActivation acts[] = { OMNI_NN_ACT_NONE, OMNI_NN_ACT_RELU,
    OMNI_NN_ACT_RELU6, OMNI_NN_ACT_SIGMOID, OMNI_NN_ACT_TANH,
    OMNI_NN_ACT_LEAKY_RELU, OMNI_NN_ACT_HARD_SWISH };
  static const guint shapes[][5] = {
    /* in_h, in_w, in_c, out_c, 'same' */
    { 15, 17, 24, 24, 0 }, /* NanoDet's: 'valid' on a padded input */
    { 9, 7, 36, 28, 0 }, { 1, 1, 24, 24, 1 }, { 2, 2, 28, 24, 1 },
    { 27, 26, 64, 32, 1 }, { 15, 15, 256, 128, 0 }, /* NanoDet's deepest */
    { 15, 15, 512, 64, 0 },                         /* F(2x2, 3x3) above 256 */
  };
  OmniNnOpParams params;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (acts); i++) {
    set_conv2d (&params, 13, 11, 24, 28, 3, 3, 1, 1, 1, 1, OMNI_NN_PADDING_SAME,
        acts[i]);
    check_winograd (&params, i % 2 == 0);
  }
  for (i = 0; i < G_N_ELEMENTS (shapes); i++) {
    const guint *s = shapes[i];

    set_conv2d (&params, s[0], s[1], s[2], s[3], 3, 3, 1, 1, 1, 1,
        s[4] ? OMNI_NN_PADDING_SAME : OMNI_NN_PADDING_VALID,
        OMNI_NN_ACT_LEAKY_RELU);
    check_winograd (&params, i != 1);
  }
  /* a folded Pad (1 more row above and 2 more columns left than 'same') */
  set_conv2d (&params, 11, 9, 32, 24, 3, 3, 1, 1, 1, 1, OMNI_NN_PADDING_VALID,
      OMNI_NN_ACT_RELU6);
  params.conv2d.pad_top = 2;
  params.conv2d.pad_left = 3;
  params.conv2d.out_h = 11 + 2 + 1 - 2;
  params.conv2d.out_w = 9 + 3 + 2 - 2;
  check_winograd (&params, TRUE);
}

/* Max and average pooling, TF 'same' and 'valid' windows, odd sizes. */
static void
check_pool2d (guint h, guint w, guint c, guint k, guint s, OmniNnPadding pad,
    gboolean max)
{
  OmniNnOpParams params = { 0 };
  OmniNnPool2dParams *p = &params.pool2d;
  guint pt = 0, pl = 0;
  gsize n_in = (gsize) h * w * c, n_out;
  gfloat *in = random_floats (n_in, 5.0f), *ref, *vk;
  gconstpointer inputs[1] = { in };
  gsize sizes[1] = { n_in * 4 };

  p->in_h = h;
  p->in_w = w;
  p->c = c;
  p->kernel_h = p->kernel_w = k;
  p->stride_h = p->stride_w = s;
  p->max = max;
  fail_unless (omni_nn_conv_output_size (h, k, s, 1, pad, &p->out_h, &pt));
  fail_unless (omni_nn_conv_output_size (w, k, s, 1, pad, &p->out_w, &pl));
  p->pad_top = pt;
  p->pad_left = pl;
  n_out = (gsize) p->out_h * p->out_w * c;
  ref = g_new (gfloat, n_out);
  omni_nn_ref_pool2d (p, in, ref);
  vk = run_kernel (OMNI_NN_OP_POOL2D, &params, FALSE, 1, inputs, sizes, n_out);
  compare (max ? "maxpool" : "avgpool", vk, ref, n_out);
  g_free (in);
  g_free (ref);
  g_free (vk);
}

GST_START_TEST (test_pool2d)
{
  OmniNnOpParams params = { 0 };
  const gfloat in[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  gfloat out[4];

  /* by hand: 3x3, window 2, stride 2, 'same' (one padded row and column
   * after): the mean counts only the taps inside */
  params.pool2d.in_h = params.pool2d.in_w = 3;
  params.pool2d.c = 1;
  params.pool2d.out_h = params.pool2d.out_w = 2;
  params.pool2d.kernel_h = params.pool2d.kernel_w = 2;
  params.pool2d.stride_h = params.pool2d.stride_w = 2;
  omni_nn_ref_pool2d (&params.pool2d, in, out);
  fail_unless_equals_float (out[0], 3.0f);
  fail_unless_equals_float (out[1], 4.5f);
  fail_unless_equals_float (out[2], 7.5f);
  fail_unless_equals_float (out[3], 9.0f);
  params.pool2d.max = TRUE;
  omni_nn_ref_pool2d (&params.pool2d, in, out);
  fail_unless (out[0] == 5 && out[1] == 6 && out[2] == 8 && out[3] == 9);

  check_pool2d (13, 11, 7, 3, 2, OMNI_NN_PADDING_SAME, TRUE);
  check_pool2d (13, 11, 7, 3, 2, OMNI_NN_PADDING_SAME, FALSE);
  check_pool2d (16, 16, 24, 2, 2, OMNI_NN_PADDING_SAME, TRUE);
  check_pool2d (9, 15, 5, 3, 1, OMNI_NN_PADDING_VALID, FALSE);
  check_pool2d (1, 1, 3, 1, 1, OMNI_NN_PADDING_VALID, TRUE);
}

GST_END_TEST;

/* a (kind) b with broadcasting; @b_const binds b as the node's constant. */
static void
check_binary (OmniNnBinaryKind kind, guint n_dims, const guint *dims,
    const guint *a_dims, const guint *b_dims, gboolean b_const, gboolean swap)
{
  OmniNnOpParams params = { 0 };
  OmniNnBinaryParams *p = &params.binary;
  gsize na = 1, nb = 1, n = 1;
  gfloat *a, *b, *ref, *vk;
  gconstpointer inputs[2];
  gsize sizes[2];
  guint i;

  p->kind = kind;
  p->n_dims = n_dims;
  p->swap = swap;
  for (i = 0; i < n_dims; i++) {
    p->dims[i] = dims[i];
    p->a_dims[i] = a_dims[i];
    p->b_dims[i] = b_dims[i];
    n *= dims[i];
    na *= a_dims[i];
    nb *= b_dims[i];
  }
  a = random_floats (na, 4.0f);
  b = random_floats (nb, 4.0f);
  if (kind == OMNI_NN_BINARY_DIV) {
    /* keep divisors away from 0 */
    for (i = 0; i < nb; i++)
      b[i] = b[i] >= 0 ? b[i] + 0.5f : b[i] - 0.5f;
    for (i = 0; swap && i < na; i++)
      a[i] = a[i] >= 0 ? a[i] + 0.5f : a[i] - 0.5f;
  }
  inputs[0] = a;
  inputs[1] = b;
  sizes[0] = na * 4;
  sizes[1] = nb * 4;
  ref = g_new (gfloat, n);
  omni_nn_ref_binary (p, a, b, ref);
  vk = run_kernel (b_const ? OMNI_NN_OP_BINARY_CONST : OMNI_NN_OP_BINARY,
      &params, FALSE, 2, inputs, sizes, n);
  compare ("binary", vk, ref, n);
  g_free (a);
  g_free (b);
  g_free (ref);
  g_free (vk);
}

GST_START_TEST (test_binary)
{
  static const guint d3[] = { 7, 9, 13 }, c3[] = { 1, 1, 13 };
  static const guint one3[] = { 1, 1, 1 }, col3[] = { 7, 1, 1 };
  static const guint d4[] = { 3, 5, 7, 11 }, m4[] = { 3, 1, 7, 1 };
  static const guint r4[] = { 1, 5, 1, 11 };
  static const guint v3[] = { 7, 9, 12 }, vl3[] = { 1, 1, 12 };
  static const guint v4[] = { 3, 5, 7, 20 }, vl4[] = { 1, 1, 1, 20 };
  OmniNnBinaryParams p = { 0 };
  const gfloat a[6] = { 1, 2, 3, 4, 5, 6 }, b[3] = { 10, 20, 30 };
  gfloat out[6];
  guint kind;

  /* by hand: [2, 3] - [3], and swapped: [3] - [2, 3] */
  p.kind = OMNI_NN_BINARY_SUB;
  p.n_dims = 2;
  p.dims[0] = p.a_dims[0] = 2;
  p.dims[1] = p.a_dims[1] = p.b_dims[1] = 3;
  p.b_dims[0] = 1;
  omni_nn_ref_binary (&p, a, b, out);
  fail_unless (out[0] == -9 && out[2] == -27 && out[3] == -6 && out[5] == -24);
  p.swap = TRUE;
  omni_nn_ref_binary (&p, a, b, out);
  fail_unless (out[0] == 9 && out[5] == 24);

  for (kind = 0; kind < OMNI_NN_BINARY_N_KINDS; kind++) {
    check_binary (kind, 3, d3, d3, d3, FALSE, FALSE);
    check_binary (kind, 3, d3, d3, c3, TRUE, FALSE);
    check_binary (kind, 3, d3, d3, c3, TRUE, TRUE);
  }
  check_binary (OMNI_NN_BINARY_MUL, 3, d3, d3, one3, TRUE, FALSE);
  check_binary (OMNI_NN_BINARY_ADD, 3, d3, col3, c3, FALSE, FALSE);
  check_binary (OMNI_NN_BINARY_DIV, 4, d4, m4, r4, FALSE, FALSE);
  check_binary (OMNI_NN_BINARY_MIN, 4, d4, d4, r4, TRUE, FALSE);
  /* the vec4 kernel: a last axis in quads, each operand full or a vector
   * along it (odd leading sizes, an odd number of quads) */
  for (kind = 0; kind < OMNI_NN_BINARY_N_KINDS; kind++) {
    check_binary (kind, 3, v3, v3, v3, FALSE, FALSE);
    check_binary (kind, 3, v3, v3, vl3, FALSE, FALSE);
    check_binary (kind, 3, v3, vl3, v3, FALSE, FALSE);
    check_binary (kind, 3, v3, v3, vl3, TRUE, TRUE);
  }
  check_binary (OMNI_NN_BINARY_MUL, 4, v4, v4, vl4, FALSE, FALSE);
  check_binary (OMNI_NN_BINARY_ADD, 4, v4, v4, vl4, TRUE, FALSE);
  {
    OmniNnOpParams params = { 0 };

    params.binary.kind = OMNI_NN_BINARY_MUL;
    params.binary.n_dims = 3;
    memcpy (params.binary.dims, v3, sizeof (v3));
    memcpy (params.binary.a_dims, v3, sizeof (v3));
    memcpy (params.binary.b_dims, vl3, sizeof (vl3));
    fail_unless (kernel_uses (OMNI_NN_OP_BINARY, &params, "nn_binary_v4"));
    memcpy (params.binary.b_dims, col3, sizeof (col3));
    fail_if (kernel_uses (OMNI_NN_OP_BINARY, &params, "nn_binary_v4"));
  }
}

GST_END_TEST;

static void check_eltwise (OmniNnOpType op, gsize n, OmniNnActivation act);

static void
check_concat (guint outer, guint a, guint b, OmniNnActivation act)
{
  OmniNnOpParams params = { 0 };
  gsize na = (gsize) outer * a, nb = (gsize) outer * b, n = na + nb;
  gfloat *x = random_floats (na, 3.0f), *y = random_floats (nb, 3.0f);
  gfloat *ref = g_new (gfloat, n), *vk;
  gconstpointer inputs[2] = { x, y };
  gsize sizes[2] = { na * 4, nb * 4 };

  params.concat.outer = outer;
  params.concat.a = a;
  params.concat.b = b;
  params.concat.activation = act;
  omni_nn_ref_concat (&params.concat, x, y, ref);
  fail_unless_equals_float (ref[a], /* by hand */
      act == OMNI_NN_ACT_RELU ? MAX (y[0], 0.0f) : y[0]);
  if (outer > 1 && act == OMNI_NN_ACT_NONE)
    fail_unless_equals_float (ref[a + b], x[a]);
  vk = run_kernel (OMNI_NN_OP_CONCAT, &params, FALSE, 2, inputs, sizes, n);
  compare ("concat", vk, ref, n);
  g_free (x);
  g_free (y);
  g_free (ref);
  g_free (vk);
}

static void
check_hard_swish (gsize n, gfloat scale)
{
  OmniNnOpParams params = { 0 };
  gfloat *x = random_floats (n, 8.0f), *ref = g_new (gfloat, n), *vk;
  gconstpointer inputs[1] = { x };
  gsize sizes[1] = { n * 4 };

  params.hard_swish.n = n;
  params.hard_swish.scale = scale;
  omni_nn_ref_hard_swish (&params.hard_swish, x, ref);
  vk = run_kernel (OMNI_NN_OP_HARD_SWISH, &params, FALSE, 1, inputs, sizes, n);
  compare ("hard-swish", vk, ref, n);
  g_free (x);
  g_free (ref);
  g_free (vk);
}

GST_START_TEST (test_hard_swish)
{
  OmniNnOpParams params = { 0 };
  const gfloat x[4] = { -4, -1, 1, 5 };
  gfloat y[4];

  /* by hand: x * relu6 (x + 3) / 6 */
  params.hard_swish.n = 4;
  params.hard_swish.scale = 1.0f / 6;
  omni_nn_ref_hard_swish (&params.hard_swish, x, y);
  fail_unless_equals_float (y[0], 0);
  fail_unless (fabsf (y[1] - (-1.0f / 3)) < 1e-6f);
  fail_unless (fabsf (y[2] - (4.0f / 6)) < 1e-6f);
  fail_unless (fabsf (y[3] - 5.0f) < 1e-6f);
  check_hard_swish (1001, 0.16662598f); /* 1/6 as float16 */
  check_hard_swish (3, 0.25f);
}

GST_END_TEST;

GST_START_TEST (test_concat)
{
  check_concat (32 * 32, 24, 17, OMNI_NN_ACT_NONE); /* NHWC channels */
  check_concat (1, 5, 3, OMNI_NN_ACT_NONE);
  check_concat (7, 1, 1, OMNI_NN_ACT_NONE);
  /* CenterNet's head: a ReLU fused */
  check_concat (33 * 31, 24, 40, OMNI_NN_ACT_RELU);
  /* the vec4 kernel: both sides in quads, odd outer sizes */
  check_concat (13 * 7, 12, 20, OMNI_NN_ACT_RELU);
  check_concat (1, 4, 4, OMNI_NN_ACT_NONE);
  check_concat (3, 4, 36, OMNI_NN_ACT_NONE);
  {
    OmniNnOpParams params = { 0 };

    params.concat.outer = 91;
    params.concat.a = 12;
    params.concat.b = 20;
    fail_unless (kernel_uses (OMNI_NN_OP_CONCAT, &params, "nn_concat_v4"));
    params.concat.b = 17;
    fail_if (kernel_uses (OMNI_NN_OP_CONCAT, &params, "nn_concat_v4"));
  }
}

GST_END_TEST;

static void
check_resize (guint ih, guint iw, guint c, guint oh, guint ow, gboolean align,
    gboolean half, gboolean nearest)
{
  OmniNnOpParams params = { 0 };
  OmniNnResizeParams *p = &params.resize;
  gsize n_in = (gsize) ih * iw * c, n = (gsize) oh * ow * c;
  gfloat *in = random_floats (n_in, 5.0f), *ref = g_new (gfloat, n), *vk;
  gconstpointer inputs[1] = { in };
  gsize sizes[1] = { n_in * 4 };

  p->in_h = ih;
  p->in_w = iw;
  p->c = c;
  p->out_h = oh;
  p->out_w = ow;
  p->align_corners = align;
  p->half_pixel_centers = half;
  p->nearest = nearest;
  omni_nn_ref_resize (p, in, ref);
  vk = run_kernel (OMNI_NN_OP_RESIZE, &params, FALSE, 1, inputs, sizes, n);
  compare (nearest ? "resize-nearest" : "resize-bilinear", vk, ref, n);
  g_free (in);
  g_free (ref);
  g_free (vk);
}

GST_START_TEST (test_resize)
{
  OmniNnOpParams params = { 0 };
  const gfloat in[4] = { 0, 10, 20, 30 }; /* 2x2 */
  gfloat out[16];
  guint mode;

  /* by hand: 2x2 -> 4x4, plain ratio 0.5: row 1 is halfway */
  params.resize.in_h = params.resize.in_w = 2;
  params.resize.c = 1;
  params.resize.out_h = params.resize.out_w = 4;
  omni_nn_ref_resize (&params.resize, in, out);
  fail_unless_equals_float (out[0], 0);
  fail_unless_equals_float (out[1], 5);
  fail_unless_equals_float (out[5], 15);
  fail_unless_equals_float (out[15], 30);
  /* half-pixel centers: the first output samples -0.25 -> clamped */
  params.resize.half_pixel_centers = TRUE;
  omni_nn_ref_resize (&params.resize, in, out);
  fail_unless_equals_float (out[0], 0);
  fail_unless_equals_float (out[1], 2.5f);

  for (mode = 0; mode < 6; mode++) {
    gboolean align = mode % 3 == 1, half = mode % 3 == 2, nearest = mode >= 3;

    check_resize (8, 8, 24, 16, 16, align, half, nearest); /* FPN upsample */
    check_resize (7, 5, 3, 13, 11, align, half, nearest);
    check_resize (13, 11, 5, 7, 5, align, half, nearest); /* downscale */
    check_resize (1, 1, 2, 3, 3, align, half, nearest);
    /* the vec4 kernel (channels in quads): odd sizes, up and down */
    check_resize (7, 5, 12, 13, 11, align, half, nearest);
    check_resize (13, 11, 4, 7, 5, align, half, nearest);
    check_resize (1, 1, 8, 3, 3, align, half, nearest);
  }
  params.resize.c = 12;
  fail_unless (kernel_uses (OMNI_NN_OP_RESIZE, &params, "nn_resize_v4"));
  params.resize.c = 5;
  fail_if (kernel_uses (OMNI_NN_OP_RESIZE, &params, "nn_resize_v4"));
}

GST_END_TEST;

/* One piece of a SplitV: odd sizes, the first, a middle and the last
 * range of the axis, checked by hand and against the kernel. */
static void
check_slice (
    guint outer, guint in_len, guint offset, guint out_len, guint inner)
{
  OmniNnOpParams params = { 0 };
  gsize n_in = (gsize) outer * in_len * inner;
  gsize n = (gsize) outer * out_len * inner;
  gfloat *x = random_floats (n_in, 3.0f), *ref = g_new (gfloat, n), *vk;
  gconstpointer inputs[1] = { x };
  gsize sizes[1] = { n_in * 4 };

  params.slice.outer = outer;
  params.slice.in_len = in_len;
  params.slice.offset = offset;
  params.slice.out_len = out_len;
  params.slice.inner = inner;
  omni_nn_ref_slice (&params.slice, x, ref);
  fail_unless_equals_float (ref[0], x[offset * inner]); /* by hand */
  fail_unless_equals_float (
      ref[n - 1], x[((outer - 1) * in_len + offset + out_len) * inner - 1]);
  vk = run_kernel (OMNI_NN_OP_SLICE, &params, FALSE, 1, inputs, sizes, n);
  compare ("slice", vk, ref, n);
  g_free (x);
  g_free (ref);
  g_free (vk);
}

GST_START_TEST (test_slice)
{
  check_slice (13 * 13, 124, 0, 80, 1);  /* NanoDet's class scores */
  check_slice (13 * 13, 124, 80, 44, 1); /* and its box distributions */
  check_slice (3, 7, 2, 3, 5);
  check_slice (1, 9, 8, 1, 1);
}

GST_END_TEST;

/* LeakyRelu (NanoDet's, alpha 0.1) on odd sizes; by hand on both sides of
 * zero. */
GST_START_TEST (test_leaky_relu)
{
  OmniNnEltwiseParams p = { 3, OMNI_NN_ACT_LEAKY_RELU, 0.1f };
  const gfloat in[3] = { -2.0f, 0.0f, 3.5f };
  gfloat out[3];
  gsize sizes[] = { 1001, 4099, 5 };
  guint i;

  omni_nn_ref_activation (&p, in, out);
  fail_unless_equals_float (out[0], -0.2f);
  fail_unless_equals_float (out[1], 0.0f);
  fail_unless_equals_float (out[2], 3.5f);
  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    OmniNnOpParams params = { 0 };
    gfloat *a = random_floats (sizes[i], 8.0f), *ref = g_new (gfloat, sizes[i]);
    gconstpointer inputs[1] = { a };
    gsize bytes[1] = { sizes[i] * 4 };
    gfloat *vk;

    params.eltwise.n = sizes[i];
    params.eltwise.activation = OMNI_NN_ACT_LEAKY_RELU;
    params.eltwise.alpha = i == 1 ? 0.2f : 0.1f;
    omni_nn_ref_activation (&params.eltwise, a, ref);
    vk = run_kernel (
        OMNI_NN_OP_ACTIVATION, &params, FALSE, 1, inputs, bytes, sizes[i]);
    compare ("leaky-relu", vk, ref, sizes[i]);
    g_free (a);
    g_free (ref);
    g_free (vk);
  }
}

GST_END_TEST;

GST_START_TEST (test_sigmoid_tanh_reshape)
{
  check_eltwise (OMNI_NN_OP_ACTIVATION, 1001, OMNI_NN_ACT_SIGMOID);
  check_eltwise (OMNI_NN_OP_ACTIVATION, 3, OMNI_NN_ACT_TANH);
  check_eltwise (OMNI_NN_OP_RESHAPE, 4099, OMNI_NN_ACT_NONE);
}

GST_END_TEST;

static void
check_eltwise (OmniNnOpType op, gsize n, OmniNnActivation act)
{
  OmniNnOpParams params = { 0 };
  gfloat *a = random_floats (n, 8.0f), *b = random_floats (n, 8.0f);
  gfloat *ref = g_new (gfloat, n), *vk;
  gconstpointer inputs[2] = { a, b };
  gsize sizes[2] = { n * 4, n * 4 };

  params.eltwise.n = n;
  params.eltwise.activation = act;
  if (op == OMNI_NN_OP_ADD)
    omni_nn_ref_add (&params.eltwise, a, b, ref);
  else if (op == OMNI_NN_OP_RESHAPE)
    memcpy (ref, a, n * sizeof (gfloat));
  else
    omni_nn_ref_activation (&params.eltwise, a, ref);
  vk = run_kernel (
      op, &params, FALSE, op == OMNI_NN_OP_ADD ? 2 : 1, inputs, sizes, n);
  compare (omni_nn_op_type_name (op), vk, ref, n);
  g_free (a);
  g_free (b);
  g_free (ref);
  g_free (vk);
}

GST_START_TEST (test_add_activation)
{
  check_eltwise (OMNI_NN_OP_ADD, 1001, OMNI_NN_ACT_RELU6);
  check_eltwise (OMNI_NN_OP_ADD, 1, OMNI_NN_ACT_NONE);
  check_eltwise (OMNI_NN_OP_ADD, 56 * 56 * 24 + 3, OMNI_NN_ACT_RELU);
  check_eltwise (OMNI_NN_OP_ADD, 28 * 28 * 32, OMNI_NN_ACT_NONE); /* vec4 */
  check_eltwise (OMNI_NN_OP_ADD, 4, OMNI_NN_ACT_RELU6);
  check_eltwise (OMNI_NN_OP_ACTIVATION, 777, OMNI_NN_ACT_RELU);
  check_eltwise (OMNI_NN_OP_ACTIVATION, 777, OMNI_NN_ACT_RELU6);
  check_eltwise (OMNI_NN_OP_ACTIVATION, 5, OMNI_NN_ACT_NONE);
}

GST_END_TEST;

static void
check_pool (guint h, guint w, guint c)
{
  OmniNnOpParams params = { 0 };
  gsize n_in = (gsize) h * w * c;
  gfloat *in = random_floats (n_in, 4.0f), *ref = g_new (gfloat, c), *vk;
  gconstpointer inputs[1] = { in };
  gsize sizes[1] = { n_in * 4 };

  params.pool.h = h;
  params.pool.w = w;
  params.pool.c = c;
  omni_nn_ref_global_avg_pool (&params.pool, in, ref);
  vk = run_kernel (
      OMNI_NN_OP_GLOBAL_AVG_POOL, &params, FALSE, 1, inputs, sizes, c);
  compare ("global-avg-pool", vk, ref, c);
  g_free (in);
  g_free (ref);
  g_free (vk);
}

GST_START_TEST (test_global_avg_pool)
{
  check_pool (7, 7, 1280);
  check_pool (7, 5, 13);
  check_pool (1, 1, 3);
  check_pool (31, 29, 9);
  /* the parallel vec4 kernel: odd sizes, fewer pixels than invocations,
   * CenterNet's head (128 x 128) */
  check_pool (31, 29, 12);
  check_pool (1, 1, 4);
  check_pool (3, 5, 8);
  check_pool (128, 128, 84);
  {
    OmniNnOpParams params = { 0 };

    params.pool.h = 31;
    params.pool.w = 29;
    params.pool.c = 12;
    fail_unless (
        kernel_uses (OMNI_NN_OP_GLOBAL_AVG_POOL, &params, "nn_avgpool_v4"));
  }
}

GST_END_TEST;

static void
check_softmax (guint rows, guint n, gfloat amplitude)
{
  OmniNnOpParams params = { 0 };
  gsize total = (gsize) rows * n;
  gfloat *in = random_floats (total, amplitude), *ref = g_new (gfloat, total);
  gfloat *vk;
  gconstpointer inputs[1] = { in };
  gsize sizes[1] = { total * 4 };
  guint r, i;

  params.softmax.rows = rows;
  params.softmax.n = n;
  omni_nn_ref_softmax (&params.softmax, in, ref);
  vk = run_kernel (OMNI_NN_OP_SOFTMAX, &params, FALSE, 1, inputs, sizes, total);
  compare ("softmax", vk, ref, total);
  for (r = 0; r < rows; r++) {
    gdouble sum = 0.0;

    for (i = 0; i < n; i++)
      sum += vk[r * n + i];
    fail_unless (fabs (sum - 1.0) < 1e-5, "row %u sums to %.9g", r, sum);
  }
  g_free (in);
  g_free (ref);
  g_free (vk);
}

GST_START_TEST (test_softmax)
{
  check_softmax (1, 5, 10.0f);
  check_softmax (3, 1001, 20.0f);
  check_softmax (1, 1, 1.0f);
  check_softmax (7, 33, 60.0f); /* large logits: the max shift matters */
}

GST_END_TEST;

static void
check_batch_norm (gsize rows, guint c)
{
  OmniNnOpParams params = { 0 };
  const gsize n = rows * c;
  gfloat *in = random_floats (n, 2.0f), *scale = random_floats (c, 1.5f);
  gfloat *shift = random_floats (c, 1.0f), *ref = g_new (gfloat, n), *vk;
  gconstpointer inputs[3] = { in, scale, shift };
  gsize sizes[3] = { n * 4, c * 4, c * 4 };

  params.channel.n = n;
  params.channel.c = c;
  omni_nn_ref_batch_norm (&params.channel, in, scale, shift, ref);
  vk = run_kernel (OMNI_NN_OP_BATCH_NORM, &params, TRUE, 3, inputs, sizes, n);
  compare ("batch-norm", vk, ref, n);
  g_free (in);
  g_free (scale);
  g_free (shift);
  g_free (ref);
  g_free (vk);
}

GST_START_TEST (test_batch_norm)
{
  check_batch_norm (35, 6);
  check_batch_norm (35, 8); /* channel quads */
  check_batch_norm (1, 1);
}

GST_END_TEST;

/* ---- pre-processing ---------------------------------------------------- */

/* A frame of @layout, @in_w x @in_h, with row strides padded by odd amounts
 * and planes at odd offsets, filled with random bytes. */
static guint8 *
make_frame (OmniNnPreprocessParams *p, OmniNnPixelLayout layout, guint in_w,
    guint in_h, gsize *size)
{
  guint bpp = 1, cw = (in_w + 1) / 2, ch = (in_h + 1) / 2;

  memset (p, 0, sizeof (*p));
  p->layout = layout;
  p->in_w = in_w;
  p->in_h = in_h;
  if (omni_nn_pixel_layout_packed (layout, &bpp, NULL, NULL, NULL)
      || layout == OMNI_NN_PIXEL_GRAY8) {
    p->strides[0] = in_w * bpp + 3;
    p->offsets[0] = 5;
  } else if (layout == OMNI_NN_PIXEL_I420) {
    p->strides[0] = in_w + 5;
    p->strides[1] = cw + 3;
    p->strides[2] = cw + 1;
    p->offsets[0] = 7;
    p->offsets[1] = 7 + (gsize) p->strides[0] * in_h + 1;
    p->offsets[2] = p->offsets[1] + (gsize) p->strides[1] * ch + 2;
  } else {
    p->strides[0] = in_w + 1;
    p->strides[1] = cw * 2 + 3;
    p->offsets[0] = 3;
    p->offsets[1] = 3 + (gsize) p->strides[0] * in_h + 5;
  }
  *size = omni_nn_preprocess_frame_size (p);
  return random_bytes (*size);
}

static void
check_preprocess (OmniNnPixelLayout layout, guint in_w, guint in_h, guint out_w,
    guint out_h, gboolean align_corners, gfloat scale, gfloat offset,
    OmniNnYuvMatrix matrix, gboolean full_range)
{
  OmniNnOpParams params;
  OmniNnPreprocessParams *p = &params.preprocess;
  gsize size, n_out = (gsize) out_w * out_h * 3;
  guint8 *frame = make_frame (p, layout, in_w, in_h, &size);
  gfloat *ref = g_new (gfloat, n_out), *vk;
  gconstpointer inputs[1] = { frame };
  gsize sizes[1] = { size };
  gchar *what;

  p->out_w = out_w;
  p->out_h = out_h;
  p->align_corners = align_corners;
  p->scale = scale;
  p->offset = offset;
  p->matrix = matrix;
  p->full_range = full_range;
  omni_nn_ref_preprocess (p, frame, ref);
  vk = run_kernel (
      OMNI_NN_OP_PREPROCESS, &params, FALSE, 1, inputs, sizes, n_out);
  what = g_strdup_printf ("preprocess layout %d %ux%u -> %ux%u%s", layout, in_w,
      in_h, out_w, out_h, align_corners ? " align-corners" : "");
  compare (what, vk, ref, n_out);
  g_free (what);
  g_free (frame);
  g_free (ref);
  g_free (vk);
}

GST_START_TEST (test_preprocess_layouts)
{
  guint l;

  /* Every layout: downscale in x, upscale in y, odd sizes; nsfwjs's
   * normalisation. */
  for (l = 0; l < OMNI_NN_PIXEL_N_LAYOUTS; l++)
    check_preprocess (l, 37, 23, 17, 29, FALSE, 1.0f / 255.0f, 0.0f,
        OMNI_NN_YUV_BT601, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_preprocess_modes)
{
  /* alignCorners, [-1, 1] normalisation, BT.709 full range. */
  check_preprocess (OMNI_NN_PIXEL_I420, 41, 31, 13, 7, TRUE, 2.0f / 255.0f,
      -1.0f, OMNI_NN_YUV_BT709, TRUE);
  check_preprocess (OMNI_NN_PIXEL_NV12, 33, 35, 61, 67, FALSE, 1.0f / 255.0f,
      0.0f, OMNI_NN_YUV_BT2020, FALSE);
  check_preprocess (OMNI_NN_PIXEL_RGBA, 640, 361, 224, 224, FALSE, 1.0f, 0.0f,
      OMNI_NN_YUV_BT601, FALSE);
  /* 1x1 frame, 1x1 output, and identical sizes (an exact copy). */
  check_preprocess (OMNI_NN_PIXEL_BGRX, 1, 1, 5, 3, FALSE, 1.0f, 0.0f,
      OMNI_NN_YUV_BT601, FALSE);
  check_preprocess (OMNI_NN_PIXEL_RGB, 9, 7, 1, 1, TRUE, 1.0f, 0.0f,
      OMNI_NN_YUV_BT601, FALSE);
  check_preprocess (OMNI_NN_PIXEL_RGB, 19, 11, 19, 11, FALSE, 1.0f, 0.0f,
      OMNI_NN_YUV_BT601, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_bad_params)
{
  OmniNnOpParams params = { 0 };
  GError *err = NULL;

  /* An empty GEMM and a softmax of nothing are refused, not dispatched. */
  fail_if (omni_nn_vk_kernel_new (
      device, OMNI_NN_OP_POINTWISE_CONV2D, &params, FALSE, &err));
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE));
  g_clear_error (&err);
  fail_if (
      omni_nn_vk_kernel_new (device, OMNI_NN_OP_SOFTMAX, &params, FALSE, &err));
  g_clear_error (&err);
  fail_if (
      omni_nn_vk_kernel_new (device, OMNI_NN_OP_N_OPS, &params, FALSE, &err));
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED));
  g_clear_error (&err);
}

GST_END_TEST;

/* ---- a whole graph on the Vulkan backend vs the CPU backend ------------- */

static guint
activation_tensor (OmniNnGraph *g, guint h, guint w, guint c)
{
  guint dims[3] = { h, w, c };

  return omni_nn_graph_add_tensor (g, NULL, 3, dims, NULL);
}

static guint
constant_tensor (
    OmniNnGraph *g, guint n_dims, const guint *dims, gfloat amplitude)
{
  gsize n = 1;
  guint i;

  for (i = 0; i < n_dims; i++)
    n *= dims[i];
  return omni_nn_graph_add_tensor (
      g, "w", n_dims, dims, random_floats (n, amplitude));
}

/* A MobileNet-like graph using every op: conv (stride 2) -> depthwise ->
 * pointwise -> residual add -> pad -> depthwise (stride 2, valid) ->
 * activation -> global average pool -> dense -> softmax, with outputs
 * "probabilities" and "embedding". */
static OmniNnGraph *
make_graph (void)
{
  OmniNnGraph *g = omni_nn_graph_new ();
  OmniNnOpParams p;
  guint in, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, ins[2];
  guint d4[4], d2[2], d1[1], pad;

  g->input_h = 15;
  g->input_w = 13;
  g->input_c = 3;
  g->input_scale = 1.0f / 255.0f;
  g->input_offset = 0.0f;
  g->input = in = activation_tensor (g, 15, 13, 3);

  memset (&p, 0, sizeof (p));
  p.conv2d.in_h = 15;
  p.conv2d.in_w = 13;
  p.conv2d.in_c = 3;
  p.conv2d.out_c = 8;
  p.conv2d.kernel_h = p.conv2d.kernel_w = 3;
  p.conv2d.stride_h = p.conv2d.stride_w = 2;
  p.conv2d.dilation_h = p.conv2d.dilation_w = 1;
  omni_nn_conv_output_size (
      15, 3, 2, 1, OMNI_NN_PADDING_SAME, &p.conv2d.out_h, &pad);
  p.conv2d.pad_top = pad;
  omni_nn_conv_output_size (
      13, 3, 2, 1, OMNI_NN_PADDING_SAME, &p.conv2d.out_w, &pad);
  p.conv2d.pad_left = pad;
  p.conv2d.activation = OMNI_NN_ACT_RELU6;
  t1 = activation_tensor (g, 8, 7, 8);
  d4[0] = 3, d4[1] = 3, d4[2] = 3, d4[3] = 8;
  d1[0] = 8;
  omni_nn_graph_add_node (g, OMNI_NN_OP_CONV2D, "stem", &p, 1, &in,
      constant_tensor (g, 4, d4, 0.5f), constant_tensor (g, 1, d1, 0.2f), t1);

  memset (&p, 0, sizeof (p));
  p.depthwise.in_h = p.depthwise.out_h = 8;
  p.depthwise.in_w = p.depthwise.out_w = 7;
  p.depthwise.in_c = p.depthwise.out_c = 8;
  p.depthwise.kernel_h = p.depthwise.kernel_w = 3;
  p.depthwise.stride_h = p.depthwise.stride_w = 1;
  p.depthwise.dilation_h = p.depthwise.dilation_w = 1;
  p.depthwise.pad_top = p.depthwise.pad_left = 1;
  p.depthwise.depth_multiplier = 1;
  p.depthwise.activation = OMNI_NN_ACT_RELU6;
  t2 = activation_tensor (g, 8, 7, 8);
  d4[0] = 3, d4[1] = 3, d4[2] = 8, d4[3] = 1;
  omni_nn_graph_add_node (g, OMNI_NN_OP_DEPTHWISE_CONV2D, "dw1", &p, 1, &t1,
      constant_tensor (g, 4, d4, 0.5f), constant_tensor (g, 1, d1, 0.2f), t2);

  memset (&p, 0, sizeof (p));
  p.gemm.m = 56;
  p.gemm.k = 8;
  p.gemm.n = 8;
  t3 = activation_tensor (g, 8, 7, 8);
  d2[0] = 8, d2[1] = 8;
  omni_nn_graph_add_node (g, OMNI_NN_OP_POINTWISE_CONV2D, "project", &p, 1, &t2,
      constant_tensor (g, 2, d2, 0.5f), constant_tensor (g, 1, d1, 0.2f), t3);

  memset (&p, 0, sizeof (p));
  p.eltwise.n = 8 * 7 * 8;
  t4 = activation_tensor (g, 8, 7, 8);
  ins[0] = t3;
  ins[1] = t1;
  omni_nn_graph_add_node (g, OMNI_NN_OP_ADD, "residual", &p, 2, ins,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, t4);

  memset (&p, 0, sizeof (p));
  p.pad.in_h = 8;
  p.pad.in_w = 7;
  p.pad.c = 8;
  p.pad.pad_bottom = 1;
  p.pad.pad_right = 1;
  t5 = activation_tensor (g, 9, 8, 8);
  omni_nn_graph_add_node (g, OMNI_NN_OP_PAD, "pad", &p, 1, &t4,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, t5);

  memset (&p, 0, sizeof (p));
  p.depthwise.in_h = 9;
  p.depthwise.in_w = 8;
  p.depthwise.in_c = 8;
  p.depthwise.out_h = 4;
  p.depthwise.out_w = 3;
  p.depthwise.out_c = 16;
  p.depthwise.kernel_h = p.depthwise.kernel_w = 3;
  p.depthwise.stride_h = p.depthwise.stride_w = 2;
  p.depthwise.dilation_h = p.depthwise.dilation_w = 1;
  p.depthwise.depth_multiplier = 2;
  t6 = activation_tensor (g, 4, 3, 16);
  d4[0] = 3, d4[1] = 3, d4[2] = 8, d4[3] = 2;
  omni_nn_graph_add_node (g, OMNI_NN_OP_DEPTHWISE_CONV2D, "dw2", &p, 1, &t5,
      constant_tensor (g, 4, d4, 0.5f), OMNI_NN_NO_TENSOR, t6);

  memset (&p, 0, sizeof (p));
  p.eltwise.n = 4 * 3 * 16;
  p.eltwise.activation = OMNI_NN_ACT_RELU;
  t7 = activation_tensor (g, 4, 3, 16);
  omni_nn_graph_add_node (g, OMNI_NN_OP_ACTIVATION, "relu", &p, 1, &t6,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, t7);

  memset (&p, 0, sizeof (p));
  p.pool.h = 4;
  p.pool.w = 3;
  p.pool.c = 16;
  d1[0] = 16;
  t8 = omni_nn_graph_add_tensor (g, "embedding", 1, d1, NULL);
  omni_nn_graph_add_node (g, OMNI_NN_OP_GLOBAL_AVG_POOL, "pool", &p, 1, &t7,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, t8);

  memset (&p, 0, sizeof (p));
  p.gemm.m = 1;
  p.gemm.k = 16;
  p.gemm.n = 5;
  d1[0] = 5;
  d2[0] = 16, d2[1] = 5;
  t9 = omni_nn_graph_add_tensor (g, "logits", 1, d1, NULL);
  omni_nn_graph_add_node (g, OMNI_NN_OP_DENSE, "dense", &p, 1, &t8,
      constant_tensor (g, 2, d2, 2.0f), constant_tensor (g, 1, d1, 0.5f), t9);

  memset (&p, 0, sizeof (p));
  p.softmax.rows = 1;
  p.softmax.n = 5;
  t10 = omni_nn_graph_add_tensor (g, "probabilities", 1, d1, NULL);
  omni_nn_graph_add_node (g, OMNI_NN_OP_SOFTMAX, "softmax", &p, 1, &t9,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, t10);

  omni_nn_graph_add_output (g, "probabilities", t10);
  omni_nn_graph_add_output (g, "embedding", t8);
  return g;
}

/* The CPU backend's outputs for @input. */
static void
cpu_outputs (
    const OmniNnGraph *g, const OmniNnInput *input, gfloat *probs, gfloat *emb)
{
  const OmniNnBackend *cpu = omni_nn_cpu_backend ();
  GError *err = NULL;
  gpointer state = cpu->prepare (g, NULL, &err);
  gfloat *outs[2] = { probs, emb };

  fail_unless (state != NULL, "%s", err ? err->message : "");
  fail_unless (
      cpu->run (state, input, outs, &err), "%s", err ? err->message : "");
  cpu->free (state);
}

typedef struct {
  guint n;
  gint last;
} ProfileCount;

static void
count_kernel (guint node, OmniNnVkKernel *kernel, gdouble ms, gpointer data)
{
  ProfileCount *pc = data;

  fail_unless ((gint) node > pc->last);
  fail_unless (kernel != NULL && omni_nn_vk_kernel_get_shader (kernel));
  fail_unless (ms > 0.0 && ms < 10000.0, "%g ms", ms);
  pc->last = node;
  pc->n++;
}

GST_START_TEST (test_graph)
{
  OmniNnGraph *g = make_graph ();
  GError *err = NULL;
  OmniNnVulkan *vk;
  OmniNnPreprocessParams fp[2];
  guint8 *frames[2];
  gsize sizes[2];
  OmniNnInput in[2];
  gfloat probs[5], emb[16], ref_probs[5], ref_emb[16];
  gfloat *outs[2] = { probs, emb };
  gfloat *tensor;
  guint i;

  fail_unless (omni_nn_graph_validate (g, &err), "%s", err ? err->message : "");
  vk = omni_nn_vulkan_new (g, NULL, &err);
  fail_unless (vk != NULL, "%s", err ? err->message : "");
  fail_unless (omni_nn_vulkan_get_weight_bytes (vk) > 0);
  /* The pad runs inside dw2, the residual Add inside the projection. */
  fail_unless_equals_int (omni_nn_vulkan_get_n_kernels (vk), g->nodes->len - 2);
  /* Shared activation buffers: fewer bytes than one buffer per tensor. */
  fail_unless (
      omni_nn_vulkan_get_activation_bytes (vk)
      < (15 * 13 * 3 + 5 * 8 * 7 * 8 + 9 * 8 * 8 + 2 * 4 * 3 * 16 + 16 + 5 + 5)
            * sizeof (gfloat));

  /* Two frames of different layouts in flight at once, collected in
   * order; each matches the CPU backend on the same frame. */
  for (i = 0; i < 2; i++) {
    frames[i]
        = make_frame (&fp[i], i == 0 ? OMNI_NN_PIXEL_RGBX : OMNI_NN_PIXEL_I420,
            37 + i, 23 + 2 * i, &sizes[i]);
    fp[i].out_w = 13;
    fp[i].out_h = 15;
    fp[i].scale = g->input_scale;
    fp[i].offset = g->input_offset;
    memset (&in[i], 0, sizeof (in[i]));
    in[i].frame_params = &fp[i];
    in[i].frame = frames[i];
    in[i].frame_size = sizes[i];
  }
  /* Warm-up (compiles lazily built pipelines) leaves nothing in flight. */
  fail_unless (
      omni_nn_vulkan_warm_up (vk, &fp[0], &err), "%s", err ? err->message : "");
  fail_unless (
      omni_nn_vulkan_warm_up (vk, NULL, &err), "%s", err ? err->message : "");
  fail_unless_equals_int (omni_nn_vulkan_get_n_in_flight (vk), 0);
  fail_unless (
      omni_nn_vulkan_submit (vk, &in[0], &err), "%s", err ? err->message : "");
  fail_unless (
      omni_nn_vulkan_submit (vk, &in[1], &err), "%s", err ? err->message : "");
  fail_unless_equals_int (omni_nn_vulkan_get_n_in_flight (vk), 2);
  fail_if (omni_nn_vulkan_submit (vk, &in[0], &err));
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_INPUT));
  g_clear_error (&err);
  fail_if (omni_nn_vulkan_run (vk, &in[0], outs, &err));
  g_clear_error (&err);
  for (i = 0; i < 2; i++) {
    fail_unless (
        omni_nn_vulkan_collect (vk, outs, &err), "%s", err ? err->message : "");
    cpu_outputs (g, &in[i], ref_probs, ref_emb);
    compare ("graph probabilities", probs, ref_probs, 5);
    compare ("graph embedding", emb, ref_emb, 16);
  }
  fail_if (omni_nn_vulkan_collect (vk, outs, &err));
  g_clear_error (&err);

  /* Again, one at a time, several rounds (the recordings are reused). */
  for (i = 0; i < 4; i++) {
    fail_unless (omni_nn_vulkan_run (vk, &in[i % 2], outs, &err), "%s",
        err ? err->message : "");
    cpu_outputs (g, &in[i % 2], ref_probs, ref_emb);
    compare ("graph probabilities", probs, ref_probs, 5);
  }

  /* A float tensor as input. */
  tensor = random_floats (15 * 13 * 3, 1.0f);
  memset (&in[0], 0, sizeof (in[0]));
  in[0].tensor = tensor;
  fail_unless (omni_nn_vulkan_run (vk, &in[0], outs, &err), "%s",
      err ? err->message : "");
  cpu_outputs (g, &in[0], ref_probs, ref_emb);
  compare ("graph probabilities (tensor input)", probs, ref_probs, 5);
  compare ("graph embedding (tensor input)", emb, ref_emb, 16);

  /* Kernel by kernel (bench-vkops --profile): once per kernel, in node
   * order, each with a time; the next inference is still right. */
  {
    ProfileCount pc = { 0, -1 };

    fail_unless (
        omni_nn_vulkan_profile (vk, &in[0], 2, count_kernel, &pc, &err), "%s",
        err ? err->message : "");
    fail_unless_equals_int (pc.n, omni_nn_vulkan_get_n_kernels (vk));
    fail_unless (omni_nn_vulkan_run (vk, &in[0], outs, &err), "%s",
        err ? err->message : "");
    compare ("graph probabilities (after profiling)", probs, ref_probs, 5);
  }

  /* A frame smaller than its layout says, and one for another input size. */
  in[1].frame_size = sizes[1] - 1;
  fail_if (omni_nn_vulkan_run (vk, &in[1], outs, &err));
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_INPUT));
  g_clear_error (&err);
  in[1].frame_size = sizes[1];
  fp[1].out_w = 12;
  fail_if (omni_nn_vulkan_run (vk, &in[1], outs, &err));
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_INPUT));
  g_clear_error (&err);

  /* Through the generic backend interface. */
  {
    const OmniNnBackend *b = omni_nn_vulkan_backend ();
    gpointer state = b->prepare (g, "auto", &err);

    fail_unless (state != NULL, "%s", err ? err->message : "");
    fail_unless (strstr (b->device_name (state), "Vulkan"));
    fail_unless (b->run (state, &in[0], outs, &err));
    compare ("backend probabilities", probs, ref_probs, 5);
    b->free (state);
    fail_if (b->prepare (g, "no-such-gpu-xyz", &err));
    fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_DEVICE));
    fail_unless (strstr (err->message, "no-such-gpu-xyz"));
    g_clear_error (&err);
  }

  g_free (tensor);
  g_free (frames[0]);
  g_free (frames[1]);
  omni_nn_vulkan_free (vk);
  omni_nn_graph_free (g);
}

GST_END_TEST;

/* Device lost in the middle of a stream: an error, not a crash. */
GST_START_TEST (test_graph_device_lost)
{
  OmniNnGraph *g = make_graph ();
  GError *err = NULL;
  OmniNnVulkan *vk = omni_nn_vulkan_new (g, NULL, &err);
  gfloat *tensor = random_floats (15 * 13 * 3, 1.0f);
  gfloat probs[5], emb[16];
  gfloat *outs[2] = { probs, emb };
  OmniNnInput in = { 0 };

  fail_unless (vk != NULL, "%s", err ? err->message : "");
  in.tensor = tensor;
  fail_unless (omni_nn_vulkan_run (vk, &in, outs, &err));
  omni_vk_device_inject_device_lost (omni_nn_vulkan_get_device (vk));
  fail_if (omni_nn_vulkan_run (vk, &in, outs, &err));
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_FAILED));
  fail_unless (strstr (err->message, "lost"), "%s", err->message);
  g_clear_error (&err);
  fail_if (omni_nn_vulkan_run (vk, &in, outs, &err));
  g_clear_error (&err);
  omni_nn_vulkan_free (vk);
  /* A new graph gets a working device. */
  vk = omni_nn_vulkan_new (g, NULL, &err);
  fail_unless (vk != NULL, "%s", err ? err->message : "");
  fail_unless (omni_nn_vulkan_run (vk, &in, outs, &err));
  omni_nn_vulkan_free (vk);
  g_free (tensor);
  omni_nn_graph_free (g);
}

GST_END_TEST;

/* A graph of one node that reads the same tensor twice (x * x, x + x):
 * each binding gets its own descriptor, the node's set has room for as
 * many as it has bindings, whatever the tensors behind them. */
static void
check_same_input_twice (OmniNnOpType op)
{
  OmniNnGraph *g = omni_nn_graph_new ();
  OmniNnOpParams p;
  GError *err = NULL;
  OmniNnVulkan *vk;
  OmniNnInput in = { 0 };
  gfloat *x = random_floats (5 * 7 * 12, 3.0f), y[5 * 7 * 12];
  gfloat *outs[1] = { y };
  guint t, out, ins[2], i, r;

  g->input_h = 5;
  g->input_w = 7;
  g->input_c = 12;
  g->input_scale = 1.0f;
  g->input = t = activation_tensor (g, 5, 7, 12);
  out = activation_tensor (g, 5, 7, 12);
  memset (&p, 0, sizeof (p));
  if (op == OMNI_NN_OP_ADD) {
    p.eltwise.n = 5 * 7 * 12;
  } else {
    p.binary.kind = OMNI_NN_BINARY_MUL;
    p.binary.n_dims = 3;
    p.binary.dims[0] = p.binary.a_dims[0] = p.binary.b_dims[0] = 5;
    p.binary.dims[1] = p.binary.a_dims[1] = p.binary.b_dims[1] = 7;
    p.binary.dims[2] = p.binary.a_dims[2] = p.binary.b_dims[2] = 12;
  }
  ins[0] = ins[1] = t;
  omni_nn_graph_add_node (
      g, op, "twice", &p, 2, ins, OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, out);
  omni_nn_graph_add_output (g, "twice", out);
  fail_unless (omni_nn_graph_validate (g, &err), "%s", err ? err->message : "");
  vk = omni_nn_vulkan_new (g, NULL, &err);
  fail_unless (vk != NULL, "%s", err ? err->message : "");
  in.tensor = x;
  for (r = 0; r < 2; r++) {
    fail_unless (omni_nn_vulkan_run (vk, &in, outs, &err), "%s",
        err ? err->message : "");
    for (i = 0; i < 5 * 7 * 12; i++) {
      gfloat want = op == OMNI_NN_OP_ADD ? x[i] + x[i] : x[i] * x[i];

      fail_unless (y[i] == want, "%u: %g, want %g", i, y[i], want);
    }
  }
  omni_nn_vulkan_free (vk);
  omni_nn_graph_free (g);
  g_free (x);
}

GST_START_TEST (test_graph_same_input_twice)
{
  check_same_input_twice (OMNI_NN_OP_BINARY);
  check_same_input_twice (OMNI_NN_OP_ADD);
}

GST_END_TEST;

/* Upsample then concatenate (CenterNet's FPN head): x [9, 13, 8] is
 * resized down to 5 x 7 (kept) and back up (folded: the concatenation
 * reads its taps), then concatenated with x on either side. Against the
 * CPU backend, every resize mode. */
static void
check_resize_concat (
    guint side, gboolean align, gboolean half, gboolean nearest)
{
  OmniNnGraph *g = omni_nn_graph_new ();
  OmniNnOpParams p;
  GError *err = NULL;
  OmniNnVulkan *vk;
  OmniNnInput in = { 0 };
  const OmniNnBackend *cpu = omni_nn_cpu_backend ();
  gpointer state;
  gfloat *x = random_floats (9 * 13 * 8, 3.0f), y[9 * 13 * 16],
         ref[9 * 13 * 16];
  gfloat *outs[1] = { y }, *ref_outs[1] = { ref };
  guint t, down, up, out, ins[2];

  g->input_h = 9;
  g->input_w = 13;
  g->input_c = 8;
  g->input_scale = 1.0f;
  g->input = t = activation_tensor (g, 9, 13, 8);
  down = activation_tensor (g, 5, 7, 8);
  up = activation_tensor (g, 9, 13, 8);
  out = activation_tensor (g, 9, 13, 16);
  memset (&p, 0, sizeof (p));
  p.resize.in_h = 9;
  p.resize.in_w = 13;
  p.resize.c = 8;
  p.resize.out_h = 5;
  p.resize.out_w = 7;
  p.resize.align_corners = align;
  p.resize.half_pixel_centers = half;
  p.resize.nearest = nearest;
  omni_nn_graph_add_node (g, OMNI_NN_OP_RESIZE, "down", &p, 1, &t,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, down);
  p.resize.in_h = 5;
  p.resize.in_w = 7;
  p.resize.out_h = 9;
  p.resize.out_w = 13;
  omni_nn_graph_add_node (g, OMNI_NN_OP_RESIZE, "up", &p, 1, &down,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, up);
  memset (&p, 0, sizeof (p));
  p.concat.outer = 9 * 13;
  p.concat.a = p.concat.b = 8;
  p.concat.activation = OMNI_NN_ACT_RELU;
  ins[side] = up;
  ins[1 - side] = t;
  omni_nn_graph_add_node (g, OMNI_NN_OP_CONCAT, "concat", &p, 2, ins,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, out);
  omni_nn_graph_add_output (g, "concat", out);
  fail_unless (omni_nn_graph_validate (g, &err), "%s", err ? err->message : "");
  vk = omni_nn_vulkan_new (g, NULL, &err);
  fail_unless (vk != NULL, "%s", err ? err->message : "");
  fail_unless_equals_int (omni_nn_vulkan_get_n_kernels (vk), 2);
  in.tensor = x;
  fail_unless (
      omni_nn_vulkan_run (vk, &in, outs, &err), "%s", err ? err->message : "");
  state = cpu->prepare (g, NULL, &err);
  fail_unless (state != NULL, "%s", err ? err->message : "");
  fail_unless (
      cpu->run (state, &in, ref_outs, &err), "%s", err ? err->message : "");
  cpu->free (state);
  compare ("resize + concat", y, ref, 9 * 13 * 16);
  omni_nn_vulkan_free (vk);
  omni_nn_graph_free (g);
  g_free (x);
}

GST_START_TEST (test_graph_resize_concat)
{
  guint mode;

  for (mode = 0; mode < 6; mode++) {
    gboolean align = mode % 3 == 1, half = mode % 3 == 2, nearest = mode >= 3;

    check_resize_concat (mode % 2, align, half, nearest);
    check_resize_concat (1 - mode % 2, align, half, nearest);
  }
}

GST_END_TEST;

/* Two Winograd convolutions in a graph, sharing the executor's scratch
 * buffers (of different sizes: the second has more tiles and channels),
 * the second reading a zero Pad folded into it (2 rows above, 1 below, 3
 * columns left, 2 right): x [11, 13, 24] -> 3x3 'same' 24 -> 28, leaky
 * ReLU -> pad -> 3x3 'valid' 28 -> 32, ReLU6 [12, 16, 32]. Against the CPU
 * backend, twice (the second run reuses the recorded command buffer). */
GST_START_TEST (test_graph_winograd)
{
  OmniNnGraph *g = omni_nn_graph_new ();
  OmniNnOpParams p;
  GError *err = NULL;
  OmniNnVulkan *vk;
  OmniNnInput in = { 0 };
  const OmniNnBackend *cpu = omni_nn_cpu_backend ();
  gpointer state;
  const gsize n_out = 12 * 16 * 32;
  gfloat *x = random_floats (11 * 13 * 24, 1.0f), *y = g_new (gfloat, n_out),
         *ref = g_new (gfloat, n_out);
  gfloat *outs[1] = { y }, *ref_outs[1] = { ref };
  guint t, t1, t2, out, d4[4], d1[1], r;

  g->input_h = 11;
  g->input_w = 13;
  g->input_c = 24;
  g->input_scale = 1.0f;
  g->input = t = activation_tensor (g, 11, 13, 24);
  t1 = activation_tensor (g, 11, 13, 28);
  t2 = activation_tensor (g, 14, 18, 28);
  out = activation_tensor (g, 12, 16, 32);
  set_conv2d (&p, 11, 13, 24, 28, 3, 3, 1, 1, 1, 1, OMNI_NN_PADDING_SAME,
      OMNI_NN_ACT_LEAKY_RELU);
  d4[0] = d4[1] = 3;
  d4[2] = 24;
  d4[3] = d1[0] = 28;
  omni_nn_graph_add_node (g, OMNI_NN_OP_CONV2D, "conv1", &p, 1, &t,
      constant_tensor (g, 4, d4, 0.3f), constant_tensor (g, 1, d1, 1.0f), t1);
  memset (&p, 0, sizeof (p));
  p.pad.in_h = 11;
  p.pad.in_w = 13;
  p.pad.c = 28;
  p.pad.pad_top = 2;
  p.pad.pad_bottom = 1;
  p.pad.pad_left = 3;
  p.pad.pad_right = 2;
  omni_nn_graph_add_node (g, OMNI_NN_OP_PAD, "pad", &p, 1, &t1,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, t2);
  set_conv2d (&p, 14, 18, 28, 32, 3, 3, 1, 1, 1, 1, OMNI_NN_PADDING_VALID,
      OMNI_NN_ACT_RELU6);
  d4[2] = 28;
  d4[3] = d1[0] = 32;
  omni_nn_graph_add_node (g, OMNI_NN_OP_CONV2D, "conv2", &p, 1, &t2,
      constant_tensor (g, 4, d4, 0.3f), constant_tensor (g, 1, d1, 1.0f), out);
  omni_nn_graph_add_output (g, "conv2", out);
  fail_unless (omni_nn_graph_validate (g, &err), "%s", err ? err->message : "");
  fail_unless (kernel_uses (OMNI_NN_OP_CONV2D, &p, "nn_wino_f"));
  vk = omni_nn_vulkan_new (g, NULL, &err);
  fail_unless (vk != NULL, "%s", err ? err->message : "");
  /* the pad is folded */
  fail_unless_equals_int (omni_nn_vulkan_get_n_kernels (vk), 2);
  /* on the device: the biases and the transformed weights of F(4x4, 3x3)
   * (6 x 6 per filter), not the 3x3 weights they came from */
  fail_unless_equals_uint64 (omni_nn_vulkan_get_weight_bytes (vk),
      4 * (36 * 24 * 28 + 28 + 36 * 28 * 32 + 32));
  in.tensor = x;
  state = cpu->prepare (g, NULL, &err);
  fail_unless (state != NULL, "%s", err ? err->message : "");
  fail_unless (
      cpu->run (state, &in, ref_outs, &err), "%s", err ? err->message : "");
  cpu->free (state);
  for (r = 0; r < 2; r++) {
    fail_unless (omni_nn_vulkan_run (vk, &in, outs, &err), "%s",
        err ? err->message : "");
    compare ("winograd graph", y, ref, n_out);
  }
  omni_nn_vulkan_free (vk);
  omni_nn_graph_free (g);
  g_free (x);
  g_free (y);
  g_free (ref);
}

GST_END_TEST;

static Suite *
nnops_suite (void)
{
  Suite *s = suite_create ("omni-nnops");
  TCase *tc = tcase_create ("ops");

  gst_debug_set_threshold_for_name ("omnivk", GST_LEVEL_WARNING);
  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_conv2d);
  tcase_add_test (tc, test_conv2d_flat);
  tcase_add_test (tc, test_conv2d_winograd_choice);
  tcase_add_test (tc, test_conv2d_winograd);
  tcase_add_test (tc, test_depthwise);
  tcase_add_test (tc, test_depthwise_fold);
  tcase_add_test (tc, test_pointwise);
  tcase_add_test (tc, test_dense);
  tcase_add_test (tc, test_residual);
  tcase_add_test (tc, test_scaled);
  tcase_add_test (tc, test_pointwise_fold);
  tcase_add_test (tc, test_pointwise_subgroup_rows);
  tcase_add_test (tc, test_pad);
  tcase_add_test (tc, test_pad_channels);
  tcase_add_test (tc, test_pool2d);
  tcase_add_test (tc, test_binary);
  tcase_add_test (tc, test_sigmoid_tanh_reshape);
  tcase_add_test (tc, test_concat);
  tcase_add_test (tc, test_slice);
  tcase_add_test (tc, test_leaky_relu);
  tcase_add_test (tc, test_hard_swish);
  tcase_add_test (tc, test_resize);
  tcase_add_test (tc, test_add_activation);
  tcase_add_test (tc, test_global_avg_pool);
  tcase_add_test (tc, test_softmax);
  tcase_add_test (tc, test_batch_norm);
  tcase_add_test (tc, test_preprocess_layouts);
  tcase_add_test (tc, test_preprocess_modes);
  tcase_add_test (tc, test_bad_params);
  tcase_add_test (tc, test_graph);
  tcase_add_test (tc, test_graph_device_lost);
  tcase_add_test (tc, test_graph_same_input_twice);
  tcase_add_test (tc, test_graph_resize_concat);
  tcase_add_test (tc, test_graph_winograd);

  tc = tcase_create ("storage-reads");
  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_checked_fixture (tc, setup_storage_reads, teardown);
  tcase_add_test (tc, test_conv2d);
  tcase_add_test (tc, test_conv2d_flat);
  tcase_add_test (tc, test_conv2d_winograd_choice);
  tcase_add_test (tc, test_conv2d_winograd);
  tcase_add_test (tc, test_depthwise);
  tcase_add_test (tc, test_depthwise_fold);
  tcase_add_test (tc, test_pointwise);
  tcase_add_test (tc, test_dense);
  tcase_add_test (tc, test_residual);
  tcase_add_test (tc, test_scaled);
  tcase_add_test (tc, test_pointwise_fold);
  tcase_add_test (tc, test_binary);
  tcase_add_test (tc, test_concat);
  tcase_add_test (tc, test_resize);
  tcase_add_test (tc, test_add_activation);
  tcase_add_test (tc, test_global_avg_pool);
  tcase_add_test (tc, test_graph);
  tcase_add_test (tc, test_graph_resize_concat);
  tcase_add_test (tc, test_graph_winograd);

  tc = tcase_create ("staging");
  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_checked_fixture (tc, setup_staging, teardown);
  tcase_add_test (tc, test_graph_winograd);

  tc = tcase_create ("small-texel-buffers");
  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_checked_fixture (tc, setup_small_texels, teardown);
  tcase_add_test (tc, test_graph);
  return s;
}

GST_CHECK_MAIN (nnops);
