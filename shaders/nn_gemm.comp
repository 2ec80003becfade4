#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// GEMM for pointwise (1x1) convolutions: out[m, n] = act(bias[n] +
// sum over k of in[m, k] * w[k, n]), in [M, K], w [K, N], out [M, N]
// row-major (omni_nn_ref_gemm). Classic shared-memory tiling: a workgroup
// of LX x LY invocations computes a TM x TN tile (TM = LY * RM,
// TN = LX * RN); per step of TK it stages the [TM, TK] slice of in and the
// [TK, TN] slice of w in shared memory, then each invocation accumulates an
// RM x RN block in registers. Rows and columns of a block are LY and LX
// apart, so neighbouring invocations touch neighbouring addresses.
// Edges are zero-filled, so any M, K, N works.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X, local_size_y_id = OMNI_SPEC_LOCAL_Y) in;
layout(constant_id = OMNI_SPEC_GEMM_M) const uint M = 1u;
layout(constant_id = OMNI_SPEC_GEMM_K) const uint K = 1u;
layout(constant_id = OMNI_SPEC_GEMM_N) const uint N = 1u;
layout(constant_id = OMNI_SPEC_GEMM_ACT) const uint ACT = 0u;
layout(constant_id = OMNI_SPEC_GEMM_ALPHA) const float ALPHA = 0.0;
layout(constant_id = OMNI_SPEC_GEMM_HAS_BIAS) const bool HAS_BIAS = false;
layout(constant_id = OMNI_SPEC_GEMM_TK) const uint TK = 16u;

const uint RM = 4u, RN = 4u;
const uint LX = gl_WorkGroupSize.x, LY = gl_WorkGroupSize.y;
const uint TM = LY * RM, TN = LX * RN;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer In { float data[]; } src;
layout(std430, binding = 2) readonly buffer W { float data[]; } w;
layout(std430, binding = 3) readonly buffer B { float data[]; } b;

shared float As[TM * TK];
shared float Bs[TK * TN];

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
  uint lx = gl_LocalInvocationID.x, ly = gl_LocalInvocationID.y;
  uint tid = ly * LX + lx, nt = LX * LY;
  uint m0 = gl_WorkGroupID.y * TM, n0 = gl_WorkGroupID.x * TN;
  float acc[RM][RN];

  for (uint r = 0u; r < RM; r++)
    for (uint c = 0u; c < RN; c++) {
      uint n = n0 + lx + c * LX;
      acc[r][c] = HAS_BIAS && n < N ? b.data[n] : 0.0;
    }

  for (uint k0 = 0u; k0 < K; k0 += TK) {
    for (uint i = tid; i < TM * TK; i += nt) {
      uint row = m0 + i / TK, col = k0 + i % TK;
      As[i] = row < M && col < K ? src.data[row * K + col] : 0.0;
    }
    for (uint i = tid; i < TK * TN; i += nt) {
      uint row = k0 + i / TN, col = n0 + i % TN;
      Bs[i] = row < K && col < N ? w.data[row * N + col] : 0.0;
    }
    barrier();
    for (uint kk = 0u; kk < TK; kk++) {
      float a[RM], bv[RN];
      for (uint r = 0u; r < RM; r++)
        a[r] = As[(ly + r * LY) * TK + kk];
      for (uint c = 0u; c < RN; c++)
        bv[c] = Bs[kk * TN + lx + c * LX];
      for (uint r = 0u; r < RM; r++)
        for (uint c = 0u; c < RN; c++)
          acc[r][c] += a[r] * bv[c];
    }
    barrier();
  }

  for (uint r = 0u; r < RM; r++) {
    uint m = m0 + ly + r * LY;
    if (m >= M)
      continue;
    for (uint c = 0u; c < RN; c++) {
      uint n = n0 + lx + c * LX;
      if (n < N)
        dst.data[m * N + n] = act(acc[r][c]);
    }
  }
}
