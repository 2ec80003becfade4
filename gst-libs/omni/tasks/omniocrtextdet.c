/* gst-omni: text regions of an image with PaddleOCR's DB text detector
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The image is stretched to the model's input (or letterboxed, as the
 * sidecar says; bilinear, pixel centres aligned), normalised as PaddleOCR's NormalizeImage does ((v / 255 -
 * mean) / std per channel, ImageNet's mean and std: what the sidecar's
 * "normalize" records), run through an #OmniNnSession, and its probability
 * map decoded by omni_ocr_db_decode() into boxes in the image's pixels.
 * The model is loaded with its sidecar's ONNX bindings (the dynamic input
 * dimensions), which #OmniNnSession does not pass for image models, and
 * run on one backend state of its own.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniocrtextdet.h"

#include <math.h>
#include <omni/nn/omninncpu.h>
#include <omni/nn/omninnmodelinfo.h>
#include <omni/nn/omninnonnx.h>
#if HAVE_VULKAN
#include <omni/nn/vulkan/omninnvulkan.h>
#endif

struct _OmniOcrTextDet {
  OmniNnOnnxModel *model;
  const OmniNnBackend *backend;
  gpointer state;
  gfloat **outputs;
  guint n_outputs;
  gint output;
  guint w, h;
  gboolean letterbox;
};

#if HAVE_ONNX
/* Prepares @det's graph on Vulkan (unless @choice is CPU; AUTO falls back
 * to the CPU reference when there is no Vulkan device), else the CPU. */
static gboolean
prepare (OmniOcrTextDet *det, OmniNnBackendChoice choice, const gchar *device,
    GError **error)
{
  GError *err = NULL;

  if (choice != OMNI_NN_BACKEND_CPU) {
#if HAVE_VULKAN
    det->backend = omni_nn_vulkan_backend ();
    det->state = det->backend->prepare (det->model->graph, device, &err);
#else
    g_set_error (&err, OMNI_NN_ERROR, OMNI_NN_ERROR_DEVICE,
        "this build of gst-omni has no Vulkan");
#endif
    if (!det->state) {
      if (choice == OMNI_NN_BACKEND_VULKAN
          || err->code != OMNI_NN_ERROR_DEVICE) {
        g_propagate_error (error, err);
        return FALSE;
      }
      g_clear_error (&err);
    }
  }
  if (!det->state) {
    det->backend = omni_nn_cpu_backend ();
    det->state = det->backend->prepare (det->model->graph, NULL, error);
  }
  return det->state != NULL;
}

/* Output buffers, and which output is the probability map. */
static void
setup_outputs (OmniOcrTextDet *det)
{
  const OmniNnGraph *g = det->model->graph;
  guint i;

  det->n_outputs = g->outputs->len;
  det->outputs = g_new0 (gfloat *, MAX (det->n_outputs, 1));
  for (i = 0; i < det->n_outputs; i++)
    det->outputs[i] = g_new0 (
        gfloat, omni_nn_graph_tensor (g, omni_nn_graph_output (g, i)->tensor)
                    ->n_elements);
  det->output = omni_nn_graph_find_output (g, "sigmoid_0.tmp_0");
  if (det->output < 0)
    det->output = 0;
}

#endif

/**
 * omni_ocr_text_det_new:
 * @model: a text detector: a name as #OMNI_OCR_TEXT_DET_MODEL (looked up as
 *   omni_nn_onnx_resolve() does), a directory or a model.onnx, checked
 *   against its SHA256SUMS; its sidecar's size and ONNX bindings are used;
 *   its input an RGB image [1, 3, H, W], its first output (or the one named
 *   "sigmoid_0.tmp_0") the [1, 1, H, W] text probability map
 * @choice: where it runs
 * @device: (nullable): Vulkan device selector
 * @error: return location for an #OmniNnError
 *
 * Returns: (transfer full): the detector, or %NULL with the loader's or
 *   backend's error (NOT_FOUND when the model is not installed: run
 *   tools/omni-fetch-models)
 */
OmniOcrTextDet *
omni_ocr_text_det_new (const gchar *model, OmniNnBackendChoice choice,
    const gchar *device, GError **error)
{
#if !HAVE_ONNX
  g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
      "%s: this build of gst-omni has no ONNX loader (libprotobuf-c-dev, "
      "protobuf-c-compiler)",
      model);
  return NULL;
#else
  gchar *path = omni_nn_onnx_resolve (model, error), **bindings = NULL;
  OmniNnModelInfo *info = NULL;
  OmniOcrTextDet *det = g_new0 (OmniOcrTextDet, 1);
  gboolean ok = FALSE;

  if (!path || !omni_nn_onnx_verify (path, FALSE, NULL, NULL, error))
    goto done;
  info = omni_nn_model_info_find (path, error);
  if (error && *error)
    goto done;
  det->w = info && info->width ? info->width : 640;
  det->h = info && info->height ? info->height : 640;
  det->letterbox = info && info->resize == OMNI_NN_RESIZE_LETTERBOX;
  bindings = omni_nn_onnx_sidecar_bindings (path);
  det->model = omni_nn_onnx_load_image (
      path, (const gchar *const *) bindings, det->w, det->h, 3, error);
  if (!det->model || !prepare (det, choice, device, error))
    goto done;
  setup_outputs (det);
  ok = omni_nn_graph_tensor (det->model->graph,
           omni_nn_graph_output (det->model->graph, det->output)->tensor)
           ->n_elements
       == (gsize) det->w * det->h;
  if (!ok)
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE,
        "%s is not a text detector: its output is not a %ux%u map", path,
        det->w, det->h);
