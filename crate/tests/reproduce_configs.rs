//! The course programs that `scripts/reproduce` trains (crate/configs/reproduce/) are valid
//! experiments: each passes `inspect` (validation against the catalogue's facts) with no problem.

use gradlab::inspect::inspect;

#[test]
fn every_reproduction_config_is_valid() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("configs/reproduce");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("configs/reproduce") {
        let path = entry.expect("dir entry").path();
        let text = std::fs::read_to_string(&path).expect("config text");
        let result = inspect(&text);
        assert!(result.ok, "{}: {:?}", path.display(), result.problems);
        seen += 1;
    }
    assert_eq!(seen, 9, "scripts/reproduce names nine programs");
}
