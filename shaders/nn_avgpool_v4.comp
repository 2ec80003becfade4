#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Global average pooling of an NHWC map (omni_nn_ref_global_avg_pool) for
// channels a multiple of 4, in parallel: one workgroup per channel quad,
// its LOCAL_X invocations each sum every LOCAL_X-th pixel (16-byte loads),
// then one invocation adds the partial sums in shared memory. nn_avgpool
// runs one invocation per channel over all H x W pixels, which on a
// 128 x 128 map leaves most of a CPU's SIMD lanes and threads idle.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_POOL_H) const uint H = 1u;
layout(constant_id = OMNI_SPEC_POOL_W) const uint W = 1u;
layout(constant_id = OMNI_SPEC_POOL_C) const uint C = 4u;

const uint C4 = C / 4u;

layout(std430, binding = 0) writeonly buffer Out { vec4 data[]; } dst;
#ifdef OMNI_TEXEL_READS
layout(binding = 1) uniform samplerBuffer src;
#define SRC(i) texelFetch(src, int(i))
#else
layout(std430, binding = 1) readonly buffer In { vec4 data[]; } src;
#define SRC(i) src.data[i]
#endif

shared vec4 partial[gl_WorkGroupSize.x];

void main()
{
  uint c4 = gl_WorkGroupID.x, lid = gl_LocalInvocationID.x;
  vec4 sum = vec4(0.0);
  for (uint p = lid; p < H * W; p += gl_WorkGroupSize.x)
    sum += SRC(p * C4 + c4);
  partial[lid] = sum;
  barrier();
  if (lid == 0u) {
    for (uint j = 1u; j < gl_WorkGroupSize.x; j++)
      sum += partial[j];
    dst.data[c4] = sum / float(H * W);
  }
}
