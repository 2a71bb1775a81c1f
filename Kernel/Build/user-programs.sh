#!/usr/bin/env bash
# Builds the User/ programs (incrementally, see User/build.sh) and prints their paths, one a
# line: what the default system's initrd holds in /bin. Concurrent callers (the runner, the
# kernel build, the test suites) take turns through one lock file: User/build.sh rewrites
# out/gen/programs.h through a fixed temporary name, so two at once can fail.
# Usage: Kernel/Build/user-programs.sh
set -euo pipefail

user="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../User" && pwd)"
mkdir -p "$user/out"
flock "$user/out/.build-lock" "$user/build.sh" >/dev/null
for f in "$user"/out/*; do
  [ -f "$f" ] && [ -x "$f" ] && echo "$f"
done
exit 0
