#version 450
// omniaudioenc, stage 2c: deltas of each window's patch along time,
// librosa.feature.delta = scipy.signal.savgol_filter (width, deriv=order,
// polyorder=order, mode='interp') (Savitzky and Golay 1964). As the
// polynomial degree equals the derivative order the derivative is constant
// over a fit, so the edge frames use the first or last full window's
// coefficients (see omni_logmel_delta_coeffs). One invocation per value.
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint F = 93;
layout(constant_id = 2) const uint C = 64;
layout(constant_id = 3) const uint WIDTH = 9;
layout(constant_id = 4) const uint ORDER = 1;

layout(std430, binding = 0) readonly buffer Features { float v[]; } feat;
layout(std430, binding = 1) readonly buffer Coeffs { float c[]; } coeffs;
layout(std430, binding = 2) writeonly buffer Out { float v[]; } dst;

layout(push_constant) uniform Params {
  uint n_windows;
} pc;

void
main ()
{
  uint i = gl_GlobalInvocationID.x;
  if (i >= pc.n_windows * ORDER * F * C)
    return;
  // layout [window][order][frame][feature]
  uint c = i % C, f = (i / C) % F, o = (i / (C * F)) % ORDER;
  uint w = i / (C * F * ORDER);
  uint half_w = WIDTH / 2u;
  uint start = f < half_w ? 0u : min (f - half_w, F - WIDTH);
  uint src = (w * F + start) * C + c;
  float acc = 0.0;

  for (uint n = 0u; n < WIDTH; n++)
    acc += coeffs.c[o * WIDTH + n] * feat.v[src + n * C];
  dst.v[i] = acc;
}
