# Sourced by the benchmarks (not run): which launcher they run, in $launcher.
# LAUNCHER=PATH runs another launcher than agent/route-agent (the system JDK), e.g. the bundle's,
# which is what operators install: LAUNCHER=target/bundle/route-agent-0.1.0-linux-x86_64/bin/route-agent
# Needs $top, the repository's top directory; builds the jar when agent/route-agent needs it.
launcher=$(readlink -f "${LAUNCHER:-$top/agent/route-agent}")
if [ -z "${LAUNCHER:-}" ]; then
  [ -f "$top/target/route-agent.jar" ] || (cd "$top" && mvn -B -q -DskipTests package)
fi
[ -x "$launcher" ] || { echo "no launcher at ${LAUNCHER:-$top/agent/route-agent}" >&2; exit 1; }
