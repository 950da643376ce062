# SPDX-License-Identifier: MIT
# Turns render/flamesvg.js into a C string (cmake -DIN=js -DOUT=c -P this).
# Only CMake itself is needed, so the build stays on Debian's tools.
file(READ "${IN}" js)
if(js MATCHES "]]>")
	message(FATAL_ERROR "${IN} contains ]]>, which would end the SVG's CDATA section")
endif()
string(REPLACE "\\" "\\\\" js "${js}")
string(REPLACE "\"" "\\\"" js "${js}")
# No trigraphs in C11 mode.
string(REPLACE "?" "\\?" js "${js}")
string(REPLACE "\t" "\\t" js "${js}")
string(REPLACE "\n" "\\n\"\n\t\"" js "${js}")
file(WRITE "${OUT}.tmp"
	"/* SPDX-License-Identifier: MIT */\n"
	"/* Generated from render/flamesvg.js by render/embed-js.cmake; do not edit. */\n"
	"#include \"render/flamesvg.h\"\n\n"
	"const char tk_flamesvg_js[] =\n\t\"${js}\";\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
