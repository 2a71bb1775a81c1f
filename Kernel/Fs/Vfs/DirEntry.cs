namespace Cowbird.Kernel.Fs.Vfs
{
    // One name in a directory (Linux: a dentry, without the cache): the name's bytes and the
    // inode it refers to. A directory's entries form a singly linked list in creation order.
    public sealed class DirEntry
    {
        public readonly byte[] Name;
        public Inode Node;
        public DirEntry Next;

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
