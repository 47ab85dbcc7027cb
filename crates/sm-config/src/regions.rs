//! The regions of Secrets Manager and of Code Engine.

/// A region: its ID and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Region {
    /// The ID (`us-south`).
    pub id: &'static str,
    /// The place, for pickers (`Dallas`).
    pub label: &'static str,
    /// Whether Code Engine runs there.
    pub code_engine: bool,
}

const fn region(id: &'static str, label: &'static str, code_engine: bool) -> Region {
    Region {
        id,
        label,
        code_engine,
    }
}

/// Every Secrets Manager region (13) **\[S\]**; `code_engine` marks Code Engine's 11 **\[P\]**.
pub const REGIONS: [Region; 13] = [
    region("us-south", "Dallas", true),
    region("us-east", "Washington DC", true),
    region("ca-tor", "Toronto", true),
    region("ca-mon", "Montreal", false),
    region("br-sao", "São Paulo", true),
    region("eu-gb", "London", true),
    region("eu-de", "Frankfurt", true),
    region("eu-es", "Madrid", true),
    region("jp-tok", "Tokyo", true),
    region("jp-osa", "Osaka", true),
    region("au-syd", "Sydney", true),
    region("in-mum", "Mumbai", false),
    region("in-che", "Chennai", true),
];

/// The IDs of the Secrets Manager regions.
pub fn secrets_manager_regions() -> impl Iterator<Item = &'static str> {
    REGIONS.iter().map(|r| r.id)
}

/// The IDs of the Code Engine regions.
pub fn code_engine_regions() -> impl Iterator<Item = &'static str> {
    REGIONS.iter().filter(|r| r.code_engine).map(|r| r.id)
}

/// The region with this ID.
pub fn find(id: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.id == id)
}

/// Whether `id` is a Secrets Manager region.
pub fn is_secrets_manager_region(id: &str) -> bool {
    find(id).is_some()
}

/// Whether `id` is a Code Engine region.
pub fn is_code_engine_region(id: &str) -> bool {
    find(id).is_some_and(|r| r.code_engine)
}
