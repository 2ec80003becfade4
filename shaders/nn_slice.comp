#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// A contiguous range of one axis (omni_nn_ref_slice):
// out[o, j, i] = in[o, OFFSET + j, i]. One invocation per output element.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_SLICE_OUTER) const uint OUTER = 1u;
layout(constant_id = OMNI_SPEC_SLICE_IN_LEN) const uint IN_LEN = 1u;
layout(constant_id = OMNI_SPEC_SLICE_OFFSET) const uint OFFSET = 0u;
layout(constant_id = OMNI_SPEC_SLICE_OUT_LEN) const uint OUT_LEN = 1u;
layout(constant_id = OMNI_SPEC_SLICE_INNER) const uint INNER = 1u;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer In { float data[]; } src;

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  const uint run = OUT_LEN * INNER;
  if (i >= OUTER * run)
    return;
  uint o = i / run, r = i % run;
  dst.data[i] = src.data[(o * IN_LEN + OFFSET) * INNER + r];
}
