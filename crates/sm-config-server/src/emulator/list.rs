//! `GET /api/v2/configurations`: its query parameters, checked as the contract says, and the
//! page with its `first`/`last`/`next`/`previous` links.

use crate::failure::Failure;
use axum::http::StatusCode;
use sm_config::limits::{LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, SEARCH_MAX_LEN, SEARCH_MIN_LEN};
use sm_config::{
    ConfigType, Configuration, ConfigurationList, CustomCredentialsConfiguration, PageLink,
};

/// The secret types a list may be filtered by **\[S\]**, at most this many at once.
const SECRET_TYPES: [&str; 4] = [
    "iam_credentials",
    "private_cert",
    "public_cert",
    "custom_credentials",
];
/// The only secret type the emulator holds.
const CUSTOM_CREDENTIALS: &str = "custom_credentials";
/// Fields `sort` may name **\[S\]**, optionally with a leading `-` for descending.
const SORT_FIELDS: [&str; 3] = ["config_type", "secret_type", "name"];

/// A list request's parameters, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListQuery {
    offset: u64,
    limit: u64,
    sort: Option<String>,
    search: Option<String>,
    secret_types: Option<Vec<String>>,
}

fn bad(name: &str, message: String) -> Failure {
    Failure::new(StatusCode::BAD_REQUEST, "invalid_query_parameter", message).at("parameter", name)
}

