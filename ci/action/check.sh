#!/usr/bin/env bash
# The action's second step: runs cyoda check with annotations on standard output, the SARIF
# report in INPUT_SARIF_FILE and the markdown summary appended to the job summary, and sets
# the output `sarif-file`. The exit status is cyoda's: 0 clean, 1 findings, 2 could not check.
set -euo pipefail

: "${GITHUB_OUTPUT:?must name the output file of the step (GitHub Actions sets it)}"
: "${GITHUB_STEP_SUMMARY:?must name the job summary file (GitHub Actions sets it)}"

sarif="${INPUT_SARIF_FILE:-cyoda.sarif}"

args=()
if [[ -n "${INPUT_SERVER_VERSION:-}" ]]; then
    args+=(--server-version "$INPUT_SERVER_VERSION")
fi
args+=(check --format github --report "sarif=$sarif" --summary "$GITHUB_STEP_SUMMARY")
case "${INPUT_STRICT:-false}" in
    true) args+=(--strict) ;;
    false | "") ;;
    *)
        echo "::error title=cyoda action::strict is '$INPUT_STRICT'; use true or false"
        exit 2
        ;;
esac

# Inputs are strings: lists are split on whitespace, with no glob expansion.
set -f
# shellcheck disable=SC2206 # splitting is the point
extra=(${INPUT_ARGS:-})
# shellcheck disable=SC2206
paths=(${INPUT_PATHS:-captured})
set +f

# Set before the check runs, so that a failing check still hands its report on.
echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"

# `${a[@]+"${a[@]}"}`: an empty array is no argument, also in bash 3 (macOS) under `set -u`.
exec cyoda "${args[@]}" ${extra[@]+"${extra[@]}"} -- "${paths[@]}"
