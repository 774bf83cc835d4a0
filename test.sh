#!/usr/bin/env bash
# The test command of the README: builds everything and runs every test project.
# Tests on the big corpora in ../shared run when it is there and are reported as skipped, by name, when not.
# ICH_FAIL_ON_SKIP=1 (set by .ci/run where ../shared exists) turns any skipped test into a failure.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p artifacts
dotnet build Ich.slnx -c Release -nologo -v q -clp:ErrorsOnly ${ICH_WARNINGS_AS_ERRORS:+-warnaserror}
set +e
dotnet test Ich.slnx -c Release --no-build -nologo "$@" 2>&1 | tee artifacts/test.log
status=${PIPESTATUS[0]}
set -e
# One plain summary line over all test projects.
summary=$(awk '/^(Passed!|Failed!) /{ for(i=1;i<=NF;i++){ if($i=="Failed:"){f+=$(i+1)} if($i=="Passed:"){p+=$(i+1)} if($i=="Skipped:"){s+=$(i+1)} } }
     END { printf "%d %d %d", p, f, s }' artifacts/test.log)
read -r passed failed skipped <<<"$summary"
echo "tests: $passed passed, $failed failed, $skipped skipped"
grep -E '^\s+Skipped ' artifacts/test.log | sed 's/^ */skipped: /' || true
if [ "$status" -eq 0 ] && [ "${ICH_FAIL_ON_SKIP:-0}" = 1 ] && [ "$skipped" -gt 0 ]; then
  echo "test.sh: $skipped test(s) skipped where nothing may be skipped (ICH_FAIL_ON_SKIP=1)" >&2
  status=1
fi
exit "$status"
