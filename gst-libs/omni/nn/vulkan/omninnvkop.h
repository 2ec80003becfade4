/* gst-omni: one Vulkan kernel builder per operator (not installed)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_VK_OP_H__
#define __OMNI_NN_VK_OP_H__

#include "omninnvulkan.h"

#include "omni-spec-ids.h"

G_BEGIN_DECLS

#define OMNI_NN_VK_MAX_SPEC OMNI_SPEC_COUNT
#define OMNI_NN_VK_MAX_PUSH 128
#define OMNI_NN_VK_MAX_BINDINGS 6
#define OMNI_NN_VK_MAX_STAGES 3
#define OMNI_NN_VK_MAX_OWNED 3
#define OMNI_NN_VK_MAX_SCRATCH 2

struct _OmniNnVkKernel {
  OmniVkDevice *device;
  OmniNnOpType op;
  OmniNnOpParams params;
  gboolean has_bias;
  const gchar *shader;
  OmniVkPipeline *pipeline;
  guint n_buffers;
  guint32 groups[3];
  guint32 local[2];
  guint8 push[OMNI_NN_VK_MAX_PUSH];
  guint push_size;
  /* per binding: bytes the kernel reads (0: all), so that texel bindings
   * cover only the tensor: activation buffers are shared, and may be
   * larger */
  gsize read_bytes[OMNI_NN_VK_MAX_BINDINGS];
  OmniVkDescriptorSet *set;
  /* A kernel of several dispatches (conv2d's Winograd path): it has no
   * pipeline of its own; its stages run in order, each a kernel with its
   * pipeline, dispatch and descriptor set (from @stage_pool). @bind points
   * the stages at the caller's buffers and at the buffers the kernel owns
   * (@owned: transformed weights, intermediate products). */
  OmniNnVkKernel *stages[OMNI_NN_VK_MAX_STAGES];
  guint n_stages;
  gboolean (*bind) (OmniNnVkKernel *k, OmniVkBuffer *const *buffers,
      guint n_buffers, GError **error);
  OmniVkBuffer *owned[OMNI_NN_VK_MAX_OWNED];
  OmniVkDescriptorPool *stage_pool;
  /* bytes of the intermediate buffers a kernel of stages needs (scratch
   * written and read within its dispatches): a graph gives all its kernels
   * the same ones (omni_nn_vk_kernel_share_scratch()), else the kernel
   * allocates its own when bound */
  gsize scratch_bytes[OMNI_NN_VK_MAX_SCRATCH];
  /* what the builder chose, for its bind hook (Winograd: the output tile
   * size, 2 or 4) */
  guint variant;
};

/**
 * OmniNnVkBuild:
 * @residual: in: the GEMM epilogue adds a residual tensor (binding 4)
 * @scale: in: the GEMM scales its input's channels by a vector (the last
 *   binding: 4, or 5 after a residual)
 * @resize: in (concat): a resize folded into input @resize_side (0: the
 *   first, 1: the second), which is then the resize's input, or %NULL
 * @resize_side: in: see @resize
 * @batch: in (pointwise GEMM): 0, or that many GEMMs of the shape stored one
 *   after another, run along z (nn_gemm_v4's BATCHED; no bias)
 * @cache: in: the pipelines shared by the kernels of a graph, or %NULL (for
 *   builders that build stages)
 * @spec: out: specialisation constants, indexed by the OMNI_SPEC_* ids of
 *   omni-spec-ids.h (generated from shaders/spec-ids.def)
 * @n_spec: out: how many of @spec the shader declares
 * @access: out: how each binding is accessed (@k->n_buffers of them)
 *
 * What a builder fills in besides the kernel's shader, buffers, workgroup
 * size and counts, push constants and read sizes.
 */
typedef struct {
  gboolean residual;
  gboolean scale;
  const OmniNnResizeParams *resize;
  guint resize_side;
  guint batch;
  GHashTable *cache;
  guint32 spec[OMNI_NN_VK_MAX_SPEC];
  guint n_spec;
  const OmniVkAccess *access;
} OmniNnVkBuild;

/**
 * OmniNnVkOpBuilder:
 * @op: the operator
 * @build: chooses the shader for @k->params on @k->device and fills @k and
 *   @b; returns %FALSE with @error set, or %FALSE alone for parameters out
 *   of range (the caller reports them)
 *
 * The Vulkan half of an operator's descriptor (the core half is
 * #OmniNnOpInfo). One file per op under nn/vulkan/ops/, one line in
 * omninnvkopregistry.c.
 */
typedef struct {
  OmniNnOpType op;
  gboolean (*build) (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error);
} OmniNnVkOpBuilder;

G_GNUC_INTERNAL const OmniNnVkOpBuilder *omni_nn_vk_op_builder (
    OmniNnOpType op);

/* Builds a kernel (omni_nn_vk_kernel_new() with a residual epilogue and a
 * pipeline cache shared by the kernels of one graph). */
G_GNUC_INTERNAL OmniNnVkKernel *omni_nn_vk_kernel_build (OmniVkDevice *dev,
    OmniNnOpType op, const OmniNnOpParams *params, gboolean has_bias,
    gboolean residual, gboolean scale, GHashTable *cache, GError **error);

/* A concatenation whose input @side (0 or 1) is resized by @resize as it
 * is read (nn_concat_v4's _resize_a/_b variants): the resize's output is
 * never written. */
