using Cowbird.Kernel.Fs.RamFs;

namespace Cowbird.Kernel.Fs.Vfs
{
    // One file of the tree (Linux: struct inode): its type and permission bits (st_mode),
    // link count, size, times and, by type,
    //   - a directory: its entries (DirEntry list, Directory) and its parent, for "..";
    //   - a regular file: its contents, frames of the frame allocator (FilePages);
    //   - a symlink: its target;
    //   - a character or block device: its device number (st_rdev; DeviceFiles reads and
    //     writes the character devices it knows);
    //   - a FIFO (named pipe): the pipe its open files share while any is open (Fifo);
    //   - a /proc file or directory: its path under /proc (ProcMount hands it to ProcFiles).
    // Owner and group start as root's (every process is root); chown changes them. The
    // contents go back to the allocator when the last name and the last open file are gone
    // (Links and Opens both 0).
    public sealed class Inode
    {
        public const uint TypeMask = 0xF000, Fifo = 0x1000, CharDevice = 0x2000, DirectoryType = 0x4000,
            BlockDevice = 0x6000, Regular = 0x8000, Symlink = 0xA000, Socket = 0xC000;
        public const uint PermissionMask = 0xFFF;
        // relatime's "a day old" (Linux: 24 * 60 * 60 seconds), in nanoseconds.
        private const ulong RelatimeInterval = 86400UL * 1000000000;

        public uint Mode;
        public int Links;
        public readonly ulong Number;
        public ulong Size;
        public uint Uid, Gid;
        public uint Device;
        // Times in nanoseconds since the Unix epoch (st_atim, st_mtim, st_ctim).
        public ulong AccessTime, ModifyTime, ChangeTime;
        // Open file descriptions referring to this inode.
        public int Opens;

        public DirEntry Entries;
        public Inode Parent;
        // The directory and entry that last named this inode (kept when the name is removed):
        // the path /proc/<pid>/fd shows for a file opened here (OpenFilePath).
        public Inode NamedIn;
        public DirEntry NamedBy;
        // A directory's next DirEntry.Position.
        public ulong NextPosition;
        public readonly FilePages Pages;
        public byte[] Target;
        // A FIFO's pipe while it is open (Linux: inode->i_pipe); null when no file has it open.
        public Pipe FifoPipe;
        public byte[] ProcPath;

        public Inode(uint mode, ulong number)
        {
            Mode = mode;
            Number = number;
            Links = 1;
            if (IsRegular)
                Pages = new FilePages();
            ulong now = FileSystem.Now();
            AccessTime = now;
            ModifyTime = now;
            ChangeTime = now;
        }

        public uint Type => Mode & TypeMask;
        public bool IsDirectory => Type == DirectoryType;
        public bool IsRegular => Type == Regular;
        public bool IsSymlink => Type == Symlink;
        public bool IsFifo => Type == Fifo;
        public bool IsProc => ProcPath != null;

        // The contents changed: mtime and ctime are now.
        public void Modified()
        {
            ModifyTime = FileSystem.Now();
            ChangeTime = ModifyTime;
        }

        // The inode itself (mode, owner, links, times) changed: ctime is now.
        public void Changed() => ChangeTime = FileSystem.Now();

        // The contents were read (read, sendfile, getdents): atime becomes now under Linux's
        // default "relatime" rule (relatime_need_update), only when it is not later than
        // mtime or ctime, or is a day old, so a file read often is not changed each time.
        public void Accessed()
        {
            ulong now = FileSystem.Now();
            if (AccessTime <= ModifyTime || AccessTime <= ChangeTime || (long)(now - AccessTime) >= (long)RelatimeInterval)
                AccessTime = now;
        }

        // Drops one name (unlink, rmdir, a replacing rename); the contents go when no
        // name and no open file is left.
        public void Unlinked()
        {
            Links--;
            Changed();
            FreeIfUnused();
        }

        // An open file description referring to this inode was released.
        public void Closed()
        {
            Opens--;
            FreeIfUnused();
        }

        private void FreeIfUnused()
        {
            if (Links == 0 && Opens == 0 && Pages != null)
                Pages.Truncate(0);
        }
    }
}
