#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// 2-D convolution for output channels a multiple of 4
// (omni_nn_ref_conv2d): each invocation computes OWB neighbouring output
// pixels of a row for CB4 quads of output channels. Per tap and input
// channel it loads CB4 vec4 weights once for all OWB pixels and one input
// value per pixel, for 4 * OWB * CB4 multiply-adds. x = block of output
// columns, y = output row, z = block of channel quads (uniform within a
// workgroup, so the weight loads are shared by the SIMD lanes of CPU
// drivers). Taps outside the input read 0.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X, local_size_y_id = OMNI_SPEC_LOCAL_Y, local_size_z_id = OMNI_SPEC_LOCAL_Z) in;
layout(constant_id = OMNI_SPEC_CONV_IN_H) const uint IN_H = 1u;
layout(constant_id = OMNI_SPEC_CONV_IN_W) const uint IN_W = 1u;
layout(constant_id = OMNI_SPEC_CONV_IN_C) const uint IN_C = 1u;
layout(constant_id = OMNI_SPEC_CONV_OUT_H) const uint OUT_H = 1u;
layout(constant_id = OMNI_SPEC_CONV_OUT_W) const uint OUT_W = 1u;
layout(constant_id = OMNI_SPEC_CONV_OUT_C) const uint OUT_C = 4u;
layout(constant_id = OMNI_SPEC_CONV_KH) const uint KH = 1u;
layout(constant_id = OMNI_SPEC_CONV_KW) const uint KW = 1u;
layout(constant_id = OMNI_SPEC_CONV_SH) const uint SH = 1u;
layout(constant_id = OMNI_SPEC_CONV_SW) const uint SW = 1u;
layout(constant_id = OMNI_SPEC_CONV_DH) const uint DH = 1u;
layout(constant_id = OMNI_SPEC_CONV_DW) const uint DW = 1u;
layout(constant_id = OMNI_SPEC_CONV_PT) const int PT = 0;
layout(constant_id = OMNI_SPEC_CONV_PL) const int PL = 0;
layout(constant_id = OMNI_SPEC_CONV_ACT) const uint ACT = 0u;
layout(constant_id = OMNI_SPEC_CONV_ALPHA) const float ALPHA = 0.0;
layout(constant_id = OMNI_SPEC_CONV_HAS_BIAS) const bool HAS_BIAS = false;
layout(constant_id = OMNI_SPEC_CONV_CB4) const uint CB4 = 1u;  // channel quads per invocation
layout(constant_id = OMNI_SPEC_CONV_OWB) const uint OWB = 4u;  // output pixels per invocation

// FLAT: x runs over the output rows times the blocks of OWB columns
// (x = row * column blocks + block) and y is 1, so that a workgroup's SIMD
// groups are full whatever the width: CPU drivers vectorise along x only,
// and a 13-wide map's 4 column blocks filled half of an x of 8.
layout(constant_id = OMNI_SPEC_CONV_FLAT) const bool FLAT = false;

layout(constant_id = OMNI_SPEC_CONV_SUM_BLOCKS) const bool SUM_BLOCKS = false;

const uint OC4 = OUT_C / 4u, CBW = (OUT_W + OWB - 1u) / OWB;
// input channels per partial sum: with SUM_BLOCKS (ONNX models) as
// onnxruntime's NCHWc block (AVX-512), one at a time below it (its kernel
// for an NCHW input of few channels), else all (it has no NCHWc kernel for
// those); without, all of them from the bias (XNNPACK's order)
const uint CBLK = !SUM_BLOCKS ? IN_C
    : IN_C % 16u == 0u      ? 16u
    : IN_C < 16u            ? 1u
                            : IN_C;
// input channels read in quads (one 16-byte load per pixel for 4 of them)
// when every block is made of whole quads
const bool QUADS = IN_C % 4u == 0u && CBLK % 4u == 0u;

layout(std430, binding = 0) writeonly buffer Out { vec4 data[]; } dst;
#ifdef OMNI_TEXEL_READS
layout(binding = 1) uniform samplerBuffer src;
layout(binding = 2) uniform samplerBuffer w;
layout(binding = 3) uniform samplerBuffer b;
#define SRC(i) texelFetch(src, int((i) >> 2u))[(i) & 3u]
#define SRC4(i) texelFetch(src, int(i))
#define W(i) texelFetch(w, int(i))
#define B(i) texelFetch(b, int(i))
#else
layout(std430, binding = 1) readonly buffer In { float data[]; } src;
layout(std430, binding = 2) readonly buffer W { vec4 data[]; } w;
layout(std430, binding = 3) readonly buffer B { vec4 data[]; } b;
#define SRC(i) src.data[i]
#define SRC4(i) \
  vec4(src.data[(i) * 4u], src.data[(i) * 4u + 1u], src.data[(i) * 4u + 2u], \
      src.data[(i) * 4u + 3u])
