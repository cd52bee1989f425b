#!/usr/bin/env bash
# The SMB yardstick of run.sh: downloads every file of the corpus from the
# share to /dev/null, one smbclient per folder, CONCURRENCY folders at once,
# and prints each file's size (run.sh checks they add up to the corpus).
# Usage: smb_get.sh [FOLDER]   (no FOLDER: every folder of CORPUS)
# Environment: CORPUS (the local corpus, whose folders the share mirrors),
#   CONCURRENCY, SMB_PORT, SMB_SHARE, SMB_AUTH (user%password).
set -euo pipefail

if [[ $# -eq 0 ]]; then
  find "$CORPUS" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' |
    xargs -P "$CONCURRENCY" -n 1 bash "${BASH_SOURCE[0]}"
  exit
fi
folder=$1
cd "$CORPUS/$folder"
commands=""
for file in *; do commands+="get $folder/$file /dev/null; "; done
smbclient -U "$SMB_AUTH" -p "$SMB_PORT" "//127.0.0.1/$SMB_SHARE" -c "$commands" >/dev/null
stat -c %s -- *
