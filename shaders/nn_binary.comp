#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Element-wise a (op) b with NumPy broadcasting (omni_nn_ref_binary): dims
// right-aligned to 4, an operand dim of 1 broadcasts. One invocation per
// output element. Binding 2 is the second activation or the constant.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_BINARY_KIND) const uint KIND = 0u;
layout(constant_id = OMNI_SPEC_BINARY_D0) const uint D0 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_D1) const uint D1 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_D2) const uint D2 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_D3) const uint D3 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_A0) const uint A0 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_A1) const uint A1 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_A2) const uint A2 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_A3) const uint A3 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_B0) const uint B0 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_B1) const uint B1 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_B2) const uint B2 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_B3) const uint B3 = 1u;
layout(constant_id = OMNI_SPEC_BINARY_SWAP) const bool SWAP = false;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer A { float data[]; } srca;
layout(std430, binding = 2) readonly buffer B { float data[]; } srcb;

float op(float a, float b)
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
  if (i >= D0 * D1 * D2 * D3)
    return;
  uint i3 = i % D3, r = i / D3;
  uint i2 = r % D2;
  r /= D2;
  uint i1 = r % D1, i0 = r / D1;
  uint ia = (((i0 % A0) * A1 + i1 % A1) * A2 + i2 % A2) * A3 + i3 % A3;
  uint ib = (((i0 % B0) * B1 + i1 % B1) * B2 + i2 % B2) * B3 + i3 % B3;
  float a = srca.data[ia], b = srcb.data[ib];
  dst.data[i] = SWAP ? op(b, a) : op(a, b);
}
