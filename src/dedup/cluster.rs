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

/// How a member came into its cluster: the verified pair that joins it to
/// `doc`, the member one step closer to the representative.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Via {
    /// The other document of the pair.
    pub doc: u32,
    /// The pair's score under the run's metric.
    pub score: f64,
}

/// A cluster of at least two documents; the representative comes first,
/// the others follow by id (then input order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    /// Members, representative first.
    pub members: Vec<Member>,
    /// With [`DedupOptions::via`](super::DedupOptions::via), one entry per
    /// member after the representative, in member order ([`add_via`]);
    /// empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<Via>,
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
///
/// With [`Metric::Jaccard`] a cluster is a connected component of the
/// verified pairs: every member is reached from the representative
/// through pairs that all meet the threshold. Containment is not
/// transitive (a short text inside two long ones says nothing about the
/// two), so with [`Metric::Containment`] a pair only attaches the article
/// contained to its container: each article joins at most one container,
/// its best ([`containers`]), and a cluster is a connected component of
/// these attachments. Two containers are never joined through what they
/// both contain; a chain of containment (A in B, B in C) still is one
/// cluster.
pub fn cluster(docs: &[DocSketch], pairs: &[PairScores], metric: Metric) -> Vec<Cluster> {
    let (labels, _) = forest(docs, pairs, metric);
    clusters_from_labels(docs, &labels, metric)
}

/// The cluster label of every document (as [`cluster`] makes the
/// clusters) and the pairs that joined two clusters, in the order they
/// did: a spanning forest of the clusters. Jaccard takes the pairs in
/// order; containment each document's attachment to its container
/// ([`containers`]), in document order.
pub fn forest(
    docs: &[DocSketch],
    pairs: &[PairScores],
    metric: Metric,
) -> (Vec<u32>, Vec<(u32, u32)>) {
    let mut uf = UnionFind::new(docs.len());
    let mut joined = Vec::new();
    match metric {
        Metric::Jaccard => {
            for p in pairs {
                if uf.union(p.a, p.b) {
                    joined.push((p.a, p.b));
                }
            }
        }
        Metric::Containment => {
            for (doc, container) in containers(docs, pairs).into_iter().enumerate() {
                if container != u32::MAX && uf.union(doc as u32, container) {
                    joined.push((doc as u32, container));
                }
            }
        }
    }
    let labels: Vec<u32> = (0..docs.len() as u32).map(|d| uf.find(d)).collect();
    (labels, joined)
}

