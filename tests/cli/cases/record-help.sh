# SPDX-License-Identifier: MIT
# tracekit record runs tracekit-record (built next to tracekit)
"$TK" record --help
