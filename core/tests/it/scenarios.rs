//! Every `scenarios/*.toml` is simulated and compared with `scenarios/expected/<name>.json`,
//! and its own expectations must pass. `UPDATE_EXPECT=1 cargo test` rewrites the goldens.

use expect_test::expect_file;

use crate::{root, run};

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
        for s in &report.strategies {
            for e in &s.expectations {
                assert!(e.pass, "{stem}: {} failed {}: {:?} vs {:?}", s.label, e.check, e.value, e.limit);
            }
        }
    }
}
