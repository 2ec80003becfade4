#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Transposed 2-D convolution, NHWC, weights [kh, kw, cin, cout]
// (omni_nn_ref_conv_transpose), as a gather: out[oy, ox, co] =
// act(bias[co] + sum of in[iy, ix, ci] * w[ky, kx, ci, co] over the taps
// with oy + PT - ky*DH = iy*SH and ox + PL - kx*DW = ix*SW inside the
// input). One invocation per output element, in the reference's order.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
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
layout(constant_id = OMNI_SPEC_CONV_HAS_BIAS) const bool HAS_BIAS = false;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer In { float data[]; } src;
layout(std430, binding = 2) readonly buffer W { float data[]; } w;
layout(std430, binding = 3) readonly buffer B { float data[]; } b;

int source(int o, int pad, uint k, uint dil, uint stride, uint n)
{
  int t = o + pad - int(k * dil);
  if (t < 0 || t % int(stride) != 0)
    return -1;
  t /= int(stride);
  return t < int(n) ? t : -1;
}

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= OUT_H * OUT_W * OUT_C)
    return;
  uint co = i % OUT_C, pix = i / OUT_C;
  int oy = int(pix / OUT_W), ox = int(pix % OUT_W);
  float acc = HAS_BIAS ? b.data[co] : 0.0;
  for (uint ky = 0u; ky < KH; ky++) {
    int iy = source(oy, PT, ky, DH, SH, IN_H);
    if (iy < 0)
      continue;
    for (uint kx = 0u; kx < KW; kx++) {
      int ix = source(ox, PL, kx, DW, SW, IN_W);
      if (ix < 0)
        continue;
      uint xo = (uint(iy) * IN_W + uint(ix)) * IN_C;
      uint wo = (ky * KW + kx) * IN_C * OUT_C + co;
      for (uint ci = 0u; ci < IN_C; ci++)
        acc += src.data[xo + ci] * w.data[wo + ci * OUT_C];
    }
  }
  if (ACT == 1u)
    acc = max(acc, 0.0);
  else if (ACT == 2u)
    acc = min(max(acc, 0.0), 6.0);
  dst.data[i] = acc;
}
