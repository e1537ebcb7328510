//! Native command-line trainer (being written).
fn main() {}
