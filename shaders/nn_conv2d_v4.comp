#version 450
// 2-D convolution for output channels a multiple of 4
// (omni_nn_ref_conv2d): each invocation computes one output pixel for
// CB4 quads of output channels; per tap and input channel, one input load
// feeds CB4 vec4 weight loads and 4 * CB4 multiply-adds. x = output pixel,
// y = block of channel quads (uniform within a workgroup, so the weight
// loads are shared by the SIMD lanes of CPU drivers).
layout(local_size_x_id = 0, local_size_y_id = 1) in;
layout(constant_id = 3) const uint IN_H = 1u;
layout(constant_id = 4) const uint IN_W = 1u;
layout(constant_id = 5) const uint IN_C = 1u;
layout(constant_id = 6) const uint OUT_H = 1u;
layout(constant_id = 7) const uint OUT_W = 1u;
layout(constant_id = 8) const uint OUT_C = 4u;
layout(constant_id = 9) const uint KH = 1u;
layout(constant_id = 10) const uint KW = 1u;
layout(constant_id = 11) const uint SH = 1u;
layout(constant_id = 12) const uint SW = 1u;
layout(constant_id = 13) const uint DH = 1u;
layout(constant_id = 14) const uint DW = 1u;
layout(constant_id = 15) const int PT = 0;
layout(constant_id = 16) const int PL = 0;
layout(constant_id = 17) const uint ACT = 0u;
layout(constant_id = 18) const bool HAS_BIAS = false;
layout(constant_id = 19) const uint CB4 = 2u;

const uint OC4 = OUT_C / 4u;

layout(std430, binding = 0) writeonly buffer Out { vec4 data[]; } dst;
layout(std430, binding = 1) readonly buffer In { float data[]; } src;
layout(std430, binding = 2) readonly buffer W { vec4 data[]; } w;
layout(std430, binding = 3) readonly buffer B { vec4 data[]; } b;

vec4 act(vec4 v)
{
  if (ACT == 1u)
    return max(v, vec4(0.0));
  if (ACT == 2u)
    return min(max(v, vec4(0.0)), vec4(6.0));
  return v;
}

void main()
{
  uint pix = gl_GlobalInvocationID.x;
  uint q0 = gl_GlobalInvocationID.y * CB4;
  if (pix >= OUT_H * OUT_W || q0 >= OC4)
    return;
  uint oy = pix / OUT_W, ox = pix % OUT_W;
  int iy0 = int(oy * SH) - PT, ix0 = int(ox * SW) - PL;

  vec4 acc[CB4];
  uint q[CB4];
  for (uint j = 0u; j < CB4; j++) {
    q[j] = min(q0 + j, OC4 - 1u);
    acc[j] = HAS_BIAS ? b.data[q[j]] : vec4(0.0);
  }
  for (uint ky = 0u; ky < KH; ky++) {
    int iy = iy0 + int(ky * DH);
    if (iy < 0 || iy >= int(IN_H))
      continue;
    for (uint kx = 0u; kx < KW; kx++) {
      int ix = ix0 + int(kx * DW);
      if (ix < 0 || ix >= int(IN_W))
        continue;
      uint ib = (uint(iy) * IN_W + uint(ix)) * IN_C;
      uint wb = (ky * KW + kx) * IN_C * OC4;
      for (uint ci = 0u; ci < IN_C; ci++) {
        float x = src.data[ib + ci];
        for (uint j = 0u; j < CB4; j++)
          acc[j] += x * w.data[wb + ci * OC4 + q[j]];
      }
    }
  }
  for (uint j = 0u; j < CB4; j++)
    if (q0 + j < OC4)
      dst.data[pix * OC4 + q0 + j] = act(acc[j]);
}
