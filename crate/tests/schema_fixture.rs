//! The page's unit tests run against `tests/unit/fixtures/schema.json` (node has
//! no wasm build to ask). That file must be exactly the core's schema, so the
//! page's tests can never pass against a schema the core does not have.
//! Refresh it with `cargo run --bin gradlab -- schema > tests/unit/fixtures/schema.json`.

#[test]
fn page_test_fixture_is_the_core_schema() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/unit/fixtures/schema.json");
    let text = std::fs::read_to_string(path).expect("tests/unit/fixtures/schema.json exists");
    let fixture: serde_json::Value = serde_json::from_str(&text).expect("the fixture is JSON");
    let core = serde_json::to_value(gradlab::schema::schema()).expect("the schema serialises");
    assert!(
        fixture == core,
        "tests/unit/fixtures/schema.json differs from the core's schema: refresh it with \
         `cargo run --bin gradlab -- schema > tests/unit/fixtures/schema.json`"
    );
}
