#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// 2-D convolution, NHWC, weights [kh, kw, cin, cout] (omni_nn_ref_conv2d):
// out[oy, ox, co] = act(bias[co] + sum over ky, kx, ci of
//   in[oy*SH - PT + ky*DH, ox*SW - PL + kx*DW, ci] * w[ky, kx, ci, co]),
// taps outside the input read 0. Invocation x = output pixel, y = a block
// of CB consecutive output channels; adjacent invocations share the weight
// loads.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X, local_size_y_id = OMNI_SPEC_LOCAL_Y) in;
layout(constant_id = OMNI_SPEC_CONV_IN_H) const uint IN_H = 1u;
layout(constant_id = OMNI_SPEC_CONV_IN_W) const uint IN_W = 1u;
layout(constant_id = OMNI_SPEC_CONV_IN_C) const uint IN_C = 1u;
layout(constant_id = OMNI_SPEC_CONV_OUT_H) const uint OUT_H = 1u;
layout(constant_id = OMNI_SPEC_CONV_OUT_W) const uint OUT_W = 1u;
layout(constant_id = OMNI_SPEC_CONV_OUT_C) const uint OUT_C = 1u;
layout(constant_id = OMNI_SPEC_CONV_KH) const uint KH = 1u;
layout(constant_id = OMNI_SPEC_CONV_KW) const uint KW = 1u;
layout(constant_id = OMNI_SPEC_CONV_SH) const uint SH = 1u;
layout(constant_id = OMNI_SPEC_CONV_SW) const uint SW = 1u;
layout(constant_id = OMNI_SPEC_CONV_DH) const uint DH = 1u;
layout(constant_id = OMNI_SPEC_CONV_DW) const uint DW = 1u;
layout(constant_id = OMNI_SPEC_CONV_PT) const int PT = 0;
layout(constant_id = OMNI_SPEC_CONV_PL) const int PL = 0;
layout(constant_id = OMNI_SPEC_CONV_ACT) const uint ACT = 0u;
layout(constant_id = OMNI_SPEC_CONV_ALPHA) const float ALPHA = 0.0;
layout(constant_id = OMNI_SPEC_CONV_HAS_BIAS) const bool HAS_BIAS = false;

const uint CB = 4u;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer In { float data[]; } src;
layout(std430, binding = 2) readonly buffer W { float data[]; } w;
layout(std430, binding = 3) readonly buffer B { float data[]; } b;

float act(float v)
{
  if (ACT == 1u)
    return max(v, 0.0);
  if (ACT == 2u)
    return min(max(v, 0.0), 6.0);
  if (ACT == 5u)
    return max(v, 0.0) + ALPHA * min(v, 0.0);
  if (ACT == 3u)
    return 1.0 / (1.0 + exp(-v));
  if (ACT == 4u)
    return tanh(v);
  if (ACT == 6u)
    return (v * ALPHA) * min(max(v + 3.0, 0.0), 6.0);
  return v;
}

void main()
{
  uint pix = gl_GlobalInvocationID.x;
  uint co0 = gl_GlobalInvocationID.y * CB;
  if (pix >= OUT_H * OUT_W || co0 >= OUT_C)
    return;
  uint oy = pix / OUT_W, ox = pix % OUT_W;
  int iy0 = int(oy * SH) - PT, ix0 = int(ox * SW) - PL;
  uint nc = min(CB, OUT_C - co0);

  float acc[CB];
  for (uint j = 0u; j < CB; j++)
    acc[j] = HAS_BIAS && j < nc ? b.data[co0 + j] : 0.0;

  for (uint ky = 0u; ky < KH; ky++) {
    int iy = iy0 + int(ky * DH);
    if (iy < 0 || iy >= int(IN_H))
      continue;
    for (uint kx = 0u; kx < KW; kx++) {
      int ix = ix0 + int(kx * DW);
      if (ix < 0 || ix >= int(IN_W))
        continue;
      uint ib = (uint(iy) * IN_W + uint(ix)) * IN_C;
      uint wb = (ky * KW + kx) * IN_C * OUT_C + co0;
      for (uint ci = 0u; ci < IN_C; ci++) {
        float x = src.data[ib + ci];
        uint wo = wb + ci * OUT_C;
        for (uint j = 0u; j < CB; j++)
          if (j < nc)
            acc[j] += x * w.data[wo + j];
      }
    }
  }
  uint o = pix * OUT_C + co0;
  for (uint j = 0u; j < CB; j++)
    if (j < nc)
      dst.data[o + j] = act(acc[j]);
}
