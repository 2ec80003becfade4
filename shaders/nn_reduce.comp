#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Reduction over the middle axis of [OUTER, N, INNER] (omni_nn_ref_reduce),
// in the reference's order (Kahan's compensated sum for the sums). One invocation per output element.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_REDUCE_OUTER) const uint OUTER = 1u;
layout(constant_id = OMNI_SPEC_REDUCE_N) const uint N = 1u;
layout(constant_id = OMNI_SPEC_REDUCE_INNER) const uint INNER = 1u;
layout(constant_id = OMNI_SPEC_REDUCE_KIND) const uint KIND = 0u;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer In { float data[]; } src;

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= OUTER * INNER)
    return;
  uint o = i / INNER, in_i = i % INNER;
  uint base = o * N * INNER + in_i;
  float acc;
  if (KIND == 1u || KIND == 2u) {
    acc = src.data[base];
    for (uint r = 1u; r < N; r++) {
      float v = src.data[base + r * INNER];
      acc = KIND == 1u ? max(acc, v) : min(acc, v);
    }
  } else {
    // Kahan's compensated sum, as the reference; precise keeps the
    // compiler from folding the compensation away or fusing it
    precise float sum = 0.0, c = 0.0;
    for (uint r = 0u; r < N; r++) {
      float v = src.data[base + r * INNER];
      precise float y = (KIND == 4u ? v * v : v) - c;
      precise float t = sum + y;
      c = (t - sum) - y;
      sum = t;
    }
    acc = sum;
  }
  if (KIND == 0u)
    acc /= float(N);
  dst.data[i] = acc;
}
