#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// A strided gather with padding (omni_nn_ref_strided): transpose, slice,
// gather of one index, expand, pad. One invocation per output element;
// unused dimensions have size 1 and stride 0.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer In { float data[]; } src;

layout(push_constant) uniform Params {
  uvec4 dims;
  uvec4 extent;
  ivec4 start;
  ivec4 step;
  ivec4 stride;
  uint offset, in_n, mode, n;
  float value;
} p;

// coordinate in [0, n) as the padding mode says, -1 for the constant
int map_coord(int c, int n)
{
  int last = n - 1;
  if (c >= 0 && c <= last)
    return c;
  if (p.mode == 0u || n == 0)
    return -1;
  if (p.mode == 2u || n == 1)
    return clamp(c, 0, last);
  c = abs(c) % (2 * last);
  return c <= last ? c : 2 * last - c;
}

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= p.n)
    return;
  uint r = i;
  int s = int(p.offset);
  bool pad = false;
  for (int d = 3; d >= 0; d--) {
    uint o = r % p.dims[d];
    r /= p.dims[d];
    int c = map_coord(p.start[d] + int(o) * p.step[d], int(p.extent[d]));
    if (c < 0)
      pad = true;
    s += c * p.stride[d];
  }
  dst.data[i] = pad || s < 0 || uint(s) >= p.in_n ? p.value : src.data[s];
}
