//! The bindings in headless Chromium (`cargo test --target wasm32-unknown-unknown -p sm-config-js`),
//! on the cases the Node test of the built package checks too (`tests/cases.json`).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, BigInt, Error, Function, JSON, Object, Reflect, Symbol};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const CASES: &str = include_str!("cases.json");

fn cases() -> Vec<Value> {
    let doc: Value = serde_json::from_str(CASES).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(target, &JsValue::from_str(key), value).unwrap();
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap()
}

/// A case's JSON argument as the JS value it stands for (see `about` in cases.json).
fn decode(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(n.as_f64().unwrap()),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(decode).collect::<Array>().into(),
        Value::Object(map) => match map.get("$js").and_then(Value::as_str) {
            None => {
                let obj = Object::new();
                for (k, v) in map {
                    set(&obj, k, &decode(v));
                }
                obj.into()
            }
            Some("undefined") => JsValue::UNDEFINED,
            Some("function") => Function::new_no_args("return 1").into(),
            Some("symbol") => Symbol::for_("sm-config").into(),
            Some("bigint") => BigInt::from(1u32).into(),
            Some("cycle") => {
                let obj: JsValue = Object::new().into();
                set(&obj, "name", &"loop".into());
                set(&obj, "self", &obj);
                obj
            }
            Some("throwing_getter") => {
                let descriptor = Object::new();
                set(&descriptor, "enumerable", &JsValue::TRUE);
                set(
                    &descriptor,
                    "get",
                    &Function::new_no_args("throw new Error('boom')"),
                );
                Object::define_property(&Object::new(), &"name".into(), &descriptor).into()
            }
            Some("repeat") => {
                let text = map["text"].as_str().unwrap();
                JsValue::from_str(&text.repeat(map["times"].as_u64().unwrap() as usize))
            }
            Some("nest") => {
                let mut v: JsValue = Array::new().into();
                for _ in 0..map["depth"].as_u64().unwrap() {
                    v = Array::of1(&v).into();
                }
                v
            }
            Some(other) => panic!("unknown $js marker {other}"),
        },
    }
}

/// Calls the binding a case names, as JS would: the value returned or the value thrown.
fn call(name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(JsValue::UNDEFINED);
    match name {
        "validate" => sm_config_js::validate(arg(0), arg(1))
            .map(|t| t.js_value())
            .map_err(JsValue::from),
        "validateJson" => sm_config_js::validate_json(arg(0), arg(1))
            .map(|t| t.js_value())
            .map_err(JsValue::from),
        "render" => sm_config_js::render(arg(0), arg(1), arg(2))
            .map(JsValue::from)
            .map_err(JsValue::from),
        "importId" => sm_config_js::import_id(arg(0), arg(1))
            .map(JsValue::from)
            .map_err(JsValue::from),
        "parseTaskTimeout" => sm_config_js::parse_task_timeout(arg(0)).map(|t| t.js_value()),
        "limits" => sm_config_js::limits()
            .map(|t| t.js_value())
            .map_err(JsValue::from),
        "regions" => sm_config_js::regions()
            .map(|t| t.js_value())
            .map_err(JsValue::from),
        other => panic!("unknown call {other}"),
    }
}

/// A JS value as JSON, to compare with a case (`undefined` properties drop out, as in JSON).
fn to_json(value: &JsValue) -> Value {
    serde_json::from_str(&JSON::stringify(value).unwrap().as_string().unwrap()).unwrap()
}

