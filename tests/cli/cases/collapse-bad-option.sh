"$TK" collapse --frobnicate x
