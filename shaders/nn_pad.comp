#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Zero padding (omni_nn_ref_pad): out is [IN_H + PT + PB, IN_W + PL + PR,
// CF + C + CB]. One invocation per output element.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_PAD_IN_H) const uint IN_H = 1u;
layout(constant_id = OMNI_SPEC_PAD_IN_W) const uint IN_W = 1u;
layout(constant_id = OMNI_SPEC_PAD_C) const uint C = 1u;
layout(constant_id = OMNI_SPEC_PAD_PT) const uint PT = 0u;
layout(constant_id = OMNI_SPEC_PAD_PB) const uint PB = 0u;
layout(constant_id = OMNI_SPEC_PAD_PL) const uint PL = 0u;
layout(constant_id = OMNI_SPEC_PAD_PR) const uint PR = 0u;
layout(constant_id = OMNI_SPEC_PAD_CF) const uint CF = 0u;
layout(constant_id = OMNI_SPEC_PAD_CB) const uint CB = 0u;

const uint OUT_H = IN_H + PT + PB, OUT_W = IN_W + PL + PR, OUT_C = CF + C + CB;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer In { float data[]; } src;

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= OUT_H * OUT_W * OUT_C)
    return;
  uint c = i % OUT_C, pix = i / OUT_C;
  uint ox = pix % OUT_W, oy = pix / OUT_W;
  float v = 0.0;
  if (oy >= PT && oy < PT + IN_H && ox >= PL && ox < PL + IN_W && c >= CF
      && c < CF + C)
    v = src.data[((oy - PT) * IN_W + (ox - PL)) * C + (c - CF)];
  dst.data[i] = v;
}
