#version 450
// omniaudioenc, stage 1: one workgroup per STFT frame.
//   window -> real FFT -> |X|^2 or |X| -> mel filterbank -> log (no floor)
//
// The real N-point FFT is computed as an M = N/2-point complex FFT of
// z[n] = x[2n] + i x[2n+1] followed by the usual split (Cooley, Lewis and
// Welch, "The Fast Fourier Transform Algorithm: Programming Considerations
// in the Calculation of Sine, Cosine and Laplace Transforms", J. Sound Vib.
// 12(3), 1970):
//   X[k] = E[k] + W_N^k O[k], E[k] = (Z[k] + conj Z[M-k]) / 2,
//   O[k] = (Z[k] - conj Z[M-k]) / 2i,   k = 0..M, Z[M] = Z[0].
//
// The complex FFT is a mixed-radix Stockham autosort FFT (Stockham 1966;
// formulated for GPUs by Govindaraju et al., "High Performance Discrete
// Fourier Transforms on Graphics Processors", SC 2008): N4 passes of radix
// 4, then N2 (0 or 1) of radix 2, then one pass per odd prime factor ODDi
// (3, 5 or 7). Pass s with radix p reads butterfly j's inputs at
// j + r M/p, multiplies them by W_{Ns p}^{r (j mod Ns)}, does a p-point DFT
// and writes them at (j / Ns) Ns p + (j mod Ns) + r Ns, where Ns is the
// product of the earlier radices. In radix-4 and radix-2 passes each
// invocation does BPI butterflies (one when the workgroup is large enough),
// holding their values in registers between the read and write halves of
// the pass, so one shared array is enough; odd-radix passes compute each
// output straight from shared memory into a second array (buf2). The passes
// are a loop, not unrolled code: CPU drivers compile the pipeline with LLVM
// when it is created, and this shader compiles in about 10 ms on lavapipe
// (unrolled radix-8/16 passes took 100 ms and more). When M has a prime
// factor above 7 (DFT = 1) the M-point transform is a direct DFT.
//
// Precision. A float32 FFT's rounding error is absolute: about 2^-24 times
// the frame's energy, spread over all bins, so a band 80 dB below the
// window's peak (the top_db floor) already differs from the exact value by
// ~1e-3 dB, and bands further down (no floor) by far more. The linear part
// (window, FFT, split) is therefore computed in compensated arithmetic:
// every complex value is a pair (hi, lo) of float32 pairs, hi being what a
// float32 FFT computes and lo the running sum of the exact rounding errors
// of hi. Each sum's error comes from Knuth's TwoSum (TAOCP vol. 2, 4.2.2,
// theorem B) and each product's from Dekker's TwoProduct with Veltkamp
// splitting (T. J. Dekker, "A floating-point technique for extending the
// available precision", Numer. Math. 18, 1971; no fma: Vulkan does not
// promise a fused one, and lavapipe's is not). The errors are propagated
// through the rest of the transform in plain float32, as compensated
// algorithms do (Ogita, Rump and Oishi, "Accurate sum and dot product",
// SIAM J. Sci. Comput. 26(6), 2005; double-float building blocks as in
// Hida, Li and Bailey, "Algorithms for quad-double precision floating point
// arithmetic", ARITH 2001, and Thall, "Extended-precision floating-point
// numbers for GPU computation", 2006), so the result is as accurate as if
// computed in twice the working precision: about 2^-48 of the frame's
// energy. The window and the twiddles come from the host as double values
// split into float32 (hi, lo) pairs. Once the spectrum is known (hi + lo
// rounded once), power, mel sums and log only need relative precision,
// which float32 gives: they stay in float32. Every error-free
// transformation is written with `precise` so that the compiler neither
// contracts nor reassociates it.
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint M = 256;      // n_fft / 2
layout(constant_id = 2) const uint N_MELS = 64;
layout(constant_id = 3) const uint BPI = 1;      // butterflies per invocation
layout(constant_id = 4) const uint MAGNITUDE = 0;
layout(constant_id = 5) const uint LOG = 0;      // 0 dB, 1 ln, 2 none
layout(constant_id = 6) const float LOG_OFFSET = 1e-6;
layout(constant_id = 7) const uint DFT = 0;
layout(constant_id = 8) const uint N4 = 4;       // radix-4 passes
layout(constant_id = 9) const uint N2 = 0;       // radix-2 passes (0, 1)
layout(constant_id = 10) const uint N_ODD = 0;   // odd radix passes, <= 6
layout(constant_id = 11) const uint ODD0 = 3;
layout(constant_id = 12) const uint ODD1 = 3;
layout(constant_id = 13) const uint ODD2 = 3;
layout(constant_id = 14) const uint ODD3 = 3;
layout(constant_id = 15) const uint ODD4 = 3;
layout(constant_id = 16) const uint ODD5 = 3;
layout(constant_id = 17) const uint PMAX = 4;    // registers per butterfly
layout(constant_id = 18) const uint ODD_SCRATCH = 1;

