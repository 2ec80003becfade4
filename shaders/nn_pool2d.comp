#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Windowed max / average pooling (omni_nn_ref_pool2d), NHWC: taps outside
// the input are skipped (TF MaxPool and AvgPool: padding never counts).
// One invocation per output element, channels fastest.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_POOL2D_IN_H) const uint IN_H = 1u;
layout(constant_id = OMNI_SPEC_POOL2D_IN_W) const uint IN_W = 1u;
layout(constant_id = OMNI_SPEC_POOL2D_C) const uint C = 1u;
layout(constant_id = OMNI_SPEC_POOL2D_OUT_H) const uint OUT_H = 1u;
layout(constant_id = OMNI_SPEC_POOL2D_OUT_W) const uint OUT_W = 1u;
layout(constant_id = OMNI_SPEC_POOL2D_KH) const uint KH = 1u;
layout(constant_id = OMNI_SPEC_POOL2D_KW) const uint KW = 1u;
layout(constant_id = OMNI_SPEC_POOL2D_SH) const uint SH = 1u;
layout(constant_id = OMNI_SPEC_POOL2D_SW) const uint SW = 1u;
layout(constant_id = OMNI_SPEC_POOL2D_PT) const int PT = 0;
layout(constant_id = OMNI_SPEC_POOL2D_PL) const int PL = 0;
layout(constant_id = OMNI_SPEC_POOL2D_MAX) const bool IS_MAX = true;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer In { float data[]; } src;

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= OUT_H * OUT_W * C)
    return;
  uint c = i % C, pix = i / C;
  int ox = int(pix % OUT_W), oy = int(pix / OUT_W);
  float acc = IS_MAX ? -1.0 / 0.0 : 0.0;
  uint taps = 0u;
  for (uint ky = 0u; ky < KH; ky++) {
    int iy = oy * int(SH) + int(ky) - PT;
    if (iy < 0 || iy >= int(IN_H))
      continue;
    for (uint kx = 0u; kx < KW; kx++) {
      int ix = ox * int(SW) + int(kx) - PL;
      if (ix < 0 || ix >= int(IN_W))
        continue;
      float v = src.data[(uint(iy) * IN_W + uint(ix)) * C + c];
      acc = IS_MAX ? max(acc, v) : acc + v;
      taps++;
    }
  }
  if (!IS_MAX)
    acc = taps > 0u ? acc / float(taps) : 0.0;
  dst.data[i] = acc;
}
