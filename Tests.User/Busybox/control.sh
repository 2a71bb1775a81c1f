# Shell control flow: loops, arithmetic, case, functions, exit statuses, subshells,
# command substitution and parameter expansion; what uname says.
# mask: (?<=^shell pid )\d+$
# mask: (?<=^release )\S+$
echo "shell pid $$"
echo "system $(uname -s) on $(uname -m)"
echo "release $(uname -r)"
i=0
while [ $i -lt 3 ]; do
    echo "while $i"
    i=$((i + 1))
done
until [ $i -eq 0 ]; do
    i=$((i - 1))
done
echo "until left i=$i"
for word in alpha beta gamma; do
    case $word in
        a*) echo "$word starts with a" ;;
        *t*) echo "$word has a t" ;;
        *) echo "$word is something else" ;;
    esac
done
echo "arithmetic: $((7 * 6)) $((17 / 5)) $((17 % 5)) $((1 << 10)) $(( (2 + 3) * -4 ))"
square() {
    local n=$1
    echo $((n * n))
    return $((n % 4))
}
square 5; echo "square 5 returned $?"
square 6; echo "square 6 returned $?"
true && echo "true &&"
false || echo "false ||"
! false && echo "! false"
(exit 7); echo "subshell exit $?"
( set -e; false; echo "not reached" ); echo "set -e subshell: $?"
inner=$(echo nested $(echo deeper))
echo "command substitution: $inner"
path=/usr/lib/libc.so.6
echo "${path##*/} ${path%/*} ${#path} ${unset:-default} ${path#/usr}"
set -- one two three
echo "$# args, first $1"
shift 2
echo "after shift: $# left: $1"
count=0
for n in $(seq 1 10); do
    [ $((n % 3)) -eq 0 ] && continue
    [ $n -gt 8 ] && break
    count=$((count + n))
done
echo "sum with continue and break: $count"
if [ -z "" ] && [ -n "x" ] && [ 3 -ge 3 ] && [ abc != abd ]; then echo "tests pass"; fi
sh -c 'exit 42'; echo "child shell exit $?"
