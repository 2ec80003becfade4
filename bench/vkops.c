/* gst-omni benchmark: each neural-network op as a Vulkan kernel against its
 * plain-C reference, on MobileNetV2's layer shapes, in the same run on the
 * same inputs; then the whole nsfw model (MobileNetV2) on the Vulkan
 * backend against the CPU backend, synchronous and pipelined.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * usage: bench-vkops [--device=SELECTOR] [--reps=N] [--model=NAME|PATH]
 *                    [--ops=TEXT] [--per-node] [--profile]
 * Times are wall-clock per call, the best of N after one warm-up; a Vulkan
 * time includes submission and the wait for the fence, not the upload of
 * the inputs. "speed-up" is reference time / Vulkan time. "cpu ms" is the
 * process's CPU time for one Vulkan call (best of N; lavapipe's threads
 * included): on a loaded machine it moves much less than wall-clock time,
 * so kernel variants are compared on it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <time.h>
#include <omni/nn/omninncpu.h>
#include <omni/nn/omninngraphmodel.h>
#include <omni/nn/omninnmodel.h>
#include <omni/nn/omninnop.h>
#include <omni/nn/vulkan/omninnvulkan.h>

static gint reps = 10;
static gchar *device_sel = NULL;
static gchar *model_name = NULL;
static gboolean per_node = FALSE;
static gboolean profile = FALSE;
static gchar **cut = NULL;
static gchar *ops_filter = NULL;
static GRand *rng;
/* CPU time of the last bench_case()'s best Vulkan call */
static gdouble last_cpu_ms;

typedef struct {
  const gchar *name;
  OmniNnOpType op;
  OmniNnOpParams params;
  gboolean has_bias;
  guint n_inputs;
  gsize sizes[3]; /* bytes of each input */
  gsize out_n;    /* floats */
} Case;

static gdouble
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static gdouble
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static gpointer
random_data (gsize bytes, gboolean as_bytes)
{
  guint8 *p = g_malloc (MAX (bytes, 4));
  gsize i;

  if (as_bytes) {
    for (i = 0; i < bytes; i++)
      p[i] = (guint8) g_rand_int_range (rng, 0, 256);
  } else {
    gfloat *f = (gfloat *) p;

    for (i = 0; i < bytes / 4; i++)
      f[i] = (gfloat) g_rand_double_range (rng, -1.0, 1.0);
  }
  return p;
}

/* The op's C reference from its descriptor: @in holds its activation
 * inputs, then its weights and bias when it has them. */
static void
run_reference (const Case *c, gpointer *in, gfloat *out)
{
  const OmniNnOpInfo *info = omni_nn_op_info (c->op);
  const gfloat *acts[3] = { in[0], in[1], in[2] };
  guint k = info->n_inputs;

  if (c->op == OMNI_NN_OP_PREPROCESS) {
    omni_nn_ref_preprocess (&c->params.preprocess, in[0], out);
    return;
  }
  info->reference (&c->params, acts, info->has_weights ? in[k] : NULL,
      info->has_weights && c->has_bias ? in[k + 1] : NULL, out);
}

