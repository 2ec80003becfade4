#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// MobileNetV3's hard-swish, fused (omni_nn_ref_hard_swish):
// out[i] = (in[i] * SCALE) * min(max(in[i] + 3, 0), 6). One invocation per
// element.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_HARDSWISH_N) const uint N = 1u;
layout(constant_id = OMNI_SPEC_HARDSWISH_SCALE) const float SCALE = 0.16666667;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer In { float data[]; } src;

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= N)
    return;
  float x = src.data[i];
  dst.data[i] = (x * SCALE) * min(max(x + 3.0, 0.0), 6.0);
}
