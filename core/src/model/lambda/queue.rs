//! The pool's queue of request completions: packed `u128` keys (the end time in microseconds
//! in the top 64 bits, then a sequence number and the environment), taken smallest first.
//!
//! Every request in flight has one key, so each request pays an insert and a removal. With
//! few requests in flight a 4-ary min-heap does that best: half as deep as a binary heap, the
//! four children of a node side by side in memory, a pop moving the hole to the bottom along
//! the smallest children and letting the last key climb back. With many in flight (from 64
//! until they fall to 16) new keys go into a timing wheel instead: 1 024 slots of three keys
//! each, a power of two microseconds wide, chosen when the wheel starts so that a slot near
//! the front holds about one key; the smallest key is found by the occupancy bits and a look
//! through one slot. A key beyond the wheel's span, or whose slot is full, goes to the heap,
//! and the smallest key is always the smaller of the wheel's and the heap's, so keys may sit
//! in either. Keys are unique (they carry a sequence number), so any correct priority queue
//! pops them in exactly the same order as the `BinaryHeap` this replaced.
//!
//! Measured on this project's machine kind: at ~200 in flight, pop and push cost ~35 ns in the
//! heap and ~20 ns in the wheel; at one in flight the wheel is slower (its slots are spread
//! over 64 KB, and each sparse request lands in a cold one), hence the switch.

/// Slots in the wheel.
const SLOTS: usize = 1 << 10;
/// Keys a slot holds.
const SLOT_KEYS: usize = 3;
/// In flight from which new keys go to the wheel, and at or below which they go back to the heap.
const WHEEL_ON: usize = 64;
const WHEEL_OFF: usize = 16;

#[derive(Clone, Copy, Debug, Default)]
#[repr(align(64))]
struct Slot {
    keys: [u128; SLOT_KEYS],
    len: u8,
}

/// The queue of completions (see the module's documentation).
#[derive(Debug)]
pub(super) struct Completions {
    /// Mean time from a request's start to its end, in microseconds, for the slots' width.
    mean_micros: f64,
    heap: MinHeap4,
    /// Whether new keys go to the wheel.
    wheel_on: bool,
    /// A slot is `1 << shift` microseconds wide (chosen when an empty wheel starts).
    shift: u32,
    /// The absolute slot (`time >> shift`) at the front of the wheel: no key in the wheel is
    /// in an earlier slot, except in the front slot itself.
    base: u64,
    /// Allocated when the wheel first starts.
    slots: Vec<Slot>,
    occupied: [u64; SLOTS / 64],
    in_wheel: usize,
    /// The wheel's smallest key and where it is, until a push or pop changes it.
    front: Option<(u128, usize, usize)>,
}

impl Completions {
    /// A queue whose keys are mostly about `mean_secs` after the time they are pushed.
    pub(super) fn new(mean_secs: f64) -> Self {
        Completions {
            mean_micros: mean_secs * 1e6,
            heap: MinHeap4::default(),
            wheel_on: false,
            shift: 0,
            base: 0,
            slots: Vec::new(),
            occupied: [0; SLOTS / 64],
            in_wheel: 0,
            front: None,
        }
    }

    /// Adds `key`, whose time (`key >> 64`) is not before that of the last key taken.
    #[inline]
    pub(super) fn push(&mut self, key: u128) {
        let len = self.heap.len() + self.in_wheel;
        if self.wheel_on {
            self.wheel_on = len > WHEEL_OFF;
        } else if len >= WHEEL_ON {
            self.wheel_on = true;
            if self.in_wheel == 0 {
                self.start_wheel(len);
            }
        }
        if !self.wheel_on || !self.push_wheel(key) {
            self.heap.push(key);
        }
        if self.front.is_some_and(|(k, _, _)| key < k) {
            self.front = None;
        }
    }

    /// Starts an empty wheel for `len` keys in flight: a slot near the front should hold
    /// about one of them, and a mean duration should span at least 128 slots.
    #[cold]
    fn start_wheel(&mut self, len: usize) {
        let micros = self.mean_micros / (len as f64).max(128.0);
        // The largest power of two not above that (1 µs for anything shorter or not a number;
        // at most 2^40 µs, about 12 days).
        self.shift = if micros >= 2.0 { (libm::log2(micros) as u32).min(40) } else { 0 };
        if self.slots.is_empty() {
            self.slots = vec![Slot::default(); SLOTS];
        }
    }

    /// Puts `key` in the wheel if its slot is within the span and has room.
    #[inline]
    fn push_wheel(&mut self, key: u128) -> bool {
        let slot = ((key >> 64) as u64) >> self.shift;
        if self.in_wheel == 0 {
            self.base = slot;
        }
        // A key earlier than the front goes into the front slot, which is searched first.
        let ahead = slot.saturating_sub(self.base);
        if ahead >= SLOTS as u64 {
            return false;
        }
        let i = ((self.base + ahead) as usize) & (SLOTS - 1);
        let s = &mut self.slots[i];
        let n = usize::from(s.len);
        if n == SLOT_KEYS {
            return false;
        }
        s.keys[n] = key;
        s.len += 1;
        self.occupied[i / 64] |= 1 << (i % 64);
        self.in_wheel += 1;
        true
    }

