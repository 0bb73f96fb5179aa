# Ferry run supervisor (shipped as dist/launcher.sh).
# The supervisor that runs one restore on the host, detached from the SSH session that started it
# (`setsid nohup sh launcher.sh NODE ARGS... &`, in the run directory). It gives the program a stdin
# that only Ferry ends, writes its output to files that `follow` streams back, and records its exit code.
echo $$ > launcher.pid
# The FIFO is made by the command that starts this script, before anything can feed it (see launch.ts).
[ -p stdin ] || mkfifo stdin || exit 1
# The program reads stdin from this FIFO. This writer keeps it open, so the program sees end of input when
# Ferry says so (it kills the writer), not when the SSH channel that feeds it drops.
sleep 2147483647 > stdin &
echo $! > stdin.keeper
# A session of its own, so `stop` can signal the program and its children as one process group.
if command -v setsid >/dev/null 2>&1; then setsid "$@" < stdin > out 2> err & else "$@" < stdin > out 2> err & fi
echo $! > pid
wait $!
code=$?
rm -f key   # the checkpoint's HMAC key, read by the restore when it started
kill "$(cat stdin.keeper)" 2>/dev/null
echo $code > exit.tmp && mv exit.tmp exit
# A feeder that opened the FIFO after the program exited is blocked in open(): be its reader for a moment,
# so it wakes up, fails to write and ends (feeders look for the exit file first, so none can come later).
exec 3<>stdin; exec 3<&-
