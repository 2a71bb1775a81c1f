# trap handlers, kill, and how a signal ends a process.
trap 'echo "USR1 handled"' USR1
trap 'echo "USR2 handled"' USR2
kill -USR1 $$
kill -s USR2 $$
echo "after both signals"
kill -0 $$ && echo "kill -0 finds the shell"
sh -c 'kill -TERM $$; echo "not reached"'; echo "child killed by TERM: $?"
sh -c 'kill -9 $$'; echo "child killed by KILL: $?"
sh -c 'trap "echo child caught TERM; exit 5" TERM; kill -TERM $$; echo "not reached"'; echo "child trap exit: $?"
trap - USR1
trap 'echo "EXIT trap runs last"' EXIT
echo "end of script"
