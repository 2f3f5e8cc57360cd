//! JSON: the results contract (DESIGN §5). One report prints as an object, several as an array.

use deploysim_core::Report;

/// Pretty JSON with a final newline.
pub fn render(reports: &[Report]) -> String {
    let text = match reports {
        [one] => serde_json::to_string_pretty(one),
        many => serde_json::to_string_pretty(many),
    };
    text.map(|t| t + "\n").unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}\n"))
}
