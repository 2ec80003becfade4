#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Two tensors side by side along one axis (omni_nn_ref_concat):
// out[o, 0 .. A) = act(a[o]), out[o, A .. A + B) = act(b[o]). One
// invocation per output element.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_CONCAT_OUTER) const uint OUTER = 1u;
layout(constant_id = OMNI_SPEC_CONCAT_A) const uint A = 1u;
layout(constant_id = OMNI_SPEC_CONCAT_B) const uint B = 1u;
layout(constant_id = OMNI_SPEC_CONCAT_ACT) const uint ACT = 0u;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer InA { float data[]; } srca;
layout(std430, binding = 2) readonly buffer InB { float data[]; } srcb;

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
  if (i >= OUTER * (A + B))
    return;
  uint o = i / (A + B), j = i % (A + B);
  dst.data[i]
      = act(j < A ? srca.data[o * A + j] : srcb.data[o * B + (j - A)]);
}
