//! The settings every spatial statistic's parameters share.

/// Implements, for a parameters struct with fields `transform: Transform` and
/// `test: PermutationTest`, the chained setters and getters the statistics share: the weights
/// transform, the number of permutations, the tail convention and the sampling scheme.
/// (A macro rather than a nested struct keeps each statistic's parameters one flat,
/// chainable value: `GetisOrdParams::new(..).permutations(999).tail(..)`.)
macro_rules! inference_params {
    ($params:ty) => {
        impl $params {
            /// The form the weights are put in before computing
            /// ([`Transform::Supplied`](safemap_types::weights::Transform::Supplied) uses
            /// them as given).
            #[must_use]
            pub fn transform(mut self, transform: safemap_types::weights::Transform) -> Self {
                self.transform = transform;
                self
            }

            /// Number of permutations (0 for none; default 999).
            #[must_use]
            pub fn permutations(mut self, permutations: usize) -> Self {
                self.test = self.test.permutations(permutations);
                self
            }

            /// Tail convention of the pseudo p-values (default
            /// [`Tail::Folded`](crate::Tail::Folded)).
            #[must_use]
            pub fn tail(mut self, tail: crate::Tail) -> Self {
                self.test = self.test.tail(tail);
                self
            }

            /// How the random neighbour sets of conditional permutations are drawn (default
            /// [`Sampling::Shared`](crate::permutation::Sampling::Shared)).
            #[must_use]
            pub fn sampling(mut self, sampling: crate::permutation::Sampling) -> Self {
                self.test = self.test.sampling(sampling);
                self
            }

            /// The weights transform used.
            pub fn weights_transform(&self) -> safemap_types::weights::Transform {
                self.transform
            }

            /// The permutation settings.
            pub fn permutation_test(&self) -> crate::PermutationTest {
                self.test
            }
        }
    };
}

pub(crate) use inference_params;
