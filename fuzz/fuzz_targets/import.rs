//! `import` on any text: no panic, and every span it reports lies inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sm_config::{Code, import};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let imported = import(&text);
    let spans = imported
        .findings
        .iter()
        .map(|f| f.span)
        .chain(imported.references.iter().map(|r| r.span))
        .chain(
            imported
                .report
                .findings()
                .iter()
                .filter(|f| f.code == Code::InvalidJson)
                .filter_map(|f| f.span),
        );
    for span in spans {
        assert!(span.start <= span.end && span.end <= text.len());
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    }
    // What was read renders, and the rendering reads back to the same request.
    if let Some(request) = &imported.request {
        let target = imported
            .target
            .clone()
            .unwrap_or_else(sm_config::Target::placeholder);
        let json = sm_config::render::json(request);
        assert_eq!(import(&json).request.as_ref(), Some(request));
        let tf = sm_config::render::terraform(request, &target);
        assert_eq!(import(&tf).request.as_ref(), Some(request));
    }
});
