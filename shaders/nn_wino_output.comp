#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Winograd F(2x2, 3x3) output transform (Lavin & Gray, CVPR 2016): each
// invocation reads one tile's 16 products m (one vec4 of 4 output channels
// from each of the 16 GEMM results [tiles x C]) and writes Y = A^T m A, the
// tile's 2x2 output pixels, plus the bias, through the fused activation
// (the same act() as nn_conv2d_v4), NHWC; pixels past the output's edge
// (odd sizes) are not written. x runs over tiles times channel quads.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_WINO_H) const uint H = 1u;
layout(constant_id = OMNI_SPEC_WINO_W) const uint W = 1u;
layout(constant_id = OMNI_SPEC_WINO_C) const uint C = 4u;
layout(constant_id = OMNI_SPEC_WINO_TH) const uint TH = 1u;
layout(constant_id = OMNI_SPEC_WINO_TW) const uint TW = 1u;
layout(constant_id = OMNI_SPEC_WINO_ACT) const uint ACT = 0u;
layout(constant_id = OMNI_SPEC_WINO_ALPHA) const float ALPHA = 0.0;
layout(constant_id = OMNI_SPEC_WINO_HAS_BIAS) const bool HAS_BIAS = false;

const uint C4 = C / 4u, TILES = TH * TW;

layout(std430, binding = 0) writeonly buffer Out { vec4 data[]; } dst;
#ifdef OMNI_TEXEL_READS
layout(binding = 1) uniform samplerBuffer m;
layout(binding = 2) uniform samplerBuffer b;
#define M(i) texelFetch(m, int(i))
#define B(i) texelFetch(b, int(i))
#else
layout(std430, binding = 1) readonly buffer In { vec4 data[]; } m;
layout(std430, binding = 2) readonly buffer B { vec4 data[]; } b;
#define M(i) m.data[i]
#define B(i) b.data[i]
#endif

vec4 act(vec4 v)
{
  if (ACT == 1u)
    return max(v, vec4(0.0));
  if (ACT == 2u)
    return min(max(v, vec4(0.0)), vec4(6.0));
  if (ACT == 5u)
    return max(v, vec4(0.0)) + ALPHA * min(v, vec4(0.0));
  if (ACT == 3u)
    return vec4(1.0) / (vec4(1.0) + exp(-v));
  if (ACT == 4u)
    return tanh(v);
  if (ACT == 6u)
    return (v * ALPHA) * min(max(v + vec4(3.0), vec4(0.0)), vec4(6.0));
  return v;
}

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= TILES * C4)
    return;
  uint q = i % C4, tile = i / C4;
  uint oy = (tile / TW) * 2u, ox = (tile % TW) * 2u;

  // A^T = [1 1 1 0; 0 1 -1 -1]: t = A^T m (2 x 4), then t A (2 x 2)
  vec4 t[2][4];
  for (uint c = 0u; c < 4u; c++) {
    vec4 m0 = M((0u * 4u + c) * TILES * C4 + i);
    vec4 m1 = M((1u * 4u + c) * TILES * C4 + i);
    vec4 m2 = M((2u * 4u + c) * TILES * C4 + i);
    vec4 m3 = M((3u * 4u + c) * TILES * C4 + i);
    t[0][c] = m0 + m1 + m2;
    t[1][c] = m1 - m2 - m3;
  }
  vec4 bias = HAS_BIAS ? B(q) : vec4(0.0);
  for (uint r = 0u; r < 2u; r++) {
    if (oy + r >= H)
      break;
    uint o = ((oy + r) * W + ox) * C4 + q;
    dst.data[o] = act(bias + t[r][0] + t[r][1] + t[r][2]);
    if (ox + 1u < W)
      dst.data[o + C4] = act(bias + t[r][1] - t[r][2] - t[r][3]);
  }
}
