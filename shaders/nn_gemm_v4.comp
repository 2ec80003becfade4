#version 450
#extension GL_GOOGLE_include_directive : require
#ifdef OMNI_SUBGROUP_ROWS
#extension GL_KHR_shader_subgroup_shuffle : require
#endif
#include "omni-spec-ids.h"
// GEMM with register blocking and 16-byte loads, for K and N multiples of
// 4 (every pointwise convolution of MobileNet-style networks):
// out[m, n] = act(bias[n] + sum over k of in[m, k] * w[k, n]), row-major.
// Each invocation accumulates RM rows x RN*4 columns in registers, reading
// a vec4 of 4 consecutive k per row and a vec4 of 4 consecutive n per
// weight row: (RM + 4 * RN) 16-byte loads feed 16 * RM * RN multiply-adds.
// x runs over column blocks, so neighbouring invocations read neighbouring
// weights, and the rows of a workgroup are shared (uniform loads on SIMD
// CPU drivers such as lavapipe). No shared memory and no barriers: on CPU
// drivers a barrier costs a coroutine switch per SIMD group, on GPUs the
// weights stay in L1/L2. nn_gemm.comp (shared-memory tiles) handles the
// other shapes.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X, local_size_y_id = OMNI_SPEC_LOCAL_Y) in;
layout(constant_id = OMNI_SPEC_GEMM_M) const uint M = 1u;
layout(constant_id = OMNI_SPEC_GEMM_K) const uint K = 4u;
layout(constant_id = OMNI_SPEC_GEMM_N) const uint N = 4u;
layout(constant_id = OMNI_SPEC_GEMM_ACT) const uint ACT = 0u;
layout(constant_id = OMNI_SPEC_GEMM_ALPHA) const float ALPHA = 0.0;
layout(constant_id = OMNI_SPEC_GEMM_HAS_BIAS) const bool HAS_BIAS = false;
layout(constant_id = OMNI_SPEC_GEMM_RM) const uint RM = 8u;   // rows per invocation
layout(constant_id = OMNI_SPEC_GEMM_RN) const uint RN = 2u;   // vec4 columns per invocation
// XR > 1: x runs over XR row blocks times CB column blocks (x = row block *
// CB + column block), so that a workgroup's x size is a multiple of the
// SIMD width even when CB is not: CPU drivers vectorise along x only, and
// 10 column blocks in an x of 16 left 6 of 16 lanes idle (1 x 4 columns:
// 7 of 8).
layout(constant_id = OMNI_SPEC_GEMM_XR) const uint XR = 1u;
layout(constant_id = OMNI_SPEC_GEMM_SUM_BLOCKS) const bool SUM_BLOCKS = false;
// OMNI_SUBGROUP_ROWS (the _sg variants), SG > 1: the SG lanes of a
// subgroup share their rows (the builder makes x a multiple of SG, with XR
// 1) and RM is a multiple of SG: each lane reads RM / SG of the rows' input
// vec4s and the subgroup hands them round (subgroupShuffle from constant
// lanes: a register shuffle on lavapipe). A CPU driver fetches a vec4 texel
// lane by lane, so a row that all SG lanes read cost SG loads and a
// transpose; now every fetch reads SG different rows.
layout(constant_id = OMNI_SPEC_GEMM_SG) const uint SG = 1u;
// BATCHED: z runs over independent GEMMs of the same shape stored one after
// another (in [z][M][K], w [z][K][N], out [z][M][N]; the bias is not read):
// the 16 products of a Winograd convolution (ops/omninnvk-winograd.c)
layout(constant_id = OMNI_SPEC_GEMM_BATCHED) const bool BATCHED = false;

const uint K4 = K / 4u, N4 = N / 4u, CB = (N4 + RN - 1u) / RN;
// with SUM_BLOCKS (ONNX models) 128 k per partial sum, as onnxruntime;
// BATCHED (Winograd's products, whose large transformed values cancel
// afterwards, so that float32 rounding of one long running sum dominates
// their error) 16 k per partial sum; else all of them from the bias
// (XNNPACK's order)
const uint KBLK4 = SUM_BLOCKS ? 32u : BATCHED ? 4u : K4;

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
// OMNI_RESIDUAL: the epilogue adds a residual tensor [M, N] before the
// activation (a pointwise projection and the Add after it in one pass).
#ifdef OMNI_RESIDUAL
#ifdef OMNI_TEXEL_READS
layout(binding = 4) uniform samplerBuffer res;
#define RES(i) texelFetch(res, int(i))
#else
layout(std430, binding = 4) readonly buffer R { vec4 data[]; } res;
#define RES(i) res.data[i]
#endif
#endif
// OMNI_INPUT_SCALE: the input's K channels are multiplied by a vector
// scale[K] as they are read (squeeze-and-excite's broadcast multiply before
// a projection, folded in); the last binding.
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

