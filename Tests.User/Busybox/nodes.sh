# Named pipes and device nodes made by the script: mkfifo and mknod (mknodat), ls -l and stat
# of them, writers in the background whose open waits for the reader, end of file when they
# are done, ENXIO opening a device without a driver, sync.
work=/tmp/busybox-nodes.$$
mkdir -p $work
cd $work
umask 022
mkfifo fifo
mkfifo -m 600 private
mknod chr c 60 1
mknod blk b 60 2
mknod other p
ls -l | awk '$1 != "total" { print $1, $NF }'
stat -c '%n %F %a %t:%T' fifo private chr blk other
[ -p fifo ] && echo "fifo is a FIFO"
[ -c chr ] && echo "chr is a character device"
[ -b blk ] && echo "blk is a block device"
echo "through the fifo" > fifo &
cat fifo
wait
(for i in 1 2 3; do echo line $i; done) > fifo &
wc -l < fifo
wait
exec 3<> other
echo "both ends" >&3
read line <&3
echo "read back: $line"
exec 3>&-
cat chr
mkfifo fifo
sync && echo synced
rm fifo private chr blk other
cd /
rmdir $work
[ -d $work ] || echo "nodes removed"
