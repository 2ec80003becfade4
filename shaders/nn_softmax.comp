#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Softmax over the last axis (omni_nn_ref_softmax):
// out[r, i] = exp(in[r, i] - max_r) / sum over j of exp(in[r, j] - max_r).
// One workgroup per row; the max and the sum are tree reductions in shared
// memory, so any workgroup size (a power of two) works.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_SOFTMAX_ROWS) const uint ROWS = 1u;
layout(constant_id = OMNI_SPEC_SOFTMAX_N) const uint N = 1u;

const uint L = gl_WorkGroupSize.x;

layout(std430, binding = 0) buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer In { float data[]; } src;

shared float red[L];

void main()
{
  uint r = gl_WorkGroupID.x, t = gl_LocalInvocationID.x;
  uint base = r * N;
  float m = -3.402823466e+38;

  for (uint i = t; i < N; i += L)
    m = max(m, src.data[base + i]);
  red[t] = m;
  barrier();
  for (uint s = L / 2u; s > 0u; s >>= 1u) {
    if (t < s)
      red[t] = max(red[t], red[t + s]);
    barrier();
  }
  m = red[0];
  barrier();

  float sum = 0.0;
  for (uint i = t; i < N; i += L) {
    float e = exp(src.data[base + i] - m);
    dst.data[base + i] = e;
    sum += e;
  }
  red[t] = sum;
  barrier();
  for (uint s = L / 2u; s > 0u; s >>= 1u) {
    if (t < s)
      red[t] += red[t + s];
    barrier();
  }
  sum = red[0];
  for (uint i = t; i < N; i += L)
    dst.data[base + i] /= sum;
}
