# A tree made by the script: mkdir, redirection to files, cat, ls -l, wc, mv, rm.
work=/tmp/busybox-files.$$
mkdir -p $work/tree/sub/deeper
cd $work/tree
echo "first line" > a.txt
echo "second line" >> a.txt
printf 'x\ny\nz\n' > sub/b.txt
: > sub/deeper/empty
cat a.txt
wc -l a.txt sub/b.txt
ls -1 . sub
ls -l sub | awk '$1 != "total" { print $1, ($1 ~ /^d/ ? "(dir)" : $5), $NF }'
mv a.txt sub/deeper/moved.txt
ls sub/deeper
[ -e a.txt ] || echo "a.txt moved away"
cat sub/deeper/moved.txt | tr a-z A-Z
rm sub/b.txt
ls sub
rm -r sub
ls
cd /
rm -r $work
[ -d $work ] || echo "tree removed"
