using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // getdents64, getdents, mkdir/mkdirat, chdir/fchdir, getcwd. A directory's entries are
    // listed as ".", "..", then its names in creation order; the open file's offset is the
    // position of the next one, which each struct linux_dirent64 (or linux_dirent) gives as
    // d_off. A RAM directory's
    // positions stay fixed while names come and go (DirEntry.Position).
    public static unsafe class DirectorySyscalls
    {
        // struct linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
        private const int DirentHeader = 19;
        // struct linux_dirent (the old getdents): d_ino (8), d_off (8), d_reclen (2), d_name,
        // and d_type in the record's last byte, after the name's NUL.
        private const int OldDirentHeader = 18;
        private const byte TypeFifo = 1, TypeChar = 2, TypeDirectory = 4, TypeBlock = 6, TypeRegular = 8,
            TypeSymlink = 10, TypeSocket = 12;
        private const uint DirectoryBits = 0x3FF;     // mkdir keeps 01777 of the mode

        // getdents64(fd, buffer, count): EBADF, ENOTDIR, EFAULT (nothing written yet), EINVAL
        // when the buffer cannot hold the next entry; else the bytes written, 0 at the end.
        public static long Getdents64(Process process, int fd, ulong buffer, ulong count) =>
            List(process, fd, buffer, count, false);

        // getdents(fd, buffer, count): the same entries and errors in struct linux_dirent.
        public static long Getdents(Process process, int fd, ulong buffer, uint count) =>
            List(process, fd, buffer, count, true);

        // The loop of both getdents calls: records from the open directory's offset on, as
        // many as fit in `count` bytes, in the old layout when `typeLast`.
        private static long List(Process process, int fd, ulong buffer, ulong count, bool typeLast)
        {
            OpenFile file = process.Files.Get(fd);
            if (file == null)
                return -(long)Errno.EBADF;
            if (!file.IsDirectory)
                return -(int)Errno.ENOTDIR;
            if (!FileSyscalls.IsUserRange(buffer, count))
                return -(long)Errno.EFAULT;
            int header = typeLast ? OldDirentHeader : DirentHeader;
            byte* record = stackalloc byte[DirentHeader + PathWalk.MaxName + 1 + 8];
            ulong done = 0;
            while (true)
            {
                int nameLength = EntryAt(file.Node, file.Offset, record + header, out ulong number, out byte type, out ulong next);
                if (nameLength < 0)
                    break;
                // The header, the name and its NUL (and the old layout's d_type), rounded up
                // to 8 bytes.
                int size = (header + nameLength + (typeLast ? 2 : 1) + 7) & ~7;
                if (done + (ulong)size > count)
                    return done > 0 ? (long)done : -(long)Errno.EINVAL;
                for (int i = header + nameLength; i < size; i++)
                    record[i] = 0;
                *(ulong*)record = number;
                *(ulong*)(record + 8) = next;
                *(ushort*)(record + 16) = (ushort)size;
                record[typeLast ? size - 1 : DirentHeader - 1] = type;
                if (UserMemory.CopyToUser(process.Space, buffer + done, record, (ulong)size) != Errno.None)
                    return done > 0 ? (long)done : -(long)Errno.EFAULT;
                done += (ulong)size;
                file.Offset = next;
            }
            file.Node.Accessed();
            return (long)done;
        }

        // The entry at or after `position` of `dir` (0 ".", 1 "..", then a RAM directory's
        // entries at 2 + their DirEntry.Position, or /proc's by index): its name copied to
        // `name` (its length returned), inode number, d_type, and the position after it
        // (d_off); -1 past the last.
        private static int EntryAt(Inode dir, ulong position, byte* name, out ulong number, out byte type, out ulong next)
        {
            number = dir.Number;
            type = TypeDirectory;
            next = position + 1;
            if (position < 2)
            {
                if (position == 1)
                    number = (dir.Parent ?? dir).Number;
                name[0] = (byte)'.';
                name[1] = (byte)'.';
                return (int)position + 1;
            }
            if (dir.IsProc)
                return ProcEntryAt(dir, position - 2, name, out number, out type);
            DirEntry entry = Directory.AtOrAfter(dir, position - 2);
            if (entry == null)
                return -1;
            for (int i = 0; i < entry.Name.Length; i++)
                name[i] = entry.Name[i];
            number = entry.Node.Number;
            type = TypeOf(entry.Node);
            next = entry.Position + 3;
            return entry.Name.Length;
        }

        // Entry `index` of the /proc directory `dir`, as ProcFiles lists it.
        private static int ProcEntryAt(Inode dir, ulong index, byte* name, out ulong number, out byte type)
        {
            number = 0;
            type = TypeRegular;
            int length;
            bool isDirectory;
            fixed (byte* dirPath = dir.ProcPath)
                length = ProcFiles.ListEntry(dirPath, dir.ProcPath.Length, Scheduler.Current, (int)index, name, PathWalk.MaxName, out isDirectory);
            if (length < 0)
                return -1;
            Inode node = ProcMount.Lookup(dir, name, length);
            if (node != null)
            {
                number = node.Number;
                type = TypeOf(node);
            }
            else if (isDirectory)
                type = TypeDirectory;
            return length;
        }

        private static byte TypeOf(Inode node)
        {
            switch (node.Type)
            {
                case Inode.DirectoryType: return TypeDirectory;
                case Inode.Symlink: return TypeSymlink;
                case Inode.CharDevice: return TypeChar;
                case Inode.BlockDevice: return TypeBlock;
                case Inode.Fifo: return TypeFifo;
                case Inode.Socket: return TypeSocket;
                default: return TypeRegular;
            }
        }

        public static long Mkdir(Process process, ulong pathAddress, uint mode) =>
            Mkdirat(process, PathArguments.AtFdCwd, pathAddress, mode);

        // mkdirat(dirfd, path, mode): a new directory of mode & 01777 & ~umask. EEXIST when
        // the name exists (or is "/", ".", ".."); the parent walk's errors; EACCES in /proc.
        public static long Mkdirat(Process process, int dirfd, ulong pathAddress, uint mode)
        {
            int error = NameSyscalls.ParentOf(process, dirfd, pathAddress, out Inode dir, out byte[] name, out PathWalk.LastKind kind, out _);
            if (error != 0)
                return error;
            if (kind != PathWalk.LastKind.Normal)
                return -(long)Errno.EEXIST;
            fixed (byte* bytes = name)
            {
                if (NameSyscalls.Exists(dir, bytes, name.Length))
                    return -(long)Errno.EEXIST;
                error = NameSyscalls.CheckCreate(dir);
                if (error != 0)
                    return error;
                FileSystem.Create(dir, bytes, name.Length, Inode.DirectoryType | (mode & DirectoryBits & ~process.Umask));
            }
            return 0;
        }

        public static long Chdir(Process process, ulong pathAddress)
        {
            int error = PathArguments.Lookup(process, PathArguments.AtFdCwd, pathAddress, true, out Inode node);
            if (error != 0)
                return error;
            if (!node.IsDirectory)
                return -(int)Errno.ENOTDIR;
            process.Cwd = node;
            return 0;
        }

        public static long Fchdir(Process process, int fd)
        {
            OpenFile file = process.Files.Get(fd);
            if (file == null)
                return -(long)Errno.EBADF;
            if (!file.IsDirectory)
                return -(int)Errno.ENOTDIR;
            process.Cwd = file.Node;
            return 0;
        }

        // getcwd(buffer, size): the cwd's absolute path and a NUL, its length with the NUL
        // returned. ENOENT when the cwd was removed, ERANGE when `size` is too small,
        // EFAULT for a bad buffer.
        public static long Getcwd(Process process, ulong buffer, ulong size)
        {
            Inode cwd = PathArguments.Cwd(process);
            if (cwd.Links == 0)
                return -(long)Errno.ENOENT;
            byte[] path = DirectoryPath.Of(cwd);
            if (path == null)
                return -(int)Errno.ENAMETOOLONG;
            ulong length = (ulong)path.Length + 1;
            if (length > size)
                return -(int)Errno.ERANGE;
            byte* text = stackalloc byte[path.Length + 1];
            for (int i = 0; i < path.Length; i++)
                text[i] = path[i];
            text[path.Length] = 0;
            if (UserMemory.CopyToUser(process.Space, buffer, text, length) != Errno.None)
                return -(long)Errno.EFAULT;
            return (long)length;
        }
    }
}
