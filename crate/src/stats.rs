//! The summary of a few scores, as k-fold cross-validation reports them: the
//! five-number summary a box plot draws (min, first quartile, median, third
//! quartile, max) with the mean and the POPULATION standard deviation
//! (ddof = 0, NumPy's `np.std`, as scikit-learn's cross-validation examples
//! print `mean ± std`). The one definition: `gradlab kfold` prints it and the
//! page's Cross-validation panel draws and tabulates it (the worker attaches
//! it to every fold's score, through the facade's `scoreSummary`).

use serde::Serialize;

/// `{n, min, q1, median, q3, max, mean, std}` of the finite values summarised.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// How many finite values were summarised (NaN and ±∞ are left out).
    pub n: usize,
    pub min: f64,
    /// First quartile (25th percentile).
    pub q1: f64,
    pub median: f64,
    /// Third quartile (75th percentile).
    pub q3: f64,
    pub max: f64,
    pub mean: f64,
    /// Population standard deviation: √(Σ(x − mean)² / n).
    pub std: f64,
}

/// Quantile `q` (0 ≤ q ≤ 1) of the sorted, non-empty `s` by linear
/// interpolation between the two nearest ranks: position `(n − 1)·q`
/// (NumPy's default `np.percentile` method "linear", Hyndman–Fan type 7).
fn quantile(s: &[f64], q: f64) -> f64 {
    let pos = (s.len() - 1) as f64 * q;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    s[lo] + (s[hi] - s[lo]) * (pos - lo as f64)
}

/// The [`Summary`] of the finite values of `values` (NaN and ±∞ ignored);
/// `None` when there is none. Quartiles and median by linear interpolation
/// (NumPy's default, see [`quantile`]); std is the population one (ddof = 0).
pub fn summary(values: &[f64]) -> Option<Summary> {
    let mut s: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if s.is_empty() {
        return None;
    }
    s.sort_by(f64::total_cmp);
    let n = s.len();
    let mean = s.iter().sum::<f64>() / n as f64;
    let var = s.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
    Some(Summary {
        n,
        min: s[0],
        q1: quantile(&s, 0.25),
        median: quantile(&s, 0.5),
        q3: quantile(&s, 0.75),
        max: s[n - 1],
        mean,
        std: var.sqrt(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn four_values_as_numpy() {
        // np.percentile([1,2,3,4], [0,25,50,75,100]) = 1, 1.75, 2.5, 3.25, 4;
        // np.mean = 2.5; np.std = sqrt(((1.5²+0.5²)·2)/4) = sqrt(1.25).
        let s = summary(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!(
            (s.n, s.min, s.q1, s.median, s.q3, s.max, s.mean),
            (4, 1.0, 1.75, 2.5, 3.25, 4.0, 2.5)
        );
        assert!(close(s.std, 1.25f64.sqrt()), "{}", s.std);
    }

    #[test]
    fn three_folds_quartiles_are_midpoints() {
        // Positions 0.5 and 1.5 of [0.8, 0.85, 0.9]: 0.825 and 0.875; std = sqrt(0.05²·2/3).
        let s = summary(&[0.8, 0.9, 0.85]).unwrap();
        assert!(close(s.q1, 0.825) && close(s.q3, 0.875), "{s:?}");
        assert_eq!((s.median, s.min, s.max), (0.85, 0.8, 0.9));
        assert!(close(s.mean, 0.85));
        assert!(close(s.std, (0.005f64 / 3.0).sqrt()), "{}", s.std);
    }

    #[test]
    fn one_value_is_every_statistic_with_no_spread() {
        let s = summary(&[7.0]).unwrap();
        assert_eq!(
            (s.n, s.min, s.q1, s.median, s.q3, s.max, s.mean, s.std),
            (1, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 0.0)
        );
    }

    #[test]
    fn non_finite_values_are_left_out_and_nothing_gives_none() {
        let s = summary(&[f64::NAN, 0.5, f64::INFINITY, 0.7, f64::NEG_INFINITY]).unwrap();
        assert_eq!((s.n, s.min, s.max), (2, 0.5, 0.7));
        assert!(close(s.median, 0.6) && close(s.mean, 0.6) && close(s.std, 0.1), "{s:?}");
        assert_eq!(summary(&[]), None);
        assert_eq!(summary(&[f64::NAN, f64::INFINITY]), None);
    }
}
