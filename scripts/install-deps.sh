#!/usr/bin/env bash
# Installs every dependency of the project, idempotently, with pinned versions.
# Debian packages come from apt; the test search engines' jars come from Maven
# Central and are cached by tests/servers/elasticsearch.sh on first use.
set -euo pipefail

APT_PACKAGES=(
  cmake=3.25.1-1
  ninja-build=1.11.1-2~deb12u1
  g++=4:12.2.0-3
  pkg-config=1.8.1-1
  libcurl4-openssl-dev=7.88.1-10+deb12u15
  libssl-dev=3.0.19-1~deb12u2
  nlohmann-json3-dev=3.11.2-2
  libyaml-cpp-dev=0.7.0+dfsg-8+b1
  libspdlog-dev=1:1.10.0+ds-0.4
  libfmt-dev=9.1.0+ds1-2
  libcli11-dev=2.1.2+ds-1
  libgtest-dev=1.12.1-0.2
  libgmock-dev=1.12.1-0.2
  libbenchmark-dev=1.7.1-1
  libxxhash-dev=0.8.1-1
  clang-format=1:14.0-55.7~deb12u1
  maven=3.8.7-1
  nginx-light=1.22.1-9+deb12u11
  libpq-dev=15.18-0+deb12u1
  libmariadb-dev=1:10.11.19-0+deb12u1
  libmongoc-dev=1.23.1-1+deb12u3
  libbson-dev=1.23.1-1+deb12u3
  postgresql-15=15.18-0+deb12u1
  mariadb-server=1:10.11.19-0+deb12u1
)

missing=()
for spec in "${APT_PACKAGES[@]}"; do
  name="${spec%%=*}"
  want="${spec#*=}"
  [[ "$spec" == *=* ]] || want=""
  have="$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null || true)"
  if [[ "$have" != "install ok installed"* ]] || { [[ -n "$want" ]] && [[ "$have" != *" $want" ]]; }; then
    missing+=("$spec")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all Debian packages present"
fi

# Preinstalled on this machine kind (not from apt here): check, do not install.
for tool in java mvn python3 curl; do
  command -v "$tool" >/dev/null || { echo "install-deps: $tool is required but not found" >&2; exit 1; }
done
