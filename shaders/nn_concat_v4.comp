#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Concatenation along the last axis (omni_nn_ref_concat) when both inputs'
// inner sizes A and B are multiples of 4: one vec4 per invocation, so a
// SIMD CPU driver (lavapipe) gathers a 16-byte texel per lane where
// nn_concat loads one float per lane with a storage-buffer access.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_CONCAT_OUTER) const uint OUTER = 1u;
layout(constant_id = OMNI_SPEC_CONCAT_A) const uint A = 4u;
layout(constant_id = OMNI_SPEC_CONCAT_B) const uint B = 4u;
layout(constant_id = OMNI_SPEC_CONCAT_ACT) const uint ACT = 0u;

const uint A4 = A / 4u, B4 = B / 4u;

layout(std430, binding = 0) writeonly buffer Out { vec4 data[]; } dst;
#ifdef OMNI_TEXEL_READS
layout(binding = 1) uniform samplerBuffer srca;
layout(binding = 2) uniform samplerBuffer srcb;
#define SRCA(i) texelFetch(srca, int(i))
#define SRCB(i) texelFetch(srcb, int(i))
#else
layout(std430, binding = 1) readonly buffer InA { vec4 data[]; } srca;
layout(std430, binding = 2) readonly buffer InB { vec4 data[]; } srcb;
#define SRCA(i) srca.data[i]
#define SRCB(i) srcb.data[i]
#endif

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
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= OUTER * (A4 + B4))
    return;
  uint o = i / (A4 + B4), j = i % (A4 + B4);
  dst.data[i] = act(j < A4 ? SRCA(o * A4 + j) : SRCB(o * B4 + (j - A4)));
}