static gboolean
bench_case (OmniVkDevice *dev, const Case *c, gdouble *vk_ms, gdouble *ref_ms)
{
  GError *err = NULL;
  OmniNnVkKernel *k;
  OmniVkBuffer *bufs[4] = { NULL };
  OmniVkDescriptorPool *pool = NULL;
  OmniVkCommand *cmd = NULL;
  gpointer in[3] = { NULL };
  gfloat *out = g_new (gfloat, c->out_n);
  guint i, nb;
  gint r;
  gboolean ok = FALSE;

  k = omni_nn_vk_kernel_new (dev, c->op, &c->params, c->has_bias, &err);
  if (!k)
    goto done;
  nb = omni_nn_vk_kernel_get_n_buffers (k);
  bufs[0] = omni_vk_buffer_new (dev, c->out_n * 4, OMNI_VK_MEMORY_DEVICE, &err);
  for (i = 0; bufs[0] && i < c->n_inputs; i++) {
    in[i] = random_data (c->sizes[i], c->op == OMNI_NN_OP_PREPROCESS);
    bufs[i + 1]
        = omni_vk_buffer_new (dev, c->sizes[i], OMNI_VK_MEMORY_DEVICE, &err);
    if (!bufs[i + 1]
        || !omni_vk_buffer_write (bufs[i + 1], 0, in[i], c->sizes[i], &err))
      goto done;
  }
  for (i = c->n_inputs + 1; i < nb; i++)
    bufs[i] = omni_vk_buffer_ref (bufs[i - 1]);
  pool = omni_vk_descriptor_pool_new (dev, 1, 4, &err);
  if (!pool || !omni_nn_vk_kernel_bind (k, pool, bufs, nb, &err))
    goto done;
  cmd = omni_vk_command_new (dev, &err);
  if (!cmd || !omni_vk_command_begin (cmd, &err))
    goto done;
  omni_nn_vk_kernel_record (k, cmd);
  if (!omni_vk_command_end (cmd, &err))
    goto done;

  *vk_ms = *ref_ms = last_cpu_ms = G_MAXDOUBLE;
  for (r = 0; r <= reps; r++) {
    gdouble t0 = now_ms (), c0 = cpu_ms (), t;

    if (!omni_vk_command_run (cmd, &err))
      goto done;
    t = now_ms () - t0;
    if (r > 0) {
      *vk_ms = MIN (*vk_ms, t);
      last_cpu_ms = MIN (last_cpu_ms, cpu_ms () - c0);
    }
  }
  for (r = 0; r <= MAX (reps / 3, 1); r++) {
    gdouble t0 = now_ms (), t;

    run_reference (c, in, out);
    t = now_ms () - t0;
    if (r > 0)
      *ref_ms = MIN (*ref_ms, t);
  }
  ok = TRUE;

done:
  if (err) {
    g_printerr ("%s: %s\n", c->name, err->message);
    g_error_free (err);
  }
  if (cmd)
    omni_vk_command_unref (cmd);
  if (pool)
    omni_vk_descriptor_pool_unref (pool);
  for (i = 0; i < 4; i++)
    if (bufs[i])
      omni_vk_buffer_unref (bufs[i]);
  for (i = 0; i < 3; i++)
    g_free (in[i]);
  omni_nn_vk_kernel_free (k);
  g_free (out);
  return ok;
}

static Case
conv_case (
    const gchar *name, guint h, guint w, guint ci, guint co, guint k, guint s)
{
  Case c = { name, OMNI_NN_OP_CONV2D };
  OmniNnConv2dParams *p = &c.params.conv2d;
  guint pt, pl;

  omni_nn_conv_output_size (h, k, s, 1, OMNI_NN_PADDING_SAME, &p->out_h, &pt);
  omni_nn_conv_output_size (w, k, s, 1, OMNI_NN_PADDING_SAME, &p->out_w, &pl);
  p->in_h = h;
  p->in_w = w;
  p->in_c = ci;
  p->out_c = co;
  p->kernel_h = p->kernel_w = k;
  p->stride_h = p->stride_w = s;
  p->dilation_h = p->dilation_w = 1;
  p->pad_top = pt;
  p->pad_left = pl;
  p->activation = OMNI_NN_ACT_RELU6;
  c.has_bias = TRUE;
  c.n_inputs = 3;
  c.sizes[0] = (gsize) h * w * ci * 4;
  c.sizes[1] = (gsize) k * k * ci * co * 4;
  c.sizes[2] = co * 4;
  c.out_n = (gsize) p->out_h * p->out_w * co;
  return c;
}

static Case
dw_case (const gchar *name, guint h, guint w, guint ch, guint s)
{
  Case c = { name, OMNI_NN_OP_DEPTHWISE_CONV2D };
  OmniNnDepthwiseConv2dParams *p = &c.params.depthwise;
  guint pt, pl;

  omni_nn_conv_output_size (h, 3, s, 1, OMNI_NN_PADDING_SAME, &p->out_h, &pt);
  omni_nn_conv_output_size (w, 3, s, 1, OMNI_NN_PADDING_SAME, &p->out_w, &pl);
  p->in_h = h;
  p->in_w = w;
  p->in_c = p->out_c = ch;
  p->kernel_h = p->kernel_w = 3;
  p->stride_h = p->stride_w = s;
  p->dilation_h = p->dilation_w = 1;
  p->pad_top = pt;
  p->pad_left = pl;
  p->depth_multiplier = 1;
  p->activation = OMNI_NN_ACT_RELU6;
  c.has_bias = TRUE;
  c.n_inputs = 3;
  c.sizes[0] = (gsize) h * w * ch * 4;
  c.sizes[1] = 9 * ch * 4;
  c.sizes[2] = ch * 4;
  c.out_n = (gsize) p->out_h * p->out_w * ch;
  return c;
}

