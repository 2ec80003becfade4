/* gst-omni: omni-analyze's results and its HTML review report.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_ANALYZE_REPORT_H__
#define __OMNI_ANALYZE_REPORT_H__

#include <gst/gst.h>
#include <omni/omni.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* All times are in the media's own timeline (stream time) unless named
 * run_* (running time, what the elements align on). */

/* one omnifusion window */
typedef struct {
  GstClockTime start, end;
  GstClockTime run_start, run_end;
  OmniVerdictState state;
  gdouble risk;
  gchar *caption;
  gchar *label;
  gdouble tempo;  /* from the window's evidence, NAN if none */
  gdouble rms_db; /* idem */
  /* what it shows and says (evidence "people", "objects", "text",
   * "screen-text"); -1 / NULL when the evidence has none */
  gint people;
  gchar *objects, *transcript, *screen_text;
} OaWindow;

/* fills the content fields of @w from a window's evidence */
void oa_window_read_content (OaWindow *w, const GstStructure *evidence);
void oa_window_clear_content (OaWindow *w);
/* the summary's content lines: people over time, main objects, transcript */
void oa_content_print (const GArray *windows);

/* one flagged segment (omnifusion "segment" events) */
typedef struct {
  guint id;
  GstClockTime start, end; /* end: GST_CLOCK_TIME_NONE while open */
  GstClockTime run_start, run_end;
  gchar *label;
  gdouble peak, mean;
  gboolean open;
} OaSegment;

/* one segment of a moderation category (omnifusion "category-segment"
 * events): start, end, confidence and what fired it */
typedef struct {
  gchar *category;
  GstClockTime start, end; /* stream time */
  GstClockTime run_start, run_end;
  gdouble max, mean;
  guint hits;
  gchar *rules, *matches;
} OaCategorySegment;

/* reads a "category-segment" event; @to_stream maps running time */
void oa_category_segment_add_from_json (GArray *segments, JsonObject *o,
    GstClockTime (*to_stream) (gpointer data, GstClockTime run), gpointer data);
void oa_category_segments_free (GArray *segments);
void oa_category_segments_print (const GArray *segments);

/* one shot cut (omnisampler message) */
typedef struct {
  GstClockTime time, run;
  gdouble score;
} OaCut;

/* one omnirhythm summary message */
typedef struct {
  GstClockTime time;
  gdouble tempo, confidence, rms_db, peak_db; /* NAN where absent */
} OaRhythm;

/* a JPEG of a sampled frame, made by jpegenc in the pipeline */
typedef struct {
  GstClockTime time, run;
  GBytes *jpeg;
  gboolean keep; /* inside a flagged segment */
} OaThumb;

typedef struct {
  const gchar *dir;
  const gchar *input;
  const gchar *uri; /* NULL for the camera */
  GstClockTime duration;
  GArray *windows;                         /* OaWindow */
  GArray *segments;                        /* OaSegment */
  GArray *categories;                      /* OaCategorySegment, or NULL */
  GArray *cuts;                            /* OaCut */
  GArray *rhythm;                          /* OaRhythm */
  GPtrArray *thumbs;                       /* OaThumb */
  gdouble enter_threshold, exit_threshold; /* NAN if unknown */
  gdouble wall;
} OaReport;

gboolean oa_report_write (const OaReport *report, GError **error);

G_END_DECLS

#endif /* __OMNI_ANALYZE_REPORT_H__ */
