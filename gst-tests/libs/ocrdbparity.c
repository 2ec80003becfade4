/* gst-omni: the DB post-processing (tasks/omniocrdb) against the reference
 * decoder, @gutenye/ocr-common's splitIntoLineImages (OpenCV.js and
 * js-clipper), on PaddleOCR v4 det's probability maps of real photographs
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Needs paddleocr-det (tools/omni-fetch-models) and the Node.js packages.
 * Photos from Debian packages: scikit-image's page.png (a photographed book
 * page) and text.png (handwritten formulae photographed at an angle),
 * leptonica's dave-orig.png (a scanned pencil drawing with a signature),
 * and mate-backgrounds' Storm.jpg with a caption drawn over it. Each is
 * stretched to 640x640 and normalised as PaddleOCR does; onnxruntime-node
 * gives the probability map; both decoders read the same map, binarised at
 * 0.3 (PaddleOCR's thresh) and at 0.03 (what @gutenye/ocr-common's
 * Detection passes), and map the boxes back to the photo's size. Ours runs
 * with box_thresh 0 (the reference has no box score): the same number of
 * boxes, each matched to one of the reference's with IoU >= 0.99. The
 * same on synthetic maps of random rotated blobs and rectangles.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <omni/nn/omninnonnx.h>
#include <omni/tasks/omniocrdb.h>
#include <math.h>
#include <string.h>

#define S 640
#define MIN_IOU 0.99

typedef struct {
  const gchar *path;
  gint w, h;
  const gchar *caption;
} Photo;

static const Photo photos[] = {
  { "/usr/lib/python3/dist-packages/skimage/data/page.png", 384, 191, NULL },
  { "/usr/lib/python3/dist-packages/skimage/data/text.png", 448, 172, NULL },
  { "/usr/share/doc/libleptonica-dev/dave-orig.png", 615, 1029, NULL },
  { "/usr/share/backgrounds/mate/nature/Storm.jpg", 1920, 1280,
      "Storm warning: stay indoors" },
};

static gchar *
source_path (const gchar *rel)
{
  const gchar *root = g_getenv ("OMNI_SOURCE_ROOT");

  return g_build_filename (root ? root : "..", rel, NULL);
}

static void
spawn (const gchar *const *argv, gchar **out)
{
  gchar *err = NULL;
  gint status = -1;

  fail_unless (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH,
      NULL, NULL, out, &err, &status, NULL));
  fail_unless (
      g_spawn_check_wait_status (status, NULL), "%s: %s", argv[0], err);
  g_free (err);
}

/* the photo stretched to 640x640, as PaddleOCR's normalised NCHW tensor */
static void
make_input (const Photo *ph, const gchar *f32)
{
  static const gfloat mean[3] = { 0.485f, 0.456f, 0.406f };
  static const gfloat std[3] = { 0.229f, 0.224f, 0.225f };
  gchar *rgb = g_strdup_printf ("%s.rgb", f32), *loc, *src, *text, *bytes;
  gsize len = 0, i;
  gfloat *x = g_new (gfloat, 3 * S * S);
  guint c;
  const gchar *argv[]
      = { "gst-launch-1.0", "-q", "filesrc", NULL, "!", "decodebin", "!",
          "videoconvert", "!", "textoverlay", NULL, "font-desc=Sans Bold 60",
          "valignment=center", "halignment=center", "!", "videoconvert", "!",
          "videoscale", "!", "video/x-raw,width=640,height=640,format=RGB", "!",
          "filesink", NULL, NULL };

  src = g_strdup_printf ("location=%s", ph->path);
  text = g_strdup_printf ("text=%s", ph->caption ? ph->caption : "");
  loc = g_strdup_printf ("location=%s", rgb);
  argv[3] = src;
  argv[10] = text;
  argv[22] = loc;
  spawn (argv, NULL);
  fail_unless (g_file_get_contents (rgb, &bytes, &len, NULL));
  fail_unless_equals_int (len, 3 * S * S);
  for (c = 0; c < 3; c++)
    for (i = 0; i < S * S; i++)
      x[c * S * S + i]
          = ((guint8) bytes[i * 3 + c] / 255.0f - mean[c]) / std[c];
  fail_unless (g_file_set_contents (f32, (gchar *) x, 3 * S * S * 4, NULL));
  g_unlink (rgb);
  g_free (rgb);
  g_free (loc);
  g_free (src);
  g_free (text);
  g_free (bytes);
  g_free (x);
}

