# SPDX-License-Identifier: MIT
"$TK" record -o x.dat
