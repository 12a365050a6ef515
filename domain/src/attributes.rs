//! An answer's attributes: the `identify` pairs that travel with it.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::fmt;

/// String keys to string values, each key once, in key order: a JSON object with its keys
/// sorted, as stored and exported. A sorted `Vec` rather than a `BTreeMap`: an answer has at most
/// [`crate::limits::MAX_ATTRIBUTES`] pairs, and a B-tree's code would cost the widget's wasm
/// about 4 KB (twiggy).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes(Vec<(String, String)>);

impl Attributes {
    /// Sets `key` to `value`, replacing the key's earlier value.
    pub fn insert(&mut self, key: String, value: String) {
        match self.0.binary_search_by(|(k, _)| k.as_str().cmp(&key)) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        let i = self.0.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok()?;
        Some(&self.0[i].1)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(String, String)> for Attributes {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        let mut a = Attributes::default();
        for (k, v) in pairs {
            a.insert(k, v);
        }
        a
    }
}

impl<const N: usize> From<[(String, String); N]> for Attributes {
    fn from(pairs: [(String, String); N]) -> Self {
        pairs.into_iter().collect()
    }
}

impl IntoIterator for Attributes {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Attributes {
    type Item = &'a (String, String);
    type IntoIter = std::slice::Iter<'a, (String, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Serialize for Attributes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Attributes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of strings")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Attributes, M::Error> {
                let mut a = Attributes::default();
                while let Some((k, v)) = m.next_entry()? {
                    a.insert(k, v);
                }
                Ok(a)
            }
        }
        d.deserialize_map(Pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    proptest! {
        /// Whatever is inserted, in whatever order, reads, iterates and encodes as a `BTreeMap`
        /// of the same insertions (the last value of a key wins; keys in order).
        #[test]
        fn behaves_as_a_sorted_map(pairs in proptest::collection::vec(("[a-d]{0,3}", "[a-z]{0,3}"), 0..20)) {
            let mut map = BTreeMap::new();
            let mut attrs = Attributes::default();
            for (k, v) in &pairs {
                map.insert(k.clone(), v.clone());
                attrs.insert(k.clone(), v.clone());
            }
            prop_assert_eq!(attrs.len(), map.len());
            prop_assert_eq!(attrs.is_empty(), map.is_empty());
            let listed: Vec<_> = (&attrs).into_iter().cloned().collect();
            let expected: Vec<_> = map.clone().into_iter().collect();
            prop_assert_eq!(&listed, &expected);
            for (k, v) in &map {
                prop_assert_eq!(attrs.get(k), Some(v.as_str()));
            }
            prop_assert_eq!(attrs.get("zzzz"), None);
            let json = serde_json::to_string(&attrs).unwrap();
            prop_assert_eq!(&json, &serde_json::to_string(&map).unwrap());
            let back: Attributes = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back, attrs);
        }
    }

    #[test]
    fn decodes_only_an_object_of_strings() {
        let a: Attributes = serde_json::from_str(r#"{"plan":"pro","a":"1"}"#).unwrap();
        assert_eq!(
            a,
            [("a".into(), "1".into()), ("plan".into(), "pro".into())].into()
        );
        assert!(serde_json::from_str::<Attributes>(r#"{"plan":1}"#).is_err());
        assert!(serde_json::from_str::<Attributes>(r#"["plan"]"#).is_err());
    }
}
