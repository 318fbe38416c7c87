//! Statistics of repeated invocations: medians and their 95% confidence intervals by the
//! percentile bootstrap, with a seeded generator so a report regenerated from the same raw
//! results is byte for byte the same, and the "no difference" test on two intervals.

use serde::{Deserialize, Serialize};

/// Bootstrap resamples per interval: enough that the 2.5% and 97.5% percentiles of the
/// resampled statistic move by well under the reported precision between seeds.
pub const RESAMPLES: usize = 4000;

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, well-studied generator whose whole
/// state is one word, so an interval depends only on its seed and data.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (`n > 0`), by Lemire's multiply-shift (bias below 2^-50
    /// for the sample sizes used here).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// A seed for one statistic, from the matrix's seed and the names that identify the
/// statistic (FNV-1a): adding a configuration does not change the other intervals.
pub fn seed_for(base: u64, parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ base;
    for p in parts {
        for b in p.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    Some(median_sorted(&v))
}

/// The median of sorted, non-empty `v`.
fn median_sorted(v: &[f64]) -> f64 {
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The `q` quantile (0..=1) of sorted, non-empty `v`, interpolating linearly between
/// order statistics (type 7 of Hyndman and Fan, R's and NumPy's default).
pub fn quantile_sorted(v: &[f64], q: f64) -> f64 {
    let pos = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

/// A point estimate with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The statistic on the data as measured.
    pub value: f64,
    /// Lower end of the 95% interval.
    pub lo: f64,
    /// Upper end of the 95% interval.
    pub hi: f64,
}

impl Estimate {
    /// A value known exactly (an interval of width zero).
    pub fn exact(value: f64) -> Self {
        Estimate {
            value,
            lo: value,
            hi: value,
        }
    }

    /// True when the two intervals share a point: the data cannot tell them apart.
    pub fn overlaps(&self, other: &Estimate) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }

    /// Every end divided by `d` (a unit change).
    pub fn scaled(&self, d: f64) -> Self {
        Estimate {
            value: self.value / d,
            lo: self.lo / d,
            hi: self.hi / d,
        }
    }
}

/// The 2.5% and 97.5% percentiles of bootstrap replicates (consumed: sorted in place).
pub fn percentile_interval(mut replicates: Vec<f64>) -> (f64, f64) {
    replicates.sort_by(f64::total_cmp);
    (
        quantile_sorted(&replicates, 0.025),
        quantile_sorted(&replicates, 0.975),
    )
}

/// The median of `values` with its 95% percentile-bootstrap interval, from [`RESAMPLES`]
/// resamples drawn with `seed`. `None` for no data.
pub fn median_ci(values: &[f64], seed: u64) -> Option<Estimate> {
    let value = median(values)?;
    let mut rng = SplitMix64::new(seed);
    let mut buf = vec![0.0; values.len()];
    let replicates = (0..RESAMPLES)
        .map(|_| {
            for slot in buf.iter_mut() {
                *slot = values[rng.below(values.len())];
            }
            buf.sort_by(f64::total_cmp);
            median_sorted(&buf)
        })
        .collect();
    let (lo, hi) = percentile_interval(replicates);
    Some(Estimate { value, lo, hi })
}

/// Resamples `n` indices with replacement into `out`.
pub fn resample_indices(rng: &mut SplitMix64, n: usize, out: &mut Vec<usize>) {
    out.clear();
    out.extend((0..n).map(|_| rng.below(n)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // The first outputs of SplitMix64 seeded with 1234567 (from the reference C code).
        let mut r = SplitMix64::new(1234567);
        assert_eq!(r.next_u64(), 6457827717110365317);
        assert_eq!(r.next_u64(), 3203168211198807973);
        assert_eq!(r.next_u64(), 9817491932198370423);
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut r = SplitMix64::new(7);
        let mut seen = [0usize; 5];
        for _ in 0..5000 {
            seen[r.below(5)] += 1;
        }
        for count in seen {
            assert!((850..1150).contains(&count), "{seen:?}");
        }
    }

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile_sorted(&v, 0.0), 1.0);
        assert_eq!(quantile_sorted(&v, 0.5), 3.0);
        assert_eq!(quantile_sorted(&v, 1.0), 5.0);
        assert_eq!(quantile_sorted(&v, 0.125), 1.5);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn constant_data_has_a_zero_width_interval() {
        let e = median_ci(&[3.5; 9], 1).unwrap();
        assert_eq!(e, Estimate::exact(3.5));
        assert_eq!(median_ci(&[2.0], 1).unwrap(), Estimate::exact(2.0));
        assert_eq!(median_ci(&[], 1), None);
    }

    #[test]
    fn interval_of_the_median_of_1_to_101_matches_order_statistics() {
        // For n = 101 the distribution-free 95% interval of the median runs from the 41st
        // to the 61st order statistic; the percentile bootstrap approximates it.
        let data: Vec<f64> = (1..=101).map(f64::from).collect();
        let e = median_ci(&data, 42).unwrap();
        assert_eq!(e.value, 51.0);
        assert!((39.0..=44.0).contains(&e.lo), "{e:?}");
        assert!((58.0..=63.0).contains(&e.hi), "{e:?}");
    }

    #[test]
    fn intervals_are_reproducible_from_their_seed() {
        let data = [9.0, 1.0, 4.0, 7.0, 3.0, 8.0, 2.0];
        assert_eq!(median_ci(&data, 5), median_ci(&data, 5));
        let a = seed_for(1, &["w", "a"]);
        assert_ne!(a, seed_for(1, &["w", "b"]));
        assert_ne!(a, seed_for(1, &["wa", ""]));
        assert_ne!(a, seed_for(2, &["w", "a"]));
    }

    #[test]
    fn intervals_cover_the_true_median_about_95_percent_of_the_time() {
        // 400 samples of 25 from a symmetric distribution with median 0 (sum of three
        // uniforms): the interval should contain 0 in about 95% of them. The percentile
        // bootstrap of a median is known to be slightly conservative or liberal at small n,
        // hence the band; a broken resampler (no replacement, wrong percentiles) falls out.
        let mut gen = SplitMix64::new(2024);
        let mut uniform = || gen.next_u64() as f64 / u64::MAX as f64 - 0.5;
        let mut covered = 0;
        for k in 0..400 {
            let sample: Vec<f64> = (0..25).map(|_| uniform() + uniform() + uniform()).collect();
            let e = median_ci(&sample, k).unwrap();
            if e.lo <= 0.0 && 0.0 <= e.hi {
                covered += 1;
            }
        }
        assert!((360..=396).contains(&covered), "covered {covered} of 400");
    }

    #[test]
    fn overlap() {
        let a = Estimate {
            value: 1.0,
            lo: 0.5,
            hi: 1.5,
        };
        let b = Estimate {
            value: 2.0,
            lo: 1.5,
            hi: 2.5,
        };
        let c = Estimate {
            value: 3.0,
            lo: 2.6,
            hi: 3.5,
        };
        assert!(a.overlaps(&b) && b.overlaps(&a));
        assert!(!a.overlaps(&c) && !c.overlaps(&a));
        assert!(b.overlaps(&b));
    }
}
