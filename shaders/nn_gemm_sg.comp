#version 450
#extension GL_GOOGLE_include_directive : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_ballot : require
#include "omni-spec-ids.h"
// GEMM for SIMD CPU drivers with subgroups of 8 (lavapipe): out[m, n] =
// act(bias[n] + sum over k of in[m, k] * w[k, n]) for K a multiple of 4 and
// N a multiple of 16. Each invocation owns one row m (an output pixel) and
// 16 consecutive columns (accumulators in registers); the workgroup's y
// picks the column block. Per 4 k, a lane reads its own row's vec4 of
// input, and the 16 x 4 weights the subgroup needs are read once by the
// whole subgroup, two vec4s per lane, then broadcast from lane to lane
// (subgroupBroadcast with a constant lane: a register shuffle on a CPU).
// Every texel load on lavapipe is a per-lane gather, whatever its address,
// so this reads 3 vec4s per 64 multiply-adds per lane where nn_gemm_v4
// reads 20 per 256 (its rows are the same for all lanes but loaded by
// each). See docs/vulkan.md "lavapipe".
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_GEMM_M) const uint M = 1u;
layout(constant_id = OMNI_SPEC_GEMM_K) const uint K = 4u;
layout(constant_id = OMNI_SPEC_GEMM_N) const uint N = 16u;
layout(constant_id = OMNI_SPEC_GEMM_ACT) const uint ACT = 0u;
layout(constant_id = OMNI_SPEC_GEMM_ALPHA) const float ALPHA = 0.0;
layout(constant_id = OMNI_SPEC_GEMM_HAS_BIAS) const bool HAS_BIAS = false;

const uint K4 = K / 4u, N4 = N / 4u;

layout(std430, binding = 0) writeonly buffer Out { vec4 data[]; } dst;
#ifdef OMNI_TEXEL_READS
layout(binding = 1) uniform samplerBuffer src;
layout(binding = 2) uniform samplerBuffer w;
layout(binding = 3) uniform samplerBuffer b;
#define SRC(i) texelFetch(src, int(i))
#define W(i) texelFetch(w, int(i))
#define B(i) texelFetch(b, int(i))
#else
layout(std430, binding = 1) readonly buffer In { vec4 data[]; } src;
layout(std430, binding = 2) readonly buffer W { vec4 data[]; } w;
layout(std430, binding = 3) readonly buffer B { vec4 data[]; } b;
#define SRC(i) src.data[i]
#define W(i) w.data[i]
#define B(i) b.data[i]
#endif
#ifdef OMNI_RESIDUAL
#ifdef OMNI_TEXEL_READS
layout(binding = 4) uniform samplerBuffer res;
#define RES(i) texelFetch(res, int(i))
#else
layout(std430, binding = 4) readonly buffer R { vec4 data[]; } res;
#define RES(i) res.data[i]
#endif
#endif
#ifdef OMNI_INPUT_SCALE
#ifdef OMNI_RESIDUAL
#define SCALE_BINDING 5
#else
#define SCALE_BINDING 4
#endif
#ifdef OMNI_TEXEL_READS
layout(binding = SCALE_BINDING) uniform samplerBuffer scl;
#define SCALE(i) texelFetch(scl, int(i))
#else
layout(std430, binding = SCALE_BINDING) readonly buffer S { vec4 data[]; } scl;
#define SCALE(i) scl.data[i]
#endif
#endif

vec4 act(vec4 v)
{
  if (ACT == 1u)
    return max(v, vec4(0.0));
  if (ACT == 2u)
    return min(max(v, vec4(0.0)), vec4(6.0));
  if (ACT == 5u)
    return max(v, vec4(0.0)) + ALPHA * min(v, vec4(0.0));
  if (ACT == 3u)
    return vec4(1.0) / (vec4(1.0) + exp(-v));
  if (ACT == 4u)
    return tanh(v);
  if (ACT == 6u)
    return (v * ALPHA) * min(max(v + vec4(3.0), vec4(0.0)), vec4(6.0));
  return v;
}

// Weight vec4 number j (0..15) of this 4-k step: k row j / 4, column quad
// j % 4; lane j % 8 of the subgroup read it into lo (j < 8) or hi.
#define STEP(x, V, L0)                                                      \
  acc0 += x * subgroupBroadcast(V, L0);                                     \
  acc1 += x * subgroupBroadcast(V, L0 + 1u);                                \
  acc2 += x * subgroupBroadcast(V, L0 + 2u);                                \
  acc3 += x * subgroupBroadcast(V, L0 + 3u);

void main()
{
  // Lanes past M compute a copy of the last row (every lane of the
  // subgroup takes part in the broadcasts) and store nothing.
  uint m = gl_GlobalInvocationID.x;
  uint row = min(m, M - 1u) * K4;
  uint n4 = gl_WorkGroupID.y * 4u;
  uint lane = gl_SubgroupInvocationID;
  uint wk = lane / 4u, wc = n4 + lane % 4u;

  vec4 acc0 = vec4(0.0), acc1 = vec4(0.0), acc2 = vec4(0.0), acc3 = vec4(0.0);
  if (HAS_BIAS) {
    acc0 = B(n4);
    acc1 = B(n4 + 1u);
    acc2 = B(n4 + 2u);
    acc3 = B(n4 + 3u);
  }
  for (uint k4 = 0u; k4 < K4; k4++) {
    vec4 a = SRC(row + k4);
#ifdef OMNI_INPUT_SCALE
    a *= SCALE(k4);
#endif
    uint wrow = (k4 * 4u + wk) * N4 + wc;
    vec4 lo = W(wrow), hi = W(wrow + 2u * N4);
    STEP(a.x, lo, 0u)
    STEP(a.y, lo, 4u)
    STEP(a.z, hi, 0u)
    STEP(a.w, hi, 4u)
  }
  if (m >= M)
    return;
  uint o = m * N4 + n4;
#ifdef OMNI_RESIDUAL
  acc0 += RES(o);
  acc1 += RES(o + 1u);
  acc2 += RES(o + 2u);
  acc3 += RES(o + 3u);
#endif
  dst.data[o] = act(acc0);
  dst.data[o + 1u] = act(acc1);
  dst.data[o + 2u] = act(acc2);
  dst.data[o + 3u] = act(acc3);
}