static Case
gemm_case (const gchar *name, OmniNnOpType op, guint m, guint k, guint n)
{
  Case c = { name, op };

  c.params.gemm.m = m;
  c.params.gemm.k = k;
  c.params.gemm.n = n;
  c.params.gemm.activation = OMNI_NN_ACT_NONE;
  c.has_bias = TRUE;
  c.n_inputs = 3;
  c.sizes[0] = (gsize) m * k * 4;
  c.sizes[1] = (gsize) k * n * 4;
  c.sizes[2] = n * 4;
  c.out_n = (gsize) m * n;
  return c;
}

static Case
preprocess_case (const gchar *name, OmniNnPixelLayout layout, guint w, guint h)
{
  Case c = { name, OMNI_NN_OP_PREPROCESS };
  OmniNnPreprocessParams *p = &c.params.preprocess;
  guint bpp = 1;

  p->layout = layout;
  p->in_w = w;
  p->in_h = h;
  if (omni_nn_pixel_layout_packed (layout, &bpp, NULL, NULL, NULL)) {
    p->strides[0] = GST_ROUND_UP_4 (w * bpp);
  } else {
    /* I420 */
    p->strides[0] = GST_ROUND_UP_4 (w);
    p->strides[1] = p->strides[2] = GST_ROUND_UP_4 ((w + 1) / 2);
    p->offsets[1] = (gsize) p->strides[0] * h;
    p->offsets[2] = p->offsets[1] + (gsize) p->strides[1] * ((h + 1) / 2);
  }
  p->out_w = p->out_h = 224;
  p->scale = 1.0f / 255.0f;
  c.n_inputs = 1;
  c.sizes[0] = omni_nn_preprocess_frame_size (p);
  c.out_n = 224 * 224 * 3;
  return c;
}

