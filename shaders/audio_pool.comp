#version 450
// omniaudioenc, stage 2d: the pooled embedding of each window, the mean and
// the (population) standard deviation of every feature over the window's
// frames, two-pass. Layout [window][mean C, std C].
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint F = 93;
layout(constant_id = 2) const uint C = 64;

layout(std430, binding = 0) readonly buffer Features { float v[]; } feat;
layout(std430, binding = 1) writeonly buffer Out { float v[]; } dst;

layout(push_constant) uniform Params {
  uint n_windows;
} pc;

void
main ()
{
  uint i = gl_GlobalInvocationID.x;
  if (i >= pc.n_windows * C)
    return;
  uint c = i % C, w = i / C;
  uint src = w * F * C + c;
  float mean = 0.0, var = 0.0;

  for (uint f = 0u; f < F; f++)
    mean += feat.v[src + f * C];
  mean /= float (F);
  for (uint f = 0u; f < F; f++) {
    float d = feat.v[src + f * C] - mean;
    var += d * d;
  }
  dst.v[w * 2u * C + c] = mean;
  dst.v[w * 2u * C + C + c] = sqrt (var / float (F));
}
