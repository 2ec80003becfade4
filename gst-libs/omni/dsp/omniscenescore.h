/* gst-omni: shot-cut (scene change) scoring and detection on video frames
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_SCENE_SCORE_H__
#define __OMNI_SCENE_SCORE_H__

#include <omni/omni-prelude.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/**
 * OMNI_SCENE_GRID_WIDTH:
 *
 * Columns of the thumbnail grid a frame is reduced to (fewer for narrower
 * frames).
 */
#define OMNI_SCENE_GRID_WIDTH 64
/**
 * OMNI_SCENE_GRID_HEIGHT:
 *
 * Rows of the thumbnail grid a frame is reduced to (fewer for shorter
 * frames).
 */
#define OMNI_SCENE_GRID_HEIGHT 36

/**
 * OmniSceneComponent:
 * @plane: index of the plane holding the component
 * @pstride: bytes between two horizontally adjacent samples
 * @offset: byte offset of the first sample within a line of the plane
 * @wsub: log2 of the horizontal subsampling
 * @hsub: log2 of the vertical subsampling
 *
 * Where one 8-bit colour component of a raw frame lives.
 */
typedef struct {
  unsigned plane;
  int pstride;
  int offset;
  unsigned wsub, hsub;
} OmniSceneComponent;

/**
 * OmniSceneLayout:
 * @width: frame width in pixels (>= 1)
 * @height: frame height in pixels (>= 1)
 * @n_components: 1 (grey) or 3
 * @rgb: the three components are R, G, B (otherwise Y, U, V)
 * @full_range: Y/U/V use the full 0..255 range (otherwise 16..235/240)
 * @comp: the components, in the order Y, U, V or R, G, B
 *
 * Describes an 8-bit raw video format so that the scorer can read any
 * planar, semi-planar or packed layout without knowing GStreamer.
 */
typedef struct {
  int width, height;
  unsigned n_components;
  int rgb;
  int full_range;
  OmniSceneComponent comp[3];
} OmniSceneLayout;

/**
 * OmniSceneSignature:
 *
 * The reduced form of one frame (opaque): a thumbnail of cell means of
 * luma and chroma at two scales.
 */
typedef struct _OmniSceneSignature OmniSceneSignature;

/**
 * OmniSceneScorer:
 *
 * Reads frames of one #OmniSceneLayout into #OmniSceneSignature (opaque).
 */
typedef struct _OmniSceneScorer OmniSceneScorer;

/**
 * OmniSceneDiff:
 * @score: combined change score in [0,1]
 * @structure: structural change, (1 - normalised cross-correlation) of the
 *   motion-compensated luma thumbnails, weighted by their contrast, in [0,1]
 * @color: mean absolute Y+U+V difference of the motion-compensated
 *   thumbnails, in [0,1] of the full scale
 * @ncc: the best normalised cross-correlation found, in [-1,1]
 * @dx: horizontal global motion found, in thumbnail cells
 * @dy: vertical global motion found, in thumbnail cells
 *
 * The parts of a comparison of two signatures.
 */
typedef struct {
  double score;
  double structure;
  double color;
  double ncc;
  int dx, dy;
} OmniSceneDiff;

OMNI_API OmniSceneScorer *omni_scene_scorer_new (const OmniSceneLayout *layout);
OMNI_API void omni_scene_scorer_free (OmniSceneScorer *scorer);
OMNI_API void omni_scene_scorer_get_grid_size (
    const OmniSceneScorer *scorer, int *grid_width, int *grid_height);
OMNI_API OmniSceneSignature *omni_scene_signature_new (
    const OmniSceneScorer *scorer);
OMNI_API void omni_scene_signature_free (OmniSceneSignature *sig);
OMNI_API void omni_scene_scorer_compute (OmniSceneScorer *scorer,
    const uint8_t *const planes[], const int strides[],
    OmniSceneSignature *sig);
OMNI_API double omni_scene_signature_luma_mean (const OmniSceneSignature *sig);
OMNI_API double omni_scene_compare (const OmniSceneSignature *prev,
    const OmniSceneSignature *next, int coarse, OmniSceneDiff *diff);

/**
 * OmniSceneMode:
 * @OMNI_SCENE_MODE_FAST: decide on each frame at once, from the frames
 *   before it only (no latency; a flash frame can count as a cut)
 * @OMNI_SCENE_MODE_ADAPTIVE: decide with two frames of look-ahead, which
 *   rejects one- and two-frame flashes and occlusions
 *
 * How #OmniSceneDetector decides.
 */
typedef enum {
  OMNI_SCENE_MODE_FAST = 0,
  OMNI_SCENE_MODE_ADAPTIVE = 1,
} OmniSceneMode;

/**
 * OmniSceneDecision:
 * @frame: 0-based index of the frame since creation or the last reset
 * @score: its change score against the frame before, in [0,1] (0 for the
 *   first frame)
 * @cut: whether a hard cut starts at this frame
 *
 * The verdict on one frame.
 */
typedef struct {
  uint64_t frame;
  double score;
  int cut;
} OmniSceneDecision;

/**
 * OmniSceneDetector:
 *
 * Turns a sequence of frames into cut decisions (opaque).
 */
typedef struct _OmniSceneDetector OmniSceneDetector;

OMNI_API OmniSceneDetector *omni_scene_detector_new (
    const OmniSceneLayout *layout, OmniSceneMode mode, double threshold);
OMNI_API void omni_scene_detector_free (OmniSceneDetector *det);
OMNI_API void omni_scene_detector_set_threshold (
    OmniSceneDetector *det, double threshold);
OMNI_API unsigned omni_scene_detector_get_latency (
    const OmniSceneDetector *det);
OMNI_API void omni_scene_detector_push (
    OmniSceneDetector *det, const uint8_t *const planes[], const int strides[]);
OMNI_API int omni_scene_detector_pop (
    OmniSceneDetector *det, OmniSceneDecision *decision);
OMNI_API void omni_scene_detector_finish (OmniSceneDetector *det);
OMNI_API void omni_scene_detector_reset (OmniSceneDetector *det);

G_END_DECLS

#endif /* __OMNI_SCENE_SCORE_H__ */
