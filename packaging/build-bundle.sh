#!/bin/bash
# Builds target/route-agent-VERSION-linux-x86_64.tar.gz: the shaded jar, a jlink'd Java runtime,
# the launcher, the systemd unit, install.sh/uninstall.sh, the lifecycle script's template and an
# example routes file; then target/on-start.sh, the lifecycle script that pins that tarball's
# sha256. Run by Maven in the package phase (after the shade plugin); by hand:
#   packaging/build-bundle.sh VERSION [TARGET_DIR]
# The runtime comes from the Temurin 25 JDK (glibc floor 2.17): Debian's OpenJDK needs glibc 2.34
# and would not start on Amazon Linux 2. ROUTE_AGENT_BUNDLE_JDK names another JDK (25 or later).
set -euo pipefail
export LC_ALL=C

version=${1:?usage: build-bundle.sh VERSION [TARGET_DIR]}
top=$(cd "$(dirname "$0")/.." && pwd)
target=$(cd "${2:-$top/target}" && pwd)
jdk=${ROUTE_AGENT_BUNDLE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
# glibc 2.26 is Amazon Linux 2's; every ELF file in the bundle must need that or older.
glibc_max=2.26
# project.build.outputTimestamp, as seconds: every file in the tarball gets that time.
epoch=${SOURCE_DATE_EPOCH:-$(date -d 2026-11-24T00:00:00Z +%s)}
name=route-agent-$version-linux-x86_64
stage=$target/bundle/$name
jar=$target/route-agent.jar

die() { echo "build-bundle: $*" >&2; exit 1; }
step() { printf 'build-bundle: %s (%ss)\n' "$1" "$SECONDS"; }
# After an AOT training run: its exit status $1, the cache it writes $2, its log $3, its name $4,
# what it must do $5 (optional). Shows the log and stops the build unless the run ended in 0 with
# the cache written; removes the configuration the JVM leaves beside the cache.
cache_trained() {
  if [ "$1" -ne 0 ] || [ ! -s "$2" ]; then
    cat "$3" >&2
    die "$4 failed (exit $1)${5:+: $5}"
  fi
  rm -f "$2.config"
}

[ -f "$jar" ] || die "no $jar: the shade plugin makes it in the package phase, before this script"
[ -f "$target/docs/route-agent.1" ] && [ -f "$target/docs/route-agent.bash" ] \
  || die "no $target/docs/route-agent.1 or route-agent.bash: the build makes them in prepare-package"
if [ ! -x "$jdk/bin/jlink" ] || [ ! -x "$jdk/bin/jdeps" ]; then
  die "no JDK at $jdk (jlink and jdeps are needed to make the bundled runtime).
Install Temurin 25 there (CI machines have it), or set ROUTE_AGENT_BUNDLE_JDK to a JDK 25 or later
built for glibc <= $glibc_max, or skip the bundle with -Dbundle.skip=true (the packaging tests then fail
under CI=true)."
fi
jdk_major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")
[ "${jdk_major:-0}" -ge 25 ] || die "$jdk is Java ${jdk_major:-?}; the bundle needs 25 or later (-XX:AOTCache, jlink without jmods)"
for tool in objdump tar gzip; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y binutils tar gzip)"
done

rm -rf "$target/bundle" "$target/on-start.sh"
mkdir -p "$stage"/{bin,lib/native,lifecycle,share/man/man1,share/bash-completion/completions,systemd}

step "modules the jar needs (jdeps)"
modules=$("$jdk/bin/jdeps" --multi-release "$jdk_major" --ignore-missing-deps --print-module-deps "$jar")
# jffi's MemoryIO uses sun.misc.Unsafe: jdk.unsupported, named in case jdeps misses it. java.desktop
# (java.beans) and java.sql are reached only by Micrometer binders the agent does not use (logging,
# db); left out, they take java.prefs, java.datatransfer and java.transaction.xa with them.
modules=$(echo "$modules,jdk.unsupported" | tr , "\n" | grep -vx -e java.desktop -e java.sql | sort -u | paste -sd,)
echo "  $modules"

