#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// tf.image.resize of an NHWC activation, bilinear or nearest neighbour, with
// TF's align_corners / half_pixel_centers (omni_nn_ref_resize). One
// invocation per output element.
layout(local_size_x_id = OMNI_SPEC_LOCAL_X) in;
layout(constant_id = OMNI_SPEC_RESIZE_IN_H) const uint IN_H = 1u;
layout(constant_id = OMNI_SPEC_RESIZE_IN_W) const uint IN_W = 1u;
layout(constant_id = OMNI_SPEC_RESIZE_C) const uint C = 1u;
layout(constant_id = OMNI_SPEC_RESIZE_OUT_H) const uint OUT_H = 1u;
layout(constant_id = OMNI_SPEC_RESIZE_OUT_W) const uint OUT_W = 1u;
layout(constant_id = OMNI_SPEC_RESIZE_ALIGN) const bool ALIGN = false;
layout(constant_id = OMNI_SPEC_RESIZE_HALF) const bool HALF = false;
layout(constant_id = OMNI_SPEC_RESIZE_NEAREST) const bool NEAREST = false;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer In { float data[]; } src;

void coord(uint d, uint n_in, uint n_out, out uint s0, out uint s1, out float f)
{
  float r = (ALIGN && n_out > 1u) ? float(n_in - 1u) / float(n_out - 1u)
                                  : float(n_in) / float(n_out);
  float s = HALF ? r * (float(d) + 0.5) - 0.5 : r * float(d);
  if (NEAREST) {
    // Math.round (TF.js) with align_corners: half rounds up
    float n = ALIGN ? floor(s + 0.5) : floor(HALF ? s + 0.5 : s);
    s0 = s1 = uint(clamp(n, 0.0, float(n_in - 1u)));
    f = 0.0;
    return;
  }
  float fl = floor(s);
  s0 = min(uint(max(fl, 0.0)), n_in - 1u);
  s1 = uint(max(min(ceil(s), float(n_in - 1u)), 0.0));
  f = s - fl;
}

void main()
{
  uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x)
      + gl_GlobalInvocationID.x;
  if (i >= OUT_H * OUT_W * C)
    return;
  uint c = i % C, pix = i / C;
  uint ox = pix % OUT_W, oy = pix / OUT_W;
  uint y0, y1, x0, x1;
  float fy, fx;
  coord(oy, IN_H, OUT_H, y0, y1, fy);
  coord(ox, IN_W, OUT_W, x0, x1, fx);
  float tl = src.data[(y0 * IN_W + x0) * C + c];
  float tr = src.data[(y0 * IN_W + x1) * C + c];
  float bl = src.data[(y1 * IN_W + x0) * C + c];
  float br = src.data[(y1 * IN_W + x1) * C + c];
  float top = tl + (tr - tl) * fx, bottom = bl + (br - bl) * fx;
  dst.data[i] = top + (bottom - top) * fy;
}
