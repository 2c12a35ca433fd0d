#!/bin/sh
# Installs what Vigil needs to build, run and test on Debian 12, skipping what
# is already there. Uses sudo when not run as root. Safe to run again.
set -eu

PACKAGES="build-essential cmake ninja-build pkg-config git
qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-httpserver-dev qt6-websockets-dev libqt6sql6-sqlite
qt6-svg-dev qt6-tools-dev qtkeychain-qt6-dev
libsqlite3-dev sqlite3 libsimdjson-dev libhttp-parser-dev libssl-dev libgit2-dev libtomlplusplus-dev zlib1g-dev
libgtest-dev libgmock-dev
xvfb xauth imagemagick curl
clang libclang-rt-14-dev"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: everything is already installed"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "install-deps: installing$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