static void
bench_ops (OmniVkDevice *dev)
{
  Case cases[32];
  guint n = 0, i;
  gdouble sum_vk = 0, sum_ref = 0;

  cases[n++] = preprocess_case (
      "preprocess I420 1920x1080->224", OMNI_NN_PIXEL_I420, 1920, 1080);
  cases[n++] = preprocess_case (
      "preprocess RGBx 640x480->224", OMNI_NN_PIXEL_RGBX, 640, 480);
  cases[n++] = conv_case ("conv2d 224x224x3->32 k3 s2", 224, 224, 3, 32, 3, 2);
  cases[n++] = dw_case ("depthwise 112x112x32 s1", 112, 112, 32, 1);
  cases[n++] = dw_case ("depthwise 112x112x96 s2", 112, 112, 96, 2);
  cases[n++] = dw_case ("depthwise 14x14x576 s1", 14, 14, 576, 1);
  cases[n++] = gemm_case (
      "pointwise 112x112 32->16", OMNI_NN_OP_POINTWISE_CONV2D, 12544, 32, 16);
  cases[n++] = gemm_case (
      "pointwise 112x112 16->96", OMNI_NN_OP_POINTWISE_CONV2D, 12544, 16, 96);
  cases[n++] = gemm_case (
      "pointwise 56x56 24->144", OMNI_NN_OP_POINTWISE_CONV2D, 3136, 24, 144);
  cases[n++] = gemm_case (
      "pointwise 28x28 192->32", OMNI_NN_OP_POINTWISE_CONV2D, 784, 192, 32);
  cases[n++] = gemm_case (
      "pointwise 14x14 96->576", OMNI_NN_OP_POINTWISE_CONV2D, 196, 96, 576);
  cases[n++] = gemm_case (
      "pointwise 7x7 320->1280", OMNI_NN_OP_POINTWISE_CONV2D, 49, 320, 1280);
  cases[n++] = gemm_case ("pointwise odd 143x37->29 (tiled)",
      OMNI_NN_OP_POINTWISE_CONV2D, 143 * 21, 37, 29);
  cases[n++] = gemm_case ("dense 1280->5", OMNI_NN_OP_DENSE, 1, 1280, 5);
  cases[n++] = gemm_case ("pointwise 128x128 128->80",
      OMNI_NN_OP_POINTWISE_CONV2D, 128 * 128, 128, 80);
  cases[n++] = gemm_case ("pointwise 128x128 16->64",
      OMNI_NN_OP_POINTWISE_CONV2D, 128 * 128, 16, 64);
  {
    Case c = { "add 56x56x24", OMNI_NN_OP_ADD };

    c.params.eltwise.n = 56 * 56 * 24;
    c.n_inputs = 2;
    c.sizes[0] = c.sizes[1] = 56 * 56 * 24 * 4;
    c.out_n = 56 * 56 * 24;
    cases[n++] = c;
  }
  {
    Case c = { "pad 112x112x96 +1", OMNI_NN_OP_PAD };

    c.params.pad.in_h = c.params.pad.in_w = 112;
    c.params.pad.c = 96;
    c.params.pad.pad_bottom = c.params.pad.pad_right = 1;
    c.n_inputs = 1;
    c.sizes[0] = 112 * 112 * 96 * 4;
    c.out_n = 113 * 113 * 96;
    cases[n++] = c;
  }
  {
    Case c = { "global-avg-pool 7x7x1280", OMNI_NN_OP_GLOBAL_AVG_POOL };

    c.params.pool.h = c.params.pool.w = 7;
    c.params.pool.c = 1280;
    c.n_inputs = 1;
    c.sizes[0] = 7 * 7 * 1280 * 4;
    c.out_n = 1280;
    cases[n++] = c;
  }
  {
    Case c = { "softmax 1x1001", OMNI_NN_OP_SOFTMAX };

    c.params.softmax.rows = 1;
    c.params.softmax.n = 1001;
    c.n_inputs = 1;
    c.sizes[0] = 1001 * 4;
    c.out_n = 1001;
    cases[n++] = c;
  }

  /* CenterNet's head at 512 x 512: 128 x 128 maps */
  {
    Case c = { "resize 64x64x24->128x128", OMNI_NN_OP_RESIZE };

    c.params.resize.in_h = c.params.resize.in_w = 64;
    c.params.resize.c = 24;
    c.params.resize.out_h = c.params.resize.out_w = 128;
    c.n_inputs = 1;
    c.sizes[0] = 64 * 64 * 24 * 4;
    c.out_n = 128 * 128 * 24;
    cases[n++] = c;
  }
  {
    Case c = { "concat 128x128 24+60", OMNI_NN_OP_CONCAT };

    c.params.concat.outer = 128 * 128;
    c.params.concat.a = 24;
    c.params.concat.b = 60;
    c.n_inputs = 2;
    c.sizes[0] = 128 * 128 * 24 * 4;
    c.sizes[1] = 128 * 128 * 60 * 4;
    c.out_n = 128 * 128 * 84;
    cases[n++] = c;
  }
  {
    Case c = { "mul 128x128x84 by 84", OMNI_NN_OP_BINARY };
    OmniNnBinaryParams *p = &c.params.binary;

    p->kind = OMNI_NN_BINARY_MUL;
    p->n_dims = 3;
    p->dims[0] = p->dims[1] = p->a_dims[0] = p->a_dims[1] = 128;
    p->dims[2] = p->a_dims[2] = p->b_dims[2] = 84;
    p->b_dims[0] = p->b_dims[1] = 1;
    c.n_inputs = 2;
    c.sizes[0] = 128 * 128 * 84 * 4;
    c.sizes[1] = 84 * 4;
    c.out_n = 128 * 128 * 84;
    cases[n++] = c;
  }
  {
    Case c = { "global-avg-pool 128x128x84", OMNI_NN_OP_GLOBAL_AVG_POOL };

    c.params.pool.h = c.params.pool.w = 128;
    c.params.pool.c = 84;
    c.n_inputs = 1;
    c.sizes[0] = 128 * 128 * 84 * 4;
    c.out_n = 84;
    cases[n++] = c;
  }

  g_print ("%-36s %12s %12s %9s %9s\n", "op", "vulkan ms", "C ref ms",
      "speed-up", "cpu ms");
  for (i = 0; i < n; i++) {
    gdouble vk, ref;

    if (ops_filter && !strstr (cases[i].name, ops_filter))
      continue;
    if (!bench_case (dev, &cases[i], &vk, &ref))
      continue;
    sum_vk += vk;
    sum_ref += ref;
    g_print ("%-36s %12.3f %12.3f %8.2fx %9.3f\n", cases[i].name, vk, ref,
        ref / vk, last_cpu_ms);
  }
  g_print (
      "%-36s %12.3f %12.3f %8.2fx\n", "sum", sum_vk, sum_ref, sum_ref / sum_vk);
}

