#!/usr/bin/env bash
# The test command of the README: builds everything and runs every test project.
# Tests on the big corpora in ../shared run when it is there and are reported as skipped, by name, when not.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Ich.slnx -c Release -nologo -v q -clp:ErrorsOnly
set +e
dotnet test Ich.slnx -c Release --no-build -nologo "$@" 2>&1 | tee artifacts/test.log
status=${PIPESTATUS[0]}
set -e
# One plain summary line over all test projects.
awk '/^(Passed!|Failed!) /{ for(i=1;i<=NF;i++){ if($i=="Failed:"){f+=$(i+1)} if($i=="Passed:"){p+=$(i+1)} if($i=="Skipped:"){s+=$(i+1)} } }
     END { gsub(",","",f); printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' artifacts/test.log
grep -E '^\s+Skipped ' artifacts/test.log | sed 's/^ */skipped: /' || true
exit "$status"
