//! Polygon index, parallel point-to-area join, reprojection WGS84 <-> British National Grid.