void main()
{
  uint gx = gl_GlobalInvocationID.x;
  uint n4 = (XR > 1u ? gx % CB : gx) * RN;
  uint m0 = (gl_GlobalInvocationID.y * XR + (XR > 1u ? gx / CB : 0u)) * RM;
  // with SG, lanes past the last column block still read rows for the
  // others: they compute the last block again and do not store it
  if ((SG == 1u && n4 >= N4) || m0 >= M)
    return;
  uint bz = BATCHED ? gl_GlobalInvocationID.z : 0u;
  uint src0 = bz * M * K4, w0 = bz * K * N4, dst0 = bz * M * N4;

  // With SUM_BLOCKS summed as onnxruntime's pointwise kernels do (parity,
  // docs/onnx.md): blocks of 128 k from 0, the blocks' sums added in order,
  // the bias last; else one block from the bias.
  vec4 acc[RM][RN], part[RM][RN], bias[RN];
  uint rows[RM], cols[RN];
  for (uint c = 0u; c < RN; c++) {
    cols[c] = min(n4 + c, N4 - 1u);
    bias[c] = HAS_BIAS ? B(cols[c]) : vec4(0.0);
  }
  // Rows past M repeat the last row; their results are not stored.
  for (uint r = 0u; r < RM; r++)
    rows[r] = src0 + min(m0 + r, M - 1u) * K4;

  for (uint kb = 0u; kb < K4; kb += KBLK4) {
    for (uint r = 0u; r < RM; r++)
      for (uint c = 0u; c < RN; c++)
        part[r][c] = SUM_BLOCKS ? vec4(0.0) : bias[c];
    for (uint k4 = kb; k4 < min(kb + KBLK4, K4); k4++) {
      vec4 a[RM];
#ifdef OMNI_SUBGROUP_ROWS
      for (uint h = 0u; h < RM; h += SG) {
        vec4 mine = SRC(rows[h + gl_SubgroupInvocationID % SG] + k4);
        for (uint l = 0u; l < SG; l++)
          a[h + l] = subgroupShuffle(mine, l);
      }
#else
      for (uint r = 0u; r < RM; r++)
        a[r] = SRC(rows[r] + k4);
#endif
#ifdef OMNI_INPUT_SCALE
      vec4 s = SCALE(k4);
      for (uint r = 0u; r < RM; r++)
        a[r] *= s;
#endif
      uint wrow = w0 + k4 * 4u * N4;
      vec4 bw[4][RN];
      for (uint kk = 0u; kk < 4u; kk++)
        for (uint c = 0u; c < RN; c++)
          bw[kk][c] = W(wrow + kk * N4 + cols[c]);
      for (uint r = 0u; r < RM; r++)
        for (uint c = 0u; c < RN; c++) {
          vec4 t = part[r][c];
          for (uint kk = 0u; kk < 4u; kk++)
            t += a[r][kk] * bw[kk][c];
          part[r][c] = t;
        }
    }
    for (uint r = 0u; r < RM; r++)
      for (uint c = 0u; c < RN; c++)
        acc[r][c] = kb == 0u ? part[r][c] : acc[r][c] + part[r][c];
  }
  for (uint c = 0u; c < RN; c++)
    for (uint r = 0u; r < RM; r++)
      if (SUM_BLOCKS)
        acc[r][c] += bias[c];

  for (uint r = 0u; r < RM; r++) {
    if (m0 + r >= M)
      break;
    for (uint c = 0u; c < RN; c++) {
      uint o = dst0 + (m0 + r) * N4 + n4 + c;
      if (n4 + c < N4) {
#ifdef OMNI_RESIDUAL
        dst.data[o] = act(acc[r][c] + RES(o));
#else
        dst.data[o] = act(acc[r][c]);
#endif
      }
    }
  }
}
