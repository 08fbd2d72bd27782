//! One module per subcommand.

pub mod admin;
pub mod bench;
pub mod check;
pub mod dev;
pub mod docs;
pub mod escape;
pub mod lookup;
pub mod publish;
pub mod stats;
pub mod tail;