layout(std430, binding = 0) readonly buffer Samples { float x[]; } samples;
layout(std430, binding = 1) readonly buffer Offsets { uint off[]; } frames;
// The tables are uniform texel buffers (RGBA32F): texel fetches are vector
// gathers on CPU drivers and go through the texture cache on GPUs.
// per sample pair n: (hi w[2n], hi w[2n+1], lo w[2n], lo w[2n+1])
layout(binding = 2) uniform samplerBuffer window;
// [0, M): W_M^j; [M, 2M + 1): W_N^k, k = 0..M (W = exp (-2 pi i / n)),
// each (hi.re, hi.im, lo.re, lo.im)
layout(binding = 3) uniform samplerBuffer tw;
// per band: (first bin, number of bins, offset in weights, 0), as floats
layout(binding = 4) uniform samplerBuffer rows;
// the weights of band m at [offset, offset + number), four per texel
layout(binding = 5) uniform samplerBuffer mel;
layout(std430, binding = 6) writeonly buffer Out { float v[]; } dst;

layout(push_constant) uniform Params {
  uint frame_base;
  uint n_frames;
} pc;

// (hi.re, hi.im, lo.re, lo.im)
shared vec4 buf[M];
// the output of odd-radix passes (ODD_SCRATCH = M when there are some)
shared vec4 buf2[ODD_SCRATCH];

#define TW(i) texelFetch (tw, int (i))

// TwoSum (Knuth): s + e == a + b exactly, componentwise
void
two_sum (vec2 a, vec2 b, out vec2 s, out vec2 e)
{
  precise vec2 ss = a + b;
  precise vec2 bb = ss - a;
  precise vec2 ee = (a - (ss - bb)) + (b - bb);
  s = ss;
  e = ee;
}

// Veltkamp's split: a == hi + lo, each with at most 12 significant bits
void
split (vec2 a, out vec2 hi, out vec2 lo)
{
  precise vec2 t = 4097.0 * a;
  precise vec2 h = t - (t - a);
  precise vec2 l = a - h;
  hi = h;
  lo = l;
}

// TwoProduct (Dekker): p + e == a * b exactly, componentwise
void
two_prod (vec2 a, vec2 b, out vec2 p, out vec2 e)
{
  vec2 ah, al, bh, bl;
  precise vec2 pp = a * b;
  split (a, ah, al);
  split (b, bh, bl);
  precise vec2 ee = ((ah * bh - pp) + ah * bl + al * bh) + al * bl;
  p = pp;
  e = ee;
}

vec4
cadd (vec4 a, vec4 b)
{
  vec2 s, e;
  two_sum (a.xy, b.xy, s, e);
  return vec4 (s, e + (a.zw + b.zw));
}

vec4
csub (vec4 a, vec4 b)
{
  return cadd (a, -b);
}

