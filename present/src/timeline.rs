//! A run's per-tick series (`deploysim_core::timeline`) as CSV: one row per strategy and point.

use deploysim_core::timeline::Timeline;

/// The series as CSV: one row per strategy and point.
pub fn csv(timelines: &[Timeline]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "strategy",
        "t_s",
        "demand_rps",
        "capacity_old_rps",
        "capacity_new_rps",
        "arrivals",
        "served",
        "failed",
        "new_version_requests",
        "live",
        "in_service_old",
        "in_service_new",
        "starting_or_deploying",
        "draining",
    ];
    w.write_record(header).expect("in memory");
    for t in timelines {
        for p in &t.points {
            let row = [
                t.label.clone(),
                p.t_s.to_string(),
                format!("{:.3}", p.demand_rps),
                format!("{:.3}", p.capacity_rps[0]),
                format!("{:.3}", p.capacity_rps[1]),
                p.arrivals.to_string(),
                p.served.to_string(),
                p.failed.to_string(),
                p.new_requests.to_string(),
                p.live.to_string(),
                p.in_service[0].to_string(),
                p.in_service[1].to_string(),
                p.pending.to_string(),
                p.draining.to_string(),
            ];
            w.write_record(row).expect("in memory");
        }
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("csv is UTF-8")
}
