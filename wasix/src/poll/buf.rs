//! A small vector of plain records: inline up to [`INLINE`] of them, on the heap beyond, so polls of a few
//! fds allocate nothing.

/// How many records live inline.
pub(crate) const INLINE: usize = 8;

/// Records of a `Copy + Default` type, inline while they fit.
#[derive(Clone, Debug)]
pub(crate) enum Buf<T: Copy + Default> {
    Inline([T; INLINE], usize),
    Heap(Vec<T>),
}

impl<T: Copy + Default> Default for Buf<T> {
    fn default() -> Self {
        Buf::Inline([T::default(); INLINE], 0)
    }
}

impl<T: Copy + Default> Buf<T> {
    /// Room for `capacity` records.
    pub fn with_capacity(capacity: usize) -> Self {
        if capacity <= INLINE {
            Self::default()
        } else {
            Buf::Heap(Vec::with_capacity(capacity))
        }
    }

    pub fn push(&mut self, value: T) {
        match self {
            Buf::Inline(items, len) if *len < INLINE => {
                items[*len] = value;
                *len += 1;
            }
            Buf::Inline(items, len) => {
                let mut heap = Vec::with_capacity(INLINE * 2);
                heap.extend_from_slice(&items[..*len]);
                heap.push(value);
                *self = Buf::Heap(heap);
            }
            Buf::Heap(items) => items.push(value),
        }
    }

    pub fn clear(&mut self) {
        match self {
            Buf::Inline(_, len) => *len = 0,
            Buf::Heap(items) => items.clear(),
        }
    }

    pub fn as_slice(&self) -> &[T] {
        match self {
            Buf::Inline(items, len) => &items[..*len],
            Buf::Heap(items) => items,
        }
    }

    /// Makes the length `len`, filling new records with the default (for an out-parameter array).
    pub fn resize(&mut self, len: usize) {
        match self {
            Buf::Inline(_, n) if len <= INLINE => *n = len,
            Buf::Inline(..) => *self = Buf::Heap(vec![T::default(); len]),
            Buf::Heap(items) => items.resize(len, T::default()),
        }
    }

    /// Shortens to `len` records.
    pub fn truncate(&mut self, len: usize) {
        match self {
            Buf::Inline(_, n) => *n = len.min(*n),
            Buf::Heap(items) => items.truncate(len),
        }
    }

    pub fn as_mut_slice(&mut self) -> &mut [T] {
        match self {
            Buf::Inline(items, len) => &mut items[..*len],
            Buf::Heap(items) => items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_spill_to_the_heap_in_order() {
        let mut buf = Buf::<u32>::default();
        for i in 0..20 {
            buf.push(i);
            assert_eq!(buf.as_slice(), (0..=i).collect::<Vec<_>>());
        }
        buf.truncate(3);
        assert_eq!(buf.as_slice(), [0, 1, 2]);
        buf.clear();
        buf.resize(2);
        assert_eq!(buf.as_mut_slice(), [0, 0]);
    }
}
