#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Element-wise functions with up to two parameters (omni_nn_ref_unary).
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_UNARY_N) const uint N = 1u;
layout(constant_id = OMNI_SPEC_UNARY_KIND) const uint KIND = 0u;
layout(constant_id = OMNI_SPEC_UNARY_ALPHA) const float ALPHA = 0.0;
layout(constant_id = OMNI_SPEC_UNARY_BETA) const float BETA = 0.0;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer In { float data[]; } src;

float f(float x)
{
  switch (KIND) {
  case 0u: return x >= 0.0 ? x : ALPHA * x;
  case 1u: return max(0.0, min(1.0, ALPHA * x + BETA));
  case 2u: return x * max(0.0, min(1.0, x * (1.0 / 6.0) + 0.5));
  case 3u: return min(max(x, ALPHA), BETA);
  case 4u: return sqrt(x);
  case 5u: return exp(x);
  case 6u: return log(x);
  case 7u: return abs(x);
  case 8u: return -x;
  case 9u: return ALPHA == 2.0 ? x * x : pow(x, ALPHA);
  case 10u: return x >= 0.0 ? x : ALPHA * (exp(x) - 1.0);
  case 11u: return 1.0 / x;
  case 12u: return log(exp(x) + 1.0);
  case 13u: return floor(x);
  case 14u: return ceil(x);
  }
  return x;
}

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i < N)
    dst.data[i] = f(src.data[i]);
}