static JsonNode *
run_json (const gchar *const *argv, JsonParser **p)
{
  gchar *out = NULL;

  spawn (argv, &out);
  *p = json_parser_new ();
  fail_unless (json_parser_load_from_data (*p, out, -1, NULL));
  g_free (out);
  return json_parser_get_root (*p);
}

/* onnxruntime-node's probability map of the tensor in @f32 */
static gfloat *
probability_map (const gchar *model, const gchar *f32)
{
  gchar *script = source_path ("gst-tests/data/onnx-reference.js");
  const gchar *argv[]
      = { "node", script, model, "x", f32, "1,3,640,640", NULL };
  JsonParser *p;
  JsonArray *a;
  gfloat *v = g_new (gfloat, S * S);
  guint i;

  a = json_object_get_array_member (
      json_object_get_object_member (
          json_node_get_object (run_json (argv, &p)), "sigmoid_0.tmp_0"),
      "values");
  fail_unless_equals_int (json_array_get_length (a), S * S);
  for (i = 0; i < S * S; i++)
    v[i] = (gfloat) json_array_get_double_element (a, i);
  g_object_unref (p);
  g_free (script);
  return v;
}

/* the reference decoder's boxes of a @map_w x @map_h map, in the photo's
 * pixels */
static GArray *
reference_boxes (const gchar *map_path, gdouble thresh, const Photo *ph,
    guint map_w, guint map_h)
{
  gchar *script = source_path ("gst-tests/data/ocrdb-reference.mjs");
  gchar t[32], w[16], h[16], mw[16], mh[16];
  const gchar *argv[] = { "node", script, map_path, mw, mh, t, w, h, NULL };
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (OmniOcrDbRect));
  JsonParser *p;
  JsonArray *a;
  guint i, k;

  g_snprintf (mw, sizeof (mw), "%u", map_w);
  g_snprintf (mh, sizeof (mh), "%u", map_h);
  g_ascii_dtostr (t, sizeof (t), thresh);
  g_snprintf (w, sizeof (w), "%d", ph->w);
  g_snprintf (h, sizeof (h), "%d", ph->h);
  a = json_object_get_array_member (
      json_node_get_object (run_json (argv, &p)), "boxes");
  for (i = 0; i < json_array_get_length (a); i++) {
    JsonArray *q = json_array_get_array_element (a, i);
    OmniOcrDbRect r = { 0 };

    fail_unless_equals_int (json_array_get_length (q), 4);
    for (k = 0; k < 4; k++) {
      JsonArray *pt = json_array_get_array_element (q, k);

      r.p[k].x = json_array_get_double_element (pt, 0);
      r.p[k].y = json_array_get_double_element (pt, 1);
    }
    g_array_append_val (boxes, r);
  }
  g_object_unref (p);
  g_free (script);
  return boxes;
}

static gdouble
poly_area (const OmniOcrDbPoint *p, guint n)
{
  gdouble a = 0;
  guint i;

  for (i = 0; i < n; i++)
    a += p[i].x * p[(i + 1) % n].y - p[(i + 1) % n].x * p[i].y;
  return fabs (a) / 2;
}

static gdouble
side (const OmniOcrDbPoint *a, const OmniOcrDbPoint *b, const OmniOcrDbPoint *p,
    gdouble sign)
{
  return sign * ((b->x - a->x) * (p->y - a->y) - (b->y - a->y) * (p->x - a->x));
}

/* area of the intersection of two convex quadrilaterals (Sutherland and
 * Hodgman's clipping of @a by each edge of @b) */
static gdouble
intersection (const OmniOcrDbPoint *a, const OmniOcrDbPoint *b)
{
  OmniOcrDbPoint buf[2][16];
  guint n = 4, e, i;
  gdouble sign = 0;

  for (i = 0; i < 4; i++)
    sign += b[i].x * b[(i + 1) & 3].y - b[(i + 1) & 3].x * b[i].y;
  sign = sign >= 0 ? 1 : -1;
  memcpy (buf[0], a, 4 * sizeof (*a));
  for (e = 0; e < 4 && n > 0; e++) {
    OmniOcrDbPoint *in = buf[e & 1], *out = buf[(e + 1) & 1];
    const OmniOcrDbPoint *p0 = &b[e], *p1 = &b[(e + 1) & 3];
    guint m = 0;

    for (i = 0; i < n; i++) {
      const OmniOcrDbPoint *c = &in[i], *d = &in[(i + 1) % n];
      gdouble sc = side (p0, p1, c, sign), sd = side (p0, p1, d, sign);

      if (sc >= 0)
        out[m++] = *c;
      if ((sc >= 0) != (sd >= 0)) {
        gdouble t = sc / (sc - sd);

        out[m].x = c->x + t * (d->x - c->x);
        out[m++].y = c->y + t * (d->y - c->y);
      }
    }
    n = m;
  }
  return n >= 3 ? poly_area (buf[e & 1], n) : 0;
}

