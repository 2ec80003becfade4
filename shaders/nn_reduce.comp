#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Reduction over the middle axis of [OUTER, N, INNER] (omni_nn_ref_reduce),
// in the reference's order. One invocation per output element.
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
  float acc = src.data[base];
  if (KIND == 4u)
    acc = acc * acc;
  for (uint r = 1u; r < N; r++) {
    float v = src.data[base + r * INNER];
    if (KIND == 1u)
      acc = max(acc, v);
    else if (KIND == 2u)
      acc = min(acc, v);
    else if (KIND == 4u)
      acc += v * v;
    else
      acc += v;
  }
  if (KIND == 0u)
    acc /= float(N);
  dst.data[i] = acc;
}
