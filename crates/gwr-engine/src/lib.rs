//! The gwr engine facade.
