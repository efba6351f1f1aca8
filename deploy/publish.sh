#!/usr/bin/env bash
# Builds a self-contained release (no .NET needed on the target):
#   artifacts/telephony-<rid>/                 Telephony.Host + runtime, wwwroot/ (the built web console),
#                                              config/ (the sample), sounds/, deploy/ (install.sh, the unit, README), VERSION
#   artifacts/telephony-<version>-<rid>.tar.gz the same folder, packed
# usage: deploy/publish.sh [--rid linux-x64] [--version 1.2.3]
# The build needs the .NET SDK (global.json) and Node.js/npm for the console. The release is smoke-tested:
# --version and config check on its own sample configuration.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rid=linux-x64
version=""
while [ $# -gt 0 ]; do
    case "$1" in
        --rid) rid="$2"; shift ;;
        --version) version="$2"; shift ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "publish.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done

commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
label="${version:-$(git -C "$repo" describe --tags --always --dirty 2>/dev/null || echo "$commit")}"
out="$repo/artifacts/telephony-$rid"
tarball="$repo/artifacts/telephony-$label-$rid.tar.gz"

version_args=()
[ -n "$version" ] && version_args=("-p:Version=$version")

echo "publishing $label for $rid to $out"
rm -rf "$out"
mkdir -p "$repo/artifacts"
dotnet publish "$repo/src/Host/Telephony.Host.csproj" -c Release -r "$rid" --self-contained true \
    -p:SkipWebBuild=false "${version_args[@]}" -o "$out" --nologo

[ -f "$out/wwwroot/index.html" ] || { echo "publish.sh: the web console is missing from $out/wwwroot" >&2; exit 1; }
cp -a "$repo/config" "$out/config"
cp -a "$repo/sounds" "$out/sounds"
mkdir -p "$out/deploy/systemd"
cp "$repo/deploy/install.sh" "$repo/deploy/README.md" "$out/deploy/"
cp "$repo/deploy/systemd/telephony.service" "$out/deploy/systemd/"
chmod +x "$out/deploy/install.sh" "$out/Telephony.Host"

# Smoke test of the release itself (its own runtime, its own files).
"$out/Telephony.Host" --version > "$out/VERSION"
smoke_data="$(mktemp -d)"
"$out/Telephony.Host" config check --config "$out/config" --data "$smoke_data" --sounds "$out/sounds" > /dev/null
rm -rf "$smoke_data"

tar -C "$repo/artifacts" -czf "$tarball" "telephony-$rid"
echo "release $(cat "$out/VERSION"): $out"
echo "archive: $tarball ($(du -h "$tarball" | cut -f1))"
echo "install on the target: tar xzf $(basename "$tarball") && sudo telephony-$rid/deploy/install.sh"
