#!/usr/bin/env bash
# The action's first step: puts cyoda of the action's own version on PATH. A cyoda whose
# `--version` names that version already (installed by an earlier step, or cached) is used as
# it is; otherwise the action's source is built with `cargo install --locked`.
set -euo pipefail

: "${GITHUB_ACTION_PATH:?must name the directory of the action (GitHub Actions sets it)}"

# The [package] version of the action's Cargo.toml.
version=$(awk -F '"' '
    /^\[/ { section = $0 }
    section == "[package]" && $1 ~ /^version[ \t]*=[ \t]*$/ { print $2; exit }
' "$GITHUB_ACTION_PATH/Cargo.toml")
if [[ -z "$version" ]]; then
    echo "::error title=cyoda action::no [package] version in $GITHUB_ACTION_PATH/Cargo.toml"
    exit 1
fi
want="cyoda $version"

if command -v cyoda > /dev/null 2>&1; then
    have=$(cyoda --version 2> /dev/null | head -n 1 || true)
    if [[ "$have" == "$want" ]]; then
        echo "cyoda: $want is already on PATH ($(command -v cyoda)); not installing"
        exit 0
    fi
    echo "cyoda: $(command -v cyoda) is '${have:-unknown}', not '$want'; installing $want"
fi

if ! command -v cargo > /dev/null 2>&1; then
    echo "::error title=cyoda action::cargo is needed to build cyoda; add a Rust toolchain step before this action"
    exit 1
fi
cargo install --locked --path "$GITHUB_ACTION_PATH"

# cargo installs into $CARGO_HOME/bin; hosted runners have it on PATH, others may not.
bin="${CARGO_HOME:-$HOME/.cargo}/bin"
if [[ -n "${GITHUB_PATH:-}" ]]; then
    echo "$bin" >> "$GITHUB_PATH"
fi
