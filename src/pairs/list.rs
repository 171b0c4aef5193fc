//! The pairs of a publication in the order they are shown, kept as each language gave them.

use super::Item;
use rayon::prelude::*;
use std::cmp::Ordering;

/// Pairs sorted by id, then language, then translation: the order of
/// [`super::Pairing::items`]. Each language's pairs stay in the list that language gave (moving
/// 180,000 pairs into one list would hold them twice while it is made); only their order is
/// kept apart.
#[derive(Debug, Clone, Default)]
pub struct PairList<'a> {
    parts: Vec<Vec<Item<'a>>>,
    /// Where each pair is, in order: its part and its place in it.
    order: Vec<(u32, u32)>,
}

fn key<'s>(i: &'s Item) -> (&'s str, &'s str, Option<&'s str>) {
    (&i.id, i.lang, i.translation.as_deref())
}

impl<'a> PairList<'a> {
    /// The pairs of `parts`, in order.
    pub fn new(parts: Vec<Vec<Item<'a>>>) -> Self {
        let mut list = PairList {
            parts: parts.into_iter().filter(|p| !p.is_empty()).collect(),
            order: Vec::new(),
        };
        list.sort();
        list
    }

    fn at(&self, (part, at): (u32, u32)) -> &Item<'a> {
        &self.parts[part as usize][at as usize]
    }

    fn sort(&mut self) {
        let total = self.parts.iter().map(Vec::len).sum();
        let mut order = Vec::with_capacity(total);
        for (p, part) in self.parts.iter().enumerate() {
            order.extend((0..part.len() as u32).map(|i| (p as u32, i)));
        }
        // Each language's pairs are mostly in id order already: a stable sort merges those runs
        // (no two pairs share id, language and translation, so the order is the same as any
        // sort's).
        order.par_sort_by(|&a, &b| self.cmp(a, b));
        self.order = order;
    }

    fn cmp(&self, a: (u32, u32), b: (u32, u32)) -> Ordering {
        key(self.at(a)).cmp(&key(self.at(b)))
    }

    /// Adds `items`, keeping the order.
    pub fn extend(&mut self, items: Vec<Item<'a>>) {
        if !items.is_empty() {
            self.parts.push(items);
            self.sort();
        }
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The pairs, in order.
    pub fn iter(&self) -> Iter<'_, 'a> {
        Iter {
            list: self,
            order: self.order.iter(),
        }
    }
}

impl<'a> std::ops::Index<usize> for PairList<'a> {
    type Output = Item<'a>;

    fn index(&self, n: usize) -> &Item<'a> {
        self.at(self.order[n])
    }
}

/// The pairs of a [`PairList`], in order.
pub struct Iter<'s, 'a> {
    list: &'s PairList<'a>,
    order: std::slice::Iter<'s, (u32, u32)>,
}

impl<'s, 'a> Iterator for Iter<'s, 'a> {
    type Item = &'s Item<'a>;

    fn next(&mut self) -> Option<&'s Item<'a>> {
        self.order.next().map(|&o| self.list.at(o))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.order.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_, '_> {}

impl<'s, 'a> IntoIterator for &'s PairList<'a> {
    type Item = &'s Item<'a>;
    type IntoIter = Iter<'s, 'a>;

    fn into_iter(self) -> Iter<'s, 'a> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::State;
    use std::borrow::Cow;

    fn it(id: &'static str, lang: &'static str, translation: Option<&str>) -> Item<'static> {
        Item {
            translation: translation.map(Into::into),
            ..super::super::item(Cow::Borrowed(id), lang, State::Missing)
        }
    }

    fn keys<'s>(list: &'s PairList) -> Vec<(&'s str, &'s str, Option<&'s str>)> {
        list.iter()
            .map(|i| (i.id.as_ref(), i.lang, i.translation.as_deref()))
            .collect()
    }

    #[test]
    fn pairs_of_every_part_come_in_id_language_translation_order() {
        let es = vec![
            it("b", "es", None),
            it("a", "es", Some("x")),
            it("c", "es", None),
        ];
        let de = vec![it("b", "de", None), it("a", "es", Some("w"))];
        let mut list = PairList::new(vec![es, Vec::new(), de]);
        let want = vec![
            ("a", "es", Some("w")),
            ("a", "es", Some("x")),
            ("b", "de", None),
            ("b", "es", None),
            ("c", "es", None),
        ];
        assert_eq!(keys(&list), want);
        assert_eq!(list.len(), 5);
        assert_eq!(list[2].lang, "de");
        assert_eq!(list[4].id.as_ref(), "c");
        list.extend(vec![it("a", "fr", None)]);
        assert_eq!(list.len(), 6);
        assert_eq!((list[2].id.as_ref(), list[2].lang), ("a", "fr"));
        assert_eq!((&list).into_iter().count(), 6);
        assert!(PairList::default().is_empty());
    }
}
