#!/bin/sh
# Move a sandbox between replicas as files (README "Scaling out"): every file of sandbox NAME under a VAR_DIR.
#   deploy/sandbox-files.sh export NAME VAR_DIR ARCHIVE.tar.gz   # from the old owner, stopped
#   deploy/sandbox-files.sh import NAME VAR_DIR ARCHIVE.tar.gz   # into the new owner, stopped, the sandbox created there
# A sandbox's files: <system>/sandboxes/NAME.sqlite for every system, gateway/sandboxes/NAME.sqlite (its cases),
# events/NAME.sqlite (cross-system effects) and scenarios/sandboxes/NAME/ (its trainers' scenarios), each SQLite
# file with its -wal/-shm if any. Run it on a stopped replica: serve checkpoints every file when it stops.
set -eu
[ $# -eq 4 ] || { echo "usage: $0 export|import NAME VAR_DIR ARCHIVE" >&2; exit 2; }
action=$1 name=$2 var=$3 archive=$4
case $name in *[!a-z0-9-]*|"") echo "$0: '$name' is not a sandbox name" >&2; exit 2;; esac
[ -d "$var" ] || { echo "$0: $var is not a directory" >&2; exit 2; }
archive=$(cd "$(dirname "$archive")" && pwd)/$(basename "$archive")
cd "$var"
files() {  # the sandbox's files, never the seeded templates
    find . -path ./templates -prune -o \( -name "$name.sqlite" -o -name "$name.sqlite-wal" -o -name "$name.sqlite-shm" \
        -o -path "./scenarios/sandboxes/$name" \) -print
}
case $action in
export)
    listed=$(files)
    [ -n "$listed" ] || { echo "$0: no files of sandbox '$name' under $var" >&2; exit 1; }
    # shellcheck disable=SC2086 # names are [a-z0-9-] and the paths are ours: no spaces
    tar czf "$archive" $listed
    ;;
import)
    tar tzf "$archive" >/dev/null  # a readable archive before anything is removed
    # The fresh copies POST /admin/sandboxes made go, with their logs: a stale -wal would be replayed into the
    # imported file.
    files | while read -r path; do rm -rf "$path"; done
    tar xzf "$archive"
    ;;
*) echo "usage: $0 export|import NAME VAR_DIR ARCHIVE" >&2; exit 2 ;;
esac
