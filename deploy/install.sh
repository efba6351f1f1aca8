#!/usr/bin/env bash
# Installs a Telephony release (made by deploy/publish.sh) as a systemd service:
#   user and group 'telephony' (system account, no shell, no login)
#   release      -> /opt/telephony        (root-owned, replaced as a whole on every run)
#   config/      -> /etc/telephony        (copied only where a file is missing: your edits are kept)
#   data         -> /var/lib/telephony    (database, recordings, logs, keys, TLS; owned by telephony)
#   unit         -> /etc/systemd/system/telephony.service, enabled, (re)started
# The new build checks the configuration (config check) before the service is restarted. Safe to run again
# (upgrade = run the new release's install.sh). --dry-run prints every step and changes nothing.
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: install.sh [--dry-run] [--release DIR] [--prefix DIR] [--config-dir DIR] [--data-dir DIR] [--user NAME]
                  [--no-start]
  --dry-run       print what would be done, change nothing (no root needed)
  --release DIR   the release folder (default: the folder above this script, i.e. the unpacked release)
  --prefix DIR    where the release goes (default /opt/telephony)
  --config-dir    configuration folder (default /etc/telephony)
  --data-dir      data folder (default /var/lib/telephony)
  --user NAME     service account (default telephony)
  --no-start      install and enable the unit, but do not (re)start the service
USAGE
}

dry_run=0
start=1
release="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix=/opt/telephony
config_dir=/etc/telephony
data_dir=/var/lib/telephony
user=telephony
unit_dir=/etc/systemd/system

while [ $# -gt 0 ]; do
    case "$1" in
        --dry-run) dry_run=1 ;;
        --release) release="$2"; shift ;;
        --prefix) prefix="$2"; shift ;;
        --config-dir) config_dir="$2"; shift ;;
        --data-dir) data_dir="$2"; shift ;;
        --user) user="$2"; shift ;;
        --no-start) start=0 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

die() { echo "install.sh: $*" >&2; exit 1; }

# Runs a command, or only prints it with --dry-run.
run() {
    echo "+ $*"
    if [ "$dry_run" -eq 0 ]; then
        "$@"
    fi
}

release="$(cd "$release" 2>/dev/null && pwd)" || die "release folder not found"
[ -x "$release/Telephony.Host" ] || die "$release/Telephony.Host is missing: pass --release <folder made by deploy/publish.sh>"
[ -f "$release/config/telephony.yaml" ] || die "$release/config/telephony.yaml is missing"
[ -f "$release/deploy/systemd/telephony.service" ] || die "$release/deploy/systemd/telephony.service is missing"
if [ "$dry_run" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
    die "run as root (or with --dry-run to see the steps)"
fi
[ "$dry_run" -eq 1 ] && echo "dry run: nothing is changed"
echo "release $release ($(cat "$release/VERSION" 2>/dev/null || echo unknown version))"

# 1. Service account.
if id -u "$user" >/dev/null 2>&1; then
    echo "user $user exists"
else
    run useradd --system --user-group --home-dir "$data_dir" --no-create-home --shell /usr/sbin/nologin \
        --comment "Telephony phone server" "$user"
fi

# 2. Release: copied beside the old one, then swapped in, so a failed copy leaves the old release in place.
if [ "$release" = "$prefix" ]; then
    echo "release is already at $prefix"
else
    run rm -rf "$prefix.new"
    run cp -a "$release" "$prefix.new"
    run chown -R root:root "$prefix.new"
    run chmod -R u=rwX,go=rX "$prefix.new"
    if [ -e "$prefix" ]; then
        run rm -rf "$prefix.old"
        run mv "$prefix" "$prefix.old"
    fi
    run mv "$prefix.new" "$prefix"
    run rm -rf "$prefix.old"
fi

# 3. Configuration: missing files only. The group may write (setgid folder): the console's IVR and queues editors
#    save ivr.yaml and queues.yaml there. Secrets (extensions.yaml) are not readable by others.
run install -d -o root -g "$user" -m 2770 "$config_dir"
for file in "$release"/config/*; do
    name="$(basename "$file")"
    if [ -e "$config_dir/$name" ]; then
        echo "kept $config_dir/$name"
    else
        run install -o root -g "$user" -m 0660 "$file" "$config_dir/$name"
    fi
done

# 4. Data.
run install -d -o "$user" -g "$user" -m 0750 "$data_dir"

# 5. The new build must accept the configuration before the service is (re)started with it.
check=("$prefix/Telephony.Host" config check --config "$config_dir" --data "$data_dir" --sounds "$prefix/sounds")
if [ "$dry_run" -eq 1 ]; then
    echo "+ runuser -u $user -- ${check[*]}"
else
    (cd / && runuser -u "$user" -- "${check[@]}") || die "the configuration in $config_dir is refused (above); the service was not restarted"
fi

# 6. Unit, with the paths above.
unit="$(sed -e "s#/opt/telephony#$prefix#g" -e "s#/etc/telephony#$config_dir#g" -e "s#/var/lib/telephony#$data_dir#g" \
    -e "s#^User=telephony#User=$user#" -e "s#^Group=telephony#Group=$user#" "$release/deploy/systemd/telephony.service")"
if [ "$data_dir" != /var/lib/telephony ]; then
    # StateDirectory= only manages folders under /var/lib.
    unit="$(printf '%s\n' "$unit" | sed -e '/^StateDirectory/d')"
fi
echo "+ write $unit_dir/telephony.service"
if [ "$dry_run" -eq 0 ]; then
    printf '%s\n' "$unit" > "$unit_dir/telephony.service.new"
    chmod 0644 "$unit_dir/telephony.service.new"
    mv "$unit_dir/telephony.service.new" "$unit_dir/telephony.service"
fi
if command -v systemd-analyze >/dev/null 2>&1 && [ "$dry_run" -eq 0 ]; then
    systemd-analyze verify "$unit_dir/telephony.service" || die "systemd-analyze verify refused the unit"
fi
run systemctl daemon-reload
run systemctl enable telephony.service
if [ "$start" -eq 1 ]; then
    run systemctl restart telephony.service
fi
if [ "$dry_run" -eq 1 ]; then
    echo "dry run done: nothing was changed"
elif [ "$start" -eq 1 ]; then
    echo "started: systemctl status telephony; journalctl -u telephony -f; logs also in $data_dir/logs/"
else
    echo "enabled, not started: systemctl start telephony"
fi
