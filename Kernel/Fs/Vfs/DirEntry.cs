namespace Cowbird.Kernel.Fs.Vfs
{
    // One name in a directory (Linux: a dentry, without the cache): the name's bytes, the
    // inode it refers to, and its position for getdents64. A directory's entries form a
    // singly linked list in creation order, so their positions grow along it.
    public sealed class DirEntry
    {
        public readonly byte[] Name;
        public Inode Node;
        public DirEntry Next;
        // Where getdents64 finds this name, fixed while it lives (Linux 6.6's stable tmpfs
        // offsets): removing another name moves no position, so a listing read in pieces
        // while names are removed (rm -r) neither skips nor repeats one.
        public ulong Position;

        public unsafe DirEntry(byte* name, int length, Inode node)
        {
            Name = new byte[length];
            for (int i = 0; i < length; i++)
                Name[i] = name[i];
            Node = node;
        }

        // Whether this entry's name is `name` (`length` bytes).
        public unsafe bool Is(byte* name, int length)
        {
            if (Name.Length != length)
                return false;
            for (int i = 0; i < length; i++)
                if (Name[i] != name[i])
                    return false;
            return true;
        }
    }
}
