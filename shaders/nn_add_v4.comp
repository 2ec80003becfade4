#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Element-wise sum with a fused activation, 4 elements per invocation
// (N4 = n / 4 vec4s; n a multiple of 4): out = act(a + b).
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_ELTWISE_N) const uint N4 = 1u;
layout(constant_id = OMNI_SPEC_ELTWISE_ACT) const uint ACT = 0u;

layout(std430, binding = 0) writeonly buffer Out { vec4 data[]; } dst;
#ifdef OMNI_TEXEL_READS
layout(binding = 1) uniform samplerBuffer a;
layout(binding = 2) uniform samplerBuffer b;
#define A(i) texelFetch(a, int(i))
#define B(i) texelFetch(b, int(i))
#else
layout(std430, binding = 1) readonly buffer InA { vec4 data[]; } a;
layout(std430, binding = 2) readonly buffer InB { vec4 data[]; } b;
#define A(i) a.data[i]
#define B(i) b.data[i]
#endif

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= N4)
    return;
  vec4 v = A(i) + B(i);
  if (ACT == 1u)
    v = max(v, vec4(0.0));
  else if (ACT == 2u)
    v = min(max(v, vec4(0.0)), vec4(6.0));
  dst.data[i] = v;
}
