/* gst-omni: ONNX loader internals, shared by its files
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The loader is split by concern: omninnonnxproto.c reads the protobuf
 * (attributes, tensors, initializers), omninnonnxfold.c folds constants and
 * shapes and resolves If, omninnonnxemit.c builds the IR (values, views,
 * NCHW <-> NHWC layout), one omninnonnxops*.c per op family imports ONNX
 * ops (each ends in a table, one line per op), omninnonnxerror.c reports
 * errors and omninnonnx.c walks the graph and holds the public API.
 * Nothing here is installed or exported (the library builds with
 * -fvisibility=hidden).
 */
#ifndef __OMNI_NN_ONNX_PRIVATE_H__
#define __OMNI_NN_ONNX_PRIVATE_H__

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnonnx.h"
#include "omninnop.h"
#include "omninnmodelinfo.h"
#include "omninnverify.h"

#include <math.h>
#include <string.h>

#include "onnx.pb-c.h"

#define MAX_RANK OMNI_NN_ONNX_MAX_RANK
#define OPSET_MIN 1
#define OPSET_MAX 17

#define DT_FLOAT ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT
#define DT_INT64 ONNX__TENSOR_PROTO__DATA_TYPE__INT64
#define DT_BOOL ONNX__TENSOR_PROTO__DATA_TYPE__BOOL

/* A value: a constant (@data, double precision, in ONNX's row-major
 * order) or an activation (IR tensor @tensor, same order). @dims are
 * ONNX's, batch included. */
typedef struct {
  guint rank;
  gint64 dims[MAX_RANK];
  gsize n;
  gboolean is_const;
  gdouble *data;
  gint dtype;
  guint tensor;
  /* an activation [1, C, H, W] (or [1, C, W]) that is a transpose of an
   * IR tensor [H, W, C]: that tensor's id + 1 (0: none), so convolutions
   * and activations chain in NHWC */
  guint nhwc;
  /* an activation that reads, without padding, IR tensor @vsrc (of
   * @vsrc_n elements): element c = vsrc[voff + sum of c[a] * vstride[a]];
   * a strided copy of it composes into one copy of @vsrc */
  gboolean is_view;
  guint vsrc;
  gsize vsrc_n;
  gint64 voff;
  gint64 vstride[MAX_RANK];
} Val;

typedef struct {
  OmniNnGraph *g;
  GHashTable *vals;     /* name -> Val* */
  GPtrArray *owned;     /* constant data */
  GHashTable *bindings; /* name -> value string */
  const OmniNnOnnxConstant *constants;
  guint n_constants;
  guint image_w, image_h, image_c; /* the input is an NHWC frame */
  gint64 opset;
  const Onnx__NodeProto *node; /* being converted, for messages */
  guint anon;
  GError **error;
} Loader;

/* One dimension of a strided view: output size, and where it reads. */
typedef struct {
  gint64 size;  /* output size */
  gint axis;    /* input axis read, -1: none (broadcast) */
  gint64 start; /* input coordinate of output 0 */
  gint64 step;  /* input coordinate step */
} ViewDim;

/* An importer: converts node @n, putting its outputs into l->vals. */
typedef gboolean (*OmniNnOnnxImportFunc) (Loader *l, const Onnx__NodeProto *n);

typedef struct {
  const gchar *op;
  OmniNnOnnxImportFunc fn;
} OmniNnOnnxImporter;

/* One table per op family, each ending with { NULL, NULL }. */
extern const OmniNnOnnxImporter omni_nn_onnx_fold_importers[];
extern const OmniNnOnnxImporter omni_nn_onnx_elementwise_importers[];
extern const OmniNnOnnxImporter omni_nn_onnx_shape_importers[];
extern const OmniNnOnnxImporter omni_nn_onnx_conv_importers[];
extern const OmniNnOnnxImporter omni_nn_onnx_dense_importers[];
extern const OmniNnOnnxImporter omni_nn_onnx_lstm_importers[];

#define UNSUPPORTED(l, ...)                                                    \
  onnx_fail ((l), OMNI_NN_ERROR_UNSUPPORTED, __VA_ARGS__)

typedef gdouble (*Fold2) (gdouble a, gdouble b);

/* ---- errors (omninnonnxerror.c) */
const gchar *onnx_node_name (const Onnx__NodeProto *n);
gboolean onnx_fail (Loader *l, OmniNnError code, const gchar *fmt, ...)
    G_GNUC_PRINTF (3, 4);
void onnx_trace_node (Loader *l, const Onnx__NodeProto *n);

/* ---- protobuf reading (omninnonnxproto.c) */
const Onnx__AttributeProto *onnx_attr (
    const Onnx__NodeProto *n, const gchar *name);
gint64 onnx_attr_i (const Onnx__NodeProto *n, const gchar *name, gint64 def);
gfloat onnx_attr_f (const Onnx__NodeProto *n, const gchar *name, gfloat def);
const gchar *onnx_attr_s (const Onnx__NodeProto *n, const gchar *name,
    const gchar *def, gchar *buf, gsize size);