static gdouble
quad_iou (const OmniOcrDbPoint *a, const OmniOcrDbPoint *b)
{
  gdouble i = intersection (a, b), u = poly_area (a, 4) + poly_area (b, 4) - i;

  if (u <= 0) /* two degenerate boxes: equal when their corners are */
    return fabs (a[0].x - b[0].x) + fabs (a[2].y - b[2].y) < 1e-6;
  return i / u;
}

/* every reference box matched to a distinct box of ours with IoU >= 0.99 */
static gdouble
match (GArray *ref, GArray *ours, const gchar *what)
{
  gboolean *used = g_new0 (gboolean, ours->len);
  gdouble worst = 1;
  guint i, j;

  fail_unless_equals_int (ours->len, ref->len);
  for (i = 0; i < ref->len; i++) {
    const OmniOcrDbRect *r = &g_array_index (ref, OmniOcrDbRect, i);
    gdouble best = -1;
    guint bj = 0;

    for (j = 0; j < ours->len; j++) {
      gdouble iou;

      if (used[j])
        continue;
      iou = quad_iou (r->p, g_array_index (ours, OmniOcrDbRect, j).p);
      if (iou > best) {
        best = iou;
        bj = j;
      }
    }
    fail_unless (best >= MIN_IOU,
        "%s: reference box %u (%g,%g %g,%g): best IoU %g", what, i, r->p[0].x,
        r->p[0].y, r->p[2].x, r->p[2].y, best);
    used[bj] = TRUE;
    worst = MIN (worst, best);
  }
  g_free (used);
  return worst;
}

static void
check_photo (const Photo *ph, const gchar *model)
{
  static const gdouble threshes[] = { 0.3, 0.03 };
  gchar *f32 = g_build_filename (g_get_tmp_dir (), "ocrdbparity-in.f32", NULL);
  gchar *mapf
      = g_build_filename (g_get_tmp_dir (), "ocrdbparity-map.f32", NULL);
  OmniOcrDbMapping m
      = { 0, 0, (gdouble) S / ph->w, (gdouble) S / ph->h, 0, 0, ph->w, ph->h };
  gfloat *map;
  guint t;

  make_input (ph, f32);
  map = probability_map (model, f32);
  fail_unless (g_file_set_contents (mapf, (gchar *) map, S * S * 4, NULL));
  for (t = 0; t < G_N_ELEMENTS (threshes); t++) {
    OmniOcrDbParams p;
    GArray *ref = reference_boxes (mapf, threshes[t], ph, S, S), *ours, *scored;
    gchar *what = g_strdup_printf ("%s at %g", ph->path, threshes[t]);
    gdouble worst;

    omni_ocr_db_params_init (&p);
    p.thresh = threshes[t];
    p.box_thresh = 0;
    ours = omni_ocr_db_decode (map, S, S, &p, &m);
    worst = match (ref, ours, what);
    p.box_thresh = 0.6;
    scored = omni_ocr_db_decode (map, S, S, &p, &m);
    g_print ("%s: %u boxes, reference %u, worst IoU %.4f; %u with "
             "box_thresh 0.6\n",
        what, ours->len, ref->len, worst, scored->len);
    if (t == 0) /* every photo shows text */
      fail_unless (scored->len > 0, "%s: no text found", what);
    g_array_unref (ref);
    g_array_unref (ours);
    g_array_unref (scored);
    g_free (what);
  }
  g_unlink (f32);
  g_unlink (mapf);
  g_free (map);
  g_free (f32);
  g_free (mapf);
}

/* a map of @n random rotated Gaussian blobs (elongated like text lines)
 * and rectangles, from @seed */