    /// The wheel's smallest key and where it is; the front moves to its slot.
    #[inline]
    fn wheel_front(&mut self) -> Option<(u128, usize, usize)> {
        if self.front.is_none() && self.in_wheel > 0 {
            let start = (self.base as usize) & (SLOTS - 1);
            let mut word = start / 64;
            let mut bits = self.occupied[word] & (!0u64 << (start % 64));
            while bits == 0 {
                word = (word + 1) % (SLOTS / 64);
                bits = self.occupied[word];
            }
            let i = word * 64 + bits.trailing_zeros() as usize;
            self.base += ((i + SLOTS - start) % SLOTS) as u64;
            let s = &self.slots[i];
            let mut at = 0;
            for k in 1..usize::from(s.len) {
                if s.keys[k] < s.keys[at] {
                    at = k;
                }
            }
            self.front = Some((s.keys[at], i, at));
        }
        self.front
    }

    /// The smallest key, if any.
    #[inline]
    pub(super) fn peek(&mut self) -> Option<u128> {
        let heap = self.heap.peek();
        match (self.wheel_front(), heap) {
            (Some((w, _, _)), Some(h)) => Some(w.min(h)),
            (w, h) => w.map(|(w, _, _)| w).or(h),
        }
    }

    /// Removes and returns the smallest key.
    #[inline]
    pub(super) fn pop(&mut self) -> Option<u128> {
        match self.wheel_front() {
            Some((w, i, at)) if self.heap.peek().is_none_or(|h| w < h) => {
                let s = &mut self.slots[i];
                s.len -= 1;
                s.keys[at] = s.keys[usize::from(s.len)];
                if s.len == 0 {
                    self.occupied[i / 64] &= !(1 << (i % 64));
                }
                self.in_wheel -= 1;
                self.front = None;
                Some(w)
            }
            _ => self.heap.pop(),
        }
    }
}

/// A min-heap of `u128` keys with four children a node.
#[derive(Debug, Default)]
struct MinHeap4 {
    keys: Vec<u128>,
}

impl MinHeap4 {
    /// The smallest key, if any.
    #[inline]
    fn peek(&self) -> Option<u128> {
        self.keys.first().copied()
    }

    /// Keys held.
    #[inline]
    fn len(&self) -> usize {
        self.keys.len()
    }

    /// Adds `key`.
    #[inline]
    fn push(&mut self, key: u128) {
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
    fn pop(&mut self) -> Option<u128> {
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

    /// Keys pushed never before the last one popped, popped against `BinaryHeap`: the queue
    /// grows past the wheel's threshold and shrinks to nothing, again and again; some keys tie
    /// on time, some lie far beyond the wheel, and time sometimes jumps far ahead.
    fn against_the_standard_heap(mean_secs: f64, spread_micros: u64, rounds: u32) {
        let mut x = 0x9e37_79b9_7f4a_7c15u64 ^ spread_micros;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let (mut ours, mut std) = (Completions::new(mean_secs), BinaryHeap::new());
        let (mut seq, mut now) = (0u128, 0u64);
        let mut most = 0;
        for round in 0..rounds {
            // A thousand rounds growing by one a round, three thousand shrinking by a half.
            let growing = round % 4_000 < 1_000;
            let (pushes, pops) = if growing { (3, 1) } else { (1, 2) };
            for _ in 0..(next() % (pushes + 1)) {
                seq += 1;
                let far = if next() % 50 == 0 { spread_micros * 2_000 } else { 0 };
                let t = now + next() % (spread_micros + 1) + far;
                let key = (u128::from(t) << 64) | seq;
                ours.push(key);
                std.push(Reverse(key));
            }
            most = most.max(std.len());
            for _ in 0..pops {
                if next() % 2 == 0 {
                    let popped = ours.pop();
                    assert_eq!(popped, std.pop().map(|Reverse(k)| k));
                    if let Some(k) = popped {
                        now = (k >> 64) as u64;
                    }
                }
            }
            if next() % 997 == 0 && std.is_empty() {
                now += spread_micros * 1_000;
            }
            assert_eq!(ours.peek(), std.peek().map(|Reverse(k)| *k));
        }
        assert!(most > 2 * WHEEL_ON, "the wheel was used: {most}");
        while let Some(Reverse(k)) = std.pop() {
            assert_eq!(ours.pop(), Some(k));
        }
        assert_eq!((ours.pop(), ours.peek()), (None, None));
    }

    #[test]
    fn pops_what_the_standard_heap_pops() {
        for (mean, spread) in [(1.0, 3_000_000), (0.001, 5_000), (1.0, 7), (1e-9, 1_000), (3_600.0, 20_000_000)] {
            against_the_standard_heap(mean, spread, 40_000);
        }
        // A mean that is not a number, or infinite, still gives a working queue.
        against_the_standard_heap(f64::NAN, 1_000, 20_000);
        against_the_standard_heap(f64::INFINITY, 1_000, 20_000);
    }
}
