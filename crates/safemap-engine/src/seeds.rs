//! Random streams: every `[[analysis]]` and the grid draw their permutations from a stream
//! of their own, seeded from the study seed and their name, so no two share draws and
//! adding an analysis changes no other's results.
//!
//! The stream seed is SplitMix64's finaliser of `study_seed` XOR the 64-bit FNV-1a hash of
//! the name's UTF-8 bytes; the manifest records it beside each analysis and the grid.

/// The name of the grid's stream.
pub const GRID_STREAM: &str = "grid";

/// The seed of the stream named `name` under `study_seed`.
///
/// ```
/// use safemap_engine::seeds::stream_seed;
/// assert_ne!(stream_seed(1, "violence"), stream_seed(1, "alcohol"));
/// assert_eq!(stream_seed(1, "violence"), stream_seed(1, "violence"));
/// assert_ne!(stream_seed(1, "violence"), stream_seed(2, "violence"));
/// ```
pub fn stream_seed(study_seed: u64, name: &str) -> u64 {
    // FNV-1a (64-bit): a fixed, documented hash (std's hashers are not stable across
    // releases, and the seed must be reproducible from the manifest's description).
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    // SplitMix64's finaliser spreads nearby inputs over the whole range.
    let mut z = (study_seed ^ hash).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
