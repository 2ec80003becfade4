#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Winograd F(2x2, 3x3) input transform (Lavin & Gray, "Fast Algorithms for
// Convolutional Neural Networks", CVPR 2016): each invocation takes one
// 4x4 tile d of 4 input channels (tiles overlap by 2: tile (ty, tx) starts
// at input row 2 ty - PT, column 2 tx - PL; taps outside the input, the
// padding and past the edge, read 0) and writes V = B^T d B as 16 vec4,
// one into each of 16 matrices [tiles x C]: V[k][tile][c], k = 4 i + j.
// x runs over tiles times channel quads (quads fastest), so a workgroup's
// SIMD lanes are full whatever the map's size.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_WINO_H) const uint H = 1u;
layout(constant_id = OMNI_SPEC_WINO_W) const uint W = 1u;
layout(constant_id = OMNI_SPEC_WINO_C) const uint C = 4u;
layout(constant_id = OMNI_SPEC_WINO_TH) const uint TH = 1u;
layout(constant_id = OMNI_SPEC_WINO_TW) const uint TW = 1u;
layout(constant_id = OMNI_SPEC_WINO_PT) const int PT = 0;
layout(constant_id = OMNI_SPEC_WINO_PL) const int PL = 0;

const uint C4 = C / 4u, TILES = TH * TW;

layout(std430, binding = 0) writeonly buffer Out { vec4 data[]; } dst;
#ifdef OMNI_TEXEL_READS
layout(binding = 1) uniform samplerBuffer src;
#define SRC(i) texelFetch(src, int(i))
#else
layout(std430, binding = 1) readonly buffer In { vec4 data[]; } src;
#define SRC(i) src.data[i]
#endif

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= TILES * C4)
    return;
  uint c4 = i % C4, tile = i / C4;
  int y0 = int((tile / TW) * 2u) - PT, x0 = int((tile % TW) * 2u) - PL;

  vec4 d[4][4];
  for (uint r = 0u; r < 4u; r++) {
    int y = y0 + int(r);
    for (uint c = 0u; c < 4u; c++) {
      int x = x0 + int(c);
      d[r][c] = y >= 0 && y < int(H) && x >= 0 && x < int(W)
          ? SRC((uint(y) * W + uint(x)) * C4 + c4)
          : vec4(0.0);
    }
  }
  // B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]: t = B^T d, then t B
  vec4 t[4][4];
  for (uint c = 0u; c < 4u; c++) {
    t[0][c] = d[0][c] - d[2][c];
    t[1][c] = d[1][c] + d[2][c];
    t[2][c] = d[2][c] - d[1][c];
    t[3][c] = d[1][c] - d[3][c];
  }
  uint o = tile * C4 + c4;
  for (uint r = 0u; r < 4u; r++) {
    dst.data[o + (r * 4u + 0u) * TILES * C4] = t[r][0] - t[r][2];
    dst.data[o + (r * 4u + 1u) * TILES * C4] = t[r][1] + t[r][2];
    dst.data[o + (r * 4u + 2u) * TILES * C4] = t[r][2] - t[r][1];
    dst.data[o + (r * 4u + 3u) * TILES * C4] = t[r][1] - t[r][3];
  }
}
