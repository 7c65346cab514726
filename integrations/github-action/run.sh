#!/usr/bin/env bash
# The action's one step: builds the seqpulse command line from the INPUT_* variables, runs it
# with --json, then hands its answer to report.mjs (step outputs and job summary). The CLI's exit
# code is the step's: 0 ok (or warning), 1 rollback recommended, 2 usage, 3 unreachable with
# blocking, or the deploy command's own code when it failed.
set -euo pipefail

usage_error() {
  echo "::error title=SeqPulse::$1"
  exit 2
}

options=(--json)
case "${INPUT_FAIL_ON:-rollback}" in
  rollback | "") ;;
  warning) options+=(--fail-on warning) ;;
  *) usage_error "fail-on must be rollback or warning, not '${INPUT_FAIL_ON}'" ;;
esac
case "${INPUT_BLOCKING:-false}" in
  true) options+=(--blocking) ;;
  false | "") ;;
  *) usage_error "blocking must be true or false, not '${INPUT_BLOCKING}'" ;;
esac

if [ -n "${INPUT_COMMAND:-}" ]; then
  if [ -n "${INPUT_ENV:-}" ]; then options+=(--env "$INPUT_ENV"); fi
  arguments=(run "${options[@]}" -- bash -eo pipefail -c "$INPUT_COMMAND")
elif [ -n "${INPUT_DEPLOYMENT_ID:-}" ]; then
  arguments=(wait "$INPUT_DEPLOYMENT_ID" "${options[@]}")
else
  usage_error "set command (the deploy command to verify), or deployment-id to wait for a verdict"
fi

answer=$(mktemp)
status=0
npx --yes "seqpulse@${INPUT_VERSION:-1}" "${arguments[@]}" | tee "$answer" || status=$?
node "$GITHUB_ACTION_PATH/report.mjs" "$answer" || echo "::warning title=SeqPulse::no verdict to report"
rm -f "$answer"
exit "$status"
