/* gst-omni: helpers shared by the op descriptors (not installed)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_OP_PRIVATE_H__
#define __OMNI_NN_OP_PRIVATE_H__

#include <omni/nn/omninnop.h>

G_BEGIN_DECLS

/* [d0, d1, ...] as a string, for messages (g_free it). */
G_GNUC_INTERNAL gchar *omni_nn_shape_string (const OmniNnTensor *t);

/* An activation of @h x @w x @c: [h, w, c], or a tensor of another rank
 * (a flattened view, as after Flatten or Reshape) with that many elements. */
G_GNUC_INTERNAL gboolean omni_nn_activation_is (
    const OmniNnTensor *t, guint h, guint w, guint c);

/* Whether constant tensor @id exists and holds @n values (%OMNI_NN_NO_TENSOR
 * is accepted when @optional). */
G_GNUC_INTERNAL gboolean omni_nn_const_size_is (
    const OmniNnGraph *g, guint id, gsize n, gboolean optional);

/* Sets %OMNI_NN_ERROR_SHAPE: "node 'x' (op): @what does not fit ...";
 * returns %FALSE. */
G_GNUC_INTERNAL gboolean omni_nn_shape_fail (const OmniNnNode *n,
    const OmniNnTensor *t, const gchar *what, GError **error);

/* The node's first input tensor. */
#define omni_nn_node_input(g, n, i) omni_nn_graph_tensor ((g), (n)->inputs[(i)])

/* Sets a shape of up to 4 dimensions; returns TRUE. */
G_GNUC_INTERNAL gboolean omni_nn_set_shape (guint *n_dims,
    guint dims[OMNI_NN_MAX_DIMS], guint n, guint d0, guint d1, guint d2,
    guint d3);

/* The descriptors, one per file in ops/, registered in omninnopregistry.c. */
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_preprocess;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_conv2d;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_depthwise_conv2d;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_pointwise_conv2d;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_dense;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_pad;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_add;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_activation;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_global_avg_pool;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_softmax;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_batch_norm;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_pool2d;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_binary;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_binary_const;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_reshape;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_concat;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_slice;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_resize;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_hard_swish;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_strided;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_unary;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_reduce;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_lstm;
extern G_GNUC_INTERNAL const OmniNnOpInfo omni_nn_op_conv_transpose;

G_END_DECLS

#endif /* __OMNI_NN_OP_PRIVATE_H__ */
