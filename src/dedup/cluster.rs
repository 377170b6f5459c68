//! Stage 4: cluster. Verified pairs are joined by union-find; each cluster
//! gets a deterministic representative (earliest date, then smallest id,
//! then earliest in the input) and every member a score against it.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::Metric;
use super::sketch::{DocSketch, intersection_len_x2};
use super::verify::{PREFETCH_AHEAD, PairScores, prefetch_sets, score_at, score_pair};

/// One member of a cluster.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// Document index.
    pub doc: u32,
    /// Score against the representative (1.0 for the representative).
    pub score: f64,
}

/// A cluster of at least two documents; the representative comes first,
/// the others follow by id (then input order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    /// Members, representative first.
    pub members: Vec<Member>,
}

impl Cluster {
    /// The representative's document index.
    pub fn representative(&self) -> u32 {
        self.members[0].doc
    }
}

/// The root of `x` in a forest of parent links, halving its path.
#[inline]
fn root(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[x as usize];
        parent[x as usize] = parent[p as usize];
        x = parent[x as usize];
    }
    x
}

/// Union-find with path halving and union by size.
#[derive(Clone, Debug)]
pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    /// `n` singletons.
    pub fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    /// The root of `x`'s set.
    pub fn find(&mut self, x: u32) -> u32 {
        root(&mut self.parent, x)
    }

    /// A copy of the forest as it is now, for [`Snapshot::find`] on
    /// another thread while this one goes on uniting.
    pub fn snapshot_into(&self, out: &mut Snapshot) {
        out.parent.clear();
        out.parent.extend_from_slice(&self.parent);
    }

    /// Joins the sets of `a` and `b`; false when they were already one.
    pub fn union(&mut self, a: u32, b: u32) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (big, small) = if self.size[ra as usize] >= self.size[rb as usize] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
        true
    }
}

/// A copy of a [`UnionFind`]'s sets at one moment
/// ([`UnionFind::snapshot_into`]). Sets only ever merge, so two elements
/// in one set of a snapshot are in one set of every later state.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    parent: Vec<u32>,
}

impl Snapshot {
    /// The root of `x`'s set in the snapshot (compressing its path in the
    /// copy only).
    pub fn find(&mut self, x: u32) -> u32 {
        root(&mut self.parent, x)
    }
}

/// The ordering key of a document for choosing representatives: dated
/// documents first, earliest date, then smallest id, then input order.
fn rep_key(docs: &[DocSketch], i: u32) -> (bool, Option<&str>, &str, u32) {
    let d = &docs[i as usize];
    (d.date.is_none(), d.date.as_deref(), d.id.as_str(), i)
}

/// Appends `others` with their scores against `rep` under `metric`, in
/// order. Two members are merged with the representative side by side
/// ([`intersection_len_x2`]) when the sets are at hand; the score is the
/// one [`score_pair`] gives, by the same expression ([`score_at`]).
fn member_scores(
    docs: &[DocSketch],
    rep: u32,
    others: &[u32],
    metric: Metric,
    out: &mut Vec<Member>,
) {
    let set = |d: u32| docs[d as usize].shingles.as_deref();
    for (k, two) in others.chunks(2).enumerate() {
        // The members a few places on start loading (the members' sets
        // are scattered over memory; the representative's stays in the
        // cache).
        for &next in others.iter().skip(2 * k + PREFETCH_AHEAD).take(2) {
            prefetch_sets(docs, next, next);
        }
        if let [m0, m1] = *two
            && let (Some(r), Some(s0), Some(s1)) = (set(rep), set(m0), set(m1))
        {
            let shared = intersection_len_x2([(r, s0), (r, s1)]);
            for (m, s, x) in [(m0, s0, shared[0]), (m1, s1, shared[1])] {
                // The sizes in document order, as `score_pair` takes them.
                let (na, nb) = if m < rep {
                    (s.len(), r.len())
                } else {
                    (r.len(), s.len())
                };
                out.push(Member {
                    doc: m,
                    score: score_at(x, na, nb, metric),
                });
            }
            continue;
        }
        for &m in two {
            let (a, b) = if m < rep { (m, rep) } else { (rep, m) };
            out.push(Member {
                doc: m,
                score: score_pair(docs, a, b).score(metric, docs),
            });
        }
    }
}

