#!/usr/bin/env bash
# Runs every benchmark case (B1, B2, B3, B4, B5, B6, JMH, and any case added to BenchCase), each in a fresh JVM,
# then rebuilds results/summary.md and results/summary.svg. About 30 minutes on 2 cores; keep the machine idle.
#   benchmarks/run-all.sh                      # everything
#   benchmarks/run-all.sh -Dbench.case=b5,b6   # some cases, each in its own JVM
#   benchmarks/run-all.sh -Dbench.case=b6      # one case
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -pl benchmarks -am verify -Pbench "$@"
