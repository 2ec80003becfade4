#version 450
#extension GL_GOOGLE_include_directive : require
#ifdef OMNI_SUBGROUP_WEIGHTS
#extension GL_KHR_shader_subgroup_shuffle : require
#endif
#include "omni-spec-ids.h"
// Depthwise 2-D convolution for depth multiplier 1 and channels a multiple
// of 4 (omni_nn_ref_depthwise_conv2d): each invocation computes OWB
// neighbouring output pixels of one row for 4 channels, loading each
// weight tap once (a vec4) for all OWB pixels and each input column once
// for every tap that reads it ((OWB - 1) * SW + (KW - 1) * DW + 1 loads
// per row instead of OWB * KW).
// x = channel quad (neighbours read neighbouring bytes), y = block of OWB
// output columns, z = output row. Taps outside the input read 0, so the
// padding of a preceding ZeroPadding2D can be folded into PT/PL.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X, local_size_y_id = OMNI_SPEC_LOCAL_Y, local_size_z_id = OMNI_SPEC_LOCAL_Z) in;
layout(constant_id = OMNI_SPEC_CONV_IN_H) const uint IN_H = 1u;
layout(constant_id = OMNI_SPEC_CONV_IN_W) const uint IN_W = 1u;
layout(constant_id = OMNI_SPEC_CONV_IN_C) const uint IN_C = 4u;
layout(constant_id = OMNI_SPEC_CONV_OUT_H) const uint OUT_H = 1u;
layout(constant_id = OMNI_SPEC_CONV_OUT_W) const uint OUT_W = 1u;
layout(constant_id = OMNI_SPEC_CONV_DW_OWB) const uint OWB = 4u;   // output pixels per invocation
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
// XO > 1: x runs over XO blocks of output columns times the C4 channel
// quads (x = column block * C4 + quad), so that x is a multiple of the SIMD
// width when C4 is not (CPU drivers vectorise along x only: 6 quads in an
// x of 6 left 2 of 8 lanes idle).
layout(constant_id = OMNI_SPEC_CONV_XO) const uint XO = 1u;
// OMNI_SUBGROUP_WEIGHTS (the _sg variant, CPU devices): x runs over every
// output row's column blocks (flattened, rows after rows) for ONE channel
// quad, the workgroup's x; the workgroups' x is the quad, so that the
// quads of a pixel run one after the other. All lanes of a subgroup then
// use the same weights: lane l fetches taps l, l + SG, ... and the
// subgroup hands them round (subgroupShuffle from constant lanes, a
// register shuffle on lavapipe): ceil(KH KW / SG) fetches instead of
// KH KW. Lanes past the last block fetch for the others, store nothing.
layout(constant_id = OMNI_SPEC_CONV_DW_SG) const uint SG = 1u;

const uint C4 = IN_C / 4u;
const uint SPAN = (OWB - 1u) * SW + (KW - 1u) * DW + 1u;

layout(std430, binding = 0) writeonly buffer Out { vec4 data[]; } dst;
#ifdef OMNI_TEXEL_READS
layout(binding = 1) uniform samplerBuffer src;
layout(binding = 2) uniform samplerBuffer w;
layout(binding = 3) uniform samplerBuffer b;
#define SRC(i) texelFetch(src, int(i))
#define W(i) texelFetch(w, int(i))
#define B(i) texelFetch(b, int(i))
#else
layout(std430, binding = 1) readonly buffer In { vec4 data[]; } src;
layout(std430, binding = 2) readonly buffer W { vec4 data[]; } w;
layout(std430, binding = 3) readonly buffer B { vec4 data[]; } b;
#define SRC(i) src.data[i]
#define W(i) w.data[i]
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

const uint CBW = (OUT_W + OWB - 1u) / OWB, NT = KH * KW;

void main()
{
#ifdef OMNI_SUBGROUP_WEIGHTS
  uint c4 = gl_WorkGroupID.x;
  uint f = gl_WorkGroupID.y * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
  bool live = f < OUT_H * CBW;
  f = min(f, OUT_H * CBW - 1u);
  uint oy = f / CBW, ox0 = (f % CBW) * OWB;
  vec4 wv[NT];
  for (uint r = 0u; r < NT; r += SG) {
    vec4 mine = W(min(r + gl_SubgroupInvocationID % SG, NT - 1u) * C4 + c4);
    for (uint l = 0u; l < SG; l++)
      if (r + l < NT)
        wv[r + l] = subgroupShuffle(mine, l);
  }
#else
  uint gx = gl_GlobalInvocationID.x;
  uint c4 = XO > 1u ? gx % C4 : gx;
  uint ox0 = (gl_GlobalInvocationID.y * XO + (XO > 1u ? gx / C4 : 0u)) * OWB;
  uint oy = gl_GlobalInvocationID.z;
  const bool live = true;
  if (c4 >= C4 || ox0 >= OUT_W || oy >= OUT_H)
    return;
  // All taps' weights first: loads issued together, out of the row loop.
  vec4 wv[NT];
  for (uint t = 0u; t < NT; t++)
    wv[t] = W(t * C4 + c4);
#endif

  vec4 acc[OWB];
  vec4 bias = HAS_BIAS ? B(c4) : vec4(0.0);
  for (uint p = 0u; p < OWB; p++)
    acc[p] = bias;

  // The input columns the OWB outputs read in one row: each is loaded
  // once and used by every (pixel, tap) pair that needs it.
  int iy0 = int(oy * SH) - PT, ix0 = int(ox0 * SW) - PL;
  // No branch on the taps outside the input (they read a clamped address
  // and count 0): a CPU driver writes the sums under a branch's execution
  // mask (load, blend, store), straight-line code keeps them in registers.
  for (uint ky = 0u; ky < KH; ky++) {
    int iy = iy0 + int(ky * DH);
    bool row_in = iy >= 0 && iy < int(IN_H);
    uint row = uint(clamp(iy, 0, int(IN_H) - 1)) * IN_W;
    vec4 x[SPAN];
    for (uint j = 0u; j < SPAN; j++) {
      int ix = ix0 + int(j);
      vec4 v = SRC((row + uint(clamp(ix, 0, int(IN_W) - 1))) * C4 + c4);
      x[j] = row_in && ix >= 0 && ix < int(IN_W) ? v : vec4(0.0);
    }
    for (uint kx = 0u; kx < KW; kx++)
      for (uint p = 0u; p < OWB; p++)
        acc[p] += x[p * SW + kx * DW] * wv[ky * KW + kx];
  }
  for (uint p = 0u; p < OWB; p++)
    if (live && ox0 + p < OUT_W)
      dst.data[((oy * OUT_W) + ox0 + p) * C4 + c4] = act(acc[p]);
}
