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
// The complex FFT is a mixed-radix (4, 2, 3, 5, 7) Stockham autosort FFT
// (Stockham 1966; formulated for GPUs by Govindaraju et al., "High
// Performance Discrete Fourier Transforms on Graphics Processors", SC 2008):
// stage s with radix p reads butterfly j's inputs at j + r M/p, multiplies
// them by W_{Ns p}^{r (j mod Ns)}, does a p-point DFT and writes them at
// (j / Ns) Ns p + (j mod Ns) + r Ns, where Ns is the product of the earlier
// radices. The workgroup keeps the M complex values in shared memory and
// each invocation holds its butterflies' values in registers between the
// read and write halves of a stage, so one array is enough. When M has a
// prime factor above 7 (DFT = 1) the M-point transform is a direct DFT.
// Twiddles come from a table computed in double precision on the host.
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint M = 256;      // n_fft / 2
layout(constant_id = 2) const uint N_MELS = 64;
layout(constant_id = 3) const uint REG = 4;      // values per invocation
layout(constant_id = 4) const uint MAGNITUDE = 0;
layout(constant_id = 5) const uint LOG = 0;      // 0 dB, 1 ln, 2 none
layout(constant_id = 6) const float LOG_OFFSET = 1e-6;
layout(constant_id = 7) const uint DFT = 0;

layout(std430, binding = 0) readonly buffer Samples { float x[]; } samples;
layout(std430, binding = 1) readonly buffer Offsets { uint off[]; } frames;
layout(std430, binding = 2) readonly buffer Window { float w[]; } window;
// [0, M): W_M^j; [M, 2M + 1): W_N^k, k = 0..M (W = exp (-2 pi i / n))
layout(std430, binding = 3) readonly buffer Twiddle { vec2 t[]; } tw;
// per band: first bin, number of bins, offset in weights
layout(std430, binding = 4) readonly buffer MelRows { uint r[]; } rows;
layout(std430, binding = 5) readonly buffer MelWeights { float w[]; } mel;
layout(std430, binding = 6) writeonly buffer Out { float v[]; } dst;

layout(push_constant) uniform Params {
  uint frame_base;
  uint n_frames;
} pc;

shared vec2 buf[M];

vec2
cmul (vec2 a, vec2 b)
{
  return vec2 (a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

// multiplication by -i
vec2
mul_mi (vec2 a)
{
  return vec2 (a.y, -a.x);
}

uint
radix (uint rem)
{
  if (rem % 4u == 0u)
    return 4u;
  if (rem % 2u == 0u)
    return 2u;
  if (rem % 3u == 0u)
    return 3u;
  if (rem % 5u == 0u)
    return 5u;
  return 7u;
}

void
main ()
{
  const uint L = gl_WorkGroupSize.x;
  uint tid = gl_LocalInvocationID.x;
  uint frame = pc.frame_base + gl_WorkGroupID.x;
  vec2 v[REG];
  uint c, j, r;

  if (frame >= pc.n_frames)
    return; // uniform over the workgroup

  uint base = frames.off[frame];
  for (uint n = tid; n < M; n += L)
    buf[n] = vec2 (samples.x[base + 2u * n] * window.w[2u * n],
        samples.x[base + 2u * n + 1u] * window.w[2u * n + 1u]);
  barrier ();

  if (DFT == 0u) {
    uint ns = 1u;
    while (ns < M) {
      uint p = radix (M / ns);
      uint nb = M / p;
      uint tstep = M / (ns * p);

      c = 0u;
      for (j = tid; j < nb; j += L) {
        uint k = j % ns;
        v[c] = buf[j];
        for (r = 1u; r < p; r++)
          v[c + r] = cmul (buf[j + r * nb], tw.t[r * k * tstep]);
        c += p;
      }
      barrier ();
      c = 0u;
      for (j = tid; j < nb; j += L) {
        uint k = j % ns;
        uint d = (j / ns) * ns * p + k;
        if (p == 4u) {
          vec2 a0 = v[c] + v[c + 2u], a1 = v[c] - v[c + 2u];
          vec2 a2 = v[c + 1u] + v[c + 3u];
          vec2 a3 = mul_mi (v[c + 1u] - v[c + 3u]);
          buf[d] = a0 + a2;
          buf[d + ns] = a1 + a3;
          buf[d + 2u * ns] = a0 - a2;
          buf[d + 3u * ns] = a1 - a3;
        } else if (p == 2u) {
          buf[d] = v[c] + v[c + 1u];
          buf[d + ns] = v[c] - v[c + 1u];
        } else {
          // p-point DFT with the twiddles W_p^q = W_M^(q M / p)
          for (uint q = 0u; q < p; q++) {
            vec2 acc = v[c];
            for (r = 1u; r < p; r++)
              acc += cmul (v[c + r], tw.t[((r * q) % p) * nb]);
            buf[d + q * ns] = acc;
          }
        }
        c += p;
      }
      barrier ();
      ns *= p;
    }
  } else {
    c = 0u;
    for (j = tid; j < M; j += L) {
      vec2 acc = vec2 (0.0);
      uint idx = 0u;
      for (uint n = 0u; n < M; n++) {
        acc += cmul (buf[n], tw.t[idx]);
        idx += j;
        if (idx >= M)
          idx -= M;
      }
      v[c++] = acc;
    }
    barrier ();
    c = 0u;
    for (j = tid; j < M; j += L)
      buf[j] = v[c++];
    barrier ();
  }

  // Real-input split; v[c] = (|X[k]|^p, |X[M-k]|^p)
  c = 0u;
  for (uint k = tid; k <= M / 2u; k += L) {
    vec2 zk = buf[k], zm = buf[(M - k) % M];
    vec2 e1 = 0.5 * (zk + vec2 (zm.x, -zm.y));
    vec2 o1 = mul_mi (0.5 * (zk - vec2 (zm.x, -zm.y)));
    vec2 e2 = 0.5 * (zm + vec2 (zk.x, -zk.y));
    vec2 o2 = mul_mi (0.5 * (zm - vec2 (zk.x, -zk.y)));
    vec2 xk = e1 + cmul (tw.t[M + k], o1);
    vec2 xm = e2 + cmul (tw.t[M + M - k], o2);
    vec2 pw = vec2 (dot (xk, xk), dot (xm, xm));
    v[c++] = MAGNITUDE != 0u ? sqrt (pw) : pw;
  }
  barrier ();
  c = 0u;
  for (uint k = tid; k <= M / 2u; k += L) {
    vec2 pw = v[c++];
    if (k == 0u) {
      buf[0] = pw; // bin 0 in .x, bin M (Nyquist) in .y
    } else {
      buf[k].x = pw.x;
      buf[M - k].x = pw.y;
    }
  }
  barrier ();

  for (uint m = tid; m < N_MELS; m += L) {
    uint first = rows.r[3u * m], count = rows.r[3u * m + 1u];
    uint woff = rows.r[3u * m + 2u];
    float acc = 0.0;
    for (uint i = 0u; i < count; i++) {
      uint k = first + i;
      float s = k == 0u ? buf[0].x : (k == M ? buf[0].y : buf[k].x);
      acc += mel.w[woff + i] * s;
    }
    float o;
    if (LOG == 0u) {
      // power_to_db (ref 1, amin 1e-10); amplitude_to_db squares first
      float pw = MAGNITUDE != 0u ? acc * acc : acc;
      o = 3.0102999566398120 * log2 (max (pw, 1e-10));
    } else if (LOG == 1u) {
      o = log (acc + LOG_OFFSET);
    } else {
      o = acc;
    }
    dst.v[frame * N_MELS + m] = o;
  }
}
