//! Reading a Prometheus text exposition with a real parser: Python's
//! `prometheus_client.parser` (installed, pinned, into the conformance venv by
//! tests/conformance/setup.sh). A text it rejects fails the test.

use super::process::run_with_stdin;
use std::process::Command;

/// What the parser prints: one object per family, with its samples.
const PARSE: &str = r#"
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for f in text_string_to_metric_families(sys.stdin.read()):
    out.append({"name": f.name, "type": f.type, "help": f.documentation,
                "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]})
print(json.dumps(out))
"#;

/// Sets up the Python venv with prometheus_client (once per test run; it may
/// download packages): call it before starting anything under a watchdog.
pub fn parser_ready() {
    if let Err(e) = crate::conformance::setup() {
        panic!("the Python venv with prometheus_client could not be set up:\n{e}");
    }
}

/// The families of `text`, as the parser reads them (panics if it rejects it).
pub fn parse(text: &str) -> Vec<serde_json::Value> {
    parser_ready();
    let python = crate::conformance::conformance_dir().join(".venv/bin/python");
    let o = run_with_stdin(Command::new(python).args(["-c", PARSE]), text.as_bytes());
    assert!(
        o.status.success(),
        "prometheus_client rejected the exposition: {}\n--- text ---\n{text}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v.as_array().unwrap().clone()
}

/// The value of the sample `name` whose labels are exactly `labels`, if any.
pub fn value(families: &[serde_json::Value], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let want: serde_json::Map<String, serde_json::Value> = labels
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
        .collect();
    families
        .iter()
        .flat_map(|f| f["samples"].as_array().unwrap().iter())
        .find(|s| s["name"] == name && s["labels"].as_object() == Some(&want))
        .map(|s| s["value"].as_f64().unwrap())
}

/// The family named `name` (a counter's name is without `_total`, as the parser has it).
pub fn family<'a>(families: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    families
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no family {name}"))
}
