//! The service's limits, in one place. Marks as in the contract: **[S]** stated by a source,
//! **[P]** the project's strict reading where the sources are silent.

/// `name`: at least 2 characters **[S]**.
pub const NAME_MIN_LEN: usize = 2;
/// `name`: at most 128 characters **[S]**.
pub const NAME_MAX_LEN: usize = 128;
/// `code_engine.job_name`: at most 63 characters, Code Engine's own rule **[P]**.
pub const JOB_NAME_MAX_LEN: usize = 63;
/// A UUID (`api_key_ref` **[S]**, `code_engine.project_id` **[P]**, the instance ID) is 36
/// characters, lower-case hex in 8-4-4-4-12 groups. Version bits are not checked: the docs'
/// own example `a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca` is not an RFC 4122 UUID.
pub const UUID_LEN: usize = 36;
/// `task_timeout`: at most 6 characters **[S]**.
pub const TASK_TIMEOUT_MAX_LEN: usize = 6;
/// `task_timeout`: at least 5 minutes, inclusive **[P]**.
pub const TASK_TIMEOUT_MIN_SECONDS: u64 = 5 * 60;
/// `task_timeout`: at most 24 hours, inclusive **[P]**.
pub const TASK_TIMEOUT_MAX_SECONDS: u64 = 24 * 60 * 60;
/// The service's `task_timeout` when the request has none **[S]**.
pub const TASK_TIMEOUT_DEFAULT: &str = "10m";
/// Custom credentials configurations per instance **[S]**.
pub const MAX_CUSTOM_CREDENTIALS_CONFIGURATIONS: usize = 10;
/// List `limit`: 1 to 1000, default 200 **[S]**.
pub const LIST_LIMIT_MAX: u64 = 1000;
/// List `limit` when none is given **[S]**.
pub const LIST_LIMIT_DEFAULT: u64 = 200;
/// List `search`: 2 to 128 characters **[S]**.
pub const SEARCH_MIN_LEN: usize = 2;
/// List `search`: at most 128 characters **[S]**.
pub const SEARCH_MAX_LEN: usize = 128;
/// The largest body the emulator takes **[P]**.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A length in seconds as a task timeout writes it, in the largest of the units `s`, `m` and
/// `h` that holds it whole (`300` → `5m`, `86400` → `24h`): how messages and hints name the
/// bounds above, so that no text restates them.
pub fn written_seconds(seconds: u64) -> String {
    let (n, unit) = largest_unit(seconds);
    format!("{n}{}", unit.0)
}

/// The largest of hours, minutes and seconds that holds `seconds` whole: the count, and the
/// unit as a task timeout writes it and in words.
fn largest_unit(seconds: u64) -> (u64, (char, &'static str)) {
    const UNITS: [(u64, (char, &str)); 3] = [
        (3600, ('h', "hour")),
        (60, ('m', "minute")),
        (1, ('s', "second")),
    ];
    UNITS
        .into_iter()
        .find(|&(size, _)| seconds > 0 && seconds.is_multiple_of(size))
        .map_or((seconds, ('s', "second")), |(size, unit)| {
            (seconds / size, unit)
        })
}

/// A length in seconds in words, in the largest of seconds, minutes and hours that holds it
/// whole (`300` → `5 minutes`, `86400` → `24 hours`).
pub fn spoken_seconds(seconds: u64) -> String {
    let (n, (_, unit)) = largest_unit(seconds);
    let plural = if n == 1 { "" } else { "s" };
    format!("{n} {unit}{plural}")
}

/// The task timeout's range as written, `5m to 24h`.
pub fn task_timeout_range() -> String {
    format!(
        "{} to {}",
        written_seconds(TASK_TIMEOUT_MIN_SECONDS),
        written_seconds(TASK_TIMEOUT_MAX_SECONDS)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_written_in_their_largest_whole_unit() {
        assert_eq!(written_seconds(300), "5m");
        assert_eq!(written_seconds(86_400), "24h");
        assert_eq!(written_seconds(90), "90s");
        assert_eq!(spoken_seconds(300), "5 minutes");
        assert_eq!(spoken_seconds(86_400), "24 hours");
        assert_eq!(spoken_seconds(3600), "1 hour");
        assert_eq!(task_timeout_range(), "5m to 24h");
    }
}
