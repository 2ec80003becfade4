/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_RESULTS_META_H__
#define __OMNI_RESULTS_META_H__

#include <omni/omni-prelude.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * OmniResultType:
 * @OMNI_RESULT_TYPE_ANY: any type (iteration filter only; no entry has it)
 * @OMNI_RESULT_TYPE_CLASS: classes of a model (#OmniResultClass)
 * @OMNI_RESULT_TYPE_BOX: a box in pixels (#OmniResultBox)
 * @OMNI_RESULT_TYPE_KEYPOINTS: named points (#OmniResultKeypoints)
 * @OMNI_RESULT_TYPE_TEXT: a string read or recognised (#OmniResultText)
 * @OMNI_RESULT_TYPE_TENSOR: a dense tensor (#OmniResultTensor)
 *
 * The type of an entry of an #OmniResultsMeta; its JSON nick ("class",
 * "box", "keypoints", "text", "tensor") is the entry's "kind".
 */
typedef enum {
  OMNI_RESULT_TYPE_ANY = 0,
  OMNI_RESULT_TYPE_CLASS = 1,
  OMNI_RESULT_TYPE_BOX = 2,
  OMNI_RESULT_TYPE_KEYPOINTS = 3,
  OMNI_RESULT_TYPE_TEXT = 4,
  OMNI_RESULT_TYPE_TENSOR = 5,
} OmniResultType;

#define OMNI_TYPE_RESULT_TYPE (omni_result_type_get_type ())
OMNI_API GType omni_result_type_get_type (void);

/**
 * OmniRelation:
 * @OMNI_RELATION_NONE: no relation
 * @OMNI_RELATION_CONTAINS: the first entry contains the second (a box
 *   contains the class, keypoints or text found inside it)
 * @OMNI_RELATION_IS_PART_OF: the first entry is part of the second (a face
 *   box is part of a person box)
 * @OMNI_RELATION_RELATES_TO: any other relation
 * @OMNI_RELATION_ANY: any relation (a mask for queries)
 *
 * Directed relations between two entries, as flags: a pair may have
 * several. Relations are stored as given; "A contains B" does not add
 * "B is part of A".
 */
typedef enum {
  OMNI_RELATION_NONE = 0,
  OMNI_RELATION_CONTAINS = (1 << 0),
  OMNI_RELATION_IS_PART_OF = (1 << 1),
  OMNI_RELATION_RELATES_TO = (1 << 2),
  OMNI_RELATION_ANY = 0x7,
} OmniRelation;

#define OMNI_TYPE_RELATION (omni_relation_get_type ())
OMNI_API GType omni_relation_get_type (void);

/**
 * OmniResult:
 * @id: the entry's id, its index in the meta (0, 1, 2, ...)
 * @type: the entry's type
 * @confidence: confidence of the result, 0..1, or NaN when the producer
 *   gave none (JSON: null)
 *
 * The part common to every entry; each typed entry struct starts with it.
 */
typedef struct {
  guint id;
  OmniResultType type;
  gfloat confidence;
} OmniResult;

/**
 * OMNI_RESULT_ID_INVALID:
 *
 * Returned by the adders on invalid arguments (no entry has this id).
 */
#define OMNI_RESULT_ID_INVALID G_MAXUINT

/**
 * OmniResultsMeta:
 * @meta: parent #GstMeta
 *
 * The typed results of a buffer (boxes, classes of a box, keypoints, text
 * lines, tensors) and the relations between them, modelled on GStreamer
 * 1.24's GstAnalyticsRelationMeta. A buffer carries at most one: use
 * omni_buffer_add_results_meta(), which returns the existing one. The
 * entries are read through the functions below.
 */
typedef struct {
  GstMeta meta;

  /*< private >*/
  GPtrArray *results;
  GArray *relations;
  gpointer _padding[4];
} OmniResultsMeta;

#define OMNI_RESULTS_META_API_TYPE (omni_results_meta_api_get_type ())
#define OMNI_RESULTS_META_INFO (omni_results_meta_get_info ())

OMNI_API GType omni_results_meta_api_get_type (void);
OMNI_API const GstMetaInfo *omni_results_meta_get_info (void);

OMNI_API OmniResultsMeta *omni_buffer_get_results_meta (GstBuffer *buffer);

/* C callers get the lookup inlined; bindings call the function above. */
#ifndef __GI_SCANNER__
#define omni_buffer_get_results_meta(b)                                        \
  ((OmniResultsMeta *) gst_buffer_get_meta ((b), OMNI_RESULTS_META_API_TYPE))
#endif

OMNI_API OmniResultsMeta *omni_buffer_add_results_meta (GstBuffer *buffer);

OMNI_API guint omni_results_meta_get_n_results (const OmniResultsMeta *meta);
OMNI_API const OmniResult *omni_results_meta_get (
    const OmniResultsMeta *meta, guint id);
OMNI_API const OmniResult *omni_results_meta_iterate (
    const OmniResultsMeta *meta, guint *state, OmniResultType type);

OMNI_API gboolean omni_results_meta_relate (
    OmniResultsMeta *meta, guint from, guint to, OmniRelation relation);
OMNI_API OmniRelation omni_results_meta_get_relation (
    const OmniResultsMeta *meta, guint from, guint to);
OMNI_API const OmniResult *omni_results_meta_iterate_related (
    const OmniResultsMeta *meta, guint id, OmniRelation relation,
    OmniResultType type, guint *state);

OMNI_API JsonNode *omni_results_meta_to_json (const OmniResultsMeta *meta);
OMNI_API OmniResultsMeta *omni_buffer_add_results_meta_from_json (
    GstBuffer *buffer, JsonObject *object, GError **error);
OMNI_API gboolean omni_results_meta_equal (
    const OmniResultsMeta *a, const OmniResultsMeta *b);

OMNI_API OmniResultsMeta *omni_results_meta_add_from_rois (GstBuffer *buffer);

G_END_DECLS

#include <omni/meta/omniresultsclass.h>
#include <omni/meta/omniresultsbox.h>
#include <omni/meta/omniresultskeypoints.h>
#include <omni/meta/omniresultstext.h>
#include <omni/meta/omniresultstensor.h>

#endif /* __OMNI_RESULTS_META_H__ */
