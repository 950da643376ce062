"$TK" frobnicate
