//! The service's limits, in one place. Marks as in the contract: **\[S\]** stated by a source,
//! **\[P\]** the project's strict reading where the sources are silent.

/// `name`: at least 2 characters **\[S\]**.
pub const NAME_MIN_LEN: usize = 2;
/// `name`: at most 128 characters **\[S\]**.
pub const NAME_MAX_LEN: usize = 128;
/// `code_engine.job_name`: at most 63 characters, Code Engine's own rule **\[P\]**.
pub const JOB_NAME_MAX_LEN: usize = 63;
/// A UUID (`api_key_ref` **\[S\]**, `code_engine.project_id` **\[P\]**, the instance ID) is 36
/// characters, lower-case hex in 8-4-4-4-12 groups. Version bits are not checked: the docs'
/// own example `a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca` is not an RFC 4122 UUID.
pub const UUID_LEN: usize = 36;
/// `task_timeout`: at most 6 characters **\[S\]**.
pub const TASK_TIMEOUT_MAX_LEN: usize = 6;
/// `task_timeout`: at least 5 minutes, inclusive **\[P\]**.
pub const TASK_TIMEOUT_MIN_SECONDS: u64 = 5 * 60;
/// `task_timeout`: at most 24 hours, inclusive **\[P\]**.
pub const TASK_TIMEOUT_MAX_SECONDS: u64 = 24 * 60 * 60;
/// The service's `task_timeout` when the request has none **\[S\]**.
pub const TASK_TIMEOUT_DEFAULT: &str = "10m";
/// Custom credentials configurations per instance **\[S\]**.
pub const MAX_CUSTOM_CREDENTIALS_CONFIGURATIONS: usize = 10;
/// List `limit`: 1 to 1000, default 200 **\[S\]**.
pub const LIST_LIMIT_MAX: u64 = 1000;
/// List `limit` when none is given **\[S\]**.
pub const LIST_LIMIT_DEFAULT: u64 = 200;
/// List `search`: 2 to 128 characters **\[S\]**.
pub const SEARCH_MIN_LEN: usize = 2;
/// List `search`: at most 128 characters **\[S\]**.
pub const SEARCH_MAX_LEN: usize = 128;
/// The largest body the emulator takes **\[P\]**.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

// How texts name the task timeout's bounds: the minimum in minutes, the maximum in hours (and
// days). Formatted from the constants above, never restated; these hold them whole, or the
// build fails here instead of a message saying something else than the rule checks.
const _: () = assert!(
    TASK_TIMEOUT_MIN_SECONDS.is_multiple_of(60)
        && TASK_TIMEOUT_MIN_SECONDS < 3600
        && TASK_TIMEOUT_MAX_SECONDS.is_multiple_of(86_400)
);
// 32-bit, so texts format them with code the page and the npm package have anyway.
/// `task_timeout`'s minimum in minutes (5), for texts.
pub const TASK_TIMEOUT_MIN_MINUTES: u32 = (TASK_TIMEOUT_MIN_SECONDS / 60) as u32;
/// `task_timeout`'s minimum in seconds (300) as a 32-bit number, for texts.
pub(crate) const TASK_TIMEOUT_MIN_SECONDS_32: u32 = TASK_TIMEOUT_MIN_SECONDS as u32;
/// `task_timeout`'s maximum in hours (24), for texts.
pub const TASK_TIMEOUT_MAX_HOURS: u32 = (TASK_TIMEOUT_MAX_SECONDS / 3600) as u32;
/// `task_timeout`'s maximum in days (1), minutes (1440) and seconds (86400), for texts.
pub(crate) const TASK_TIMEOUT_MAX_IN: (u32, u32, u32) = (
    (TASK_TIMEOUT_MAX_SECONDS / 86_400) as u32,
    (TASK_TIMEOUT_MAX_SECONDS / 60) as u32,
    TASK_TIMEOUT_MAX_SECONDS as u32,
);

/// The task timeout's range as written, `5m to 24h`.
pub fn task_timeout_range() -> String {
    format!("{TASK_TIMEOUT_MIN_MINUTES}m to {TASK_TIMEOUT_MAX_HOURS}h")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_range_is_written_from_the_constants() {
        assert_eq!(task_timeout_range(), "5m to 24h");
        assert_eq!(TASK_TIMEOUT_MAX_IN, (1, 1440, 86_400));
    }
}
