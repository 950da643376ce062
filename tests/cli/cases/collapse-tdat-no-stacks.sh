# A trace.dat without stack traces has nothing to fold on-CPU: say so.
cd "$SAMPLES" && "$TK" collapse tiny-v6.dat
