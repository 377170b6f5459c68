use neardiff::dedup::{self, DedupOptions};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let inputs = neardiff::corpus::expand_inputs(&[std::path::PathBuf::from(&args[1])]).unwrap();
    let mut opts = DedupOptions::default();
    if args.get(3).map(|s| s == "off").unwrap_or(false) {
        opts.boilerplate = false;
    }
    let r = dedup::run(inputs, &opts, &|_, _| {}).unwrap();
    {
        let bp = &r.boilerplate;
        for (k, v) in bp.sets() {
            let n = r.docs.iter().filter(|d| d.outlet == *k).count();
            println!("outlet {k}: {n} docs, {} boilerplate", v.len());
        }
        let mut m = std::collections::BTreeMap::new();
        for d in &r.docs {
            *m.entry(d.outlet).or_insert(0) += 1;
        }
        println!("{m:?}");
    }
    let ids: Vec<&str> = args[2].split(',').collect();
    for d in &r.docs {
        if ids.contains(&d.id.as_str()) {
            println!(
                "{} outlet {} words {} shingles {}",
                d.id, d.outlet, d.words, d.num_shingles
            );
        }
    }
}
#[allow(dead_code)]
fn unused() {}
