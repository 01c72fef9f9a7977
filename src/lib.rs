//! cxgate: contract and load tests for the Genesys Multicloud CX web APIs.

pub mod contract;
pub mod report;
pub mod client;
pub mod mock;
pub mod steps;
pub mod verify;
