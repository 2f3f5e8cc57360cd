//! The pool's queue of request completions: a 4-ary min-heap of packed `u128` keys.
//!
//! Every request in flight has one entry, so at a few hundred environments each request pays
//! a push and a pop on a heap of a few hundred keys. With four children a node the heap is
//! half as deep as a binary one, and the four children of a node sit side by side in memory.
//! A pop moves the hole to the bottom along the smallest children (without testing the moved
//! key at every level) and lets the last key climb back, which is short because the last key
//! is usually among the latest. Keys are unique (they carry a sequence number), so any correct
//! priority queue pops them in exactly the same order as the `BinaryHeap` this replaced.
//!
//! Tried and dropped: a timing wheel (slots a power of two microseconds wide, an overflow heap
//! beyond its span). At ~200 requests in flight it was no faster than this heap, and on sparse
//! traffic, where each request lands in a different slot, it was about 25 % slower overall
//! (every slot's vector ends up allocated, and each request touches a cold one).

/// A min-heap of `u128` keys with four children a node.
#[derive(Debug, Default)]
pub(super) struct MinHeap4 {
    keys: Vec<u128>,
}

impl MinHeap4 {
    /// The smallest key, if any.
    #[inline]
    pub(super) fn peek(&self) -> Option<u128> {
        self.keys.first().copied()
    }

    /// Adds `key`.
    #[inline]
    pub(super) fn push(&mut self, key: u128) {
        self.keys.push(key);
        let mut i = self.keys.len() - 1;
        while i > 0 {
            let parent = (i - 1) / 4;
            if self.keys[parent] <= key {
                break;
            }
            self.keys[i] = self.keys[parent];
            i = parent;
        }
        self.keys[i] = key;
    }

    /// Removes and returns the smallest key.
    #[inline]
    pub(super) fn pop(&mut self) -> Option<u128> {
        let last = self.keys.pop()?;
        let n = self.keys.len();
        if n == 0 {
            return Some(last);
        }
        let top = self.keys[0];
        let keys = &mut self.keys[..];
        // Down to the bottom along the smallest children.
        let mut hole = 0;
        loop {
            let first = 4 * hole + 1;
            if first + 3 < n {
                let a = first + usize::from(keys[first + 1] < keys[first]);
                let b = first + 2 + usize::from(keys[first + 3] < keys[first + 2]);
                let child = if keys[b] < keys[a] { b } else { a };
                keys[hole] = keys[child];
                hole = child;
            } else {
                if first < n {
                    let mut child = first;
                    for c in first + 1..n {
                        if keys[c] < keys[child] {
                            child = c;
                        }
                    }
                    keys[hole] = keys[child];
                    hole = child;
                }
                break;
            }
        }
        // The last key climbs back from the hole.
        while hole > 0 {
            let parent = (hole - 1) / 4;
            if keys[parent] <= last {
                break;
            }
            keys[hole] = keys[parent];
            hole = parent;
        }
        keys[hole] = last;
        Some(top)
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    use super::*;

    #[test]
    fn pops_what_the_standard_heap_pops() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let (mut ours, mut std) = (MinHeap4::default(), BinaryHeap::new());
        let mut seq = 0u128;
        for round in 0..20_000u32 {
            // Grow to a few hundred keys, shrink to none, grow again; some keys tie on time.
            let pushes = if (round / 500) % 2 == 0 { 3 } else { 1 };
            for _ in 0..(next() % (pushes + 1)) {
                seq += 1;
                let key = (u128::from(next() % 1_000) << 64) | seq;
                ours.push(key);
                std.push(Reverse(key));
            }
            if next() % 2 == 0 {
                assert_eq!(ours.pop(), std.pop().map(|Reverse(k)| k));
            }
            assert_eq!(ours.peek(), std.peek().map(|Reverse(k)| *k));
        }
        while let Some(Reverse(k)) = std.pop() {
            assert_eq!(ours.pop(), Some(k));
        }
        assert_eq!(ours.pop(), None);
    }
}
