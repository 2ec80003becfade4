#version 450
// Fills a float buffer with a constant: the smallest real op, used by the
// Vulkan core's own tests (buffer upload/dispatch/download round trip).
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint N = 1;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(push_constant) uniform Params { float value; } p;

void main()
{
  uint i = gl_GlobalInvocationID.x;
  if (i < N)
    dst.data[i] = p.value;
}
