//! cxgate: contract and load tests for the Genesys Multicloud CX web APIs.

pub mod client;
pub mod cometd;
pub mod contract;
pub mod duration;
pub mod harness;
pub mod ids;
pub mod load;
pub mod markup;
pub mod mock;
pub mod probe;
pub mod report;
pub mod signing;
pub mod steps;
pub mod verify;
