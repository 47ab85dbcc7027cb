//! Strings that mean something to bash, JSON or HCL: what generated commands must survive.

use proptest::prelude::*;

/// Pieces that mean something to bash, JSON or HCL, plus plain text and any character.
pub fn nasty_string() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        "'",
        "\"",
        "$(",
        ")",
        "$(id)",
        "`",
        "`id`",
        "!",
        "!!",
        "!$",
        "\\",
        "\\'",
        "'\\''",
        "\n",
        "\r\n",
        "\t",
        "${",
        "%{",
        "$${",
        "%%{",
        "}",
        "$",
        "%",
        " ",
        "  ",
        "é",
        "日本",
        "😀",
        "-",
        "--name=x",
        "@",
        "~",
        "*",
        "?",
        "[a]",
        "#",
        ";",
        "&",
        "|",
        "<",
        ">",
        "$IAM_TOKEN",
        "\u{1}",
        "\u{1b}[31m",
        "\u{7f}",
        "\u{85}",
        "\u{2028}",
        "\u{feff}",
        "\\n",
        "\\u0041",
    ])
    .prop_map(str::to_owned);
    let piece = prop_oneof![
        4 => special,
        2 => "[a-zA-Z0-9_.-]{1,6}",
        1 => any::<char>().prop_filter("argv cannot carry NUL", |c| *c != '\0').prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat())
}