step "jlink runtime"
# No --compress: the JVM reads a compressed image's classes through scattered pages of the mapped
# file, which then count in its resident memory (the daemon's was 9 MB of that file against 0.5 MB
# uncompressed); the tarball's gzip compresses the plain image better anyway (32 MB against 36).
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --output "$stage/runtime"
# The bundled JVM always runs with compressed oops (-XX:MaxRAM=1g): only the default CDS archive
# for those; -XX:AOTCache below holds the application's classes and the JDK's.
rm -f "$stage/runtime/lib/server/classes_nocoops.jsa"

step "files"
cp "$jar" "$stage/lib/route-agent.jar"
cp "$top/agent/route-agent" "$stage/bin/route-agent"
cp "$top/systemd/route-agent.service" "$top/systemd/route-agent.path" "$top/systemd/route-agent-directory.target" "$stage/systemd/"
cp "$top/packaging/install.sh" "$top/packaging/uninstall.sh" "$stage/"
cp "$top/packaging/lifecycle/"*.sh "$stage/lifecycle/"
cp "$top/agent/routes.example.yaml" "$stage/share/routes.example.yaml"
cp "$top/packaging/files/rt_protos.conf" "$stage/share/rt_protos.conf"
cp "$top/packaging/files/networkd.conf" "$stage/share/networkd.conf"
cp "$top/packaging/files/sysusers.conf" "$stage/share/sysusers.conf"
cp "$top/README.md" "$stage/README.md"
# The man page and the bash completion, made by the build from the commands' picocli model.
cp "$target/docs/route-agent.1" "$stage/share/man/man1/route-agent.1"
cp "$target/docs/route-agent.bash" "$stage/share/bash-completion/completions/route-agent"
echo "$version" > "$stage/VERSION"
chmod 0755 "$stage/bin/route-agent" "$stage/install.sh" "$stage/uninstall.sh" "$stage/lifecycle/"*.sh
# jffi's native stub, unpacked here once instead of into /tmp at every start.
(cd "$stage/lib/native" && "$jdk/bin/jar" xf "$jar" jni/x86_64-Linux/libjffi-1.2.so \
  && mv jni/x86_64-Linux/libjffi-1.2.so . && rm -rf jni)
