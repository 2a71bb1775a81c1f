namespace Cowbird.Kernel.Fs.Vfs
{
    // The absolute path of a directory, climbing its Parent links and asking each parent the
    // name it gives the child (getcwd, /proc/<pid>/cwd). A /proc directory's name is the last
    // component of its ProcPath.
    public static unsafe class DirectoryPath
    {
        // `dir`'s path without a trailing NUL ("/" for the root); null when it is longer than
        // PathWalk.MaxPath - 1 bytes or a name on the way is gone.
        public static byte[] Of(Inode dir)
        {
            byte* path = stackalloc byte[PathWalk.MaxPath];
            int start = PathWalk.MaxPath;
            for (Inode at = dir; at != FileSystem.Root && at.Parent != null; at = at.Parent)
            {
                byte[] name = NameIn(at.Parent, at);
                if (name == null || start < name.Length + 2)
                    return null;
                start -= name.Length;
                for (int i = 0; i < name.Length; i++)
                    path[start + i] = name[i];
                path[--start] = (byte)'/';
            }
            if (start == PathWalk.MaxPath)
                path[--start] = (byte)'/';
            byte[] result = new byte[PathWalk.MaxPath - start];
            for (int i = 0; i < result.Length; i++)
                result[i] = path[start + i];
            return result;
        }

        // The name `child` has in `dir`, or null.
        private static byte[] NameIn(Inode dir, Inode child)
        {
            if (child.IsProc)
            {
                int at = child.ProcPath.Length;
                while (at > 0 && child.ProcPath[at - 1] != '/')
                    at--;
                byte[] tail = new byte[child.ProcPath.Length - at];
                for (int i = 0; i < tail.Length; i++)
                    tail[i] = child.ProcPath[at + i];
                return tail;
            }
            for (DirEntry entry = dir.Entries; entry != null; entry = entry.Next)
                if (entry.Node == child)
                    return entry.Name;
            return null;
        }
    }
}
