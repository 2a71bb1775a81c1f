using Cowbird.Kernel.Time;

namespace Cowbird.Kernel.Fs.Vfs
{
    // The one tree every process sees, a RAM file system at its root. At boot (Initialize)
    // it holds the initrd's directories, files and symlinks, then
    //   /tmp   mode 1777, for everyone's files;
    //   /dev   null, zero, full, console, tty (DeviceFiles);
    //   /proc  the mount point whose contents ProcFiles provides (ProcMount).
    public static unsafe class FileSystem
    {
        private const uint StickyAndAll = 0x3FF;     // 01777
        private const uint DirectoryMode = 0x1ED;    // 0755

        private static ulong s_nextNumber = 1;

        public static Inode Root { get; private set; }

        // A fresh inode number (st_ino).
        public static ulong NextNumber() => s_nextNumber++;

        // The time a file's timestamps take: nanoseconds since the Unix epoch.
        public static ulong Now() => Clock.BootUnixNanoseconds + Clock.Monotonic;

        // Builds the tree: the root, the initrd's contents, /tmp, /dev and /proc.
        public static void Initialize()
        {
            Root = new Inode(Inode.DirectoryType | DirectoryMode, NextNumber());
            Root.Links = 2;
            Root.Size = 2 * Directory.EntrySize;
            Root.Parent = Root;
            Initrd.Unpack(Root);
            Inode tmp = MakeDirectory(Root, "tmp");
            tmp.Mode = Inode.DirectoryType | StickyAndAll;
            DeviceFiles.Populate(MakeDirectory(Root, "dev"));
            Inode proc = ProcMount.Create();
            AddNew(Root, "proc", proc);
        }

        // Makes a new inode of `mode` (a type and permission bits) named `name` in `dir`.
        public static Inode Create(Inode dir, byte* name, int length, uint mode)
        {
            Inode node = new Inode(mode, NextNumber());
            if (node.IsDirectory)
            {
                node.Links = 2;
                node.Size = 2 * Directory.EntrySize;
            }
            Directory.Add(dir, name, length, node);
            return node;
        }

        // The directory `name` of `dir`, made (0755) when absent.
        public static Inode MakeDirectory(Inode dir, string name)
        {
            byte* bytes = stackalloc byte[name.Length];
            for (int i = 0; i < name.Length; i++)
                bytes[i] = (byte)name[i];
            DirEntry entry = Directory.Find(dir, bytes, name.Length);
            if (entry != null && entry.Node.IsDirectory)
                return entry.Node;
            return Create(dir, bytes, name.Length, Inode.DirectoryType | DirectoryMode);
        }

        // Adds the inode `node` to `dir` as `name` (which is absent).
        public static void AddNew(Inode dir, string name, Inode node)
        {
            byte* bytes = stackalloc byte[name.Length];
            for (int i = 0; i < name.Length; i++)
                bytes[i] = (byte)name[i];
            Directory.Add(dir, bytes, name.Length, node);
        }
    }
}
