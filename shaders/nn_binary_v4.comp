#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Elementwise binary op (omni_nn_ref_binary) on vec4s, for a last axis D3
// that is a multiple of 4 and operands that are each either the full
// output shape or a vector along the last axis broadcast over the others
// (a per-channel scale or shift, squeeze-and-excite's multiply): one
// 16-byte load per operand per invocation. nn_binary handles the rest.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_BINARY_KIND) const uint KIND = 0u;
layout(constant_id = OMNI_SPEC_BINARY_D0) const uint D0 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_D1) const uint D1 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_D2) const uint D2 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_D3) const uint D3 = 4u;
layout(constant_id = OMNI_SPEC_BINARY_A0) const uint A0 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_A1) const uint A1 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_A2) const uint A2 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_A3) const uint A3 = 4u;
layout(constant_id = OMNI_SPEC_BINARY_B0) const uint B0 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_B1) const uint B1 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_B2) const uint B2 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_B3) const uint B3 = 4u;
layout(constant_id = OMNI_SPEC_BINARY_SWAP) const bool SWAP = false;

const uint D34 = D3 / 4u;
const bool A_FULL = A0 == D0 && A1 == D1 && A2 == D2 && A3 == D3;
const bool B_FULL = B0 == D0 && B1 == D1 && B2 == D2 && B3 == D3;

layout(std430, binding = 0) writeonly buffer Out { vec4 data[]; } dst;
#ifdef OMNI_TEXEL_READS
layout(binding = 1) uniform samplerBuffer srca;
layout(binding = 2) uniform samplerBuffer srcb;
#define SRCA(i) texelFetch(srca, int(i))
#define SRCB(i) texelFetch(srcb, int(i))
#else
layout(std430, binding = 1) readonly buffer A { vec4 data[]; } srca;
layout(std430, binding = 2) readonly buffer B { vec4 data[]; } srcb;
#define SRCA(i) srca.data[i]
#define SRCB(i) srcb.data[i]
#endif

vec4 op(vec4 a, vec4 b)
{
  if (KIND == 0u)
    return a + b;
  if (KIND == 1u)
    return a - b;
  if (KIND == 2u)
    return a * b;
  if (KIND == 3u)
    return a / b;
  if (KIND == 4u)
    return max(a, b);
  return min(a, b);
}

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= D0 * D1 * D2 * D34)
    return;
  vec4 a = SRCA(A_FULL ? i : i % D34), b = SRCB(B_FULL ? i : i % D34);
  dst.data[i] = SWAP ? op(b, a) : op(a, b);
}
