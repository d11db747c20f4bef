#!/usr/bin/env bash
# Builds what the benchmarks need, runs every section and writes BENCHMARKS.md at the repo root.
#   bash benchmarks/run.sh              full run (about 25 minutes on 2 cores, build included; section 8,
#                                       metrics on vs off, alone takes 15: --only metrics)
#   bash benchmarks/run.sh --quick      smoke test: proves the harness works, numbers mean nothing
#                                       (writes benchmarks/target/BENCHMARKS-quick.md, never BENCHMARKS.md)
#   bash benchmarks/run.sh --no-build … skip the Maven build (jars already built)
# Any other option goes to the suite: see `java -jar benchmarks/target/callchat-benchmarks.jar --help`.
set -euo pipefail
cd "$(dirname "$0")/.."

build=yes
args=()
for arg in "$@"; do
  if [ "$arg" = "--no-build" ]; then build=no; else args+=("$arg"); fi
done

if [ "$build" = yes ]; then
  echo "bench: building the three adapters, benchmarks and what they depend on (mvn -P benchmarks package, tests skipped)"
  mvn -B -q -P benchmarks -pl server-undertow,server-micronaut,server-spring-boot,benchmarks -am -DskipTests package
fi

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain 2>/dev/null | grep -v 'BENCHMARKS.md' || true)" ]; then
  commit="$commit (with uncommitted changes)"
fi
# The suite bounds every phase itself; this is only a backstop against a hung child process.
# The load driver's pooled connections are dropped after 10 s idle, before any server's own idle timeout
# (Undertow here: 60 s): otherwise a POST could go out on a connection the server is closing, and
# fail with "header parser received no bytes", a client artefact counted as a failed login. That still
# happened about once in 150,000 requests (section 8, on Micronaut in one run and Undertow in the next; the
# servers logged nothing; the cause is not proven), so the JDK client may also resend a POST once when a
# reused connection closes before any byte of the answer, as browsers do (enableAllMethodRetry; a login is
# safe to repeat). A timeout or an error status still counts as a failure.
exec timeout --kill-after=30s 45m java -Xmx1g -Djdk.httpclient.keepalive.timeout=10 \
  -Djdk.httpclient.enableAllMethodRetry=true -jar benchmarks/target/callchat-benchmarks.jar \
  --commit "$commit" ${args[@]+"${args[@]}"}
