namespace Cowbird.Kernel.Fs.Vfs
{
    // The entries of a RAM directory: find, add and remove names. A directory's link count
    // is 2 ("." and its name in the parent) plus one per subdirectory (their ".."), as Linux;
    // its size is EntrySize per entry, "." and ".." included, as tmpfs says (BOGO_DIRENT_SIZE).
    public static unsafe class Directory
    {
        public const ulong EntrySize = 20;

        // The entry named `name` in `dir`, or null.
        public static DirEntry Find(Inode dir, byte* name, int length)
        {
            for (DirEntry entry = dir.Entries; entry != null; entry = entry.Next)
                if (entry.Is(name, length))
                    return entry;
            return null;
        }

        // Adds `node` to `dir` as `name` (which is not there yet), at the end of the list.
        public static void Add(Inode dir, byte* name, int length, Inode node)
        {
            DirEntry added = new DirEntry(name, length, node);
            added.Position = dir.NextPosition++;
            if (dir.Entries == null)
                dir.Entries = added;
            else
            {
                DirEntry last = dir.Entries;
                while (last.Next != null)
                    last = last.Next;
                last.Next = added;
            }
            if (node.IsDirectory)
            {
                node.Parent = dir;
                dir.Links++;
            }
            node.NamedIn = dir;
            node.NamedBy = added;
            dir.Size += EntrySize;
            dir.Modified();
        }

        // Takes `entry` out of `dir`; the inode keeps its link count (the caller decides).
        public static void Remove(Inode dir, DirEntry entry)
        {
            if (dir.Entries == entry)
                dir.Entries = entry.Next;
            else
            {
                DirEntry before = dir.Entries;
                while (before.Next != entry)
                    before = before.Next;
                before.Next = entry.Next;
            }
            if (entry.Node.IsDirectory)
                dir.Links--;
            dir.Size -= EntrySize;
            dir.Modified();
        }

        // Swaps the inodes of `first` (in `firstDir`) and `second` (in `secondDir`), the names
        // staying (renameat2's RENAME_EXCHANGE). A directory moving to another parent takes
        // its ".." there: the parents' link counts follow.
        public static void Exchange(Inode firstDir, DirEntry first, Inode secondDir, DirEntry second)
        {
            Inode node = first.Node;
            first.Node = second.Node;
            second.Node = node;
            first.Node.NamedIn = firstDir;
            first.Node.NamedBy = first;
            second.Node.NamedIn = secondDir;
            second.Node.NamedBy = second;
            if (first.Node.IsDirectory)
                Adopt(firstDir, first.Node, secondDir);
            if (second.Node.IsDirectory)
                Adopt(secondDir, second.Node, firstDir);
            firstDir.Modified();
            secondDir.Modified();
        }

        // The directory `child` moved from `from` into `dir`: its ".." and both link counts.
        private static void Adopt(Inode dir, Inode child, Inode from)
        {
            if (dir == from)
                return;
            child.Parent = dir;
            dir.Links++;
            from.Links--;
        }

        // The first entry whose position is `position` or later, or null past the end.
        public static DirEntry AtOrAfter(Inode dir, ulong position)
        {
            DirEntry entry = dir.Entries;
            while (entry != null && entry.Position < position)
                entry = entry.Next;
            return entry;
        }

        // Whether `ancestor` is `node` or lies above it (rename must not move a directory
        // into itself).
        public static bool IsAncestor(Inode ancestor, Inode node)
        {
            for (Inode at = node; ; at = at.Parent)
            {
                if (at == ancestor)
                    return true;
                if (at.Parent == at || at.Parent == null)
                    return false;
            }
        }
    }
}
