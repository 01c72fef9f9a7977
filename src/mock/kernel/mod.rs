//! The layer every API family of the mock stands on, importing none of them: the one
//! clock, the caller identity (token store) and bearer resolution, the `x-api-key`
//! gate, the answer envelopes with one 404/405 fallback each, typed refusals, and
//! request-body and form parsing that answer in the API's own error shape.

pub mod body;
pub mod caller;
pub mod clock;
pub mod envelope;
pub mod fallback;
pub mod form;
pub mod gate;
pub mod identity;
pub mod multipart;
pub mod refusal;
pub mod seed;

use std::sync::Arc;

use clock::MockClock;
use identity::MockState;

/// What every API family is built from: the identity store (which holds the seed and
/// the one clock). Cloning shares it.
#[derive(Debug, Clone)]
pub struct Kernel {
    /// The identity store: API keys, clients, users, tokens, codes; and the seed.
    pub state: Arc<MockState>,
}

impl Kernel {
    /// A kernel seeded from `config`, with a fresh clock.
    pub fn new(identity: seed::IdentitySeed) -> Kernel {
        Kernel {
            state: Arc::new(MockState::new(identity)),
        }
    }

    /// The one mock clock.
    pub fn clock(&self) -> &MockClock {
        self.state.clock()
    }
}