/* Every node of the model as its own kernel, on the node's own shapes:
 * where the whole-model time goes. Pads are shown but run folded into the
 * convolution that reads them. */
static void
bench_nodes (OmniVkDevice *dev, const OmniNnGraph *g)
{
  gdouble sum = 0, sum_cpu = 0;
  guint i, j;

  g_print ("\n%-4s %-34s %-10s %10s %9s %9s\n", "node", "layer", "op",
      "vulkan ms", "GMAC/s", "cpu ms");
  for (i = 0; i < g->nodes->len; i++) {
    const OmniNnNode *n = omni_nn_graph_node (g, i);
    Case c = { n->name, n->op, n->params };
    gdouble vk = 0, ref = 0, macs = 0;

    if (n->op == OMNI_NN_OP_PAD) {
      g_print ("%-4u %-34s %-10s %10s\n", i, n->name, "pad", "(folded)");
      continue;
    }
    c.n_inputs = n->n_inputs;
    for (j = 0; j < n->n_inputs; j++)
      c.sizes[j] = omni_nn_graph_tensor (g, n->inputs[j])->n_elements * 4;
    if (n->weights != OMNI_NN_NO_TENSOR)
      c.sizes[c.n_inputs++]
          = omni_nn_graph_tensor (g, n->weights)->n_elements * 4;
    c.has_bias = n->bias != OMNI_NN_NO_TENSOR;
    if (c.has_bias)
      c.sizes[c.n_inputs++] = omni_nn_graph_tensor (g, n->bias)->n_elements * 4;
    c.out_n = omni_nn_graph_tensor (g, n->output)->n_elements;
    if (omni_nn_op_info (n->op)->count_macs)
      macs = omni_nn_op_info (n->op)->count_macs (&n->params);
    if (!bench_case (dev, &c, &vk, &ref))
      continue;
    sum += vk;
    sum_cpu += last_cpu_ms;
    g_print ("%-4u %-34s %-10s %10.3f %9.2f %9.3f", i, n->name,
        omni_nn_op_type_name (n->op), vk, macs / vk / 1e6, last_cpu_ms);
    if (n->op == OMNI_NN_OP_CONV2D) {
      const OmniNnConv2dParams *p = &n->params.conv2d;

      g_print ("  %ux%ux%u -> %ux%ux%u k%ux%u s%u", p->in_h, p->in_w, p->in_c,
          p->out_h, p->out_w, p->out_c, p->kernel_h, p->kernel_w, p->stride_h);
    }
    g_print ("\n");
  }
  g_print ("%-4s %-34s %-10s %10.3f %9s %9.3f\n", "", "sum of nodes", "", sum,
      "", sum_cpu);
}

typedef struct {
  const OmniNnGraph *g;
  GHashTable *by_shader; /* shader -> gdouble[2]: ms, kernels */
  gdouble sum;
} Profile;

