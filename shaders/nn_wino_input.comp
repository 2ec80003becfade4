#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Winograd F(M x M, 3x3) input transform, M = 2 or 4 (Lavin & Gray, "Fast
// Algorithms for Convolutional Neural Networks", CVPR 2016): each
// invocation takes one T x T tile d (T = M + 2) of 4 input channels (tiles
// overlap by 2: tile (ty, tx) starts at input row M ty - PT, column
// M tx - PL; taps outside the input, the padding and past the edge, read
// 0) and writes V = B^T d B as T * T vec4, one into each of T * T matrices
// [tiles x C]: V[k][tile][c], k = T i + j. x runs over tiles times channel
// quads (quads fastest), so a workgroup's SIMD lanes are full whatever the
// map's size.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_WINO_H) const uint H = 1u;
layout(constant_id = OMNI_SPEC_WINO_W) const uint W = 1u;
layout(constant_id = OMNI_SPEC_WINO_C) const uint C = 4u;
layout(constant_id = OMNI_SPEC_WINO_TH) const uint TH = 1u;
layout(constant_id = OMNI_SPEC_WINO_TW) const uint TW = 1u;
layout(constant_id = OMNI_SPEC_WINO_PT) const int PT = 0;
layout(constant_id = OMNI_SPEC_WINO_PL) const int PL = 0;
layout(constant_id = OMNI_SPEC_WINO_M) const uint M = 2u;

const uint C4 = C / 4u, TILES = TH * TW, T = M + 2u;

layout(std430, binding = 0) writeonly buffer Out { vec4 data[]; } dst;
#ifdef OMNI_TEXEL_READS
layout(binding = 1) uniform samplerBuffer src;
#define SRC(i) texelFetch(src, int(i))
#else
layout(std430, binding = 1) readonly buffer In { vec4 data[]; } src;
#define SRC(i) src.data[i]
#endif

// v = B^T v for one column (or row) of the tile
void bt(inout vec4 v[6])
{
  if (M == 2u) {
    // B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
    vec4 t0 = v[0] - v[2], t1 = v[1] + v[2], t2 = v[2] - v[1],
         t3 = v[1] - v[3];
    v[0] = t0;
    v[1] = t1;
    v[2] = t2;
    v[3] = t3;
  } else {
    // points 0, 1, -1, 2, -1/2 (half the float32 error of the usual
    // 0, 1, -1, 2, -2 at 256 input channels, see omninnvk-winograd.c):
    // B^T = [1 3/2 -2 -3/2 1 0; 0 -1 -5/2 -1/2 1 0; 0 1 1/2 -5/2 1 0;
    //        0 -1/2 -1 1/2 1 0; 0 2 -1 -2 1 0; 0 1 3/2 -2 -3/2 1]
    vec4 t0 = v[0] + 1.5 * v[1] - 2.0 * v[2] - 1.5 * v[3] + v[4];
    vec4 t1 = v[4] - v[1] - 2.5 * v[2] - 0.5 * v[3];
    vec4 t2 = v[1] + 0.5 * v[2] - 2.5 * v[3] + v[4];
    vec4 t3 = v[4] - v[2] + 0.5 * (v[3] - v[1]);
    vec4 t4 = v[4] - v[2] + 2.0 * (v[1] - v[3]);
    vec4 t5 = v[1] + 1.5 * v[2] - 2.0 * v[3] - 1.5 * v[4] + v[5];
    v[0] = t0;
    v[1] = t1;
    v[2] = t2;
    v[3] = t3;
    v[4] = t4;
    v[5] = t5;
  }
}

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= TILES * C4)
    return;
  uint c4 = i % C4, tile = i / C4;
  int y0 = int((tile / TW) * M) - PT, x0 = int((tile % TW) * M) - PL;

  vec4 d[6][6], v[6];
  for (uint r = 0u; r < T; r++) {
    int y = y0 + int(r);
    for (uint c = 0u; c < T; c++) {
      int x = x0 + int(c);
      d[r][c] = y >= 0 && y < int(H) && x >= 0 && x < int(W)
          ? SRC((uint(y) * W + uint(x)) * C4 + c4)
          : vec4(0.0);
    }
  }
  // B^T d: each column
  for (uint c = 0u; c < T; c++) {
    for (uint r = 0u; r < T; r++)
      v[r] = d[r][c];
    bt(v);
    for (uint r = 0u; r < T; r++)
      d[r][c] = v[r];
  }
  // (B^T d) B: each row, stored
  for (uint r = 0u; r < T; r++) {
    for (uint c = 0u; c < T; c++)
      v[c] = d[r][c];
    bt(v);
    for (uint c = 0u; c < T; c++)
      dst.data[(r * T + c) * TILES * C4 + i] = v[c];
  }
}
