using Cowbird.Kernel.Processes;

namespace Cowbird.Kernel.Fs.Vfs
{
    // /proc: a mount point whose names ProcFiles knows. Looking a name up makes a fresh
    // inode that remembers its path ("/proc/sys/vm"); opening it asks ProcFiles for the text,
    // listing it asks ProcFiles for the names. Directories are 0555 (a process's fd directory
    // 0500), files 0444, links 0777 (a descriptor's by its access mode) with their target
    // taken at the lookup (so it is always the current one) and, as on Linux, a size of 0;
    // each has an inode number made from its path, so two lookups of one name agree.
    public static unsafe class ProcMount
    {
        private const uint FileMode = 0x124;        // 0444
        private const int MaxPath = 4096;

        // The inode of /proc itself.
        public static Inode Create()
        {
            byte* path = stackalloc byte[5];
            path[0] = (byte)'/'; path[1] = (byte)'p'; path[2] = (byte)'r'; path[3] = (byte)'o'; path[4] = (byte)'c';
            return Make(path, 5, true, null);
        }

        // The entry `name` of the /proc directory `dir`, or null when ProcFiles has none.
        public static Inode Lookup(Inode dir, byte* name, int length)
        {
            int dirLength = dir.ProcPath.Length;
            if (dirLength + 1 + length > MaxPath)
                return null;
            byte* path = stackalloc byte[dirLength + 1 + length];
            for (int i = 0; i < dirLength; i++)
                path[i] = dir.ProcPath[i];
            path[dirLength] = (byte)'/';
            for (int i = 0; i < length; i++)
                path[dirLength + 1 + i] = name[i];
            int total = dirLength + 1 + length;
            byte[] target = ProcFiles.LinkTarget(path, total, Scheduler.Current, out uint permissions);
            if (target != null)
            {
                Inode link = Make(path, total, false, dir);
                link.Mode = Inode.Symlink | permissions;
                link.Target = target;
                return link;
            }
            if (ProcFiles.IsDirectory(path, total))
                return Make(path, total, true, dir);
            return ProcFiles.IsFile(path, total) ? Make(path, total, false, dir) : null;
        }

        private static Inode Make(byte* path, int length, bool directory, Inode parent)
        {
            Inode node = new Inode(directory ? Inode.DirectoryType | ProcFiles.DirectoryPermissions(path, length) : Inode.Regular | FileMode,
                NumberOf(path, length));
            if (directory)
                node.Links = 2;
            node.Parent = parent;
            node.ProcPath = new byte[length];
            for (int i = 0; i < length; i++)
                node.ProcPath[i] = path[i];
            return node;
        }

        // An inode number from the path (FNV-1a), kept clear of the RAM file system's small ones.
        private static ulong NumberOf(byte* path, int length)
        {
            uint hash = 2166136261;
            for (int i = 0; i < length; i++)
                hash = (hash ^ path[i]) * 16777619;
            return (ulong)hash | 0x100000000UL;
        }
    }
}
