//! The valid baseline: the docs' example.

use super::*;

#[test]
fn the_docs_example_is_valid() {
    assert_valid(&changed(|_| {}));
    let text = DOCS_EXAMPLE_JSON;
    let parsed = validate_json(text, None);
    assert_valid(&parsed.report);
    assert_eq!(parsed.request, Some(docs_example().into()));
}