done:
  omni_nn_model_info_free (info);
  g_strfreev (bindings);
  g_free (path);
  if (!ok)
    g_clear_pointer (&det, omni_ocr_text_det_free);
  return det;
#endif
}

void
omni_ocr_text_det_free (OmniOcrTextDet *det)
{
  guint i;

  if (!det)
    return;
  if (det->state)
    det->backend->free (det->state);
  for (i = 0; i < det->n_outputs; i++)
    g_free (det->outputs[i]);
  g_free (det->outputs);
#if HAVE_ONNX
  omni_nn_onnx_model_free (det->model);
#endif
  g_free (det);
}

/**
 * omni_ocr_text_det_get_backend_name:
 * @det: a detector
 *
 * Returns: where it runs: "vulkan" or "cpu"
 */
const gchar *
omni_ocr_text_det_get_backend_name (OmniOcrTextDet *det)
{
  return det->backend->name;
}

/* bilinear sample of channel @c at (@fx, @fy), clamped to the image */
static gfloat
sample (const OmniOcrImage *im, gdouble fx, gdouble fy, gint c)
{
  gint x0, y0, x1, y1;
  gdouble ax, ay;
  const guint8 *r0, *r1;
  gint ch = im->channels == 3 ? c : 0;

  fx = CLAMP (fx, 0, im->width - 1);
  fy = CLAMP (fy, 0, im->height - 1);
  x0 = (gint) fx;
  y0 = (gint) fy;
  x1 = MIN (x0 + 1, im->width - 1);
  y1 = MIN (y0 + 1, im->height - 1);
  ax = fx - x0;
  ay = fy - y0;
  r0 = im->data + (gsize) y0 * im->stride;
  r1 = im->data + (gsize) y1 * im->stride;
  return (gfloat) ((1 - ay)
                       * ((1 - ax) * r0[x0 * im->channels + ch]
                           + ax * r0[x1 * im->channels + ch])
                   + ay
                         * ((1 - ax) * r1[x0 * im->channels + ch]
                             + ax * r1[x1 * im->channels + ch]));
}

/* Where @image lands in the model input: the sidecar's stretch (the
 * default) or letterbox (one scale, centred, the rest black). */
static OmniOcrDbMapping
placement (OmniOcrTextDet *det, const OmniOcrImage *image)
{
  OmniOcrDbMapping m = { 0, 0, (gdouble) det->w / image->width,
    (gdouble) det->h / image->height, 0, 0, image->width, image->height };

  if (det->letterbox) {
    gdouble s = MIN (m.scale_x, m.scale_y);
    guint cw = CLAMP ((guint) lround (image->width * s), 1, det->w);
    guint ch = CLAMP ((guint) lround (image->height * s), 1, det->h);

    m.pad_x = (det->w - cw) / 2;
    m.pad_y = (det->h - ch) / 2;
    m.scale_x = (gdouble) cw / image->width;
    m.scale_y = (gdouble) ch / image->height;
  }
  return m;
}

/**
 * omni_ocr_text_det_make_input:
 * @det: a detector
 * @image: an RGB or grey image
 *
 * Returns: (transfer full): the model's input tensor [H, W, 3] for @image:
 *   stretched to the input size (or letterboxed, black round it, when the
 *   sidecar's input.resize says so; bilinear, pixel centres aligned:
 *   source coordinate (d + 0.5) / scale - 0.5), (v / 255 - mean) / std
 *   with mean 0.485, 0.456, 0.406 and std 0.229, 0.224, 0.225 (R, G, B)
 */
gfloat *
omni_ocr_text_det_make_input (OmniOcrTextDet *det, const OmniOcrImage *image)
{
  static const gfloat mean[3] = { 0.485f, 0.456f, 0.406f };
  static const gfloat std[3] = { 0.229f, 0.224f, 0.225f };
  OmniOcrDbMapping m = placement (det, image);
  gfloat *t = g_new (gfloat, (gsize) det->w * det->h * 3);
  guint x, y;
  gint c;

  for (y = 0; y < det->h; y++)
    for (x = 0; x < det->w; x++) {
      gfloat *d = t + ((gsize) y * det->w + x) * 3;
      gdouble fx = (x - m.pad_x + 0.5) / m.scale_x - 0.5;
      gdouble fy = (y - m.pad_y + 0.5) / m.scale_y - 0.5;
      gboolean pad = fx < -0.5 || fy < -0.5 || fx > image->width - 0.5
                     || fy > image->height - 0.5;

      for (c = 0; c < 3; c++)
        d[c] = ((pad ? 0.0f : sample (image, fx, fy, c)) / 255.0f - mean[c])
               / std[c];
    }
  return t;
}

/**
 * omni_ocr_text_det_find:
 * @det: a detector
 * @image: an RGB or grey image
 * @params: the DB post-processing settings (omni_ocr_db_params_init())
 * @error: return location for an #OmniNnError
 *
 * Runs the detector on @image and decodes its probability map. One
 * thread at a time.
 *
 * Returns: (transfer full) (element-type OmniOcrDbRect) (nullable): the
 *   text boxes in @image's pixels, or %NULL with @error set
 */
GArray *
omni_ocr_text_det_find (OmniOcrTextDet *det, const OmniOcrImage *image,
    const OmniOcrDbParams *params, GError **error)
{
  OmniNnInput in = { 0 };
  OmniOcrDbMapping m = placement (det, image);
  gfloat *tensor = omni_ocr_text_det_make_input (det, image);
  gboolean ok;

  in.tensor = tensor;
  ok = det->backend->run (det->state, &in, det->outputs, error);
  g_free (tensor);
  if (!ok)
    return NULL;
  return omni_ocr_db_decode (
      det->outputs[det->output], det->w, det->h, params, &m);
}
