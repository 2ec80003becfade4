#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Global average pooling (omni_nn_ref_global_avg_pool):
// out[c] = (sum over pixels of in[p, c]) / (H * W), summed in pixel order
// like the reference. One invocation per channel; neighbours read
// neighbouring channels of the same pixel.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_POOL_H) const uint H = 1u;
layout(constant_id = OMNI_SPEC_POOL_W) const uint W = 1u;
layout(constant_id = OMNI_SPEC_POOL_C) const uint C = 1u;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer In { float data[]; } src;

void main()
{
  uint c = gl_GlobalInvocationID.x;
  if (c >= C)
    return;
  float sum = 0.0;
  for (uint p = 0u; p < H * W; p++)
    sum += src.data[p * C + c];
  dst.data[c] = sum / float(H * W);
}
