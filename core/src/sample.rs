//! Temporary: replaced by the full module.
use crate::rng::Rng;
/// n
pub fn standard_normal(rng: &mut Rng) -> f64 {
    loop {
        let u = 2.0 * rng.next_f64() - 1.0;
        let v = 2.0 * rng.next_f64() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * libm::sqrt(-2.0 * libm::log(s) / s);
        }
    }
}
/// e
pub fn exponential(rng: &mut Rng, mean: f64) -> f64 {
    -mean * libm::log(rng.next_open01())
}
/// g
pub fn gamma(rng: &mut Rng, shape: f64, scale: f64) -> f64 {
    let d = shape.max(1.0) - 1.0 / 3.0;
    let c = 1.0 / libm::sqrt(9.0 * d);
    loop {
        let x = standard_normal(rng);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = rng.next_open01();
        if libm::log(u) < 0.5 * x * x + d - d * v + d * libm::log(v) {
            let g = d * v * scale;
            return if shape < 1.0 { g * libm::pow(rng.next_open01(), 1.0 / shape) } else { g };
        }
    }
}
/// p
pub fn poisson(rng: &mut Rng, lambda: f64) -> u64 {
    if lambda <= 0.0 {
        return 0;
    }
    if lambda > 30.0 {
        let x = lambda + libm::sqrt(lambda) * standard_normal(rng);
        return x.round().max(0.0) as u64;
    }
    let l = libm::exp(-lambda);
    let mut k = 0;
    let mut p = 1.0;
    loop {
        p *= rng.next_f64();
        if p <= l {
            return k;
        }
        k += 1;
    }
}
/// b
pub fn binomial(rng: &mut Rng, n: u64, p: f64) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    if n < 64 {
        return (0..n).filter(|_| rng.next_f64() < p).count() as u64;
    }
    let m = n as f64 * p;
    let x = m + libm::sqrt(m * (1.0 - p)) * standard_normal(rng);
    (x.round().max(0.0) as u64).min(n)
}