#define W(i) w.data[i]
#define B(i) b.data[i]
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
  uint ox0 = (FLAT ? gx % CBW : gx) * OWB;
  uint oy = FLAT ? gx / CBW : gl_GlobalInvocationID.y;
  uint q0 = gl_GlobalInvocationID.z * CB4;
  if (ox0 >= OUT_W || oy >= OUT_H || q0 >= OC4)
    return;

  // With SUM_BLOCKS summed as onnxruntime's NCHWc kernels do (parity,
  // docs/onnx.md): per block of CBLK input channels over all taps from 0,
  // the blocks' sums added in order, the bias last; else one block from the
  // bias.
  vec4 acc[OWB][CB4], part[OWB][CB4], bias[CB4];
  uint q[CB4];
  for (uint j = 0u; j < CB4; j++) {
    q[j] = min(q0 + j, OC4 - 1u);
    bias[j] = HAS_BIAS ? B(q[j]) : vec4(0.0);
  }

  int iy0 = int(oy * SH) - PT;
  for (uint c0 = 0u; c0 < IN_C; c0 += CBLK) {
    for (uint p = 0u; p < OWB; p++)
      for (uint j = 0u; j < CB4; j++)
        part[p][j] = SUM_BLOCKS ? vec4(0.0) : bias[j];
    // No branches on the taps outside the input (a clamped address, counted
    // 0), and each sum kept in a local for all it gains in one pass of the
    // channel loop: a CPU driver writes a variable under the execution mask
    // of the branch or loop around it (load, blend, store) at each write.
    for (uint ky = 0u; ky < KH; ky++) {
      int iy = iy0 + int(ky * DH);
      bool row_in = iy >= 0 && iy < int(IN_H);
      uint row = uint(clamp(iy, 0, int(IN_H) - 1)) * IN_W;
      for (uint kx = 0u; kx < KW; kx++) {
        uint wb = (ky * KW + kx) * IN_C * OC4;
        uint col[OWB];
        bool inside[OWB];
        for (uint p = 0u; p < OWB; p++) {
          int ix = int((ox0 + p) * SW + kx * DW) - PL;
          inside[p] = row_in && ix >= 0 && ix < int(IN_W);
          col[p] = row + uint(clamp(ix, 0, int(IN_W) - 1));
        }
        if (QUADS) {
          // the same multiply-adds in the same order as one at a time
          for (uint c4 = c0 / 4u; c4 < (c0 + CBLK) / 4u; c4++) {
            vec4 xv[OWB];
            for (uint p = 0u; p < OWB; p++) {
              vec4 v = SRC4(col[p] * (IN_C / 4u) + c4);
              xv[p] = inside[p] ? v : vec4(0.0);
            }
            vec4 wv[4][CB4];
            for (uint cc = 0u; cc < 4u; cc++)
              for (uint j = 0u; j < CB4; j++)
                wv[cc][j] = W(wb + (c4 * 4u + cc) * OC4 + q[j]);
            for (uint p = 0u; p < OWB; p++)
              for (uint j = 0u; j < CB4; j++) {
                vec4 t = part[p][j];
                for (uint cc = 0u; cc < 4u; cc++)
                  t += xv[p][cc] * wv[cc][j];
                part[p][j] = t;
              }
          }
        } else {
          for (uint ci = c0; ci < c0 + CBLK; ci++) {
            vec4 wv[CB4];
            for (uint j = 0u; j < CB4; j++)
              wv[j] = W(wb + ci * OC4 + q[j]);
            for (uint p = 0u; p < OWB; p++) {
              float v = SRC(col[p] * IN_C + ci);
              float x = inside[p] ? v : 0.0;
              for (uint j = 0u; j < CB4; j++)
                part[p][j] += x * wv[j];
            }
          }
        }
      }
    }
    for (uint p = 0u; p < OWB; p++)
      for (uint j = 0u; j < CB4; j++)
        acc[p][j] = c0 == 0u ? part[p][j] : acc[p][j] + part[p][j];
  }
  for (uint j = 0u; j < CB4; j++)
    for (uint p = 0u; p < OWB; p++)
      if (SUM_BLOCKS)
        acc[p][j] += bias[j];

  for (uint p = 0u; p < OWB; p++) {
    if (ox0 + p >= OUT_W)
      break;
    for (uint j = 0u; j < CB4; j++)
      if (q0 + j < OC4)
        dst.data[(oy * OUT_W + ox0 + p) * OC4 + q0 + j] = act(acc[p][j]);
  }
}
