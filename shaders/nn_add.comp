#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Element-wise sum with a fused activation (omni_nn_ref_add):
// out[i] = act(a[i] + b[i]). One invocation per element.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_ELTWISE_N) const uint N = 1u;
layout(constant_id = OMNI_SPEC_ELTWISE_ACT) const uint ACT = 0u;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer A { float data[]; } a;
layout(std430, binding = 2) readonly buffer B { float data[]; } b;

float act(float v)
{
  if (ACT == 1u)
    return max(v, 0.0);
  if (ACT == 2u)
    return min(max(v, 0.0), 6.0);
  return v;
}

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i < N)
    dst.data[i] = act(a.data[i] + b.data[i]);
}
