//! Random variates (normal, exponential, gamma, Poisson, binomial) drawn from an [`Rng`] stream.
//!
//! Every sampler is a pure function of its parameters and the stream: it keeps no state between
//! calls (the polar method's second normal is discarded), so how much of the stream a call uses
//! depends only on the numbers drawn. All transcendental functions come from the pure-Rust
//! `libm` crate and all other arithmetic is IEEE-exact (`+ - * /`, `sqrt`, `floor`), never a
//! fused multiply-add, so a seed gives the same variates bit for bit on x86_64 and on wasm32.
//!
//! The discrete samplers are exact: up to floating-point rounding in the probabilities, their
//! output follows the Poisson or binomial law, not an approximation of it, and they take O(1)
//! expected time however large the mean (Hörmann's transformed-rejection methods, with
//! log-probabilities evaluated by Loader's saddle-point formulas so that they stay accurate when
//! the mean is in the billions).
//!
//! Parameters outside the domain never panic: a NaN, zero or negative mean, shape, scale or
//! probability gives 0 without drawing anything, and a probability of 1 or more gives `n`.

use crate::rng::Rng;

/// ln(sqrt(2π)), the constant in Stirling's formula.
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// Below this mean Poisson variates come from inversion, at and above it from PTRS, whose
/// constants Hörmann fitted for means of 10 and more.
const POISSON_PTRS_FROM: f64 = 10.0;

/// Below this n·min(p, 1-p) binomial variates come from inversion, at and above it from BTRS,
/// whose constants Hörmann fitted for n·p of 10 and more.
const BINOMIAL_BTRS_FROM: f64 = 10.0;

/// 2^64: a Poisson mean at least this large (or infinite) saturates to `u64::MAX`.
const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;

/// A standard normal variate (mean 0, variance 1), by Marsaglia's polar method.
///
/// Each attempt draws two uniforms and is accepted with probability π/4; only one of the pair
/// of normals an accepted attempt yields is returned, so no state is carried between calls.
#[inline]
pub fn standard_normal(rng: &mut Rng) -> f64 {
    loop {
        let u = 2.0 * rng.next_f64() - 1.0;
        let v = 2.0 * rng.next_f64() - 1.0;
        let s = u * u + v * v;
        if s < 1.0 && s > 0.0 {
            return u * f64::sqrt(-2.0 * libm::log(s) / s);
        }
    }
}

/// An exponential variate with the given mean, by Marsaglia and Tsang's ziggurat ("The
/// Ziggurat Method for Generating Random Variables", 2000) with 256 layers: one 64-bit draw
/// and a table look-up in about 99 % of calls, an exact rejection step (with `libm::exp`) or
/// the tail by inversion otherwise. The tables are built once with `libm`, so they are the
/// same on every target. It is the hot path of Lambda arrivals and service times.
///
/// A NaN, zero or negative mean gives 0 without drawing.
#[inline]
pub fn exponential(rng: &mut Rng, mean: f64) -> f64 {
    if mean > 0.0 { mean * standard_exponential(rng) } else { 0.0 }
}

/// Where the ziggurat's base strip ends, and the area of each of its 256 strips.
const ZIG_EXP_R: f64 = 7.697_117_470_131_05;
const ZIG_EXP_V: f64 = 0.003_949_659_822_581_557;

/// Layer edges `x[0..=256]` (decreasing, `x[1] = R`, `x[256] = 0`) and `f[i] = exp(-x[i])`.
fn zig_exp_tables() -> &'static ([f64; 257], [f64; 257]) {
    static TABLES: std::sync::OnceLock<([f64; 257], [f64; 257])> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let mut x = [0.0; 257];
        let mut f = [0.0; 257];
        x[0] = ZIG_EXP_V * libm::exp(ZIG_EXP_R);
        x[1] = ZIG_EXP_R;
        for i in 1..256 {
            x[i + 1] = if i == 255 { 0.0 } else { -libm::log(ZIG_EXP_V / x[i] + libm::exp(-x[i])) };
        }
        for i in 0..257 {
            f[i] = libm::exp(-x[i]);
        }
        (x, f)
    })
}