impl ListQuery {
    /// Reads the raw query string. Unknown parameters are ignored, as IBM's APIs do; a
    /// parameter given twice is refused, since which one counts would be a guess.
    pub(crate) fn parse(raw: Option<&str>) -> Result<ListQuery, Failure> {
        let mut query = ListQuery {
            offset: 0,
            limit: LIST_LIMIT_DEFAULT,
            sort: None,
            search: None,
            secret_types: None,
        };
        let mut seen: Vec<String> = Vec::new();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            if !["offset", "limit", "sort", "search", "secret_types"].contains(&key.as_ref()) {
                continue;
            }
            if seen.contains(&key.to_string()) {
                return Err(bad(&key, format!("{key} is given more than once")));
            }
            seen.push(key.to_string());
            match key.as_ref() {
                "offset" => {
                    query.offset = value.parse::<u64>().map_err(|_| {
                        bad(
                            "offset",
                            "offset must be a whole number, 0 or more".to_owned(),
                        )
                    })?;
                }
                "limit" => {
                    query.limit = value
                        .parse::<u64>()
                        .ok()
                        .filter(|l| (1..=LIST_LIMIT_MAX).contains(l))
                        .ok_or_else(|| {
                            bad(
                                "limit",
                                format!("limit must be a whole number from 1 to {LIST_LIMIT_MAX}"),
                            )
                        })?;
                }
                "sort" => {
                    let field = value.strip_prefix('-').unwrap_or(&value);
                    if !SORT_FIELDS.contains(&field) {
                        return Err(bad(
                            "sort",
                            format!(
                                "sort must be one of {0}, each optionally after `-`",
                                SORT_FIELDS.join(", ")
                            ),
                        ));
                    }
                    query.sort = Some(value.into_owned());
                }
                "search" => {
                    let len = value.chars().count();
                    if !(SEARCH_MIN_LEN..=SEARCH_MAX_LEN).contains(&len) {
                        return Err(bad(
                            "search",
                            format!(
                                "search must be {SEARCH_MIN_LEN} to {SEARCH_MAX_LEN} characters"
                            ),
                        ));
                    }
                    query.search = Some(value.into_owned());
                }
                _ => {
                    let types: Vec<String> = value.split(',').map(str::to_owned).collect();
                    if types.len() > SECRET_TYPES.len()
                        || types.iter().any(|t| !SECRET_TYPES.contains(&t.as_str()))
                    {
                        return Err(bad(
                            "secret_types",
                            format!(
                                "secret_types must be a comma-separated list of up to {} of {}",
                                SECRET_TYPES.len(),
                                SECRET_TYPES.join(", ")
                            ),
                        ));
                    }
                    query.secret_types = Some(types);
                }
            }
        }
        Ok(query)
    }

    /// The page of `all` this query asks for; links start with `base`
    /// (`http://host/api/v2/configurations`).
    pub(crate) fn page(
        &self,
        mut all: Vec<CustomCredentialsConfiguration>,
        base: &str,
    ) -> ConfigurationList {
        if let Some(types) = &self.secret_types
            && !types.iter().any(|t| t == CUSTOM_CREDENTIALS)
        {
            all.clear();
        }
        if let Some(search) = &self.search {
            let needle = search.to_lowercase();
            let config_type = ConfigType::CustomCredentialsConfiguration.as_str();
            all.retain(|c| {
                [c.name.as_str(), config_type, c.secret_type.as_str()]
                    .iter()
                    .any(|field| field.to_lowercase().contains(&needle))
            });
        }
        if let Some(sort) = &self.sort {
            // All entries share config_type and secret_type; the stable sort keeps them in
            // creation order then.
            let descending = sort.starts_with('-');
            if sort.trim_start_matches('-') == "name" {
                all.sort_by(|a, b| a.name.cmp(&b.name));
            }
            if descending {
                all.reverse();
            }
        }
        let total = all.len() as u64;
        let link = |offset: u64| {
            Some(PageLink {
                href: self.href(base, offset),
            })
        };
        let last_offset = total.saturating_sub(1) / self.limit * self.limit;
        ConfigurationList {
            total_count: total,
            limit: self.limit,
            offset: self.offset,
            first: link(0),
            next: (self.offset.saturating_add(self.limit) < total)
                .then(|| link(self.offset + self.limit))
                .flatten(),
            previous: (self.offset > 0)
                .then(|| link(self.offset.saturating_sub(self.limit)))
                .flatten(),
            last: link(last_offset),
            configurations: all
                .into_iter()
                .skip(usize::try_from(self.offset).unwrap_or(usize::MAX))
                .take(usize::try_from(self.limit).unwrap_or(usize::MAX))
                .map(Configuration::CustomCredentialsConfiguration)
                .collect(),
        }
    }

    /// The URL of the page at `offset`, keeping the other parameters.
    fn href(&self, base: &str, offset: u64) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("limit", &self.limit.to_string());
        q.append_pair("offset", &offset.to_string());
        if let Some(sort) = &self.sort {
            q.append_pair("sort", sort);
        }
        if let Some(search) = &self.search {
            q.append_pair("search", search);
        }
        if let Some(types) = &self.secret_types {
            q.append_pair("secret_types", &types.join(","));
        }
        format!("{base}?{}", q.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(names: &[&str]) -> Vec<CustomCredentialsConfiguration> {
        names
            .iter()
            .map(|n| CustomCredentialsConfiguration {
                name: (*n).to_owned(),
                secret_type: CUSTOM_CREDENTIALS.to_owned(),
                ..Default::default()
            })
            .collect()
    }

    fn names(list: &ConfigurationList) -> Vec<String> {
        list.configurations
            .iter()
            .filter_map(|c| match c {
                Configuration::CustomCredentialsConfiguration(c) => Some(c.name.clone()),
                Configuration::Other => None,
            })
            .collect()
    }

    #[test]
    fn pages_and_links() {
        let q = ListQuery::parse(Some("limit=2&offset=2&sort=-name")).expect("query");
        let list = q.page(named(&["a1", "b1", "c1", "d1", "e1"]), "http://h/x");
        assert_eq!(list.total_count, 5);
        assert_eq!(names(&list), ["c1", "b1"]);
        let href = |l: &Option<PageLink>| l.as_ref().map(|l| l.href.clone());
        assert_eq!(
            href(&list.first).as_deref(),
            Some("http://h/x?limit=2&offset=0&sort=-name")
        );
        assert_eq!(
            href(&list.previous).as_deref(),
            Some("http://h/x?limit=2&offset=0&sort=-name")
        );
        assert_eq!(
            href(&list.next).as_deref(),
            Some("http://h/x?limit=2&offset=4&sort=-name")
        );
        assert_eq!(
            href(&list.last).as_deref(),
            Some("http://h/x?limit=2&offset=4&sort=-name")
        );
        let end = ListQuery::parse(Some("limit=2&offset=4")).expect("query");
        let list = end.page(named(&["a1", "b1", "c1", "d1", "e1"]), "http://h/x");
        assert_eq!(names(&list), ["e1"]);
        assert!(list.next.is_none());
    }

    #[test]
    fn filters() {
        let all = named(&["alpha", "beta", "alphabet"]);
        let q = ListQuery::parse(Some("search=ALPHA")).expect("query");
        assert_eq!(names(&q.page(all.clone(), "b")), ["alpha", "alphabet"]);
        let q = ListQuery::parse(Some("secret_types=iam_credentials,public_cert")).expect("query");
        assert_eq!(q.page(all.clone(), "b").total_count, 0);
        let q = ListQuery::parse(Some("secret_types=custom_credentials")).expect("query");
        assert_eq!(q.page(all, "b").total_count, 3);
    }

    #[test]
    fn refuses_bad_parameters() {
        for (raw, param) in [
            ("offset=-1", "offset"),
            ("offset=x", "offset"),
            ("limit=0", "limit"),
            ("limit=1001", "limit"),
            ("limit=", "limit"),
            ("sort=created_at", "sort"),
            ("sort=--name", "sort"),
            ("search=a", "search"),
            ("secret_types=kv", "secret_types"),
            ("secret_types=", "secret_types"),
            (
                "secret_types=private_cert,public_cert,iam_credentials,custom_credentials,private_cert",
                "secret_types",
            ),
            ("limit=1&limit=2", "limit"),
        ] {
            let err = ListQuery::parse(Some(raw)).expect_err(raw);
            assert_eq!(err.status(), StatusCode::BAD_REQUEST, "{raw}");
            assert!(
                format!("{err:?}").contains(&format!("name: \"{param}\"")),
                "{raw}: {err:?}"
            );
        }
        let long = format!("search={}", "x".repeat(129));
        assert!(ListQuery::parse(Some(&long)).is_err());
        assert!(ListQuery::parse(Some("search=xy&limit=1000&offset=0&unknown=1")).is_ok());
    }
}
