# ps lists the script itself and its children; free and uptime have sane figures.
ps -o pid,ppid,comm | awk -v me=$$ '
    $1 == me { print "the shell is listed as", $3 }
    $2 == me && $3 == "ps" { print "ps is a child of the shell" }'
sleep 5 &
job=$!
ps -o pid,ppid | awk -v me=$$ -v job=$job '$1 == job { print "the job is", ($2 == me ? "under the shell" : "elsewhere") }'
kill $job
wait $job
free | awk '
    $1 == "Mem:" { print ($2 > 0 && $3 >= 0 && $4 > 0 && $3 + $4 <= $2 ? "Mem figures are sane" : "Mem figures are odd: " $0) }
    $1 == "Swap:" { print ($3 + $4 == $2 ? "Swap figures add up" : "Swap figures are odd: " $0) }'
uptime | grep -q 'load average: [0-9]*\.[0-9][0-9], [0-9]*\.[0-9][0-9], [0-9]*\.[0-9][0-9]$' && echo "uptime shows three load averages"
read up idle < /proc/uptime
echo "$up" | grep -q '^[0-9]*\.[0-9][0-9]$' && echo "/proc/uptime has seconds and hundredths"
[ "$(cut -d' ' -f1 /proc/self/stat)" -gt 0 ] && echo "/proc/self/stat starts with a pid"
