#!/usr/bin/env bash
# A throw-away Samba smbd (a real SMB2/3 server with NTLM log-on;
# reference/test-infra.md) for tests, on 127.0.0.1 on a free port, with its own
# smb.conf, tdbsam password database and one share "Folder1" whose folder the
# tests fill directly on disk (they run as root). tdbsam needs a unix account:
# start creates one per server (smbt<random>, no home, no shell) and stop
# removes it. smbd runs in a process group of its own, so that stop also ends
# the samba-dcerpcd and rpcd_* helpers it spawns on demand (they outlive it).
#
# Usage: tests/servers/samba.sh install   checks that smbd and smbpasswd are installed
#        tests/servers/samba.sh start     prints one line: host=127.0.0.1 port=P
#          user=U password=abc@123 database=Folder1 dir=D share_dir=D/data/Folder1
#        tests/servers/samba.sh stop D    stops that server, removes D and the user. Idempotent.
#
# Environment:
#   SERVER_OWNER_PID=PID   stop the server when that process ends (tests that crash leave nothing)
set -euo pipefail

# shellcheck source=tests/servers/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVER_SCRIPT=samba.sh
SERVER_LABEL=Samba
TEST_DIR_PREFIX=/tmp/samba-test
SMBD=/usr/sbin/smbd
PASSWORD='abc@123'  # the seeds' default password
DATABASE=Folder1    # the share: the seeds' default drive path

install() {
  [[ -x $SMBD ]] && command -v smbpasswd >/dev/null && return 0
  die "Samba is not installed: apt-get install -y --no-install-recommends samba smbclient (scripts/install-deps.sh)"
}

write_config() {
  local dir=$1 port=$2
  cat >"$dir/smb.conf" <<CONF
[global]
  workgroup = WORKGROUP
  server role = standalone server
  smb ports = $port
  interfaces = 127.0.0.1
  bind interfaces only = yes
  private dir = $dir/private
  lock directory = $dir/lock
  state directory = $dir/state
  cache directory = $dir/cache
  pid directory = $dir/pid
  ncalrpc dir = $dir/ncalrpc
  log file = $dir/log/log.%m
  passdb backend = tdbsam:$dir/private/passdb.tdb
  disable netbios = yes
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes
  server min protocol = SMB2
  map to guest = never
[$DATABASE]
  path = $dir/data/$DATABASE
  read only = no
  valid users = $(cat "$dir/user")
CONF
}

# Starts the smbd of dir $1 on port $2 (its own process group) and waits until
# it accepts connections; fails when it exits or 30 s pass.
launch_server() {
  local dir=$1 port=$2 i
  write_config "$dir" "$port"
  setsid "$SMBD" --foreground --no-process-group --debug-stdout -s "$dir/smb.conf" \
    </dev/null >>"$dir/server.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$dir/server.pid"
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# Ends smbd's process group (smbd, samba-dcerpcd, rpcd_*): SIGTERM, then SIGKILL.
stop_server() {
  local dir=$1 pid i
  [[ -f $dir/server.pid ]] || return 0
  pid=$(cat "$dir/server.pid")
  kill -TERM -- "-$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 -- "-$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$dir/server.pid"
}

clear_data() { stop_server "$1"; }

remove_user() {
  local dir=$1
  [[ -f $dir/user ]] && userdel "$(cat "$dir/user")" 2>/dev/null || true
  rm -f "$dir/user"
}

start() {
  install
  local dir user line
  dir=$(mktemp -d "$TEST_DIR_PREFIX.XXXXXX")
  chmod 755 "$dir"
  mkdir -p "$dir"/{private,lock,state,cache,pid,ncalrpc,log,data/$DATABASE}
  user=smbt$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
  echo "$user" >"$dir/user"
  useradd -M -N -s /usr/sbin/nologin "$user" || {
    rm -rf "$dir"
    die "useradd $user failed"
  }
  chown "$user" "$dir/data/$DATABASE"
  write_config "$dir" 445  # smbpasswd reads the passdb from it; the port is set at launch
  (echo "$PASSWORD"; echo "$PASSWORD") | smbpasswd -c "$dir/smb.conf" -s -a "$user" >/dev/null || {
    remove_user "$dir"
    rm -rf "$dir"
    die "smbpasswd -a $user failed"
  }
  USER_NAME=$user
  line=$(serve_on_free_port "$dir" "$dir/server.log" " share_dir=$dir/data/$DATABASE" clear_data) || {
    remove_user "$dir"
    exit 1
  }
  echo "$line"
}

case "${1:-}" in
  install) install ;;
  stop)
    # The user goes with the server: read it before lib.sh's stop removes the dir.
    dir=${2:-}
    if [[ -n $dir && $dir == "$TEST_DIR_PREFIX".* && -d $dir ]]; then
      user_file_copy=$(cat "$dir/user" 2>/dev/null || true)
      stop "$dir"
      [[ -n $user_file_copy ]] && { userdel "$user_file_copy" 2>/dev/null || true; }
    else
      stop "$dir"
    fi
    ;;
  *) server_main "$@" ;;
esac
