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

// Shapes the spec constants make common, folded by the driver: an operand
// of the output's shape, a scalar, or one value per channel (last axis).
const bool A_FULL = A0 == D0 && A1 == D1 && A2 == D2 && A3 == D3;
const bool B_FULL = B0 == D0 && B1 == D1 && B2 == D2 && B3 == D3;
const bool B_SCALAR = B0 == 1u && B1 == 1u && B2 == 1u && B3 == 1u;
const bool B_LAST = B0 == 1u && B1 == 1u && B2 == 1u && B3 == D3;

uint index_of(uint i, uint X0, uint X1, uint X2, uint X3)
{
  uint i3 = i % D3, r = i / D3;
  uint i2 = r % D2;
  r /= D2;
  uint i1 = r % D1, i0 = r / D1;
  return (((i0 % X0) * X1 + i1 % X1) * X2 + i2 % X2) * X3 + i3 % X3;
}

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= D0 * D1 * D2 * D3)
    return;
  uint ia = A_FULL ? i : index_of(i, A0, A1, A2, A3);
  uint ib = B_FULL     ? i
            : B_SCALAR ? 0u
            : B_LAST   ? i % D3
                       : index_of(i, B0, B1, B2, B3);
  float a = srca.data[ia], b = srcb.data[ib];
  dst.data[i] = SWAP ? op(b, a) : op(a, b);
}
