//! Every `scenarios/*.toml` is simulated and compared with `scenarios/expected/<name>.json`,
//! and its own expectations must pass; its monthly estimate (`simulate cost`) is compared with
//! `scenarios/expected/<name>.cost.json`. `UPDATE_EXPECT=1 cargo test` rewrites the goldens.

use expect_test::expect_file;

use deploysim_core::cost::estimate;

use crate::{bundled, root, run};

#[test]
fn bundled_scenarios_match_their_goldens_and_pass_their_expectations() {
    let mut stems: Vec<String> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            (path.extension()? == "toml").then(|| path.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    stems.sort();
    assert!(stems.len() >= 4, "{stems:?}");
    for stem in stems {
        let report = run(&stem);
        let json = serde_json::to_string_pretty(&report).unwrap() + "\n";
        expect_file![format!("../../../scenarios/expected/{stem}.json")].assert_eq(&json);
        let cost = serde_json::to_string_pretty(&estimate(&bundled(&stem))).unwrap() + "\n";
        expect_file![format!("../../../scenarios/expected/{stem}.cost.json")].assert_eq(&cost);
        for s in &report.strategies {
            for e in &s.expectations {
                assert!(e.pass, "{stem}: {} failed {}: {:?} vs {:?}", s.label, e.check, e.value, e.limit);
            }
        }
    }
}