static void
profile_kernel (guint node, OmniNnVkKernel *kernel, gdouble ms, gpointer data)
{
  Profile *pr = data;
  const OmniNnNode *n = omni_nn_graph_node (pr->g, node);
  const gchar *shader = omni_nn_vk_kernel_get_shader (kernel);
  gdouble *acc = g_hash_table_lookup (pr->by_shader, shader);

  if (!acc) {
    acc = g_new0 (gdouble, 2);
    g_hash_table_insert (pr->by_shader, (gpointer) shader, acc);
  }
  acc[0] += ms;
  acc[1] += 1;
  pr->sum += ms;
  g_print ("%-4u %-60s %-28s %8.3f\n", node, n->name, shader, ms);
}

/* --profile: each kernel of the graph as it runs (folds and fused
 * epilogues included), alone, best of reps; then the sums by shader */
static void
profile_model (OmniNnVulkan *vk, const OmniNnGraph *g, const OmniNnInput *in)
{
  Profile pr = { g,
    g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free), 0.0 };
  GHashTableIter it;
  gpointer key, value;
  GError *err = NULL;

  g_print ("\n%-4s %-60s %-28s %8s\n", "node", "layer", "shader", "ms");
  if (!omni_nn_vulkan_profile (
          vk, in, MAX (reps, 1), profile_kernel, &pr, &err)) {
    g_printerr ("profile: %s\n", err->message);
    g_error_free (err);
  }
  g_print ("\n%-32s %8s %8s\n", "shader", "kernels", "ms");
  g_hash_table_iter_init (&it, pr.by_shader);
  while (g_hash_table_iter_next (&it, &key, &value))
    g_print ("%-32s %8.0f %8.3f\n", (const gchar *) key, ((gdouble *) value)[1],
        ((gdouble *) value)[0]);
  g_print ("%-32s %8s %8.3f\n", "sum of kernels", "", pr.sum);
  g_hash_table_unref (pr.by_shader);
}

static void
bench_model (OmniVkDevice *dev)
{
  GError *err = NULL;
  /* a TF.js graph model (cut before its decode tail with --cut) or a
   * layers model */
  OmniNnModel *m = cut ? omni_nn_graph_model_load (
                       model_name, (const gchar *const *) cut, &err)
                       : omni_nn_model_load (model_name, NULL, NULL, &err);
  const OmniNnBackend *cpu = omni_nn_cpu_backend ();
  const OmniNnGraph *g;
  OmniNnVulkan *vk = NULL;
  gpointer cs = NULL;
  OmniNnInput input = { 0 };
  gfloat *tensor, *outs[8] = { NULL };
  gdouble best_vk = G_MAXDOUBLE, best_cpu = G_MAXDOUBLE, t0, pipelined;
  guint i;
  gint r;

  if (!m) {
    g_print ("\nmodel %s not available (%s): run tools/omni-fetch-models\n",
        model_name, err->message);
    g_error_free (err);
    return;
  }
  g = m->graph;
  if (per_node)
    bench_nodes (dev, g);
  /* the backends write every output (NanoDet has 6) */
  if (g->outputs->len > G_N_ELEMENTS (outs)) {
    g_print ("\nmodel %s: %u outputs, more than this benchmark reads\n", m->id,
        g->outputs->len);
    omni_nn_model_free (m);
    return;
  }
  tensor
      = random_data ((gsize) g->input_h * g->input_w * g->input_c * 4, FALSE);
  input.tensor = tensor;
  for (i = 0; i < g->outputs->len && i < G_N_ELEMENTS (outs); i++)
    outs[i] = g_new (
        gfloat, omni_nn_graph_tensor (g, omni_nn_graph_output (g, i)->tensor)
                    ->n_elements);

  t0 = now_ms ();
  vk = omni_nn_vulkan_new (g, device_sel, &err);
  if (!vk) {
    g_printerr ("vulkan: %s\n", err->message);
    g_error_free (err);
    goto done;
  }
  g_print ("\nmodel %s: %u nodes, %.1f M multiply-adds; Vulkan load %.0f ms "
           "(%u pipelines)\n",
      m->id, g->nodes->len, omni_nn_graph_count_macs (g) / 1e6, now_ms () - t0,
      omni_nn_vulkan_get_n_pipelines (vk));
  for (r = 0; r <= reps; r++) {
    gdouble t = now_ms ();

    if (!omni_nn_vulkan_run (vk, &input, outs, &err)) {
      g_printerr ("vulkan: %s\n", err->message);
      g_error_free (err);
      goto done;
    }
    t = now_ms () - t;
    if (r > 0) /* the first run compiles the shaders on lavapipe */
      best_vk = MIN (best_vk, t);
  }
  if (profile)
    profile_model (vk, g, &input);
  /* Pipelined: submit N+1 before collecting N. */
  t0 = now_ms ();
  omni_nn_vulkan_submit (vk, &input, NULL);
  for (r = 1; r < reps; r++) {
    omni_nn_vulkan_submit (vk, &input, NULL);
    omni_nn_vulkan_collect (vk, outs, NULL);
  }
  omni_nn_vulkan_collect (vk, outs, NULL);
  pipelined = (now_ms () - t0) / MAX (reps, 1);

  cs = cpu->prepare (g, NULL, &err);
  for (r = 0; cs && r <= MAX (reps / 3, 1); r++) {
    gdouble t = now_ms ();

    cpu->run (cs, &input, outs, NULL);
    t = now_ms () - t;
    if (r > 0)
      best_cpu = MIN (best_cpu, t);
  }
  g_print ("%-36s %12s %12s %9s\n", "whole model", "vulkan ms", "C ref ms",
      "speed-up");
  g_print ("%-36s %12.1f %12.1f %8.2fx\n", "one inference (best)", best_vk,
      best_cpu, best_cpu / best_vk);
  g_print ("%-36s %12.1f %12s %9s\n", "pipelined (mean per frame)", pipelined,
      "", "");

done:
  if (cs)
    cpu->free (cs);
  omni_nn_vulkan_free (vk);
  for (i = 0; i < G_N_ELEMENTS (outs); i++)
    g_free (outs[i]);
  g_free (tensor);
  omni_nn_model_free (m);
}

