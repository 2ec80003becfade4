#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Matrix-vector product for dense layers (a GEMM with few rows):
// out[m, n] = act(bias[n] + sum over k of in[m, k] * w[k, n]). Invocation
// x = output feature n (neighbours read neighbouring weights), y = row m.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_GEMM_M) const uint M = 1u;
layout(constant_id = OMNI_SPEC_GEMM_K) const uint K = 1u;
layout(constant_id = OMNI_SPEC_GEMM_N) const uint N = 1u;
layout(constant_id = OMNI_SPEC_GEMM_ACT) const uint ACT = 0u;
layout(constant_id = OMNI_SPEC_GEMM_ALPHA) const float ALPHA = 0.0;
layout(constant_id = OMNI_SPEC_GEMM_HAS_BIAS) const bool HAS_BIAS = false;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
#ifdef OMNI_TEXEL_READS
layout(binding = 1) uniform samplerBuffer src;
layout(binding = 2) uniform samplerBuffer w;
layout(binding = 3) uniform samplerBuffer b;
#define SRC(i) texelFetch(src, int((i) >> 2u))[(i) & 3u]
#define W(i) texelFetch(w, int((i) >> 2u))[(i) & 3u]
#define B(i) texelFetch(b, int((i) >> 2u))[(i) & 3u]
#else
layout(std430, binding = 1) readonly buffer In { float data[]; } src;
layout(std430, binding = 2) readonly buffer W { float data[]; } w;
layout(std430, binding = 3) readonly buffer B { float data[]; } b;
#define SRC(i) src.data[i]
#define W(i) w.data[i]
#define B(i) b.data[i]
#endif

float act(float v)
{
  if (ACT == 1u)
    return max(v, 0.0);
  if (ACT == 2u)
    return min(max(v, 0.0), 6.0);
  if (ACT == 5u)
    return max(v, 0.0) + ALPHA * min(v, 0.0);
  if (ACT == 3u)
    return 1.0 / (1.0 + exp(-v));
  if (ACT == 4u)
    return tanh(v);
  if (ACT == 6u)
    return (v * ALPHA) * min(max(v + 3.0, 0.0), 6.0);
  return v;
}

void main()
{
  uint n = gl_GlobalInvocationID.x, m = gl_GlobalInvocationID.y;
  if (n >= N || m >= M)
    return;
  float acc = HAS_BIAS ? B(n) : 0.0;
  for (uint k = 0u; k < K; k++)
    acc += SRC(m * K + k) * W(k * N + n);
  dst.data[m * N + n] = act(acc);
}
