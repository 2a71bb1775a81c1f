# File attributes and the calls behind them: touch (utimensat, and open O_CREAT for a new
# file), stat -c and ls -ln --full-time (times, modes, sizes), chmod, cp and cat (sendfile),
# cp -p (utimensat, chown, chmod), stat -f and df (statfs, /proc/mounts). TZ=UTC0 keeps the
# host's /etc/localtime out; owners are shown as numbers (Cowbird has no /etc/passwd).
export TZ=UTC0
work=/tmp/busybox-attributes.$$
mkdir -p $work
cd $work
echo "some text" > a
touch -d '2021-02-03 04:05:06' a
stat -c '%n %s %a %F %Y %X %y' a
ls -ln --full-time a | awk '{ print $1, $2, $3, $4, $5, $6, $7, $8, $9 }'
touch -a -d '2020-01-01 00:00:00' a
stat -c 'atime %X mtime %Y' a
touch -m -d '2022-06-07 08:09:10' a
stat -c 'atime %X mtime %Y' a
start=$(date +%s)
touch a new
stat -c '%n %s %F' new
for f in a new; do
    [ $(stat -c %Y $f) -ge $((start - 2)) ] && echo "$f: mtime is now"
done
ln -s a link
touch -h -d '2019-05-05 05:05:05' link
stat -c '%n %F %Y' link
stat -L -c '%n %F' link
chmod 751 a
stat -c '%a %A' a
chmod u+s,g-x,o= a
ls -ln a | cut -c1-10
chmod 644 a
cp a b
cat b
cmp a b && echo "cp copied the bytes"
touch -d '2018-08-08 08:08:08' a
cp -p a c
stat -c '%n %a %Y %u %g' c
head -c 20000 /dev/zero | tr '\0' x > big
cat big a big > joined
wc -c < joined
cp joined joined2
cmp joined joined2 && echo "a copy of 40010 bytes matches"
stat -f -c 'block size %S, names up to %l bytes' .
df -P . | awk 'NR == 1 { print $2, $3, $4, $5 } NR == 2 { print ($2 > 0 && $3 <= $2 && $4 <= $2) ? "sizes add up" : "bad sizes: " $0, "mounted on " $6 }'
cd /
rm -r $work
[ -d $work ] || echo "tree removed"