G_GNUC_INTERNAL OmniNnVkKernel *omni_nn_vk_kernel_build_concat_resized (
    OmniVkDevice *dev, const OmniNnConcatParams *params,
    const OmniNnResizeParams *resize, guint side, GHashTable *cache,
    GError **error);

/* @batch GEMMs of @params' shape along z, without bias or activation (a
 * stage of the Winograd convolution); K and N multiples of 4. */
G_GNUC_INTERNAL OmniNnVkKernel *omni_nn_vk_kernel_build_batched_gemm (
    OmniVkDevice *dev, const OmniNnGemmParams *params, guint batch,
    GHashTable *cache, GError **error);

/* A stage of a multi-dispatch kernel: omni_nn_vk_stage_new() returns an
 * empty kernel for @dev; fill its shader, buffers, workgroup size, counts
 * and read sizes and @b like a builder, then omni_nn_vk_stage_finish()
 * checks the counts and gets the pipeline (freeing @stage on failure). */
G_GNUC_INTERNAL OmniNnVkKernel *omni_nn_vk_stage_new (OmniVkDevice *dev);
G_GNUC_INTERNAL gboolean omni_nn_vk_stage_finish (OmniNnVkKernel *stage,
    const OmniNnVkBuild *b, GHashTable *cache, GError **error);

/* Lends @k the scratch buffers @scratch (OMNI_NN_VK_MAX_SCRATCH of them,
 * each at least @k->scratch_bytes), before it is bound: kernels that run one
 * after another in one command buffer can share them. */
G_GNUC_INTERNAL void omni_nn_vk_kernel_share_scratch (
    OmniNnVkKernel *k, OmniVkBuffer *const *scratch);

/* helpers (omninnvkop-helpers.c) */
G_GNUC_INTERNAL guint32 omni_nn_vk_div_up (guint64 a, guint64 b);
G_GNUC_INTERNAL guint omni_nn_vk_pow2_floor (guint v);
/* Groups for @n items of a 1-D kernel with @local invocations, folded onto
 * y when x alone would exceed the device limit. */
G_GNUC_INTERNAL void omni_nn_vk_groups_1d (
    OmniVkDevice *dev, guint64 n, guint32 local, guint32 groups[3]);
/* Whether every tensor the kernel reads fits in a texel buffer. */
G_GNUC_INTERNAL gboolean omni_nn_vk_reads_fit_texels (OmniNnVkKernel *k);

/* binding access patterns: W = write, R = storage read, T = texel read */
extern G_GNUC_INTERNAL const OmniVkAccess omni_nn_vk_access_w_r[2];
extern G_GNUC_INTERNAL const OmniVkAccess omni_nn_vk_access_w_rr[3];
extern G_GNUC_INTERNAL const OmniVkAccess omni_nn_vk_access_w_t[2];
extern G_GNUC_INTERNAL const OmniVkAccess omni_nn_vk_access_w_tt[3];
extern G_GNUC_INTERNAL const OmniVkAccess omni_nn_vk_access_w_rrr[4];
extern G_GNUC_INTERNAL const OmniVkAccess omni_nn_vk_access_w_ttt[4];
extern G_GNUC_INTERNAL const OmniVkAccess omni_nn_vk_access_w_rrrr[5];
extern G_GNUC_INTERNAL const OmniVkAccess omni_nn_vk_access_w_tttt[5];
extern G_GNUC_INTERNAL const OmniVkAccess omni_nn_vk_access_w_rrrrr[6];
extern G_GNUC_INTERNAL const OmniVkAccess omni_nn_vk_access_w_ttttt[6];
extern G_GNUC_INTERNAL const OmniVkAccess omni_nn_vk_access_rw_r[2];

/* pre-processing push constants (omninnvk-preprocess.c) */
G_GNUC_INTERNAL gboolean omni_nn_vk_preprocess_push (
    OmniNnVkKernel *k, const OmniNnPreprocessParams *p);

/* The builders, one per file in ops/, registered in omninnvkopregistry.c. */
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_preprocess;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_conv2d;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_depthwise_conv2d;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_batch_norm;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_pointwise_conv2d;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_dense;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_pad;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_add;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_activation;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_global_avg_pool;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_softmax;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_pool2d;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_binary;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_binary_const;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_reshape;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_concat;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_resize;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_hard_swish;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_slice;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_strided;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_unary;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_reduce;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_lstm;
extern G_GNUC_INTERNAL const OmniNnVkOpBuilder omni_nn_vk_op_conv_transpose;

/* conv2d's Winograd F(2x2, 3x3) / F(4x4, 3x3) path (ops/omninnvk-winograd.c):
 * whether it takes @p on @dev, and the builder of its three stages */
G_GNUC_INTERNAL gboolean omni_nn_vk_winograd_accepts (
    OmniVkDevice *dev, const OmniNnConv2dParams *p);
G_GNUC_INTERNAL gboolean omni_nn_vk_winograd_build (
    OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error);
/* U[k][ci][co] = (G g G^T)[k], k = (m + 2) i + j, for HWIO 3x3 weights @w
 * and F(@m x @m, 3x3), @m 2 or 4 */
G_GNUC_INTERNAL void omni_nn_vk_winograd_transform_weights (
    const gfloat *w, guint in_c, guint out_c, guint m, gfloat *u);

G_END_DECLS

#endif /* __OMNI_NN_VK_OP_H__ */
