#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Concatenation along the last axis (omni_nn_ref_concat) when both inputs'
// inner sizes A and B are multiples of 4: one vec4 per invocation, so a
// SIMD CPU driver (lavapipe) gathers a 16-byte texel per lane where
// nn_concat loads one float per lane with a storage-buffer access.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_CONCAT_OUTER) const uint OUTER = 1u;
layout(constant_id = OMNI_SPEC_CONCAT_A) const uint A = 4u;
layout(constant_id = OMNI_SPEC_CONCAT_B) const uint B = 4u;
layout(constant_id = OMNI_SPEC_CONCAT_ACT) const uint ACT = 0u;

// OMNI_RESIZE_A / OMNI_RESIZE_B: that input is the input of a resize
// (nn_resize's coordinate rules) whose output only this concatenation
// read: the taps are read here and the resized map is never written
// (CenterNet's FPN head, upsample then concatenate).
layout(constant_id = OMNI_SPEC_CONCAT_RIN_H) const uint RIN_H = 1u;
layout(constant_id = OMNI_SPEC_CONCAT_RIN_W) const uint RIN_W = 1u;
layout(constant_id = OMNI_SPEC_CONCAT_ROUT_W) const uint ROUT_W = 1u;
layout(constant_id = OMNI_SPEC_CONCAT_RALIGN) const bool RALIGN = false;
layout(constant_id = OMNI_SPEC_CONCAT_RHALF) const bool RHALF = false;
layout(constant_id = OMNI_SPEC_CONCAT_RNEAREST) const bool RNEAREST = false;

const uint A4 = A / 4u, B4 = B / 4u;

layout(std430, binding = 0) writeonly buffer Out { vec4 data[]; } dst;
#ifdef OMNI_TEXEL_READS
layout(binding = 1) uniform samplerBuffer srca;
layout(binding = 2) uniform samplerBuffer srcb;
#define SRCA(i) texelFetch(srca, int(i))
#define SRCB(i) texelFetch(srcb, int(i))
#else
layout(std430, binding = 1) readonly buffer InA { vec4 data[]; } srca;
layout(std430, binding = 2) readonly buffer InB { vec4 data[]; } srcb;
#define SRCA(i) srca.data[i]
#define SRCB(i) srcb.data[i]
#endif

vec4 act(vec4 v)
{
  if (ACT == 1u)
    return max(v, vec4(0.0));
  if (ACT == 2u)
    return min(max(v, vec4(0.0)), vec4(6.0));
  return v;
}

void coord(uint d, uint n_in, uint n_out, out uint s0, out uint s1, out float f)
{
  float r = (RALIGN && n_out > 1u) ? float(n_in - 1u) / float(n_out - 1u)
                                   : float(n_in) / float(n_out);
  float s = RHALF ? r * (float(d) + 0.5) - 0.5 : r * float(d);
  if (RNEAREST) {
    float n = RALIGN ? floor(s + 0.5) : floor(RHALF ? s + 0.5 : s);
    s0 = s1 = uint(clamp(n, 0.0, float(n_in - 1u)));
    f = 0.0;
    return;
  }
  float fl = floor(s);
  s0 = min(uint(max(fl, 0.0)), n_in - 1u);
  s1 = uint(max(min(ceil(s), float(n_in - 1u)), 0.0));
  f = s - fl;
}

// Quad j of output pixel o of the resize of a map with Q4 channel quads.
#define RESIZED(SRC, Q4, o, j)                                              \
  {                                                                         \
    uint y0, y1, x0, x1;                                                    \
    float fy, fx;                                                           \
    coord((o) / ROUT_W, RIN_H, OUTER / ROUT_W, y0, y1, fy);                 \
    coord((o) % ROUT_W, RIN_W, ROUT_W, x0, x1, fx);                         \
    vec4 tl = SRC((y0 * RIN_W + x0) * Q4 + (j));                            \
    vec4 tr = SRC((y0 * RIN_W + x1) * Q4 + (j));                            \
    vec4 bl = SRC((y1 * RIN_W + x0) * Q4 + (j));                            \
    vec4 br = SRC((y1 * RIN_W + x1) * Q4 + (j));                            \
    vec4 top = tl + (tr - tl) * fx, bottom = bl + (br - bl) * fx;           \
    v = top + (bottom - top) * fy;                                          \
  }

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= OUTER * (A4 + B4))
    return;
  uint o = i / (A4 + B4), j = i % (A4 + B4);
  vec4 v;
  if (j < A4) {
#ifdef OMNI_RESIZE_A
    RESIZED(SRCA, A4, o, j)
#else
    v = SRCA(o * A4 + j);
#endif
  } else {
#ifdef OMNI_RESIZE_B
    RESIZED(SRCB, B4, o, j - A4)
#else
    v = SRCB(o * B4 + (j - A4));
#endif
  }
  dst.data[i] = act(v);
}
