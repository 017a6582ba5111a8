# Sourced by ./reluq and .ci/run: selects a JDK 25+ and exports JAVA_HOME, or exits 2 saying how to get one.
# Order: $JAVA_HOME if it is 25 or newer, else /usr/lib/jvm/temurin-25-jdk-amd64.

reluq_java_major() {
  local home="$1" version=""
  if [ -f "$home/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [ -z "$version" ] && [ -x "$home/bin/java" ]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')
  fi
  version=${version#1.}
  echo "${version%%[.+-]*}"
}

reluq_select_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    major=$(reluq_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  {
    echo "reluq needs JDK 25 or newer and found none."
    [ -n "${JAVA_HOME:-}" ] && echo "  JAVA_HOME=$JAVA_HOME is Java $(reluq_java_major "$JAVA_HOME")."
    echo "  Install one (e.g. Temurin 25) and point JAVA_HOME at it:"
    echo "    export JAVA_HOME=/path/to/jdk-25"
  } >&2
  exit 2
}

reluq_select_jdk
