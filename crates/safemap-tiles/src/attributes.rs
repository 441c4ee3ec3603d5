//! Feature attributes: one row of typed values per feature.

/// One attribute value. `Null` means the property is omitted from the feature.
#[derive(Clone, Debug, PartialEq)]
pub enum PropValue {
    /// No value: the property is left out of the feature.
    Null,
    /// A boolean (MVT `bool_value`).
    Bool(bool),
    /// A signed integer (MVT `sint_value`, zigzag-encoded).
    Int(i64),
    /// An unsigned integer (MVT `uint_value`).
    UInt(u64),
    /// A double (MVT `double_value`).
    Float(f64),
    /// A string (MVT `string_value`).
    String(String),
}

impl PropValue {
    /// The TileJSON field type of the value, or `None` for `Null`.
    pub fn field_type(&self) -> Option<FieldType> {
        match self {
            PropValue::Null => None,
            PropValue::Bool(_) => Some(FieldType::Boolean),
            PropValue::Int(_) | PropValue::UInt(_) | PropValue::Float(_) => Some(FieldType::Number),
            PropValue::String(_) => Some(FieldType::String),
        }
    }
}

/// A hashable view of a [`PropValue`] (floats by their bits), for deduplicating values and
/// grouping features with equal attributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ValueKey<'a> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(u64),
    Str(&'a str),
}

impl PropValue {
    /// The hashable view of the value.
    pub(crate) fn key(&self) -> ValueKey<'_> {
        match self {
            PropValue::Null => ValueKey::Null,
            PropValue::Bool(b) => ValueKey::Bool(*b),
            PropValue::Int(i) => ValueKey::Int(*i),
            PropValue::UInt(u) => ValueKey::UInt(*u),
            PropValue::Float(f) => ValueKey::Float(f.to_bits()),
            PropValue::String(s) => ValueKey::Str(s),
        }
    }
}

/// The type of a field, as TileJSON `vector_layers[].fields` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// Text.
    String,
    /// Any number.
    Number,
    /// `true` / `false`.
    Boolean,
}

impl FieldType {
    /// `"String"`, `"Number"` or `"Boolean"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            FieldType::String => "String",
            FieldType::Number => "Number",
            FieldType::Boolean => "Boolean",
        }
    }
}

/// Attributes of a layer: `rows[i]` belongs to feature `i`, and `rows[i][k]` is the value of
/// `keys[k]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AttributeTable {
    /// Property names, in column order.
    pub keys: Vec<String>,
    /// One row per feature, each with one value per key.
    pub rows: Vec<Vec<PropValue>>,
}

impl AttributeTable {
    /// The type of each column, from its first non-null value (`Number` when all are null).
    ///
    /// ```
    /// use safemap_tiles::{AttributeTable, FieldType, PropValue};
    /// let t = AttributeTable {
    ///     keys: vec!["code".into(), "rate".into()],
    ///     rows: vec![
    ///         vec![PropValue::String("E01015023".into()), PropValue::Null],
    ///         vec![PropValue::String("E01015024".into()), PropValue::Float(1.5)],
    ///     ],
    /// };
    /// assert_eq!(
    ///     t.field_types(),
    ///     vec![("code".to_string(), FieldType::String), ("rate".to_string(), FieldType::Number)]
    /// );
    /// ```
    pub fn field_types(&self) -> Vec<(String, FieldType)> {
        self.keys
            .iter()
            .enumerate()
            .map(|(k, key)| {
                let ty = self
                    .rows
                    .iter()
                    .find_map(|row| row.get(k).and_then(PropValue::field_type))
                    .unwrap_or(FieldType::Number);
                (key.clone(), ty)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_types_from_first_non_null() {
        let t = AttributeTable {
            keys: vec!["a".into(), "b".into(), "c".into()],
            rows: vec![
                vec![PropValue::Null, PropValue::Bool(true), PropValue::Null],
                vec![
                    PropValue::Int(-3),
                    PropValue::String("x".into()),
                    PropValue::Null,
                ],
            ],
        };
        let types: Vec<_> = t
            .field_types()
            .into_iter()
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(types, ["Number", "Boolean", "Number"]);
    }
}
