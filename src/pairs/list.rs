//! The pairs of a publication in the order they are shown, kept as each language gave them.

use super::Item;
use rayon::prelude::*;
use std::cmp::Ordering;
use std::sync::OnceLock;

/// Pairs sorted by id, then language, then translation: the order of
/// [`super::Pairing::items`]. Each language's pairs stay in the list that language gave (moving
/// 180,000 pairs into one list would hold them twice while it is made), sorted; the order of
/// the whole is only made when it is asked for (a table shows each language on its own).
#[derive(Debug, Clone, Default)]
pub struct PairList<'a> {
    parts: Vec<Vec<Item<'a>>>,
    /// Where each pair is, in order: its part and its place in it.
    order: OnceLock<Vec<(u32, u32)>>,
}

fn key<'s>(i: &'s Item) -> (&'s str, &'s str, Option<&'s str>) {
    (&i.id, i.lang, i.translation.as_deref())
}

fn in_order(a: &Item, b: &Item) -> Ordering {
    key(a).cmp(&key(b))
}

/// Puts one part in order. Each language's pairs are mostly in order already (a stable sort
/// finds the runs; no two pairs share id, language and translation, so the order is the same
/// as any sort's).
fn sort_part(part: &mut [Item]) {
    if !part.is_sorted_by(|a, b| in_order(a, b).is_le()) {
        part.sort_by(in_order);
    }
}

impl<'a> PairList<'a> {
    /// The pairs of `parts`, in order.
    pub fn new(parts: Vec<Vec<Item<'a>>>) -> Self {
        let mut parts: Vec<Vec<Item<'a>>> = parts.into_iter().filter(|p| !p.is_empty()).collect();
        parts.par_iter_mut().for_each(|p| sort_part(p));
        PairList {
            parts,
            order: OnceLock::new(),
        }
    }

    fn at(&self, (part, at): (u32, u32)) -> &Item<'a> {
        &self.parts[part as usize][at as usize]
    }

    fn order(&self) -> &[(u32, u32)] {
        self.order.get_or_init(|| {
            let total = self.parts.iter().map(Vec::len).sum();
            let mut order = Vec::with_capacity(total);
            for (p, part) in self.parts.iter().enumerate() {
                order.extend((0..part.len() as u32).map(|i| (p as u32, i)));
            }
            // Runs already in order, one per part: a stable sort merges them.
            order.par_sort_by(|&a, &b| in_order(self.at(a), self.at(b)));
            order
        })
    }

    /// Adds `items`, keeping the order.
    pub fn extend(&mut self, mut items: Vec<Item<'a>>) {
        if !items.is_empty() {
            sort_part(&mut items);
            self.parts.push(items);
            self.order = OnceLock::new();
        }
    }

    pub fn len(&self) -> usize {
        self.parts.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The pairs, in order.
    pub fn iter(&self) -> Iter<'_, 'a> {
        Iter {
            list: self,
            order: self.order().iter(),
        }
    }

    /// The pairs by language (in the order of their tags), each language's in order: without
    /// putting the whole list in order when each part holds one language.
    pub fn by_language(&self) -> Vec<&Item<'a>> {
        let lang = |p: &Vec<Item<'a>>| p[0].lang;
        let mut parts: Vec<&Vec<Item<'a>>> = self.parts.iter().collect();
        parts.sort_by_key(|p| lang(p));
        let one_each = parts.windows(2).all(|w| lang(w[0]) < lang(w[1]))
            && parts.iter().all(|p| p.iter().all(|i| i.lang == lang(p)));
        if one_each {
            return parts.into_iter().flatten().collect();
        }
        let mut all: Vec<&Item<'a>> = self.iter().collect();
        all.sort_by_key(|i| i.lang);
        all
    }
}

impl<'a> std::ops::Index<usize> for PairList<'a> {
    type Output = Item<'a>;

    fn index(&self, n: usize) -> &Item<'a> {
        self.at(self.order()[n])
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

    fn lang_keys<'s>(items: &[&'s Item]) -> Vec<(&'s str, &'s str)> {
        items.iter().map(|i| (i.lang, i.id.as_ref())).collect()
    }

    #[test]
    fn by_language_gives_each_language_in_order_whether_or_not_a_part_mixes_them() {
        let es = vec![it("b", "es", None), it("a", "es", None)];
        let de = vec![it("c", "de", None), it("a", "de", None)];
        let fr = vec![it("a", "fr", None)];
        let want = vec![
            ("de", "a"),
            ("de", "c"),
            ("es", "a"),
            ("es", "b"),
            ("fr", "a"),
        ];
        let list = PairList::new(vec![fr.clone(), es.clone(), de.clone()]);
        assert_eq!(lang_keys(&list.by_language()), want);
        // One part holding two languages, another sharing one of them.
        let mixed: Vec<Item> = es.into_iter().chain(fr).collect();
        let list = PairList::new(vec![mixed, de, vec![it("0", "es", None)]]);
        let mut want = want;
        want.insert(2, ("es", "0"));
        assert_eq!(lang_keys(&list.by_language()), want);
    }
}
