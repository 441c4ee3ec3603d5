//! [`Metres`]: a positive, finite length in projected metres (a cell size, a bandwidth).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A positive, finite length in metres, checked on construction: a grid's cell size, a
/// kernel's bandwidth. It serialises as a plain number and deserialising checks it.
///
/// ```
/// use safemap_types::Metres;
///
/// assert_eq!(Metres::new(250.0).unwrap().get(), 250.0);
/// assert!(Metres::new(0.0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Metres(f64);

/// A length that is zero, negative, NaN or infinite.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("{0} m is not a length: give a positive, finite number of metres (e.g. 250)")]
pub struct MetresError(pub f64);

impl Metres {
    /// `metres`, if positive and finite.
    pub fn new(metres: f64) -> Result<Self, MetresError> {
        if metres.is_finite() && metres > 0.0 {
            Ok(Metres(metres))
        } else {
            Err(MetresError(metres))
        }
    }

    /// The length in metres.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Metres {
    type Error = MetresError;

    fn try_from(metres: f64) -> Result<Self, MetresError> {
        Metres::new(metres)
    }
}

impl From<Metres> for f64 {
    fn from(m: Metres) -> f64 {
        m.0
    }
}

impl fmt::Display for Metres {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} m", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::value::{Error as DeError, F64Deserializer};
    use serde::de::IntoDeserializer;

    fn from_number(v: f64) -> Result<Metres, DeError> {
        let d: F64Deserializer<DeError> = v.into_deserializer();
        Metres::deserialize(d)
    }

    #[test]
    fn only_positive_finite_lengths_are_metres() {
        for bad in [0.0, -0.0, -5.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(Metres::new(bad).is_err(), "{bad}");
        }
        assert_eq!(Metres::new(0.5).map(Metres::get), Ok(0.5));
        let e = Metres::new(-5.0).expect_err("negative");
        assert_eq!(e, MetresError(-5.0));
        assert!(e.to_string().contains("-5 m"), "{e}");
    }

    #[test]
    fn deserialising_checks_the_length() {
        assert_eq!(from_number(250.0).map(Metres::get), Ok(250.0));
        let e = from_number(-1.0).expect_err("negative");
        assert!(e.to_string().contains("-1 m"), "{e}");
    }
}
