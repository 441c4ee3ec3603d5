//! The Mapbox Vector Tile 2.1 protobuf messages, hand-written with `prost`'s derive from
//! `vector_tile.proto` of the spec (<https://github.com/mapbox/vector-tile-spec/blob/master/2.1/vector_tile.proto>).
//! Written out rather than generated at build time so the build needs no `protoc`; taken
//! from the spec rather than from `geozero`, whose `mvt` feature brings a large dependency
//! tree for these four small messages.

// Field names are the spec's, so they stay as the `.proto` spells them.
#![allow(clippy::struct_field_names)]

/// `Tile`: a list of layers.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Tile {
    /// `repeated Layer layers = 3;`
    #[prost(message, repeated, tag = "3")]
    pub layers: Vec<Layer>,
}

/// `Tile.Value`: exactly one field is set.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Value {
    /// `optional string string_value = 1;`
    #[prost(string, optional, tag = "1")]
    pub string_value: Option<String>,
    /// `optional float float_value = 2;`
    #[prost(float, optional, tag = "2")]
    pub float_value: Option<f32>,
    /// `optional double double_value = 3;`
    #[prost(double, optional, tag = "3")]
    pub double_value: Option<f64>,
    /// `optional int64 int_value = 4;`
    #[prost(int64, optional, tag = "4")]
    pub int_value: Option<i64>,
    /// `optional uint64 uint_value = 5;`
    #[prost(uint64, optional, tag = "5")]
    pub uint_value: Option<u64>,
    /// `optional sint64 sint_value = 6;`
    #[prost(sint64, optional, tag = "6")]
    pub sint_value: Option<i64>,
    /// `optional bool bool_value = 7;`
    #[prost(bool, optional, tag = "7")]
    pub bool_value: Option<bool>,
}

/// `Tile.GeomType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum GeomType {
    /// `UNKNOWN = 0`
    Unknown = 0,
    /// `POINT = 1`
    Point = 1,
    /// `LINESTRING = 2`
    Linestring = 2,
    /// `POLYGON = 3`
    Polygon = 3,
}

/// `Tile.Feature`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Feature {
    /// `optional uint64 id = 1 [ default = 0 ];`
    #[prost(uint64, optional, tag = "1")]
    pub id: Option<u64>,
    /// `repeated uint32 tags = 2 [ packed = true ];`
    #[prost(uint32, repeated, packed = "true", tag = "2")]
    pub tags: Vec<u32>,
    /// `optional GeomType type = 3 [ default = UNKNOWN ];`
    #[prost(enumeration = "GeomType", optional, tag = "3")]
    pub r#type: Option<i32>,
    /// `repeated uint32 geometry = 4 [ packed = true ];`
    #[prost(uint32, repeated, packed = "true", tag = "4")]
    pub geometry: Vec<u32>,
}

/// `Tile.Layer`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Layer {
    /// `required uint32 version = 15 [ default = 1 ];`
    #[prost(uint32, required, tag = "15")]
    pub version: u32,
    /// `required string name = 1;`
    #[prost(string, required, tag = "1")]
    pub name: String,
    /// `repeated Feature features = 2;`
    #[prost(message, repeated, tag = "2")]
    pub features: Vec<Feature>,
    /// `repeated string keys = 3;`
    #[prost(string, repeated, tag = "3")]
    pub keys: Vec<String>,
    /// `repeated Value values = 4;`
    #[prost(message, repeated, tag = "4")]
    pub values: Vec<Value>,
    /// `optional uint32 extent = 5 [ default = 4096 ];`
    #[prost(uint32, optional, tag = "5")]
    pub extent: Option<u32>,
}