// a * w for compensated complex values: the products of the hi parts and
// the sum giving hi are error-free transformations, the cross terms
// hi * lo go to lo (their own rounding is of second order)
vec4
cmul (vec4 a, vec4 w)
{
  vec2 p1, e1, p2, e2, s, e3;
  // (a.re w.re, a.im w.re) and (a.im w.im, a.re w.im)
  two_prod (a.xy, w.xx, p1, e1);
  two_prod (a.yx, w.yy, p2, e2);
  two_sum (p1, vec2 (-p2.x, p2.y), s, e3);
  vec2 cross = a.xy * w.z + a.yx * vec2 (-w.w, w.w)  // hi * lo (twiddle)
               + a.zw * w.x + a.wz * vec2 (-w.y, w.y); // lo (value) * hi
  return vec4 (s, e3 + (e1 + vec2 (-e2.x, e2.y)) + cross);
}

// multiplication by -i (exact)
vec4
mul_mi (vec4 a)
{
  return vec4 (a.y, -a.x, a.w, -a.z);
}

vec4
conj4 (vec4 a)
{
  return vec4 (a.x, -a.y, a.z, -a.w);
}

// The values of an invocation's butterflies, BPI groups of PMAX (private
// to the invocation; a global rather than a parameter, since arrays sized by
// specialization constants do not survive being passed to functions in
// every compiler)
vec4 a[BPI * PMAX];

// In-place DFTs of a[o + s * i], i < p, in natural order
void
dft2 (uint o, uint s)
{
  vec4 t = a[o];
  a[o] = cadd (t, a[o + s]);
  a[o + s] = csub (t, a[o + s]);
}

void
dft4 (uint o, uint s)
{
  vec4 a0 = cadd (a[o], a[o + 2u * s]), a1 = csub (a[o], a[o + 2u * s]);
  vec4 a2 = cadd (a[o + s], a[o + 3u * s]);
  vec4 a3 = mul_mi (csub (a[o + s], a[o + 3u * s]));
  a[o] = cadd (a0, a2);
  a[o + s] = cadd (a1, a3);
  a[o + 2u * s] = csub (a0, a2);
  a[o + 3u * s] = csub (a1, a3);
}

// The windowed samples z[n] = x[2n] w[2n] + i x[2n+1] w[2n+1], compensated
vec4
load_input (uint base, uint n)
{
  vec2 xs = vec2 (samples.x[base + 2u * n], samples.x[base + 2u * n + 1u]);
  vec4 w = texelFetch (window, int (n));
  vec2 p, e;
  two_prod (xs, w.xy, p, e);
  return vec4 (p, e + xs * w.zw);
}

// Input r > 0 of butterfly j of a pass of radix p after ns points' worth
// of earlier radices: the previous pass's output times its twiddle
vec4
fetch (uint j, uint r, uint p, uint ns)
{
  return cmul (buf[j + r * (M / p)], TW (r * (j % ns) * (M / (ns * p))));
}

// One Stockham pass of radix p (4, 2 or odd) after ns points' worth of
// earlier radices
void
fft_pass (uint p, uint ns)
{
  const uint L = gl_WorkGroupSize.x;
  uint tid = gl_LocalInvocationID.x;
  uint nb = M / p, tstep = M / (ns * p);
  uint b, j, q, r;

  if (p != 4u && p != 2u) {
    // odd radix: every output straight from shared memory, into buf2,
    // with the pass's and the p-point DFT's twiddles combined:
    // W_{Ns p}^(r k) W_p^(r q) = W_M^(r (k + q Ns) M / (Ns p))
    for (j = tid; j < nb; j += L) {
      uint k = j % ns, d = (j / ns) * ns * p + k;
      for (q = 0u; q < p; q++) {
        vec4 acc = buf[j];
        for (r = 1u; r < p; r++)
          acc = cadd (acc,
              cmul (buf[j + r * nb], TW ((r * (k + q * ns) * tstep) % M)));
        buf2[d + q * ns] = acc;
      }
    }
    barrier ();
    for (j = tid; j < M; j += L)
      buf[j] = buf2[j];
    barrier ();
    return;
  }
  for (b = 0u; b < BPI; b++) {
    j = tid + b * L;
    uint o = b * 4u;
    if (j < nb) {
      a[o] = buf[j];
      if (p == 4u) {
        a[o + 1u] = fetch (j, 1u, 4u, ns);
        a[o + 2u] = fetch (j, 2u, 4u, ns);
        a[o + 3u] = fetch (j, 3u, 4u, ns);
        dft4 (o, 1u);
      } else {
        a[o + 1u] = fetch (j, 1u, 2u, ns);
        dft2 (o, 1u);
      }
    }
  }
  barrier ();
  for (b = 0u; b < BPI; b++) {
    j = tid + b * L;
    uint o = b * 4u;
    if (j < nb) {
      uint d = (j / ns) * ns * p + j % ns;
      buf[d] = a[o];
      buf[d + ns] = a[o + 1u];
      if (p == 4u) {
        buf[d + 2u * ns] = a[o + 2u];
        buf[d + 3u * ns] = a[o + 3u];
      }
    }
  }
  barrier ();
}