/// Fills each cluster's [`Cluster::via`]: a member whose own score
/// against the representative meets `threshold` came in by that pair;
/// any other by its parent in the tree of `forest` (the pairs that joined
/// the clusters, from [`forest`] or
/// [`Connected::forest`](super::connect::Connected::forest)) hung from
/// the representative, with that pair's score. Following `via` from any
/// member leads to the representative through pairs that all meet the
/// threshold, each step one closer to it in the tree. Neighbours are
/// visited in document order, so the result depends on the forest's
/// pairs, not on their order.
pub fn add_via(
    docs: &[DocSketch],
    clusters: &mut [Cluster],
    forest: &[(u32, u32)],
    metric: Metric,
    threshold: f64,
) {
    let n = docs.len();
    // The forest as adjacency lists (compressed rows).
    let mut start = vec![0u32; n + 1];
    for &(a, b) in forest {
        start[a as usize + 1] += 1;
        start[b as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut next = vec![0u32; 2 * forest.len()];
    for &(a, b) in forest {
        for (x, y) in [(a, b), (b, a)] {
            next[fill[x as usize] as usize] = y;
            fill[x as usize] += 1;
        }
    }
    let neighbours = |x: u32| &next[start[x as usize] as usize..start[x as usize + 1] as usize];
    clusters.par_iter_mut().for_each(|c| {
        // Breadth first from the representative; the parent of each
        // member, by position in the cluster.
        let mut order: Vec<u32> = c.members.iter().map(|m| m.doc).collect();
        order.sort_unstable();
        let place = |d: u32| order.binary_search(&d).ok();
        let mut parent = vec![u32::MAX; order.len()];
        let rep = c.representative();
        parent[place(rep).expect("the representative is a member")] = rep;
        let mut queue = std::collections::VecDeque::from([rep]);
        let mut around = Vec::new();
        while let Some(x) = queue.pop_front() {
            around.clear();
            around.extend_from_slice(neighbours(x));
            around.sort_unstable();
            for &y in &around {
                let k = place(y).expect("the forest joins only members of one cluster");
                if parent[k] == u32::MAX {
                    parent[k] = x;
                    queue.push_back(y);
                }
            }
        }
        c.via = c.members[1..]
            .iter()
            .map(|m| {
                if m.score >= threshold {
                    return Via {
                        doc: rep,
                        score: m.score,
                    };
                }
                let p = parent[place(m.doc).expect("a member")];
                assert!(p != u32::MAX, "the forest spans the cluster");
                let (a, b) = if m.doc < p { (m.doc, p) } else { (p, m.doc) };
                Via {
                    doc: p,
                    score: score_pair(docs, a, b).score(metric, docs),
                }
            })
            .collect();
    });
}

/// For each document, the container it joins under the containment metric
/// (`u32::MAX` for none): of the verified pairs, those where it is the
/// contained side (the smaller set; both sides for sets of one size),
/// the one of highest containment; among equals the one of highest
/// Jaccard (the container that adds least to it: its own copy before a
/// long article that quotes it whole), then the container first in the
/// representative order. The choice depends on the pairs, not on their
/// order.
pub fn containers(docs: &[DocSketch], pairs: &[PairScores]) -> Vec<u32> {
    best_containers(docs, pairs)
        .into_iter()
        .map(|b| b.map_or(u32::MAX, |b| b.container))
        .collect()
}

/// A document's best container among some verified pairs
/// ([`best_containers`]), with the scores it was chosen by.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BestContainer {
    /// The container's document index.
    pub container: u32,
    /// The pair's containment score ([`PairScores::score`]).
    pub containment: f64,
    /// The pair's Jaccard score ([`PairScores::score`]).
    pub jaccard: f64,
}

/// [`containers`] with the scores of each choice: the best is the
/// greatest `(containment, jaccard)`, then the least container in the
/// representative order (no date after any date, earliest date, smallest
/// id, earliest in the input). That order is total, so the best over a
/// union of pair sets is the best of the bests of the parts: a caller
/// that has the pairs in parts (the band groups of a distributed run)
/// reduces each part here and the parts' bests by the same order.
pub fn best_containers(docs: &[DocSketch], pairs: &[PairScores]) -> Vec<Option<BestContainer>> {
    // Per document: (containment, Jaccard) of the best container so far.
    let mut best: Vec<((f64, f64), u32)> =
        vec![((f64::NEG_INFINITY, f64::NEG_INFINITY), u32::MAX); docs.len()];
    let size = |d: u32| docs[d as usize].num_shingles;
    for p in pairs {
        let score = (
            p.score(Metric::Containment, docs),
            p.score(Metric::Jaccard, docs),
        );
        for (inner, outer) in [(p.a, p.b), (p.b, p.a)] {
            if size(inner) > size(outer) {
                continue;
            }
            let (s, c) = &mut best[inner as usize];
            let better = score > *s
                || (score == *s && (*c == u32::MAX || rep_key(docs, outer) < rep_key(docs, *c)));
            if better {
                (*s, *c) = (score, outer);
            }
        }
    }
    best.into_iter()
        .map(|((containment, jaccard), c)| {
            (c != u32::MAX).then_some(BestContainer {
                container: c,
                containment,
                jaccard,
            })
        })
        .collect()
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
            Cluster {
                members,
                via: Vec::new(),
            }
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
            outlet: 0,
            date: date.map(String::from),
            num_shingles: sh.len() as u32,
            words: sh.len() as u32 + 3,
            signature: vec![0; 2],
            shingles: Some(sh.into()),
            edges: None,
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

    fn contained(a: u32, b: u32, a_in_b: f64, b_in_a: f64) -> PairScores {
        PairScores {
            a,
            b,
            jaccard: Some(a_in_b.min(b_in_a)),
            minhash_jaccard: a_in_b.min(b_in_a),
            containment_a_in_b: Some(a_in_b),
            containment_b_in_a: Some(b_in_a),
        }
    }

    #[test]
    fn containment_never_joins_two_containers_through_what_they_contain() {
        // 0 and 1: the same short footer post; 2, 3, 4: unrelated articles
        // that each carry the footer, so both posts are contained in each.
        // 5 is a trimmed copy of 4 and 6 a trimmed copy of 5 (a chain).
        let docs = vec![
            doc("post1", None, vec![1, 2, 3]),
            doc("post2", None, vec![1, 2, 3]),
            doc("fallon", None, (1..40).collect()),
            doc("noah", None, (1..4).chain(100..140).collect()),
            doc("cohen", None, (1..4).chain(200..260).collect()),
            doc("cohen-trim", None, (1..4).chain(200..240).collect()),
            doc("cohen-short", None, (1..4).chain(200..220).collect()),
        ];
        let mut pairs = vec![contained(0, 1, 1.0, 1.0)];
        for post in [0, 1] {
            pairs.push(contained(post, 2, 1.0, 0.08));
            pairs.push(contained(post, 3, 1.0, 0.07));
            pairs.push(contained(post, 4, 0.9, 0.05));
        }
        pairs.push(contained(4, 5, 0.68, 1.0));
        pairs.push(contained(5, 6, 0.53, 1.0));
        let c = cluster(&docs, &pairs, Metric::Containment);
        let ids: Vec<Vec<&str>> = c
            .iter()
            .map(|c| {
                let mut ids: Vec<&str> = c
                    .members
                    .iter()
                    .map(|m| docs[m.doc as usize].id.as_str())
                    .collect();
                ids.sort();
                ids
            })
            .collect();
        assert_eq!(
            ids,
            [
                vec!["cohen", "cohen-short", "cohen-trim"],
                vec!["post1", "post2"]
            ]
        );
        // The same pairs in another order give the same containers.
        let mut reversed = pairs.clone();
        reversed.reverse();
        assert_eq!(containers(&docs, &pairs), containers(&docs, &reversed));
        // Connected components would have joined everything but nothing.
        assert_eq!(cluster(&docs, &pairs, Metric::Jaccard).len(), 1);
    }

    #[test]
    fn best_containers_of_parts_reduce_to_the_best_of_all() {
        // 0 is contained in 1, 2, 3 and 4; 2 and 3 tie on both scores
        // (then the date decides: 3 is dated, 2 not), 4 scores less.
        let docs = vec![
            doc("short", None, vec![1, 2, 3]),
            doc("a", None, (1..10).collect()),
            doc("b", None, (1..5).collect()),
            doc("c", Some("2025-01-01"), (1..5).chain(9..10).collect()),
            doc("d", None, (1..5).collect()),
        ];
        let pairs = [
            contained(0, 1, 1.0, 0.33),
            contained(0, 2, 1.0, 0.75),
            contained(0, 3, 1.0, 0.75),
            contained(0, 4, 0.9, 0.75),
        ];
        let all = best_containers(&docs, &pairs);
        assert_eq!(all[0].map(|b| b.container), Some(3));
        assert_eq!(containers(&docs, &pairs)[0], 3);
        // Bests of parts, reduced by the same order, give the same.
        for cut in 0..=pairs.len() {
            let parts = [&pairs[..cut], &pairs[cut..]];
            let best = parts
                .iter()
                .filter_map(|p| best_containers(&docs, p)[0])
                .min_by(|x, y| {
                    (y.containment, y.jaccard)
                        .partial_cmp(&(x.containment, x.jaccard))
                        .expect("scores are numbers")
                        .then_with(|| rep_key(&docs, x.container).cmp(&rep_key(&docs, y.container)))
                });
            assert_eq!(best, all[0], "cut at {cut}");
        }
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
