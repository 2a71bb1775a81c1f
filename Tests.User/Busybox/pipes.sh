# Pipes between applets and here-documents through the text tools.
sort <<'END' | uniq -c | sort -rn | head -3
pear
apple
pear
fig
apple
pear
kiwi
END
cat <<END | wc -l
one
two
three
END
grep -n 'an' <<'END'
banana
cherry
mango
plum
END
sed -e 's/cat/dog/g' -e '/^#/d' <<'END'
# a comment
the cat sat on the cat
no animals here
END
awk -F: '{ total += $2; names = names $1 " " } END { print names "total=" total }' <<'END'
a:1
b:20
c:300
END
printf 'line %s\n' 1 2 3 4 5 6 7 8 9 | tail -3
echo 'Hello, Pipes' | tr 'a-z' 'A-Z' | tr -d ','
printf 'x,y,z\n1,2,3\n' | cut -d, -f2,3
seq 1 1000 | awk '{ s += $1 } END { print "sum", s }'
seq 5 | while read n; do echo "read $n"; done | tail -2
echo "pipeline status: $(false | true; echo $?) $(true | false; echo $?)"
yes | head -3
echo to-stderr 1>&2
( echo out; echo err 1>&2 ) 2>&1 | sort
printf 'b\na\nc\n' | sort -r | tr '\n' ' '; echo
