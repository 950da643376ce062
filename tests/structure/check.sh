#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Structural rules (DESIGN.md 2, STYLE.md 4): module dependency edges,
# banned functions, and no printing from library code.
set -u
cd "$1" || exit 1
pass=0 fail=0
check() {	# check NAME OUTPUT-OF-A-SEARCH-THAT-MUST-BE-EMPTY
	if [ -z "$2" ]; then
		echo "ok   $1"
		pass=$((pass + 1))
	else
		echo "FAIL $1:"
		echo "$2" | head -10
		fail=$((fail + 1))
	fi
}
src() { find "$@" -name '*.[ch]' 2>/dev/null; }
inc() {	# inc FOLDER PATTERN: #include lines in FOLDER matching PATTERN
	local files
	files=$(src "$1")
	[ -z "$files" ] && return
	grep -nE "^#include [\"<]($2)" $files
}

# Allowed edges: core -> libc; formats -> core; analyze -> core;
# render -> analyze, core; record -> core, formats; cli -> all.
check "core includes only core" "$(inc core 'formats/|analyze/|render/|record/|cli/|traceevent/|tracefs|json-c|cairo')"
check "formats does not include analyze/render/record/cli" "$(inc formats 'analyze/|render/|record/|cli/|cairo')"
check "analyze sees no file formats" "$(inc analyze 'formats/|render/|record/|cli/|traceevent/|tracefs')"
check "render reads no files" "$(inc render 'formats/|record/|cli/|traceevent/|tracefs')"
check "record does not include analyze/render/cli" "$(inc record 'analyze/|render/|cli/|cairo|json-c')"

lib=$(src core formats analyze render record)
all=$(src core formats analyze render record cli tests/unit tests/fuzz)
check "no banned functions" "$(grep -nE '(^|[^_a-z])(sprintf|strcpy|strcat|strtok|atoi|gets)\(' $all)"
check "no VLAs or alloca" "$(grep -nE 'alloca\(' $all)"
# Library code returns errors; only cli/ prints (render writes to a FILE* it is given).
# record/rec-main.c is tracekit-record's front end (its cli/), so it may print.
check "library code does not print" "$(grep -nE '(^|[^a-z_])(printf|puts|perror)\(|stderr|stdout' $(src core formats analyze record | grep -v '^record/rec-main\.c$'))"
check "SPDX line atop every source" "$(for f in $all; do head -1 "$f" | grep -q SPDX || echo "$f"; done)"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