static gfloat *
synthetic_map (guint w, guint h, guint n, guint32 seed)
{
  GRand *r = g_rand_new_with_seed (seed);
  gfloat *m = g_new0 (gfloat, (gsize) w * h);
  guint k, x, y;

  for (k = 0; k < n; k++) {
    gdouble cx = g_rand_double_range (r, 0, w),
            cy = g_rand_double_range (r, 0, h);
    gdouble t = g_rand_double_range (r, 0, G_PI), c = cos (t), s = sin (t);
    gdouble a = g_rand_double_range (r, 3, 60),
            b = g_rand_double_range (r, 1, 12);
    gdouble v = g_rand_double_range (r, 0.35, 1);
    gboolean box = g_rand_boolean (r);

    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++) {
        gdouble u = (x - cx) * c + (y - cy) * s,
                q = -(x - cx) * s + (y - cy) * c;
        gdouble f
            = box ? (fabs (u) <= a && fabs (q) <= b ? v : 0)
                  : v * exp (-(u * u) / (2 * a * a) - (q * q) / (2 * b * b));

        m[y * w + x] = MAX (m[y * w + x], (gfloat) f);
      }
  }
  g_rand_free (r);
  return m;
}

/* the two decoders on synthetic maps: random blobs and rectangles at every
 * angle, touching, overlapping and holed, mapped to a frame twice larger
 * horizontally */
GST_START_TEST (test_synthetic)
{
  const guint w = 320, h = 240;
  gchar *mapf
      = g_build_filename (g_get_tmp_dir (), "ocrdbparity-syn.f32", NULL);
  Photo frame = { "synthetic", 2 * w, h, NULL };
  OmniOcrDbMapping m = { 0, 0, 0.5, 1, 0, 0, 2 * w, h };
  guint seed, total = 0;

  for (seed = 1; seed <= 6; seed++) {
    gfloat *map = synthetic_map (w, h, 8 * seed, seed);
    OmniOcrDbParams p;
    GArray *ref, *ours;
    gchar *what = g_strdup_printf ("synthetic map %u", seed);

    fail_unless (g_file_set_contents (mapf, (gchar *) map, w * h * 4, NULL));
    omni_ocr_db_params_init (&p);
    p.box_thresh = 0;
    ref = reference_boxes (mapf, 0.3, &frame, w, h);
    ours = omni_ocr_db_decode (map, w, h, &p, &m);
    match (ref, ours, what);
    total += ours->len;
    g_array_unref (ref);
    g_array_unref (ours);
    g_free (what);
    g_free (map);
  }
  g_print ("synthetic maps: %u boxes, all matched\n", total);
  fail_unless (total > 50);
  g_unlink (mapf);
  g_free (mapf);
}

GST_END_TEST;

GST_START_TEST (test_quad_iou)
{
  OmniOcrDbPoint a[4] = { { 0, 0 }, { 10, 0 }, { 10, 10 }, { 0, 10 } };
  OmniOcrDbPoint b[4] = { { 5, 0 }, { 15, 0 }, { 15, 10 }, { 5, 10 } };
  OmniOcrDbPoint d[4] = { { 5, -2 }, { 12, 5 }, { 5, 12 }, { -2, 5 } };

  fail_unless (fabs (quad_iou (a, a) - 1) < 1e-12);
  fail_unless (fabs (quad_iou (a, b) - 50.0 / 150) < 1e-12);
  /* a square and a smaller one turned by 45 degrees about the same
   * centre: the square less its four corners (right triangles, legs 3) */
  fail_unless (fabs (intersection (a, d) - (100 - 4 * 4.5)) < 1e-9);
  fail_unless (fabs (intersection (d, a) - (100 - 4 * 4.5)) < 1e-9);
}

GST_END_TEST;

GST_START_TEST (test_parity)
{
  GError *err = NULL;
  gchar *model = omni_nn_onnx_resolve ("paddleocr-det", &err);
  guint i;

  fail_unless (model != NULL, "%s", err ? err->message : "?");
  for (i = 0; i < G_N_ELEMENTS (photos); i++)
    check_photo (&photos[i], model);
  g_free (model);
}

GST_END_TEST;

static Suite *
ocrdbparity_suite (void)
{
  Suite *s = suite_create ("ocrdbparity");
  TCase *tc = tcase_create ("paddleocr");

  tcase_set_timeout (tc, 600);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_quad_iou);
  tcase_add_test (tc, test_synthetic);
  tcase_add_test (tc, test_parity);
  return s;
}

GST_CHECK_MAIN (ocrdbparity);
