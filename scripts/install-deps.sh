#!/usr/bin/env bash
# Installs every dependency of the project, idempotently.
#
# Debian packages are named, not pinned: Debian's security archive replaces
# versions (1.22.1-9+deb12u11 -> +deb12u12) and drops the old ones, so an exact
# pin breaks a fresh install within weeks. Each package instead has a minimum
# version (what the project was built and tested with, from bookworm's main
# archive), checked after the install; apt picks the newest it has. Registries
# that keep old versions (Maven Central, PyPI, the Go proxy) are pinned exactly
# by the scripts that use them.
set -euo pipefail

# name  minimum-version
APT_PACKAGES=(
  "cmake 3.25.1"
  "ninja-build 1.11.1"
  "g++ 4:12.2.0"
  "pkg-config 1.8.1"
  "libcurl4-openssl-dev 7.88.1"
  "libssl-dev 3.0.11"
  "nlohmann-json3-dev 3.11.2"
  "libyaml-cpp-dev 0.7.0"
  "libspdlog-dev 1:1.10.0"
  "libfmt-dev 9.1.0"
  "libcli11-dev 2.1.2"
  "libgtest-dev 1.12.1"
  "libgmock-dev 1.12.1"
  "libbenchmark-dev 1.7.1"
  "libxxhash-dev 0.8.1"
  "libpcre2-dev 10.42"
  "libxml2-dev 2.9.14"
  "libzip-dev 1.7.3"
  "libuchardet-dev 0.0.7"
  "libpoppler-cpp-dev 22.12.0"
  "libgsf-1-dev 1.14.50"
  "libvisio-dev 0.1.7"
  "librevenge-dev 0.0.5"
  "clang-format 1:14.0"
  "clang 1:14.0"
  "libfuzzer-14-dev 1:14.0"
  "maven 3.8.7"
  "nginx-light 1.22.1"
  "libpq-dev 15.0"
  "libmariadb-dev 1:10.11.0"
  "libmongoc-dev 1.23.1"
  "libbson-dev 1.23.1"
  "libsmbclient-dev 2:4.17.12"
  "samba 2:4.17.12"
  "smbclient 2:4.17.12"
  "postgresql-15 15.0"
  "mariadb-server 1:10.11.0"
  "unixodbc-dev 2.3.11"
  "odbc-postgresql 1:13.02.0000"
  "odbc-mariadb 3.1.15"
  "tdsodbc 1.3.17"
)

installed_version() {
  local st
  st="$(dpkg-query -W -f='${Status}|${Version}' "$1" 2>/dev/null || true)"
  if [[ "$st" == "install ok installed|"* ]]; then echo "${st#*|}"; fi
}

# Returns the packages that are absent or older than their minimum.
wanted() {
  local spec name min have
  for spec in "${APT_PACKAGES[@]}"; do
    read -r name min <<<"$spec"
    have="$(installed_version "$name")"
    if [[ -z "$have" ]] || ! dpkg --compare-versions "$have" ge "$min"; then
      echo "$name"
    fi
  done
}

mapfile -t missing < <(wanted)
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq || echo "install-deps: apt-get update failed; trying the package lists already here" >&2
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    # Name the package(s) apt could not give, and why, instead of apt's last line only.
    for name in "${missing[@]}"; do
      if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$name" >/tmp/install-deps.$$ 2>&1; then
        echo "install-deps: cannot install '$name':" >&2
        grep -E '^(E|W):' /tmp/install-deps.$$ >&2 || tail -n 3 /tmp/install-deps.$$ >&2
        echo "  candidate: $(apt-cache policy "$name" 2>/dev/null | awk '/Candidate:/ {print $2}')" >&2
      fi
    done
    rm -f /tmp/install-deps.$$
    exit 1
  fi
else
  echo "install-deps: all Debian packages present"
fi

# Whatever apt installed must meet the minimum (a mirror with an older release,
# say): say which package and which version is too old.
too_old=0
for spec in "${APT_PACKAGES[@]}"; do
  read -r name min <<<"$spec"
  have="$(installed_version "$name")"
  if [[ -z "$have" ]]; then
    echo "install-deps: $name is not installed" >&2; too_old=1
  elif ! dpkg --compare-versions "$have" ge "$min"; then
    echo "install-deps: $name $have is older than the required $min" >&2; too_old=1
  fi
done
((too_old == 0)) || exit 1

# Preinstalled on this machine kind (not from apt here): check, do not install.
for tool in java mvn python3 curl go; do
  command -v "$tool" >/dev/null || { echo "install-deps: $tool is required but not found" >&2; exit 1; }
done

# jsonschema for the Atlassian mocks' schema test (tests/servers/atlassian_mock/schema_test.py):
# PyPI keeps old versions, so pinned; installed only when python3 cannot import it.
JSONSCHEMA_VERSION=4.26.0
if ! python3 -c 'import jsonschema' 2>/dev/null; then
  echo "install-deps: installing jsonschema==$JSONSCHEMA_VERSION"
  # Debian's own python3 refuses --user installs (PEP 668) unless told otherwise.
  python3 -m pip install --quiet --user "jsonschema==$JSONSCHEMA_VERSION" ||
    python3 -m pip install --quiet --user --break-system-packages "jsonschema==$JSONSCHEMA_VERSION" ||
    { echo "install-deps: cannot pip install jsonschema==$JSONSCHEMA_VERSION" >&2; exit 1; }
fi

# MinIO for the S3 signing tests, built from the Go proxy (pinned) into the
# checkout's .cache with per-machine Go caches: minutes once, then nothing.
bash "$(dirname "$0")/../tests/servers/minio.sh" install
bash "$(dirname "$0")/../tests/servers/fake_gcs.sh" install
bash "$(dirname "$0")/../tests/servers/azurite.sh" install  # Azurite (npm, pinned) for the azure_blob_storage tests
bash "$(dirname "$0")/../tests/servers/samba.sh" install  # Samba (apt, above) for the network_drive tests
