# Background jobs (their stdin is /dev/null), wait, kill of a job, redirection to /dev/null.
sleep 0 &
wait
echo "wait for all: $?"
(exit 3) &
wait $!
echo "wait for one: $?"
sleep 10 &
job=$!
kill $job
wait $job
echo "killed job: $?"
for n in 1 2 3; do (echo "job $n" >/dev/null; exit $n) & done
wait
echo "three jobs done"
echo "discarded" >/dev/null
ls /nonexistent 2>/dev/null || echo "ls failed quietly"
trap 'echo "USR1 while waiting"' USR1
( sleep 0; kill -USR1 $$ ) &
wait
echo "end"