/// Clusters of at least two documents, ordered by size (largest first),
/// then by representative id and input order.
pub fn cluster(docs: &[DocSketch], pairs: &[PairScores], metric: Metric) -> Vec<Cluster> {
    let mut uf = UnionFind::new(docs.len());
    for p in pairs {
        uf.union(p.a, p.b);
    }
    let mut groups: std::collections::HashMap<u32, Vec<u32>> = std::collections::HashMap::new();
    for p in pairs {
        for x in [p.a, p.b] {
            let r = uf.find(x);
            groups.entry(r).or_default().push(x);
        }
    }
    let groups: Vec<Vec<u32>> = groups
        .into_values()
        .map(|mut g| {
            g.sort_unstable();
            g.dedup();
            g
        })
        .collect();
    clusters_from_groups(docs, groups, metric)
}

/// The clusters of a partition given as one label per document (documents
/// with the same label form a cluster, e.g. union-find roots from
/// [`connect`](super::connect::connect)); same order and scores as
/// [`cluster`].
pub fn clusters_from_labels(docs: &[DocSketch], labels: &[u32], metric: Metric) -> Vec<Cluster> {
    assert_eq!(docs.len(), labels.len(), "one label per document");
    let mut count = vec![0u32; labels.len()];
    for &l in labels {
        count[l as usize] += 1;
    }
    let mut slot = vec![u32::MAX; labels.len()];
    let mut groups: Vec<Vec<u32>> = Vec::new();
    for (d, &l) in labels.iter().enumerate() {
        let l = l as usize;
        if count[l] < 2 {
            continue;
        }
        if slot[l] == u32::MAX {
            slot[l] = groups.len() as u32;
            groups.push(Vec::with_capacity(count[l] as usize));
        }
        groups[slot[l] as usize].push(d as u32);
    }
    clusters_from_groups(docs, groups, metric)
}

/// Clusters from groups of documents (each sorted, at least two members):
/// representative, members by id with their scores against it, clusters
/// by size then representative.
fn clusters_from_groups(
    docs: &[DocSketch],
    mut groups: Vec<Vec<u32>>,
    metric: Metric,
) -> Vec<Cluster> {
    let mut clusters: Vec<Cluster> = groups
        .par_iter_mut()
        .map(|g| {
            let rep = *g
                .iter()
                .min_by(|&&x, &&y| rep_key(docs, x).cmp(&rep_key(docs, y)))
                .expect("a group has members");
            let mut others: Vec<u32> = g.iter().copied().filter(|&x| x != rep).collect();
            others.sort_by(|&x, &y| {
                (docs[x as usize].id.as_str(), x).cmp(&(docs[y as usize].id.as_str(), y))
            });
            let mut members = Vec::with_capacity(g.len());
            members.push(Member {
                doc: rep,
                score: 1.0,
            });
            member_scores(docs, rep, &others, metric, &mut members);
            Cluster { members }
        })
        .collect();
    clusters.sort_by(|x, y| {
        y.members
            .len()
            .cmp(&x.members.len())
            .then_with(|| rep_key(docs, x.representative()).cmp(&rep_key(docs, y.representative())))
    });
    clusters
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, date: Option<&str>, sh: Vec<u32>) -> DocSketch {
        DocSketch {
            id: id.into(),
            date: date.map(String::from),
            num_shingles: sh.len() as u32,
            words: sh.len() as u32 + 3,
            signature: vec![0; 2],
            shingles: Some(sh.into()),
        }
    }

    fn pair(a: u32, b: u32) -> PairScores {
        PairScores {
            a,
            b,
            jaccard: Some(1.0),
            minhash_jaccard: 1.0,
            containment_a_in_b: Some(1.0),
            containment_b_in_a: Some(1.0),
        }
    }

    #[test]
    fn representative_is_earliest_then_smallest_id() {
        let docs = vec![
            doc("z", Some("2025-01-02"), vec![1, 2]),
            doc("y", None, vec![1, 2]),
            doc("b", Some("2025-01-01"), vec![1, 2, 3, 4]),
            doc("a", Some("2025-01-01"), vec![1, 2]),
            doc("q", None, vec![7]),
        ];
        let c = cluster(
            &docs,
            &[pair(0, 1), pair(1, 2), pair(2, 3)],
            Metric::Jaccard,
        );
        assert_eq!(c.len(), 1);
        let ids: Vec<&str> = c[0]
            .members
            .iter()
            .map(|m| docs[m.doc as usize].id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b", "y", "z"]);
        assert_eq!(c[0].members[0].score, 1.0);
        assert_eq!(c[0].members[1].score, 0.5);
    }

    #[test]
    fn union_find_joins_transitively() {
        let mut uf = UnionFind::new(5);
        uf.union(0, 1);
        uf.union(3, 4);
        uf.union(1, 4);
        assert_eq!(uf.find(0), uf.find(3));
        assert_ne!(uf.find(0), uf.find(2));
    }
}