void
main ()
{
  const uint L = gl_WorkGroupSize.x;
  uint tid = gl_LocalInvocationID.x;
  uint frame = pc.frame_base + gl_WorkGroupID.x;
  uint j;

  if (frame >= pc.n_frames)
    return; // uniform over the workgroup

  uint base = frames.off[frame];
  for (uint n = tid; n < M; n += L)
    buf[n] = load_input (base, n);
  barrier ();

  if (DFT == 0u) {
    const uint odd[6] = uint[6] (ODD0, ODD1, ODD2, ODD3, ODD4, ODD5);
    uint ns = 1u, s;
    for (s = 0u; s < N4 + N2 + N_ODD; s++) {
      uint p = s < N4 ? 4u : s < N4 + N2 ? 2u : odd[s - N4 - N2];
      fft_pass (p, ns);
      ns *= p;
    }
  } else {
    uint c = 0u;
    for (j = tid; j < M; j += L) {
      vec4 acc = buf[0];
      uint idx = j;
      for (uint n = 1u; n < M; n++) {
        acc = cadd (acc, cmul (buf[n], TW (idx)));
        idx += j;
        if (idx >= M)
          idx -= M;
      }
      a[c++] = acc;
    }
    barrier ();
    c = 0u;
    for (j = tid; j < M; j += L)
      buf[j] = a[c++];
    barrier ();
  }

  // Real-input split, still compensated; then X = hi + lo rounded once,
  // and pw = |X[k]|^p, k = 0..M
  float pw[(M + L) / L];
  uint c = 0u;
  for (uint k = tid; k <= M; k += L) {
    vec4 zk = buf[k % M], zm = conj4 (buf[(M - k) % M]);
    vec4 e = 0.5 * cadd (zk, zm);
    vec4 o = mul_mi (0.5 * csub (zk, zm));
    vec4 xk = cadd (e, cmul (o, TW (M + k)));
    vec2 f = xk.xy + xk.zw;
    float q = dot (f, f);
    pw[c++] = MAGNITUDE != 0u ? sqrt (q) : q;
  }
  barrier ();
  // bin 0 in buf[0].x, bin M (Nyquist) in buf[0].y
  c = 0u;
  for (uint k = tid; k <= M; k += L) {
    if (k == M)
      buf[0].y = pw[c++];
    else
      buf[k].x = pw[c++];
  }
  barrier ();

  for (uint m = tid; m < N_MELS; m += L) {
    uvec4 row = uvec4 (texelFetch (rows, int (m)));
    uint first = row.x, count = row.y, woff = row.z;
    float acc = 0.0;
    for (uint i = 0u; i < count; i++) {
      uint k = first + i, wi = woff + i;
      float s = k == 0u ? buf[0].x : (k == M ? buf[0].y : buf[k].x);
      acc += texelFetch (mel, int (wi >> 2u))[wi & 3u] * s;
    }
    float o;
    if (LOG == 0u) {
      // power_to_db (ref 1, amin 1e-10); amplitude_to_db squares first
      float p = MAGNITUDE != 0u ? acc * acc : acc;
      o = 3.0102999566398120 * log2 (max (p, 1e-10));
    } else if (LOG == 1u) {
      o = log (acc + LOG_OFFSET);
    } else {
      o = acc;
    }
    dst.v[frame * N_MELS + m] = o;
  }
}
