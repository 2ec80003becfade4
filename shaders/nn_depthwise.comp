#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Depthwise 2-D convolution, NHWC, weights [kh, kw, c, mult]
// (omni_nn_ref_depthwise_conv2d): output channel oc = c * MULT + m reads
// input channel c = oc / MULT, and w[ky, kx, c, m] is at
// (ky * KW + kx) * OUT_C + oc. Invocation x = output channel, y = output
// pixel. Also runs a stand-alone batch norm (1x1 kernel, MULT 1).
layout(local_size_x_id = OMNI_SPEC_LOCAL_X, local_size_y_id = OMNI_SPEC_LOCAL_Y) in;
layout(constant_id = OMNI_SPEC_CONV_IN_H) const uint IN_H = 1u;
layout(constant_id = OMNI_SPEC_CONV_IN_W) const uint IN_W = 1u;
layout(constant_id = OMNI_SPEC_CONV_IN_C) const uint IN_C = 1u;
layout(constant_id = OMNI_SPEC_CONV_OUT_H) const uint OUT_H = 1u;
layout(constant_id = OMNI_SPEC_CONV_OUT_W) const uint OUT_W = 1u;
layout(constant_id = OMNI_SPEC_CONV_MULT) const uint MULT = 1u;
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

const uint OUT_C = IN_C * MULT;

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
  uint oc = gl_GlobalInvocationID.x;
  uint pix = gl_GlobalInvocationID.y;
  if (oc >= OUT_C || pix >= OUT_H * OUT_W)
    return;
  uint oy = pix / OUT_W, ox = pix % OUT_W;
  uint c = oc / MULT;
  int iy0 = int(oy * SH) - PT, ix0 = int(ox * SW) - PL;
  float acc = HAS_BIAS ? b.data[oc] : 0.0;

  for (uint ky = 0u; ky < KH; ky++) {
    int iy = iy0 + int(ky * DH);
    if (iy < 0 || iy >= int(IN_H))
      continue;
    for (uint kx = 0u; kx < KW; kx++) {
      int ix = ix0 + int(kx * DW);
      if (ix < 0 || ix >= int(IN_W))
        continue;
      acc += src.data[(uint(iy) * IN_W + uint(ix)) * IN_C + c]
          * w.data[(ky * KW + kx) * OUT_C + oc];
    }
  }
  dst.data[pix * OUT_C + oc] = act(acc);
}
