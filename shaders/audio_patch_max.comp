#version 450
// omniaudioenc, stage 2a: the maximum of each window's [F x N_MELS] dB
// values, the reference of librosa.power_to_db's top_db floor. One
// workgroup per window, a shared-memory tree reduction.
layout(local_size_x = 64) in;
layout(constant_id = 0) const uint N_MELS = 64;
layout(constant_id = 1) const uint F = 93;

layout(std430, binding = 0) readonly buffer Frames { float v[]; } frames;
layout(std430, binding = 1) readonly buffer Bases { uint b[]; } bases;
layout(std430, binding = 2) writeonly buffer Max { float v[]; } wmax;

layout(push_constant) uniform Params {
  uint n_windows;
} pc;

shared float red[64];

void
main ()
{
  uint w = gl_WorkGroupID.x, tid = gl_LocalInvocationID.x;
  float m = -3.0e38;

  if (w >= pc.n_windows)
    return;
  uint base = bases.b[w] * N_MELS;
  for (uint i = tid; i < F * N_MELS; i += 64u)
    m = max (m, frames.v[base + i]);
  red[tid] = m;
  barrier ();
  for (uint s = 32u; s > 0u; s >>= 1u) {
    if (tid < s)
      red[tid] = max (red[tid], red[tid + s]);
    barrier ();
  }
  if (tid == 0u)
    wmax.v[w] = red[0];
}