gint onnx_attr_ints (
    const Onnx__NodeProto *n, const gchar *name, gint64 *out, guint max);
Val *onnx_const_from_tensor (Loader *l, const Onnx__TensorProto *t);
Onnx__ModelProto *onnx_read_model (const gchar *path, GError **error);

/* ---- values, IR building, layout (omninnonnxemit.c) */
gsize onnx_count (guint rank, const gint64 *dims);
Val *onnx_val_const (
    Loader *l, guint rank, const gint64 *dims, gdouble *owned, gint dt);
void onnx_set_val (Loader *l, const gchar *name, Val *v);
Val *onnx_in_val (Loader *l, const Onnx__NodeProto *n, guint i);
gchar *onnx_shape_str (guint rank, const gint64 *dims);
void onnx_strides_of (guint rank, const gint64 *dims, gint64 *st);
Val *onnx_emit (Loader *l, OmniNnOpType op, const OmniNnOpParams *p,
    const guint *ins, guint n_ins, guint w, guint b, guint rank,
    const gint64 *dims);
guint onnx_weight_tensor (
    Loader *l, const gdouble *data, gsize n, guint rank, const guint *dims);
guint onnx_weight_flat (Loader *l, const gdouble *data, gsize n);
Val *onnx_emit_view (Loader *l, const Val *in, guint rank, const ViewDim *vd,
    OmniNnPadMode mode, gfloat value);
Val *onnx_emit_transpose (Loader *l, const Val *in, const gint64 *perm);
Val *onnx_emit_reshape (
    Loader *l, const Val *in, guint rank, const gint64 *dims);
Val *onnx_materialize (Loader *l, const Val *c);
gboolean onnx_broadcast_shape (
    const Val *a, const Val *b, guint *rank, gint64 *dims);
gsize onnx_bcast_index (const Val *v, guint rank, const gint64 *dims, gsize i);
gboolean onnx_norm_axis (gint64 *axis, guint rank);
gboolean onnx_put (Loader *l, const Onnx__NodeProto *n, guint i, Val *v);
Val *onnx_alias (const Val *in);
gboolean onnx_nhwc_twin (Loader *l, const Val *x, Val *tw);
Val *onnx_to_nhwc (Loader *l, const Val *x, guint *h, guint *w, guint *c);
Val *onnx_from_nhwc (
    Loader *l, Val *y, guint h, guint w, guint c, gboolean one_d);

/* ---- constant folding (omninnonnxfold.c) */
gdouble onnx_f_add (gdouble a, gdouble b);
gdouble onnx_f_sub (gdouble a, gdouble b);
gdouble onnx_f_mul (gdouble a, gdouble b);
gdouble onnx_f_pow (gdouble a, gdouble b);
gdouble onnx_f_max (gdouble a, gdouble b);
gdouble onnx_f_min (gdouble a, gdouble b);
gdouble onnx_f_div (gdouble a, gdouble b);
Val *onnx_fold_binary (
    Loader *l, const Val *a, const Val *b, Fold2 f, gint out_dt);
Val *onnx_view (Loader *l, const Val *in, guint rank, const ViewDim *vd);
Val *onnx_reshaped (Loader *l, const Val *in, guint rank, const gint64 *dims);
gboolean onnx_const_ints (Loader *l, const Val *v, const gchar *what,
    gint64 *out, guint max, guint *n);

/* ---- element-wise importers (omninnonnxopselementwise.c) */
Val *onnx_binary (Loader *l, const Val *a, const Val *b, OmniNnBinaryKind kind);
Val *onnx_binary_any_layout (
    Loader *l, const Val *a, const Val *b, OmniNnBinaryKind kind);

/* ---- shape importers (omninnonnxopsshape.c) */
gboolean onnx_axes_of (Loader *l, const Onnx__NodeProto *n, guint input,
    gint64 *axes, guint *n_axes);
Val *onnx_concat2 (Loader *l, const Val *a, const Val *b, guint axis);
Val *onnx_slice (Loader *l, const Val *x, const gint64 *starts,
    const gint64 *ends, const gint64 *axes, const gint64 *steps, guint k);

/* ---- convolution importers (omninnonnxopsconv.c) */
Val *onnx_reduce_range (Loader *l, const Val *x, guint first, guint last,
    OmniNnReduceKind kind, guint rank, const gint64 *dims);

/* ---- the graph walk (omninnonnx.c) */
gboolean onnx_convert_graph (Loader *l, const Onnx__GraphProto *g);
OmniNnOnnxModel *onnx_load (const gchar *path, const gchar *const *bindings,
    const OmniNnOnnxConstant *constants, guint n_constants, const guint *image,
    GError **error);

#endif /* __OMNI_NN_ONNX_PRIVATE_H__ */
