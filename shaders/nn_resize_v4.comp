#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Bilinear or nearest resize of an NHWC map (omni_nn_ref_resize, same
// coordinate rules as nn_resize) for channels a multiple of 4: one vec4 of
// 4 channels per invocation, the 4 taps as 16-byte (texel) loads.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_RESIZE_IN_H) const uint IN_H = 1u;
layout(constant_id = OMNI_SPEC_RESIZE_IN_W) const uint IN_W = 1u;
layout(constant_id = OMNI_SPEC_RESIZE_C) const uint C = 4u;
layout(constant_id = OMNI_SPEC_RESIZE_OUT_H) const uint OUT_H = 1u;
layout(constant_id = OMNI_SPEC_RESIZE_OUT_W) const uint OUT_W = 1u;
layout(constant_id = OMNI_SPEC_RESIZE_ALIGN) const bool ALIGN = false;
layout(constant_id = OMNI_SPEC_RESIZE_HALF) const bool HALF = false;
layout(constant_id = OMNI_SPEC_RESIZE_NEAREST) const bool NEAREST = false;

const uint C4 = C / 4u;

layout(std430, binding = 0) writeonly buffer Out { vec4 data[]; } dst;
#ifdef OMNI_TEXEL_READS
layout(binding = 1) uniform samplerBuffer src;
#define SRC(i) texelFetch(src, int(i))
#else
layout(std430, binding = 1) readonly buffer In { vec4 data[]; } src;
#define SRC(i) src.data[i]
#endif

void coord(uint d, uint n_in, uint n_out, out uint s0, out uint s1, out float f)
{
  float r = (ALIGN && n_out > 1u) ? float(n_in - 1u) / float(n_out - 1u)
                                  : float(n_in) / float(n_out);
  float s = HALF ? r * (float(d) + 0.5) - 0.5 : r * float(d);
  if (NEAREST) {
    // Math.round (TF.js) with align_corners: half rounds up
    float n = ALIGN ? floor(s + 0.5) : floor(HALF ? s + 0.5 : s);
    s0 = s1 = uint(clamp(n, 0.0, float(n_in - 1u)));
    f = 0.0;
    return;
  }
  float fl = floor(s);
  s0 = min(uint(max(fl, 0.0)), n_in - 1u);
  s1 = uint(max(min(ceil(s), float(n_in - 1u)), 0.0));
  f = s - fl;
}

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= OUT_H * OUT_W * C4)
    return;
  uint c4 = i % C4, pix = i / C4;
  uint ox = pix % OUT_W, oy = pix / OUT_W;
  uint y0, y1, x0, x1;
  float fy, fx;
  coord(oy, IN_H, OUT_H, y0, y1, fy);
  coord(ox, IN_W, OUT_W, x0, x1, fx);
  vec4 tl = SRC((y0 * IN_W + x0) * C4 + c4);
  if (NEAREST) {
    dst.data[i] = tl;
    return;
  }
  vec4 tr = SRC((y0 * IN_W + x1) * C4 + c4);
  vec4 bl = SRC((y1 * IN_W + x0) * C4 + c4);
  vec4 br = SRC((y1 * IN_W + x1) * C4 + c4);
  vec4 top = tl + (tr - tl) * fx, bottom = bl + (br - bl) * fx;
  dst.data[i] = top + (bottom - top) * fy;
}