int
main (int argc, char **argv)
{
  GOptionEntry entries[]
      = { { "device", 0, 0, G_OPTION_ARG_STRING, &device_sel,
              "Vulkan device (index, kind or name)", "SELECTOR" },
          { "reps", 0, 0, G_OPTION_ARG_INT, &reps, "repetitions (best is kept)",
              "N" },
          { "model", 0, 0, G_OPTION_ARG_STRING, &model_name,
              "model for the whole-network figure (default nsfw)", "NAME" },
          { "per-node", 0, 0, G_OPTION_ARG_NONE, &per_node,
              "time every node of the model as its own kernel", NULL },
          { "profile", 0, 0, G_OPTION_ARG_NONE, &profile,
              "time every kernel of the model as the graph runs it", NULL },
          { "ops", 0, 0, G_OPTION_ARG_STRING, &ops_filter,
              "only the single-op cases whose name contains TEXT, and no "
              "model unless --model is given",
              "TEXT" },
          { "cut", 0, 0, G_OPTION_ARG_STRING_ARRAY, &cut,
              "load --model as a TF.js graph model cut at this node "
              "(repeatable)",
              "NODE" },
          { NULL } };
  GOptionContext *ctx = g_option_context_new ("- Vulkan ops vs C references");
  GError *err = NULL;
  OmniVkDevice *dev;
  gboolean model_given;

  g_option_context_add_main_entries (ctx, entries, NULL);
  gst_init (&argc, &argv);
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("%s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);
  model_given = model_name != NULL;
  if (!model_name)
    model_name = g_strdup ("nsfw");
  rng = g_rand_new_with_seed (7);

  dev = omni_vk_device_get (device_sel, &err);
  if (!dev) {
    g_printerr ("%s\n", err->message);
    return 1;
  }
  g_print ("device: %s (%s), subgroup %u; CPU threads %u\n",
      omni_vk_device_get_name (dev),
      omni_vk_device_type_to_string (omni_vk_device_get_info (dev)->type),
      omni_vk_device_get_subgroup_size (dev), g_get_num_processors ());
  bench_ops (dev);
  if (!ops_filter || model_given)
    bench_model (dev);
  gst_object_unref (dev);
  g_rand_free (rng);
  g_free (device_sel);
  g_free (model_name);
  g_free (ops_filter);
  g_strfreev (cut);
  return 0;
}
