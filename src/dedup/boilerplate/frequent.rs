//! Document frequencies of the fingerprints of an outlet's sample.

/// Document frequencies of the fingerprints of an outlet's sample, and the
/// fingerprints held by at least `need` sets (the candidates).
///
/// Nearly every value of a sample is held by one set, so the values are
/// first counted roughly, by their hash, in a table of one byte per
/// counter that stays in the processor's cache; only the values whose
/// rough count reaches `need` (a rough count is never below the value's
/// own) are counted exactly, in a small open-addressing table. (One exact
/// table of all values, twice their number in slots, was mostly the cost
/// of its cache misses.)
#[derive(Default)]
pub(super) struct Frequent {
    /// Saturating counts by hash.
    rough: Vec<u8>,
    /// Per slot `[key, count]`: the exact count of a value that passed
    /// the rough count (0 marks an empty slot), then the candidate's
    /// number plus one, or `u32::MAX` for a value that is not one.
    table: Vec<[u32; 2]>,
    /// Slots in use.
    used: usize,
    /// `(set, value)` of every value that passed the rough count, in the
    /// order of the sets.
    pub(super) passed: Vec<(u32, u32)>,
    pub(super) candidates: Vec<u32>,
}

impl Frequent {
    /// Counts the sets' values (reusing the tables of an earlier call).
    pub(super) fn count(&mut self, sets: &[&[u32]], need: usize) {
        self.candidates.clear();
        self.passed.clear();
        let total: usize = sets.iter().map(|s| s.len()).sum();
        let size = (2 * total).next_power_of_two().max(1 << 10);
        self.rough.clear();
        self.rough.resize(size, 0);
        let mask = size - 1;
        let bucket = |f: u32| (crate::sketch::mix64(u64::from(f)) as usize) & mask;
        for s in sets {
            for &f in s.iter() {
                let r = &mut self.rough[bucket(f)];
                *r = r.saturating_add(1);
            }
        }
        // A count that saturated may be any higher one.
        let pass = need.min(usize::from(u8::MAX)) as u8;
        self.table.clear();
        self.table.resize(1 << 10, [0, 0]);
        self.used = 0;
        for (j, s) in sets.iter().enumerate() {
            for &f in s.iter() {
                if self.rough[bucket(f)] >= pass {
                    self.passed.push((j as u32, f));
                    self.add(f);
                }
            }
        }
        for slot in self.table.iter_mut() {
            if slot[1] == 0 {
                continue;
            }
            slot[1] = if slot[1] as usize >= need {
                self.candidates.push(slot[0]);
                self.candidates.len() as u32
            } else {
                u32::MAX
            };
        }
    }

    /// Counts `f` once in the exact table, which grows to stay at most
    /// half full.
    fn add(&mut self, f: u32) {
        if 2 * (self.used + 1) > self.table.len() {
            let grown = vec![[0, 0]; 2 * self.table.len()];
            let old = std::mem::replace(&mut self.table, grown);
            for slot in old.into_iter().filter(|s| s[1] != 0) {
                let i = self.slot(slot[0]);
                self.table[i] = slot;
            }
        }
        let i = self.slot(f);
        let slot = &mut self.table[i];
        if slot[1] == 0 {
            *slot = [f, 0];
            self.used += 1;
        }
        slot[1] += 1;
    }

    /// The slot of `f`: where it is, or the empty slot where it goes.
    #[inline]
    fn slot(&self, f: u32) -> usize {
        let mask = self.table.len() - 1;
        let mut i = (crate::sketch::mix64(u64::from(f)).rotate_left(32) as usize) & mask;
        loop {
            let s = self.table[i];
            if s[1] == 0 || s[0] == f {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// The candidate number of a value that passed the rough count, if it
    /// is one.
    #[inline]
    pub(super) fn candidate(&self, f: u32) -> Option<usize> {
        let c = self.table[self.slot(f)][1];
        (c != u32::MAX).then_some(c as usize - 1)
    }
}
