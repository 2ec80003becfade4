/* gst-omni: IoU tracker (stable ids for detection boxes across frames)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniioutracker.h"

#include <stdlib.h>

typedef struct {
  guint id;
  OmniDetectBox box;
  guint misses;
} Track;

struct _OmniIouTracker {
  gdouble iou_threshold;
  guint max_misses;
  GArray *tracks; /* Track */
  guint next_id;
};

typedef struct {
  gdouble iou;
  guint track, box;
} Pair;

OmniIouTracker *
omni_iou_tracker_new (gdouble iou_threshold, guint max_misses)
{
  OmniIouTracker *t = g_new0 (OmniIouTracker, 1);

  t->iou_threshold = iou_threshold;
  t->max_misses = max_misses;
  t->tracks = g_array_new (FALSE, FALSE, sizeof (Track));
  t->next_id = 1;
  return t;
}

void
omni_iou_tracker_free (OmniIouTracker *tracker)
{
  if (!tracker)
    return;
  g_array_free (tracker->tracks, TRUE);
  g_free (tracker);
}

void
omni_iou_tracker_reset (OmniIouTracker *tracker)
{
  g_array_set_size (tracker->tracks, 0);
}

guint
omni_iou_tracker_get_n_tracks (OmniIouTracker *tracker)
{
  return tracker->tracks->len;
}

/* decreasing IoU; ties by track then box order, so the result is
 * deterministic */
static gint
compare_pairs (gconstpointer pa, gconstpointer pb)
{
  const Pair *a = pa, *b = pb;

  if (a->iou != b->iou)
    return a->iou > b->iou ? -1 : 1;
  if (a->track != b->track)
    return a->track < b->track ? -1 : 1;
  return a->box < b->box ? -1 : (a->box > b->box);
}

/* every (track, box) pair of one label overlapping enough, best first */
static GArray *
candidate_pairs (OmniIouTracker *t, const OmniDetectBox *boxes, guint n_boxes)
{
  GArray *pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  guint i, j;

  for (i = 0; i < t->tracks->len; i++) {
    const Track *tr = &g_array_index (t->tracks, Track, i);

    for (j = 0; j < n_boxes; j++) {
      Pair p;

      if (boxes[j].label != tr->box.label)
        continue;
      p.iou = omni_detect_box_iou (&tr->box, &boxes[j]);
      if (p.iou < t->iou_threshold || p.iou <= 0.0)
        continue;
      p.track = i;
      p.box = j;
      g_array_append_val (pairs, p);
    }
  }
  qsort (pairs->data, pairs->len, sizeof (Pair), compare_pairs);
  return pairs;
}

/* drops the tracks past their misses, keeping the others' order */
static void
prune (OmniIouTracker *t)
{
  guint i, n = 0;

  for (i = 0; i < t->tracks->len; i++) {
    Track *tr = &g_array_index (t->tracks, Track, i);

    if (tr->misses <= t->max_misses)
      g_array_index (t->tracks, Track, n++) = *tr;
  }
  g_array_set_size (t->tracks, n);
}

void
omni_iou_tracker_update (OmniIouTracker *t, const OmniDetectBox *boxes,
    guint n_boxes, guint *track_ids)
{
  guint n_tracks = t->tracks->len;
  gboolean *track_done = g_new0 (gboolean, MAX (n_tracks, 1));
  GArray *pairs = candidate_pairs (t, boxes, n_boxes);
  guint i;

  for (i = 0; i < n_boxes; i++)
    track_ids[i] = 0;
  for (i = 0; i < pairs->len; i++) {
    const Pair *p = &g_array_index (pairs, Pair, i);
    Track *tr = &g_array_index (t->tracks, Track, p->track);

    if (track_done[p->track] || track_ids[p->box])
      continue;
    track_done[p->track] = TRUE;
    track_ids[p->box] = tr->id;
    tr->box = boxes[p->box];
    tr->misses = 0;
  }
  for (i = 0; i < n_tracks; i++)
    if (!track_done[i])
      g_array_index (t->tracks, Track, i).misses++;
  for (i = 0; i < n_boxes; i++) {
    Track tr = { 0 };

    if (track_ids[i])
      continue;
    tr.id = t->next_id++;
    if (t->next_id == 0) /* 0 means untracked */
      t->next_id = 1;
    tr.box = boxes[i];
    g_array_append_val (t->tracks, tr);
    track_ids[i] = tr.id;
  }
  prune (t);
  g_array_free (pairs, TRUE);
  g_free (track_done);
}