/// A unit-mean exponential variate (see `exponential`).
fn standard_exponential(rng: &mut Rng) -> f64 {
    let (x, f) = zig_exp_tables();
    loop {
        let bits = rng.next_u64();
        let i = (bits & 0xff) as usize;
        let u = (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        let z = u * x[i];
        if z < x[i + 1] {
            return z;
        }
        if i == 0 {
            // The tail beyond R is exponential again, shifted by R.
            return ZIG_EXP_R - libm::log(rng.next_open01());
        }
        if f[i + 1] + (f[i] - f[i + 1]) * rng.next_f64() < libm::exp(-z) {
            return z;
        }
    }
}

/// A gamma variate with the given shape and scale (mean `shape * scale`), by Marsaglia and
/// Tsang's method.
///
/// A shape below 1 draws a gamma with shape `shape + 1` and multiplies it by `U^(1/shape)`,
/// the uniform being drawn after the accepted attempt. A NaN, zero or negative shape or scale
/// gives 0 without drawing.
pub fn gamma(rng: &mut Rng, shape: f64, scale: f64) -> f64 {
    if !(shape > 0.0 && scale > 0.0) {
        return 0.0;
    }
    if shape < 1.0 {
        let g = marsaglia_tsang(rng, shape + 1.0);
        return g * libm::pow(rng.next_open01(), 1.0 / shape) * scale;
    }
    marsaglia_tsang(rng, shape) * scale
}

/// A unit-scale gamma variate for `shape >= 1` (Marsaglia & Tsang 2000, with their squeeze,
/// which spares the logarithms in about 98% of acceptances).
fn marsaglia_tsang(rng: &mut Rng, shape: f64) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / f64::sqrt(9.0 * d);
    loop {
        let x = standard_normal(rng);
        let t = 1.0 + c * x;
        if t <= 0.0 {
            continue;
        }
        let v = t * t * t;
        let u = rng.next_open01();
        let x2 = x * x;
        if u < 1.0 - 0.0331 * x2 * x2 || libm::log(u) < 0.5 * x2 + d * (1.0 - v + libm::log(v)) {
            return d * v;
        }
    }
}

/// A Poisson variate with mean `lambda`, exact, in O(1) expected time for any mean.
///
/// Means below 10 use inversion by sequential search from 0 (one uniform per call, apart from
/// a redraw if the uniform falls in the rounding residue above the computed distribution
/// function, which has probability about 1e-15). Means of 10 and more use Hörmann's PTRS
/// (transformed rejection with squeeze, 1993), two uniforms per attempt and 1.1 to 1.35
/// attempts on average (fewer as the mean grows). A NaN, zero or negative mean gives 0 without
/// drawing; a mean of 2^64 or more, or infinity, gives `u64::MAX` without drawing. Above 2^53
/// the result is only as fine as the f64 grid there.
#[inline]
pub fn poisson(rng: &mut Rng, lambda: f64) -> u64 {
    if lambda.is_nan() || lambda <= 0.0 {
        0
    } else if lambda < POISSON_PTRS_FROM {
        poisson_inversion(rng, lambda)
    } else if lambda < TWO_POW_64 {
        poisson_ptrs(rng, lambda)
    } else {
        u64::MAX
    }
}

/// Poisson by inversion for `0 < lambda < 10`: the smallest k with U < F(k).
fn poisson_inversion(rng: &mut Rng, lambda: f64) -> u64 {
    let p0 = libm::exp(-lambda);
    'draw: loop {
        let mut u = rng.next_f64();
        let mut p = p0;
        let mut k = 0u64;
        while u >= p {
            u -= p;
            k += 1;
            p *= lambda / k as f64;
            if p == 0.0 {
                // The probabilities have underflowed, so U lies in the rounding residue above
                // the computed distribution function: draw again rather than return a huge k.
                continue 'draw;
            }
        }
        return k;
    }
}

/// Poisson by Hörmann's PTRS for `10 <= lambda < 2^64`.
fn poisson_ptrs(rng: &mut Rng, lambda: f64) -> u64 {
    let slam = f64::sqrt(lambda);
    let b = 0.931 + 2.53 * slam;
    let a = -0.059 + 0.02483 * b;
    let alpha = 1.1239 + 1.1328 / (b - 3.4);
    let v_r = 0.9277 - 3.6224 / (b - 2.0);
    loop {
        let u = rng.next_f64() - 0.5;
        let v = rng.next_f64();
        let us = 0.5 - u.abs();
        let k = ((2.0 * a / us + b) * u + lambda + 0.43).floor();
        // The squeeze region below never yields a negative k for lambda >= 10, so testing the
        // sign first changes nothing but keeps the conversion to u64 obviously safe. (us = 0
        // makes k = -inf, rejected here.)
        if k < 0.0 {
            continue;
        }
        if us >= 0.07 && v <= v_r {
            return k as u64;
        }
        if us < 0.013 && v > us {
            continue;
        }
        if libm::log(v * alpha / (a / (us * us) + b)) <= log_poisson_pmf(k, lambda) {
            return k as u64;
        }
    }
}

