#version 450
#extension GL_GOOGLE_include_directive : require
#include "omni-spec-ids.h"
// Video frame bytes -> RGB float [out_h, out_w, 3] (omni_nn_ref_preprocess):
// each tap is converted to RGB code values (YUV: 3x4 matrix, chroma at
// (x/2, y/2), clamped to [0, 255]), resized with tf.image.resizeBilinear's
// arithmetic (halfPixelCenters = false: source s = dst * in / out, or
// dst * (in - 1) / (out - 1) with alignCorners), then normalised
// value * scale + offset. The source coordinate is computed exactly in
// integers (s0 = dst * num / den, fraction (dst * num % den) / den).
layout(local_size_x_id = OMNI_SPEC_LOCAL_X, local_size_y_id = OMNI_SPEC_LOCAL_Y) in;

// OmniNnPixelLayout
const uint RGB = 0u, BGR = 1u, RGBX = 2u, BGRX = 3u, XRGB = 4u, XBGR = 5u,
           RGBA = 6u, BGRA = 7u, ARGB = 8u, ABGR = 9u, GRAY8 = 10u,
           I420 = 11u, NV12 = 12u;
layout(constant_id = OMNI_SPEC_PREPROCESS_LAYOUT) const uint LAYOUT = 0u;
layout(constant_id = OMNI_SPEC_PREPROCESS_BPP) const uint BPP = 3u;  // packed layouts
layout(constant_id = OMNI_SPEC_PREPROCESS_RO) const uint RO = 0u;   // byte offsets of R, G, B
layout(constant_id = OMNI_SPEC_PREPROCESS_GO) const uint GO = 1u;
layout(constant_id = OMNI_SPEC_PREPROCESS_BO) const uint BO = 2u;

layout(std430, binding = 0) writeonly buffer Out { float data[]; } dst;
layout(std430, binding = 1) readonly buffer Frame { uint words[]; } frame;

layout(push_constant) uniform Params {
  uint in_w, in_h, out_w, out_h;
  uint num_x, den_x, num_y, den_y;
  uint stride0, stride1, stride2;
  uint offset0, offset1, offset2;
  float scale, offset;
  vec4 m_r, m_g, m_b;  // R = dot(m_r, (Y, U, V, 1)), ...
} p;

float byte_at(uint o)
{
  return float((frame.words[o >> 2] >> ((o & 3u) * 8u)) & 0xffu);
}

vec3 fetch(uint x, uint y)
{
  if (LAYOUT == GRAY8) {
    float v = byte_at(p.offset0 + y * p.stride0 + x);
    return vec3(v);
  }
  if (LAYOUT == I420 || LAYOUT == NV12) {
    float Y = byte_at(p.offset0 + y * p.stride0 + x);
    float U, V;
    if (LAYOUT == I420) {
      U = byte_at(p.offset1 + (y / 2u) * p.stride1 + x / 2u);
      V = byte_at(p.offset2 + (y / 2u) * p.stride2 + x / 2u);
    } else {
      uint o = p.offset1 + (y / 2u) * p.stride1 + (x / 2u) * 2u;
      U = byte_at(o);
      V = byte_at(o + 1u);
    }
    vec4 yuv = vec4(Y, U, V, 1.0);
    return clamp(vec3(dot(p.m_r, yuv), dot(p.m_g, yuv), dot(p.m_b, yuv)),
        0.0, 255.0);
  }
  uint o = p.offset0 + y * p.stride0 + x * BPP;
  return vec3(byte_at(o + RO), byte_at(o + GO), byte_at(o + BO));
}

void main()
{
  uint ox = gl_GlobalInvocationID.x, oy = gl_GlobalInvocationID.y;
  if (ox >= p.out_w || oy >= p.out_h)
    return;

  uint sx = ox * p.num_x, sy = oy * p.num_y;
  uint x0 = min(sx / p.den_x, p.in_w - 1u);
  uint y0 = min(sy / p.den_y, p.in_h - 1u);
  float fx = float(sx % p.den_x) / float(p.den_x);
  float fy = float(sy % p.den_y) / float(p.den_y);
  uint x1 = fx > 0.0 ? min(x0 + 1u, p.in_w - 1u) : x0;
  uint y1 = fy > 0.0 ? min(y0 + 1u, p.in_h - 1u) : y0;

  vec3 tl = fetch(x0, y0), tr = fetch(x1, y0);
  vec3 bl = fetch(x0, y1), br = fetch(x1, y1);
  vec3 top = tl + (tr - tl) * fx;
  vec3 bottom = bl + (br - bl) * fx;
  vec3 v = (top + (bottom - top) * fy) * p.scale + p.offset;

  uint o = (oy * p.out_w + ox) * 3u;
  dst.data[o] = v.x;
  dst.data[o + 1u] = v.y;
  dst.data[o + 2u] = v.z;
}