# Scripts must keep LF line endings (lifecycle scripts break on CRLF).
if grep -l $'\r' "$stage/bin/route-agent" "$stage"/*.sh "$stage/lifecycle/"*.sh "$stage/systemd/"*; then
  die "the files above have CRLF line endings"
fi
# The same time on every file: a reproducible tarball, and the jar's time is part of what the AOT
# cache checks, so it must be set before the training run.
find "$stage" -exec touch -h -d "@$epoch" {} +

step "glibc floor (objdump -T)"
"$top/packaging/check-glibc.sh" "$glibc_max" "$stage"

step "AOT cache (training run: check, plan, apply, status and status --json, with the bundled runtime)"
# One JVM runs the one-shot commands people type (io.routeagent.cli.AotTraining): the config parser
# on every form of entry, the netlink codec, the socket, the planner, and when it can run in a network
# namespace of its own (root, or unprivileged user namespaces), the sending of an apply. The cache is
# only used if it comes out of this very runtime and jar.
train_opts=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:MaxRAM=1g -Xms8m
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
  "-Djffi.boot.library.path=$stage/lib/native")
"$stage/runtime/bin/java" "${train_opts[@]}" -jar "$stage/lib/route-agent.jar" \
  --config "$stage/share/routes.example.yaml" check \
  || die "the bundled runtime cannot run \`check\` on the example routes file"
train=$(mktemp -d)
# The example's two forms of entry (waiting for eth2, absent here) and a blackhole route, which needs
# no interface: an apply in an empty network namespace installs it.
cat >"$target/bundle/training-routes.yaml" <<'YAML'
routes:
  - to: 10.0.0.0/16
    via: subnet-router
    dev: eth2
  - "10.20.0.0/16 via 172.31.64.1 dev eth2 metric 50"
  - { to: 10.30.0.0/16, type: blackhole }
YAML
cp "$target/bundle/training-routes.yaml" "$train/routes.yaml"
namespace=()
apply=()
if unshare --net true 2>/dev/null; then
  namespace=(unshare --net --)
  apply=(--apply)
elif unshare --user --map-root-user --net true 2>/dev/null; then
  namespace=(unshare --user --map-root-user --net --)
  apply=(--apply)
fi
set +e
"${namespace[@]}" "$stage/runtime/bin/java" "${train_opts[@]}" -XX:AOTCacheOutput="$stage/lib/route-agent.aot" \
  -Xlog:aot=warning -cp "$stage/lib/route-agent.jar" io.routeagent.cli.AotTraining \
  "$train/routes.yaml" "$train" "${apply[@]}" >"$target/bundle/training.log" 2>&1
status=$?
set -e
rm -rf "$train"
cache_trained "$status" "$stage/lib/route-agent.aot" "$target/bundle/training.log" "the AOT training run"

step "AOT cache for the daemon (training run: run, its start-up reconcile, a repair and a link flap, through the launcher)"
# The daemon's own cache (bin/route-agent takes it for `run`: launch to 10,000 routes reconciled
# ~0.9 -> ~0.55 s): the launcher's options for `run` are part of what the cache checks, so the
# launcher itself runs the training, in a network namespace of its own with its loopback up (the
# metrics server binds 127.0.0.1) and, when veth links can be made there, an eth2 as a notebook's
# ENI has it. Its routes.yaml: those above, 30 blackholes, and one through an interface that is
# not there (a typo: the daemon suggests a name); a drop-in of 4,200 one-line entries through eth2
# (more than one chunk: the parse's second thread; without eth2 they wait, as a notebook's do
# before its ENI). So the reconcile takes the path of a large start and ends with its summary
# line. Then every route it owns is flushed, and the training waits for the repair: the event
# path's classes come from the cache too, and the first repair after a real start loads none from
# the jar (bench/README.md, "The first repair after the start, trained"). Then eth2 goes down and
# up, and the training waits for its routes to be sent back: the first link flap after a start
# loads none either. The JVM writes the cache
# as the daemon exits on SIGTERM. Without a namespace or iproute2 the daemon goes without
# (-Xshare:off).
rm -f "$stage/lib/route-agent-run.aot"
if [ ${#namespace[@]} -gt 0 ] && command -v ip >/dev/null 2>&1; then
  train=$(mktemp -d)
  {
    cat "$target/bundle/training-routes.yaml"
    for i in $(seq 0 29); do echo "  - { to: 10.41.$i.0/24, type: blackhole }"; done
    echo "  - 10.42.0.0/16 via 172.31.64.1 dev eth9"
  } >"$train/routes.yaml"
  mkdir "$train/routes.d"
  {
    echo "routes:"
    for i in $(seq 0 4199); do echo "  - 10.$((64 + i / 256)).$((i % 256)).0/24 via 172.31.64.1 dev eth2"; done
  } >"$train/routes.d/one-line.yaml"
  log="$target/bundle/training-run.log"
  : >"$log"
  # In the namespace: $1 the log, then the daemon's command line. Exits 0 once the daemon logged
  # its start-up reconcile, a repair and (with eth2) the routes of a link flap sent back, and
  # ended on SIGTERM.
  # shellcheck disable=SC2016 # expanded by the inner shell
  # No IPv6 duplicate address detection (as agent/notebook-netns.sh): eth2's link-local address is
  # in place when the link is up, not confirmed a second later, after the daemon's start, by a
  # notification whose full reconcile would take the training's flush in with it, unsaid as a repair.
  script='log=$1; shift
    ip link set lo up || exit 1
    for conf in all default; do
      echo 0 2>/dev/null >"/proc/sys/net/ipv6/conf/$conf/accept_dad"
    done
    if ip link add eth2 type veth peer name eth2-peer 2>/dev/null; then
      ip link set eth2-peer up && ip link set eth2 up && ip addr add 172.31.64.10/20 dev eth2 || exit 1
    else
      echo "no veth link here: the training has no eth2" >&2
    fi
    "$@" >>"$log" 2>&1 &
    daemon=$!
    await() {
      for _ in $(seq 600); do
        grep -q "$1" "$log" && return 0
        kill -0 "$daemon" 2>/dev/null || return 1
        sleep 0.1
      done
      return 1
    }
    result=1
    if await "reconciled changes=[0-9]* cause=startup"; then
      ip route flush proto 157 && await "cause=deleted-externally" && result=0
      if [ "$result" = 0 ] && ip link show eth2 >/dev/null 2>&1; then
        result=1
        ip link set eth2 down && await "interface eth2 is down" && ip link set eth2 up \
          && await "re-added routes=" && result=0
      fi
    fi
    kill -TERM "$daemon" 2>/dev/null
    wait "$daemon" || result=1
    exit "$result"'
  set +e
  "${namespace[@]}" sh -c "$script" sh "$log" \
    env ROUTE_AGENT_JAVA_OPTS="-XX:AOTCacheOutput=$stage/lib/route-agent-run.aot" "$stage/bin/route-agent" \
    --config "$train/routes.yaml" --state-dir "$train" run --lock-dir "$train/lock" --log-file none
  status=$?
  set -e
  rm -rf "$train"
  cache_trained "$status" "$stage/lib/route-agent-run.aot" "$log" "the daemon's AOT training run" \
    "it must reconcile at its start, repair a flush, send eth2's routes back after a flap and exit 0 on SIGTERM"
else
  echo "  no network namespace (unshare --net, or with --user) or no iproute2 here: the daemon goes without its cache"
fi
# Everything in the tarball is the same from build to build but these caches: the JVM's archive is
# not byte-for-byte reproducible (two builds of the same commit differ there only).
touch -d "@$epoch" "$stage"/lib/route-agent*.aot

# MANIFEST: what install.sh compares to tell an up-to-date installation from one to replace.
(cd "$stage" && find . -type f ! -name MANIFEST -printf '%P\n' | sort | xargs -d '\n' sha256sum > MANIFEST)
touch -d "@$epoch" "$stage/MANIFEST"

step "tarball"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
  -C "$target/bundle" -cf - "$name" | gzip -n -6 > "$target/$name.tar.gz.tmp"
mv "$target/$name.tar.gz.tmp" "$target/$name.tar.gz"

step "lifecycle script for this tarball: $target/on-start.sh"
# The template with the tarball's name, size and sha256 filled in: what the administrator pastes.
sha256=$(sha256sum <"$target/$name.tar.gz" | cut -d' ' -f1)
size=$(stat -c %s "$target/$name.tar.gz")
sed -e "s/@ROUTE_AGENT_BUNDLE@/$name/" -e "s/@ROUTE_AGENT_SIZE@/$size/" -e "s/@ROUTE_AGENT_SHA256@/$sha256/" \
  "$top/packaging/lifecycle/on-start.sh" > "$target/on-start.sh.tmp"
chmod 0755 "$target/on-start.sh.tmp"
! grep -n '@ROUTE_AGENT_[A-Z0-9]*@' "$target/on-start.sh.tmp" || die "on-start.sh: a placeholder was left unfilled"
chars=$(wc -m <"$target/on-start.sh.tmp")
[ "$chars" -le 16384 ] || die "on-start.sh has $chars characters; a lifecycle script may have 16384"
mv "$target/on-start.sh.tmp" "$target/on-start.sh"
echo "  sha256 $sha256, $chars characters"
step "done: $target/$name.tar.gz ($(du -h "$target/$name.tar.gz" | cut -f1)) and $target/on-start.sh"