/// A binomial variate: the number of successes in `n` trials of probability `p`, exact, in O(1)
/// expected time for any `n`.
///
/// A `p` above 1/2 draws `n - binomial(n, 1 - p)`. Then if `n * p < 10` it uses inversion by
/// sequential search from 0 (one uniform, with the same rare redraw as [`poisson`]); otherwise
/// Hörmann's BTRS (transformed rejection with squeeze, 1993), two uniforms per attempt and 1.1
/// to 1.45 attempts on average. A NaN, zero or negative `p`, or `n == 0`, gives 0 and a `p` of
/// 1 or more gives `n`, both without drawing. Above 2^53 trials the result is only as fine as
/// the f64 grid there, but it never exceeds `n`.
#[inline]
pub fn binomial(rng: &mut Rng, n: u64, p: f64) -> u64 {
    if n == 0 || p.is_nan() || p <= 0.0 {
        0
    } else if p >= 1.0 {
        n
    } else if p > 0.5 {
        // 1 - p is exact for p in [1/2, 1], so the symmetry loses nothing.
        n - binomial_half(rng, n, 1.0 - p)
    } else {
        binomial_half(rng, n, p)
    }
}

/// Binomial for `0 < p <= 1/2`; the result is at most `n`.
fn binomial_half(rng: &mut Rng, n: u64, p: f64) -> u64 {
    let nf = n as f64;
    let k = if nf * p < BINOMIAL_BTRS_FROM { binomial_inversion(rng, nf, p) } else { binomial_btrs(rng, nf, p) };
    // Only when n is beyond 2^53 can rounding n to f64 let k pass n; clamp so `n - k` is safe.
    k.min(n)
}

/// Binomial by inversion for `n * p < 10`, `p <= 1/2`: the smallest k with U < F(k).
fn binomial_inversion(rng: &mut Rng, nf: f64, p: f64) -> u64 {
    let ratio = p / (1.0 - p);
    // (1 - p)^n through log1p, which stays accurate for the tiny p that huge n implies.
    let p0 = libm::exp(nf * libm::log1p(-p));
    'draw: loop {
        let mut u = rng.next_f64();
        let mut px = p0;
        let mut k = 0u64;
        while u >= px {
            u -= px;
            k += 1;
            let kf = k as f64;
            px *= ratio * ((nf - kf + 1.0) / kf);
            if px <= 0.0 {
                // Past k = n, or underflowed: U lies in the rounding residue, so draw again.
                continue 'draw;
            }
        }
        return k;
    }
}

/// Binomial by Hörmann's BTRS for `n * p >= 10`, `p <= 1/2`.
fn binomial_btrs(rng: &mut Rng, nf: f64, p: f64) -> u64 {
    let q = 1.0 - p;
    let spq = f64::sqrt(nf * p * q);
    let b = 1.15 + 2.53 * spq;
    let a = -0.0873 + 0.0248 * b + 0.01 * p;
    let c = nf * p + 0.5;
    let alpha = (2.83 + 5.1 / b) * spq;
    let v_r = 0.92 - 4.2 / b;
    let mode = ((nf + 1.0) * p).floor();
    // The probability at the mode is needed only when the squeeze fails (about one attempt in
    // five), so it is computed on first use.
    let mut log_f_mode = None;
    loop {
        let u = rng.next_f64() - 0.5;
        let v = rng.next_f64();
        let us = 0.5 - u.abs();
        let k = ((2.0 * a / us + b) * u + c).floor();
        // As in PTRS, the squeeze never yields k outside [0, n] for n * p >= 10, so the range
        // test can come first.
        if k < 0.0 || k > nf {
            continue;
        }
        if us >= 0.07 && v <= v_r {
            return k as u64;
        }
        let lfm = *log_f_mode.get_or_insert_with(|| log_binomial_pmf(mode, nf, p, q));
        if libm::log(v * alpha / (a / (us * us) + b)) <= log_binomial_pmf(k, nf, p, q) - lfm {
            return k as u64;
        }
    }
}

/// ln P(X = k) for X ~ Poisson(lambda), k a whole number >= 0 (Loader's saddle-point form,
/// accurate where `k ln(lambda) - lambda - ln k!` would cancel catastrophically).
fn log_poisson_pmf(k: f64, lambda: f64) -> f64 {
    if k == 0.0 {
        return -lambda;
    }
    -stirlerr(k) - bd0(k, lambda) - LN_SQRT_2PI - 0.5 * libm::log(k)
}

