#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Winograd F(M x M, 3x3) output transform, M = 2 or 4 (Lavin & Gray,
// CVPR 2016): each invocation reads one tile's T x T products m (T = M + 2;
// one vec4 of 4 output channels from each of the T * T GEMM results
// [tiles x C]) and writes Y = A^T m A, the tile's M x M output pixels, plus
// the bias, through the fused activation (the same act() as nn_conv2d_v4),
// NHWC; pixels past the output's edge (odd sizes) are not written. x runs
// over tiles times channel quads.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_WINO_H) const uint H = 1u;
layout(constant_id = OMNI_SPEC_WINO_W) const uint W = 1u;
layout(constant_id = OMNI_SPEC_WINO_C) const uint C = 4u;
layout(constant_id = OMNI_SPEC_WINO_TH) const uint TH = 1u;
layout(constant_id = OMNI_SPEC_WINO_TW) const uint TW = 1u;
layout(constant_id = OMNI_SPEC_WINO_ACT) const uint ACT = 0u;
layout(constant_id = OMNI_SPEC_WINO_ALPHA) const float ALPHA = 0.0;
layout(constant_id = OMNI_SPEC_WINO_HAS_BIAS) const bool HAS_BIAS = false;
layout(constant_id = OMNI_SPEC_WINO_M) const uint M = 2u;

const uint C4 = C / 4u, TILES = TH * TW, T = M + 2u;

layout(std430, binding = 0) writeonly buffer Out { vec4 data[]; } dst;
#ifdef OMNI_TEXEL_READS
layout(binding = 1) uniform samplerBuffer m;
layout(binding = 2) uniform samplerBuffer b;
#define MP(i) texelFetch(m, int(i))
#define B(i) texelFetch(b, int(i))
#else
layout(std430, binding = 1) readonly buffer In { vec4 data[]; } m;
layout(std430, binding = 2) readonly buffer B { vec4 data[]; } b;
#define MP(i) m.data[i]
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

// y = A^T v for one column (or row) of the tile (y[0 .. M-1])
void at(vec4 v[6], out vec4 y[4])
{
  if (M == 2u) {
    // A^T = [1 1 1 0; 0 1 -1 -1]
    y[0] = v[0] + v[1] + v[2];
    y[1] = v[1] - v[2] - v[3];
    y[2] = y[3] = vec4(0.0);
  } else {
    // points 0, 1, -1, 2, -1/2: A^T = [1 1 1 1 1 0; 0 1 -1 2 -1/2 0;
    // 0 1 1 4 1/4 0; 0 1 -1 8 -1/8 1]
    vec4 s12 = v[1] + v[2], d12 = v[1] - v[2];
    y[0] = v[0] + s12 + v[3] + v[4];
    y[1] = d12 + 2.0 * v[3] - 0.5 * v[4];
    y[2] = s12 + 4.0 * v[3] + 0.25 * v[4];
    y[3] = d12 + 8.0 * v[3] - 0.125 * v[4] + v[5];
  }
}

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= TILES * C4)
    return;
  uint q = i % C4, tile = i / C4;
  uint oy = (tile / TW) * M, ox = (tile % TW) * M;

  // t = A^T m (M x T), then t A (M x M)
  vec4 t[4][6], v[6], y[4];
  for (uint c = 0u; c < T; c++) {
    for (uint r = 0u; r < T; r++)
      v[r] = MP((r * T + c) * TILES * C4 + i);
    at(v, y);
    for (uint r = 0u; r < M; r++)
      t[r][c] = y[r];
  }
  vec4 bias = HAS_BIAS ? B(q) : vec4(0.0);
  for (uint r = 0u; r < M; r++) {
    if (oy + r >= H)
      break;
    for (uint c = 0u; c < T; c++)
      v[c] = t[r][c];
    at(v, y);
    uint o = ((oy + r) * W + ox) * C4 + q;
    for (uint c = 0u; c < M; c++)
      if (ox + c < W)
        dst.data[o + c * C4] = act(bias + y[c]);
  }
}
