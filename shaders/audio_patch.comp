#version 450
// omniaudioenc, stage 2b: assembles each window's patch [F x C] from the
// frames of stage 1: the top_db floor (max - TOP_DB, librosa.power_to_db)
// and, for MFCCs, the orthonormal DCT-II over the mel bands
// (scipy.fftpack.dct type 2, norm='ortho', first C coefficients; the matrix
// is computed in double precision on the host). One invocation per value.
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint N_MELS = 64;
layout(constant_id = 2) const uint F = 93;
layout(constant_id = 3) const uint C = 64;
layout(constant_id = 4) const uint MFCC = 0;
layout(constant_id = 5) const uint FLOOR = 0;
layout(constant_id = 6) const float TOP_DB = 80.0;

layout(std430, binding = 0) readonly buffer Frames { float v[]; } frames;
layout(std430, binding = 1) readonly buffer Bases { uint b[]; } bases;
layout(std430, binding = 2) readonly buffer Max { float v[]; } wmax;
layout(std430, binding = 3) readonly buffer Dct { float d[]; } dct;
layout(std430, binding = 4) writeonly buffer Out { float v[]; } dst;

layout(push_constant) uniform Params {
  uint n_windows;
} pc;

void
main ()
{
  uint i = gl_GlobalInvocationID.x;
  if (i >= pc.n_windows * F * C)
    return;
  uint c = i % C, f = (i / C) % F, w = i / (C * F);
  uint row = (bases.b[w] + f) * N_MELS;
  float lo = FLOOR != 0u ? wmax.v[w] - TOP_DB : -3.0e38;
  float o;

  if (MFCC != 0u) {
    o = 0.0;
    for (uint m = 0u; m < N_MELS; m++)
      o += dct.d[c * N_MELS + m] * max (frames.v[row + m], lo);
  } else {
    o = max (frames.v[row + c], lo);
  }
  dst.v[i] = o;
}