/// ln P(X = k) for X ~ Binomial(n, p), `q = 1 - p`, k a whole number in [0, n] (Loader's
/// saddle-point form).
fn log_binomial_pmf(k: f64, n: f64, p: f64, q: f64) -> f64 {
    if k == 0.0 {
        return n * libm::log1p(-p);
    }
    if k == n {
        return n * libm::log(p);
    }
    let nk = n - k;
    stirlerr(n)
        - stirlerr(k)
        - stirlerr(nk)
        - bd0(k, n * p)
        - bd0(nk, n * q)
        - LN_SQRT_2PI
        - 0.5 * libm::log(k * (nk / n))
}

/// The error of Stirling's formula, `ln n! - ((n + 1/2) ln n - n + ln sqrt(2π))`, for a whole
/// number n >= 1 (a table to 15, then the asymptotic series, as in Loader 2000).
fn stirlerr(n: f64) -> f64 {
    // Exact values to double precision for n = 0..=15; the entry for 0 is a placeholder, as the
    // error is infinite there and callers handle k = 0 themselves.
    const TABLE: [f64; 16] = [
        0.0,
        0.081_061_466_795_327_26,
        0.041_340_695_955_409_29,
        0.027_677_925_684_998_34,
        0.020_790_672_103_765_093,
        0.016_644_691_189_821_193,
        0.013_876_128_823_070_748,
        0.011_896_709_945_891_77,
        0.010_411_265_261_972_096,
        0.009_255_462_182_712_733,
        0.008_330_563_433_362_87,
        0.007_573_675_487_951_841,
        0.006_942_840_107_209_53,
        0.006_408_994_188_004_207,
        0.005_951_370_112_758_847_5,
        0.005_554_733_551_962_801,
    ];
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    if n <= 15.0 {
        return TABLE[n as usize];
    }
    let nn = n * n;
    if n > 500.0 {
        (S0 - S1 / nn) / n
    } else if n > 80.0 {
        (S0 - (S1 - S2 / nn) / nn) / n
    } else if n > 35.0 {
        (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n
    }
}

/// The deviance term `x ln(x / m) + m - x` for x, m > 0, computed without cancellation when x
/// is close to m (Loader 2000): it is the part of a log-probability that is O(1) however large
/// x and m are.
fn bd0(x: f64, m: f64) -> f64 {
    let d = x - m;
    if d.abs() < 0.1 * (x + m) {
        // Series in v = (x - m) / (x + m), |v| < 0.1, so each term shrinks by 100 or more.
        let mut v = d / (x + m);
        let mut s = d * v;
        let mut ej = 2.0 * x * v;
        v *= v;
        let mut j = 3.0;
        while j < 1000.0 {
            ej *= v;
            let s1 = s + ej / j;
            if s1 == s {
                break;
            }
            s = s1;
            j += 2.0;
        }
        s
    } else {
        x * libm::log(x / m) + m - x
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Purpose;

    /// The (1 - 1e-6) quantile of the standard normal.
    const Z_1E6: f64 = 4.753_424_308_822_899;

    fn rng(seed: u64) -> Rng {
        Rng::new(seed, 0, Purpose::Scenario)
    }

    /// Checks the sample mean and variance against the theoretical mean, variance and fourth
    /// central moment, each within five standard errors.
    fn check_mean_var(what: &str, xs: &[f64], mean: f64, var: f64, mu4: f64) {
        let n = xs.len() as f64;
        // Centre on the theoretical mean so the sums stay accurate for means near 1e9.
        let d1 = xs.iter().map(|x| x - mean).sum::<f64>() / n;
        let m = mean + d1;
        let s2 = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0);
        let se_mean = f64::sqrt(var / n);
        let se_var = f64::sqrt((mu4 - var * var) / n);
        assert!(d1.abs() <= 5.0 * se_mean, "{what}: mean {m} vs {mean} (se {se_mean})");
        assert!((s2 - var).abs() <= 5.0 * se_var, "{what}: variance {s2} vs {var} (se {se_var})");
    }

    fn poisson_moments(lambda: f64, n: usize, seed: u64) {
        let mut r = rng(seed);
        let xs: Vec<f64> = (0..n).map(|_| poisson(&mut r, lambda) as f64).collect();
        check_mean_var(&format!("poisson({lambda})"), &xs, lambda, lambda, lambda * (1.0 + 3.0 * lambda));
    }

    fn binomial_moments(trials: u64, p: f64, n: usize, seed: u64) {
        let mut r = rng(seed);
        let xs: Vec<f64> = (0..n).map(|_| binomial(&mut r, trials, p) as f64).collect();
        assert!(xs.iter().all(|&x| x <= trials as f64));
        let nf = trials as f64;
        let var = nf * p * (1.0 - p);
        let mu4 = var * (1.0 + 3.0 * (nf - 2.0) * p * (1.0 - p));
        check_mean_var(&format!("binomial({trials}, {p})"), &xs, nf * p, var, mu4);
    }

    /// Pearson's chi-square of `n` draws against `pmf` on 0..=`max_k`: values are grouped
    /// into bins of expected count >= 10, the last bin also taking everything above. Fails if
    /// the statistic exceeds its (1 - 1e-6) quantile (Wilson–Hilferty approximation).
    fn chi_square(what: &str, n: usize, max_k: u64, pmf: impl Fn(u64) -> f64, mut draw: impl FnMut() -> u64) {
        let mut counts = vec![0u64; max_k as usize + 2];
        for _ in 0..n {
            let k = draw().min(max_k + 1);
            counts[k as usize] += 1;
        }
        let nf = n as f64;
        let mut bins: Vec<(f64, f64)> = Vec::new(); // (expected, observed)
        let (mut e, mut o, mut covered) = (0.0, 0.0, 0.0);
        for k in 0..=max_k {
            let pk = pmf(k);
            covered += pk;
            e += nf * pk;
            o += counts[k as usize] as f64;
            if e >= 10.0 {
                bins.push((e, o));
                (e, o) = (0.0, 0.0);
            }
        }
        // Everything above max_k, and any unfinished bin, joins the last bin.
        e += nf * (1.0 - covered).max(0.0);
        o += counts[max_k as usize + 1] as f64;
        match bins.last_mut() {
            Some(last) if e < 10.0 => {
                last.0 += e;
                last.1 += o;
            }
            _ => bins.push((e, o)),
        }
        let stat: f64 = bins.iter().map(|&(e, o)| (o - e) * (o - e) / e).sum();
        let df = (bins.len() - 1) as f64;
        let t = 1.0 - 2.0 / (9.0 * df) + Z_1E6 * f64::sqrt(2.0 / (9.0 * df));
        let critical = df * t * t * t;
        assert!(df >= 2.0, "{what}: only {} bins", bins.len());
        assert!(stat < critical, "{what}: chi-square {stat} with {df} df exceeds {critical}");
    }

    fn poisson_pmf(lambda: f64) -> impl Fn(u64) -> f64 {
        move |k| {
            let k = k as f64;
            libm::exp(k * libm::log(lambda) - lambda - libm::lgamma(k + 1.0))
        }
    }

    fn binomial_pmf(n: u64, p: f64) -> impl Fn(u64) -> f64 {
        move |k| {
            if k > n {
                return 0.0;
            }
            let (n, k) = (n as f64, k as f64);
            libm::exp(
                libm::lgamma(n + 1.0) - libm::lgamma(k + 1.0) - libm::lgamma(n - k + 1.0)
                    + k * libm::log(p)
                    + (n - k) * libm::log1p(-p),
            )
        }
    }

    #[test]
    fn poisson_mean_and_variance() {
        for (i, lambda) in [0.5, 3.0, 9.99, 10.0, 37.5, 800.0, 1e6, 1e9].into_iter().enumerate() {
            poisson_moments(lambda, 50_000, 100 + i as u64);
        }
    }

    #[test]
    fn binomial_mean_and_variance() {
        let cases = [(5, 0.3), (20, 0.49), (100, 0.05), (1000, 0.5), (1000, 0.93), (1_000_000_000, 0.1)];
        for (i, (n, p)) in cases.into_iter().enumerate() {
            binomial_moments(n, p, 50_000, 200 + i as u64);
        }
    }

    #[test]
    fn binomial_huge_n_moments() {
        // Mean 1e11: BTRS must stay O(1) and accurate with n near the top of the range used.
        binomial_moments(1_000_000_000_000, 0.1, 5_000, 300);
        binomial_moments(1_000_000_000_000, 4e-12, 5_000, 301);
    }

    #[test]
    fn poisson_distribution() {
        for (lambda, max_k, seed) in [(3.0, 30, 1), (25.0, 80, 2), (0.5, 15, 3), (9.99, 40, 4), (10.0, 40, 5)] {
            let mut r = rng(seed);
            chi_square(&format!("poisson({lambda})"), 200_000, max_k, poisson_pmf(lambda), || poisson(&mut r, lambda));
        }
        let mut r = rng(6);
        chi_square("poisson(800)", 200_000, 1000, poisson_pmf(800.0), || poisson(&mut r, 800.0));
    }

    #[test]
    fn binomial_distribution() {
        // (30, 0.4) is BTRS, (30, 0.2) inversion, (30, 0.8) inversion through the symmetry,
        // (100, 0.7) BTRS through the symmetry.
        for (n, p, seed) in [(30, 0.4, 11), (30, 0.2, 12), (30, 0.8, 13), (100, 0.7, 14)] {
            let mut r = rng(seed);
            chi_square(&format!("binomial({n}, {p})"), 200_000, n, binomial_pmf(n, p), || binomial(&mut r, n, p));
        }
    }

    /// A far stronger check of the rejection samplers' exactness than the quick tests can
    /// afford: run it after changing an algorithm with
    /// `cargo test --release -- --ignored heavy_distribution`.
    #[test]
    #[ignore = "slow: tens of millions of draws"]
    fn heavy_distribution() {
        let n = 10_000_000;
        for (i, lambda) in [0.01, 1.0, 9.999, 10.0, 12.0, 20.0, 55.5, 300.0, 5000.0].into_iter().enumerate() {
            let mut r = rng(500 + i as u64);
            let max_k = (lambda + 12.0 * f64::sqrt(lambda) + 30.0) as u64;
            chi_square(&format!("poisson({lambda})"), n, max_k, poisson_pmf(lambda), || poisson(&mut r, lambda));
        }
        let cases = [(20, 0.5), (25, 0.4), (50, 0.2), (1000, 0.0101), (200, 0.5), (10_000, 0.3), (100_000, 0.999)];
        for (i, (t, p)) in cases.into_iter().enumerate() {
            let mut r = rng(600 + i as u64);
            chi_square(&format!("binomial({t}, {p})"), n, t, binomial_pmf(t, p), || binomial(&mut r, t, p));
        }
    }

    #[test]
    fn normal_moments() {
        let mut r = rng(20);
        let n = 50_000;
        let xs: Vec<f64> = (0..n).map(|_| standard_normal(&mut r)).collect();
        check_mean_var("normal", &xs, 0.0, 1.0, 3.0);
        let nf = n as f64;
        let mean = xs.iter().sum::<f64>() / nf;
        let m2 = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / nf;
        let m3 = xs.iter().map(|x| (x - mean) * (x - mean) * (x - mean)).sum::<f64>() / nf;
        let skew = m3 / (m2 * f64::sqrt(m2));
        assert!(skew.abs() < 5.0 * f64::sqrt(6.0 / nf), "normal skewness {skew}");
    }

    #[test]
    fn ziggurat_exponential_follows_the_cdf_and_the_tail() {
        // P(X <= x) = 1 - exp(-x) at several points, and the tail beyond the base strip.
        let mut r = Rng::new(5, 0, Purpose::Scenario);
        let n = 1_000_000;
        let xs: Vec<f64> = (0..n).map(|_| exponential(&mut r, 1.0)).collect();
        for x in [0.01, 0.1, 0.5, 1.0, 2.0, 4.0, 7.0] {
            let got = xs.iter().filter(|&&v| v <= x).count() as f64 / n as f64;
            let want = 1.0 - libm::exp(-x);
            let se = (want * (1.0 - want) / n as f64).sqrt();
            assert!((got - want).abs() < 6.0 * se + 1e-6, "P(X <= {x}) = {got}, want {want}");
        }
        let tail = xs.iter().filter(|&&v| v > 8.0).count() as f64 / n as f64;
        let want = libm::exp(-8.0);
        assert!((tail - want).abs() < 6.0 * (want / n as f64).sqrt(), "{tail} vs {want}");
        assert!(xs.iter().all(|v| v.is_finite() && *v >= 0.0));
    }

    #[test]
    fn exponential_moments() {
        let mut r = rng(21);
        let mean = 2.5;
        let xs: Vec<f64> = (0..50_000).map(|_| exponential(&mut r, mean)).collect();
        assert!(xs.iter().all(|&x| x > 0.0 && x.is_finite()));
        // Exponential: variance mean², fourth central moment 9 mean⁴.
        check_mean_var("exponential", &xs, mean, mean * mean, 9.0 * mean * mean * mean * mean);
    }

    #[test]
    fn gamma_moments() {
        for (i, shape) in [0.3, 1.0, 4.5].into_iter().enumerate() {
            let scale = 2.0;
            let mut r = rng(30 + i as u64);
            let xs: Vec<f64> = (0..40_000).map(|_| gamma(&mut r, shape, scale)).collect();
            assert!(xs.iter().all(|&x| x >= 0.0 && x.is_finite()));
            let s4 = scale * scale * scale * scale;
            check_mean_var(
                &format!("gamma({shape}, {scale})"),
                &xs,
                shape * scale,
                shape * scale * scale,
                3.0 * shape * (shape + 2.0) * s4,
            );
        }
    }

    #[test]
    fn log_pmfs_match_lgamma() {
        // Reference values computed with mpmath at 40 significant digits.
        let stirling = [
            (1.0, 0.081_061_466_795_327_26),
            (15.0, 0.005_554_733_551_962_801),
            (16.0, 0.005_207_655_919_609_640_4),
            (24.0, 0.003_472_021_382_978_767),
            (35.0, 0.002_380_887_608_234_112),
            (36.0, 0.002_314_755_290_514_684),
            (80.0, 0.001_041_661_241_561_619_2),
            (81.0, 0.001_028_801_357_710_777_4),
            (500.0, 0.000_166_666_644_444_469_84),
            (501.0, 0.000_166_333_976_579_932_7),
            (1e6, 8.333_333_333_333_056e-8),
            (1e12, 8.333_333_333_333_303e-14),
        ];
        for (n, want) in stirling {
            // Absolute error is what matters, as stirlerr is added to log-probabilities of size
            // one or more; the series' truncation costs about 1e-16 just above the table.
            let tol = 1e-14 * want + 2e-16;
            assert!((stirlerr(n) - want).abs() <= tol, "stirlerr({n}) = {} vs {want}", stirlerr(n));
        }
        // The table against lgamma, which is accurate to about 1e-14 at these small arguments:
        // enough to catch a mistyped digit.
        for n in 1..=15 {
            let n = f64::from(n);
            let from_lgamma = libm::lgamma(n + 1.0) - ((n + 0.5) * libm::log(n) - n + LN_SQRT_2PI);
            assert!((stirlerr(n) - from_lgamma).abs() < 1e-13, "stirlerr({n}) table entry");
        }
        let deviance = [
            (1_000_031_622.0, 1e9, 0.499_970_172_008_847_9),
            (10.0, 12.5, 0.268_564_486_857_902_46),
            (100.0, 37.5, 35.582_925_301_172_62),
            (1_000_000_500_000.0, 1e12, 0.124_999_979_166_671_88),
            (3.0, 30.0, 20.092_244_721_017_863),
        ];
        for (x, m, want) in deviance {
            assert!((bd0(x, m) - want).abs() <= 1e-13 * want, "bd0({x}, {m}) = {} vs {want}", bd0(x, m));
        }
        for (k, lambda) in [(0.0, 12.0), (1.0, 12.0), (12.0, 12.0), (40.0, 12.0), (700.0, 800.0), (900.0, 800.0)] {
            let exact = k * libm::log(lambda) - lambda - libm::lgamma(k + 1.0);
            let ours = log_poisson_pmf(k, lambda);
            assert!((ours - exact).abs() < 1e-11 * (1.0 + exact.abs()), "log_poisson_pmf({k}, {lambda})");
        }
        for (k, n, p) in
            [(0.0, 30.0, 0.4), (30.0, 30.0, 0.4), (1.0, 30.0, 0.4), (12.0, 30.0, 0.4), (450.0, 1000.0, 0.5)]
        {
            let exact = libm::lgamma(n + 1.0) - libm::lgamma(k + 1.0) - libm::lgamma(n - k + 1.0)
                + k * libm::log(p)
                + (n - k) * libm::log1p(-p);
            let ours = log_binomial_pmf(k, n, p, 1.0 - p);
            assert!((ours - exact).abs() < 1e-11 * (1.0 + exact.abs()), "log_binomial_pmf({k}, {n}, {p})");
        }
    }

    #[test]
    fn degenerate_parameters_return_without_drawing() {
        let mut r = rng(40);
        let before = r.clone().next_u64();
        for bad in [f64::NAN, 0.0, -1.0, f64::NEG_INFINITY] {
            assert_eq!(poisson(&mut r, bad), 0);
            assert_eq!(binomial(&mut r, 10, bad), 0);
            assert_eq!(exponential(&mut r, bad), 0.0);
            assert_eq!(gamma(&mut r, bad, 1.0), 0.0);
            assert_eq!(gamma(&mut r, 1.0, bad), 0.0);
        }
        assert_eq!(binomial(&mut r, 0, 0.5), 0);
        assert_eq!(binomial(&mut r, 10, 1.0), 10);
        assert_eq!(binomial(&mut r, u64::MAX, f64::INFINITY), u64::MAX);
        assert_eq!(poisson(&mut r, f64::INFINITY), u64::MAX);
        assert_eq!(poisson(&mut r, 1e300), u64::MAX);
        assert_eq!(r.next_u64(), before);
    }

    #[test]
    fn extreme_parameters_terminate_in_range() {
        let mut r = rng(41);
        for _ in 0..200 {
            let _ = poisson(&mut r, 1e18);
            let _ = poisson(&mut r, 1.8e19);
            assert!(poisson(&mut r, 1e-300) <= 1);
            for p in [1e-300, 1e-18, 1e-12, 0.3, 0.5, 0.7, 1.0 - 1e-16] {
                let _ = binomial(&mut r, u64::MAX, p);
                let _ = binomial(&mut r, (1 << 53) + 1, p);
                assert!(binomial(&mut r, 3, p) <= 3);
            }
            assert!(gamma(&mut r, 1e-300, 1.0) >= 0.0);
            assert!(gamma(&mut r, 1e300, 1.0) > 0.0);
            assert!(gamma(&mut r, f64::INFINITY, 1.0) >= 0.0);
            assert!(exponential(&mut r, f64::MAX) >= 0.0);
        }
    }

    #[test]
    fn first_outputs_are_pinned() {
        // Seed 42, replication 0, Scenario. For each sampler: its first five outputs (f64 as
        // bits), a digest of the next thousand (which exercises the rejection branches that
        // the first five may all skip) and the stream's next u64 afterwards (which pins how
        // much of the stream was consumed). Any change to an algorithm or to its consumption
        // changes these, and with them every simulation result.
        fn pin(f: impl Fn(&mut Rng) -> u64) -> ([u64; 5], u64, u64) {
            let mut r = Rng::new(42, 0, Purpose::Scenario);
            let first = [(); 5].map(|()| f(&mut r));
            let digest = (0..1000).fold(0xcbf2_9ce4_8422_2325_u64, |h, _| {
                (h ^ f(&mut r)).wrapping_mul(0x0000_0100_0000_01b3).rotate_left(17)
            });
            (first, digest, r.next_u64())
        }
        let got = [
            pin(|r| standard_normal(r).to_bits()),
            pin(|r| exponential(r, 2.0).to_bits()),
            pin(|r| gamma(r, 0.3, 1.0).to_bits()),
            pin(|r| gamma(r, 4.5, 2.0).to_bits()),
            pin(|r| poisson(r, 3.0)),
            pin(|r| poisson(r, 37.5)),
            pin(|r| poisson(r, 1e6)),
            pin(|r| binomial(r, 100, 0.05)),
            pin(|r| binomial(r, 1000, 0.3)),
            pin(|r| binomial(r, 1000, 0.93)),
            pin(|r| binomial(r, 1_000_000_000, 0.1)),
        ];
        let want = [
            // standard_normal: -1.4746020567770592, 0.2734971631330865, 0.04401690387331246, ...
            (
                [
                    13832691873300843651,
                    4598598506805798144,
                    4586504325416013726,
                    4604243127634467226,
                    4608478974913898586,
                ],
                10350426046985482770,
                2171456549124600418,
            ),
            // exponential(2) (ziggurat): 0.39442637746081294, 1.351241030323164, 3.232684619554971, ...
            (
                [
                    4600776973864136367,
                    4608764267773298038,
                    4614461777424034459,
                    4614689498499935837,
                    4618185682809138695,
                ],
                17063188210560518443,
                7395574905102116260,
            ),
            // gamma(0.3, 1): 0.04094667865848059, 1.1571294363540326e-5, 0.00023694385487400048, ...
            (
                [
                    4586061859331742996,
                    4532948112090573640,
                    4552873709318228193,
                    4591781416288262013,
                    4587445151218671066,
                ],
                14214672518839091526,
                8738804817506121542,
            ),
            // gamma(4.5, 2): 3.6465717663616237, 15.398976820635989, 11.397244147779324, ...
            (
                [
                    4615393768424100398,
                    4624858471338671293,
                    4622605696116882091,
                    4619498910414601782,
                    4616127166321852498,
                ],
                12273126943909645618,
                729974672567079833,
            ),
            ([2, 3, 3, 4, 3], 6386600954597431961, 4814993929451159608),
            ([35, 38, 40, 28, 41], 11241308058957915363, 761374206788762830),
            ([999575, 1000097, 1000382, 998412, 1000524], 13685571696387245934, 8561637767472485005),
            ([4, 6, 5, 6, 6], 8542448348192361239, 4814993929451159608),
            ([294, 301, 306, 277, 308], 1592778030394614054, 4546731466696117584),
            ([934, 929, 927, 943, 926], 5685681185010417623, 6451516316330659912),
            ([99995968, 100000917, 100003624, 99984940, 100004965], 5037884584745681915, 1639067560498437922),
        ];
        assert_eq!(got, want);
    }
}