/// Runs one case and checks it; shared by the case test and the after-abuse test.
fn check(case: &Value) {
    let name = case["name"].as_str().unwrap();
    let args: Vec<JsValue> = case["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(decode)
        .collect();
    let result = call(case["call"].as_str().unwrap(), &args);
    if let Some(throws) = case.get("throws") {
        let error = result.expect_err(name);
        assert!(error.is_instance_of::<Error>(), "{name}: not an Error");
        let message = get(&error, "message").as_string().unwrap();
        let want = throws["message"].as_str().unwrap();
        assert!(message.contains(want), "{name}: message `{message}`");
        if let Some(code) = throws.get("code") {
            assert_eq!(get(&error, "code").as_string().as_deref(), code.as_str());
            assert!(get(&error, "hint").is_string(), "{name}: no hint");
        }
        if let Some(span) = throws.get("span") {
            assert_eq!(&to_json(&get(&error, "span")), span, "{name}");
        }
        return;
    }
    let result = result.unwrap_or_else(|e| panic!("{name}: threw {e:?}"));
    if let Some(want) = case.get("findings") {
        assert!(Array::is_array(&result), "{name}: not an array");
        let got = to_json(&result);
        let rows = |list: &Value| -> Vec<(String, String, String)> {
            let field = |f: &Value, k: &str| f[k].as_str().unwrap_or("?").to_owned();
            list.as_array()
                .unwrap()
                .iter()
                .map(|f| (field(f, "path"), field(f, "code"), field(f, "severity")))
                .collect()
        };
        assert_eq!(rows(&got), rows(want), "{name}");
        for (i, w) in want.as_array().unwrap().iter().enumerate() {
            if let Some(span) = w.get("span") {
                assert_eq!(&got[i]["span"], span, "{name}: span of finding {i}");
            }
        }
        for finding in Array::from(&result).iter() {
            assert_plain_finding(&finding, name);
        }
    } else if let Some(parts) = case.get("contains") {
        let text = result.as_string().unwrap();
        for part in parts.as_array().unwrap() {
            let part = part.as_str().unwrap();
            assert!(text.contains(part), "{name}: missing {part} in\n{text}");
        }
    } else {
        assert_eq!(&to_json(&result), &case["returns"], "{name}");
    }
}

/// A finding is a plain object, with a message, and no `null` anywhere.
fn assert_plain_finding(finding: &JsValue, name: &str) {
    assert_eq!(
        Object::get_prototype_of(finding),
        Object::get_prototype_of(&Object::new()),
        "{name}: not a plain object"
    );
    assert!(!get(finding, "message").as_string().unwrap().is_empty());
    let hint = get(finding, "hint");
    assert!(
        hint.is_undefined() || hint.is_string(),
        "{name}: hint {hint:?}"
    );
    for entry in Object::values(finding.unchecked_ref::<Object>()).iter() {
        assert!(!entry.is_null(), "{name}: a null value");
    }
}

#[wasm_bindgen_test]
fn every_shared_case() {
    let cases = cases();
    assert!(cases.len() >= 40, "cases.json has {} cases", cases.len());
    for case in &cases {
        check(case);
    }
}

#[wasm_bindgen_test]
fn absent_optionals_are_left_out_not_null() {
    let findings = sm_config_js::validate(JsValue::NULL, JsValue::UNDEFINED)
        .unwrap()
        .js_value();
    let finding = Array::from(&findings).get(0);
    assert!(!Reflect::has(&finding, &"span".into()).unwrap());
    assert!(get(&finding, "span").is_undefined());
    let with_span = Array::from(
        &sm_config_js::validate_json("{".into(), JsValue::UNDEFINED)
            .unwrap()
            .js_value(),
    )
    .get(0);
    assert_eq!(get(&get(&with_span, "span"), "start").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
fn regions_mark_where_code_engine_runs() {
    let regions = Array::from(&sm_config_js::regions().unwrap().js_value());
    assert_eq!(regions.length(), 13);
    let first = to_json(&regions.get(0));
    assert_eq!(
        first,
        serde_json::json!({"id": "us-south", "label": "Dallas", "code_engine": true})
    );
    let code_engine = regions
        .iter()
        .filter(|r| get(r, "code_engine").as_bool() == Some(true))
        .count();
    assert_eq!(code_engine, 11);
}

/// Bad input of every kind, cheap enough to repeat.
fn hostile() -> Vec<JsValue> {
    let mut values: Vec<JsValue> = [
        "null",
        "42",
        "[]",
        "\"x\"",
        "{\"code_engine\": [[[{}]]], \"name\": {\"a\": [null]}}",
        "{\"name\": 5, \"code_engine\": {\"region\": false}}",
    ]
    .iter()
    .map(|text| JSON::parse(text).unwrap())
    .collect();
    // No cycle here: Chromium takes ~60 ms to word `stringify`'s cycle error (the shared cases
    // still cover one), where every other value here costs well under a millisecond.
    values.push(JsValue::UNDEFINED);
    values.push(decode(&serde_json::json!({"$js": "bigint"})));
    values.push(decode(&serde_json::json!({"$js": "symbol"})));
    values.push(decode(&serde_json::json!({"$js": "throwing_getter"})));
    values.push(decode(&serde_json::json!({"$js": "nest", "depth": 300})));
    values
}

#[wasm_bindgen_test]
fn still_answers_correctly_after_10000_bad_calls() {
    let hostile = hostile();
    let memory = || {
        let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
        memory
            .buffer()
            .unchecked_into::<js_sys::ArrayBuffer>()
            .byte_length()
    };
    let mut warmed_up = 0;
    // Five bad calls a round: 10,000 in all.
    for i in 0..2_000 {
        let v = &hostile[i % hostile.len()];
        let findings = sm_config_js::validate(v.clone(), JsValue::UNDEFINED).unwrap();
        assert!(Array::from(&findings.js_value()).length() > 0);
        let findings = sm_config_js::validate_json(v.clone(), v.clone());
        // A hostile target throws; a hostile text is a finding. Either way, an answer.
        if let Ok(findings) = findings {
            assert!(Array::from(&findings.js_value()).length() > 0);
        }
        let _ = sm_config_js::render(v.clone(), JsValue::NULL, "curl".into());
        assert!(sm_config_js::parse_task_timeout(v.clone()).is_err());
        assert!(sm_config_js::import_id(v.clone(), v.clone()).is_err());
        if i == 199 {
            warmed_up = memory();
        }
    }
    // Memory only grows: the same size after 9,000 more bad calls means none of them leaked.
    assert_eq!(memory(), warmed_up, "memory grew after warm-up");
    for case in &cases() {
        check(case);
    }
}

#[wasm_bindgen_test]
fn errors_are_real_errors() {
    let err: JsValue = sm_config_js::render(JsValue::NULL, JsValue::NULL, "curl".into())
        .unwrap_err()
        .into();
    assert!(err.is_instance_of::<Error>());
    assert_eq!(
        get(&err, "message").as_string().as_deref(),
        Some("the body must be a json object, not null")
    );
}

#[wasm_bindgen_test]
fn validate_many_answers_what_validate_answers() {
    // Every request of the shared cases, and the hostile values, many times over: more than one
    // scratch buffer's worth, with requests that take the general path in between.
    let mut values: Vec<JsValue> = cases()
        .iter()
        .filter(|c| c["call"] == "validate")
        .filter_map(|c| c["args"].as_array()?.first().map(decode))
        .chain(hostile())
        .collect();
    let once = values.clone();
    for _ in 0..20 {
        values.extend(once.iter().cloned());
    }
    let array: Array = values.iter().collect();
    let many = sm_config_js::validate_many(array.into(), JsValue::UNDEFINED).unwrap();
    let many = Array::from(&many);
    assert_eq!(many.length() as usize, values.len());
    for (i, v) in values.iter().enumerate() {
        let one = sm_config_js::validate(v.clone(), JsValue::UNDEFINED).unwrap();
        assert_eq!(
            to_json(&many.get(i as u32)),
            to_json(&one.js_value()),
            "request {i}"
        );
    }
    let err = sm_config_js::validate_many(JsValue::NULL, JsValue::UNDEFINED).unwrap_err();
    let err: JsValue = err.into();
    assert!(err.is_instance_of::<Error>());
}
