#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian 12 packages tracekit builds and tests with. Skips apt
# entirely when everything is already there.
set -euo pipefail
pkgs=(
	build-essential cmake pkg-config
	libtraceevent-dev libtracefs-dev libzstd-dev zlib1g-dev
	libcairo2-dev libjson-c-dev libcmocka-dev libelf-dev libiberty-dev
	linux-libc-dev	# asm/unistd_64.h: the x86_64 syscall names (core/sysname)
	trace-cmd	# the oracle the tests compare against
	linux-perf	# perf script: the oracle of the perf.data and symbol tests
	gzip
	libxml2-utils	# xmllint: every SVG we write must parse
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "tracekit: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
