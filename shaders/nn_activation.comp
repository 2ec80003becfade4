#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// A stand-alone activation that could not be fused into its producer
// (omni_nn_ref_activation): out[i] = act(in[i]); with ACT 0 it is also the
// copy of a reshape.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_ELTWISE_N) const uint N = 1u;
layout(constant_id = OMNI_SPEC_ELTWISE_ACT) const uint ACT = 0u;
layout(constant_id = OMNI_SPEC_ELTWISE_ALPHA) const float ALPHA = 0.0;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer In { float data[]; } src;

float act(float v)
{
  if (ACT == 1u)
    return max(v, 0.0);
  if (ACT == 2u)
    return min(max(v, 0.0), 6.0);
  if (ACT == 3u)
    return 1.0 / (1.0 + exp(-v));
  if (ACT == 4u)
    return tanh(v);
  if (ACT == 5u)
    return v >= 0.0 ? v : ALPHA * v;
  return v;
}

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i < N)
    dst.data[i] = act(src.data[i]);
}
