//! [`AccessError`]: inputs an access, need, gap or siting computation cannot use.

/// Why a cost structure, catchment, index or siting could not be computed. Every message
/// names the offending value and says what is expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AccessError {
    /// A cost between a demand and a supply point is NaN, infinite or negative.
    #[error("the cost from demand {demand} to supply {supply} is {cost}: costs must be finite and at least 0 (metres or minutes); leave an unreachable pair out")]
    BadCost {
        /// Demand (area) index.
        demand: usize,
        /// Supply (service) index.
        supply: usize,
        /// The cost given.
        cost: f64,
    },
    /// A (demand, supply, cost) triple names a point that does not exist.
    #[error(
        "{what} index {index} is out of range: there are {n} {what} points (indices 0 to {n} - 1)"
    )]
    IndexOutOfRange {
        /// `"demand"` or `"supply"`.
        what: &'static str,
        /// The index given.
        index: usize,
        /// Number of points of that kind.
        n: usize,
    },
    /// The same (demand, supply) pair is given twice.
    #[error(
        "the pair demand {demand}, supply {supply} is given more than once: give one cost per pair"
    )]
    DuplicatePair {
        /// Demand (area) index.
        demand: usize,
        /// Supply (service) index.
        supply: usize,
    },
    /// A point has a NaN or infinite coordinate.
    #[error("{what} point {index} is ({x}, {y}): coordinates must be finite projected metres")]
    BadPoint {
        /// `"demand"` or `"supply"`.
        what: &'static str,
        /// Position of the point.
        index: usize,
        /// Its x.
        x: f64,
        /// Its y.
        y: f64,
    },
    /// A cost parameter (a cutoff, a step's upper cost, a coverage cost) is NaN, infinite or
    /// negative.
    #[error("{what} is {value}: it must be a finite cost of at least 0")]
    BadCostParameter {
        /// Which parameter.
        what: &'static str,
        /// The value given.
        value: f64,
    },
    /// A per-point slice does not have one entry per point.
    #[error("{what} has {len} entries but there are {n} points: give one per point, in the cost structure's order")]
    LengthMismatch {
        /// Which input.
        what: &'static str,
        /// Its length.
        len: usize,
        /// Number of points.
        n: usize,
    },
    /// A value that must be a finite number of at least 0 (population, capacity, weight of
    /// demand) is not.
    #[error("{what} at position {index} is {value}: it must be a finite number of at least 0")]
    BadAmount {
        /// Which input.
        what: &'static str,
        /// Position of the value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// A stepwise decay has no steps.
    #[error("a stepwise decay needs at least one (upper cost, weight) step, e.g. [(1000, 1.0), (2000, 0.68), (3000, 0.22)]")]
    NoSteps,
    /// A stepwise decay's upper costs do not increase.
    #[error("step {index} ends at {upper}, not after the previous step's end {previous}: give steps in increasing order of upper cost")]
    StepsNotIncreasing {
        /// Position of the step.
        index: usize,
        /// The previous step's upper cost.
        previous: f64,
        /// This step's upper cost.
        upper: f64,
    },
    /// A decay weight is NaN, infinite or negative.
    #[error("step {index} has weight {weight}: decay weights must be finite and at least 0")]
    BadStepWeight {
        /// Position of the step.
        index: usize,
        /// The weight.
        weight: f64,
    },
    /// A Gaussian decay's sigma is not a positive finite number.
    #[error("Gaussian decay sigma {0} must be a positive, finite cost (e.g. 1000 m)")]
    BadSigma(f64),
    /// A named component or input has a NaN or infinite value.
    #[error("`{name}` in area {index} is {value}: give a finite number, or None when the area has no value")]
    NotFinite {
        /// The component's name.
        name: String,
        /// Position of the area.
        index: usize,
        /// The value.
        value: f64,
    },
    /// A named component does not have one value per area.
    #[error("`{name}` has {len} values but the first component has {n}: give one value (or None) per area")]
    ComponentLength {
        /// The component's name.
        name: String,
        /// Its length.
        len: usize,
        /// The first component's length.
        n: usize,
    },
    /// A named component's weight is NaN or infinite.
    #[error("`{name}` has weight {weight}: weights must be finite numbers")]
    BadWeight {
        /// The component's name.
        name: String,
        /// The weight.
        weight: f64,
    },
    /// Two components share a name.
    #[error("two components are named `{0}`: give each a different name")]
    DuplicateName(String),
    /// A composite was asked of no components.
    #[error("no components given: name at least one column with its weight")]
    NoComponents,
    /// Fewer than two areas have every component, so nothing can be standardised.
    #[error("only {complete} areas have a value for every one of {names}: standardising needs at least 2")]
    TooFewComplete {
        /// Number of areas with every value.
        complete: usize,
        /// The components, comma-separated.
        names: String,
    },
    /// A component has the same value in every area it is standardised over.
    #[error("`{name}` is {value} in every area with all values: a constant has no spread to standardise; leave it out")]
    Constant {
        /// The component's name.
        name: String,
        /// The common value.
        value: f64,
    },
    /// A fraction parameter is outside its range.
    #[error("{what} is {value}: it must lie in [{min}, {max}]")]
    BadFraction {
        /// Which parameter.
        what: &'static str,
        /// The value given.
        value: f64,
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// More new sites were asked for than there are candidates.
    #[error("{k} new sites asked for but there are only {candidates} candidates: ask for at most {candidates}")]
    TooFewCandidates {
        /// Sites asked for.
        k: usize,
        /// Candidates given.
        candidates: usize,
    },
    /// The integer programme of the exact maximal covering location could not be solved.
    #[error("the exact maximal covering programme failed ({0}): use the greedy solver")]
    Solver(String),
}
