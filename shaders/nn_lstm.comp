#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// ONNX LSTM, one direction, batch 1 (omni_nn_ref_lstm). One workgroup:
// each invocation owns hidden units j, j + LOCAL, ...; h of the previous
// step lives in shared memory, c in the output's Y_c slot.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_LSTM_SEQ) const uint SEQ = 1u;
layout(constant_id = OMNI_SPEC_LSTM_IN) const uint IN = 1u;
layout(constant_id = OMNI_SPEC_LSTM_HIDDEN) const uint H = 1u;
layout(constant_id = OMNI_SPEC_LSTM_REVERSE) const bool REVERSE = false;
layout(constant_id = OMNI_SPEC_LSTM_HAS_BIAS) const bool HAS_BIAS = false;

layout(std430, binding = 0) buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer X { float data[]; } x;
layout(std430, binding = 2) readonly buffer State { float data[]; } state;
layout(std430, binding = 3) readonly buffer W { float data[]; } w;
layout(std430, binding = 4) readonly buffer B { float data[]; } bias;

shared float hs[H];

float sigm(float v)
{
  return 1.0 / (1.0 + exp(-v));
}

float gate(uint q, uint xo)
{
  float acc = HAS_BIAS ? bias.data[q] : 0.0;
  uint wo = q * IN, ro = 4u * H * IN + q * H;
  for (uint k = 0u; k < IN; k++)
    acc += w.data[wo + k] * x.data[xo + k];
  for (uint k = 0u; k < H; k++)
    acc += w.data[ro + k] * hs[k];
  return acc;
}

void main()
{
  uint lid = gl_LocalInvocationID.x, L = gl_WorkGroupSize.x;
  uint yh = SEQ * H, yc = yh + H;
  for (uint j = lid; j < H; j += L) {
    hs[j] = state.data[j];
    dst.data[yc + j] = state.data[H + j];
  }
  barrier();
  for (uint t = 0u; t < SEQ; t++) {
    uint s = REVERSE ? SEQ - 1u - t : t;
    float hn[4];
    uint m = 0u;
    for (uint j = lid; j < H; j += L, m++) {
      float ig = sigm(gate(j, s * IN)), og = sigm(gate(H + j, s * IN));
      float fg = sigm(gate(2u * H + j, s * IN));
      float gg = tanh(clamp(gate(3u * H + j, s * IN), -15.0, 15.0));
      float c = fg * dst.data[yc + j] + ig * gg;
      dst.data[yc + j] = c;
      hn[m] = og * tanh(clamp(c, -15.0, 15.0));
    }
    barrier();
    m = 0u;
    for (uint j = lid; j < H; j += L, m++) {
      hs[j] = hn[m];
      dst.data[s * H + j] = hn[m];
      dst.data[yh + j] = hn[m];
    }
    barrier();
  }
}
