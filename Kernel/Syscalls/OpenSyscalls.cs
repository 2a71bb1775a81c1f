using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Fs.RamFs;
using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Syscalls
{
    // open, openat and creat (fs/open.c, fs/namei.c path_openat), in Linux's order: the
    // path is copied, a free fd found (EMFILE), the path walked; with O_CREAT a missing last
    // name (or the missing target of a dangling symlink) becomes an empty regular file of
    // mode & ~umask, an existing one (a symlink too) is EEXIST under O_EXCL; then the checks on what was found:
    //   ELOOP    a symlink as the last component under O_NOFOLLOW;
    //   EISDIR   O_CREAT on a directory (or a name ending in "/", ".", ".."), or a
    //            directory opened for writing;
    //   ENOTDIR  O_DIRECTORY on anything else;
    //   EACCES   a /proc file opened for writing;
    //   ENXIO    /dev/tty without a controlling terminal, a device node without a driver,
    //            a socket;
    // a FIFO connects to its pipe (Fifo: it may wait for the other end, or be ENXIO).
    // O_TRUNC empties a regular file whatever the access mode (root may write it).
    public static unsafe class OpenSyscalls
    {
        private const int Create = 0x40, Exclusive = 0x80, Truncate = 0x200, DirectoryOnly = 0x10000, NoFollow = 0x20000;
        private const uint ModeBits = 0xFFF;    // S_IALLUGO
        // Linux's MAXSYMLINKS: the symlinks one walk follows before ELOOP.
        private const int MaxCreateLinks = 40;

        public static long Open(Process process, ulong pathAddress, int flags, uint mode) =>
            Openat(process, PathArguments.AtFdCwd, pathAddress, flags, mode);

        // creat(path, mode) is open(path, O_CREAT | O_WRONLY | O_TRUNC, mode).
        public static long Creat(Process process, ulong pathAddress, uint mode) =>
            Openat(process, PathArguments.AtFdCwd, pathAddress, Create | OpenFile.WriteOnly | Truncate, mode);

        public static long Openat(Process process, int dirfd, ulong pathAddress, int flags, uint mode)
        {
            byte* path = stackalloc byte[PathWalk.MaxPath];
            int length = PathArguments.CopyNonEmpty(process, pathAddress, path);
            if (length < 0)
                return length;
            int fd = process.Files.LowestFree(process.Limits.Soft(ResourceLimits.OpenFiles));
            if (fd < 0)
                return -(int)Errno.EMFILE;
            int error = PathArguments.Start(process, dirfd, path, length, out Inode start);
            if (error != 0)
                return error;
            Inode node;
            if ((flags & Create) != 0)
                error = FindOrCreate(process, start, path, length, flags, mode, 0, out node);
            else
                error = PathWalk.Lookup(start, path, length, (flags & NoFollow) == 0, out node);
            if (error != 0)
                return error;
            OpenFile file;
            error = OpenInode(process, node, flags, out file);
            if (error != 0)
                return error;
            // What F_GETFL shows: the access mode and the status flags Cowbird knows (Linux
            // keeps more of open's flags there, and O_LARGEFILE on x86-64).
            file.StatusFlags = (flags & (OpenFile.AccessModeMask | OpenFile.Append | OpenFile.NonBlocking)) | OpenFile.LargeFile;
            process.Files.Install(fd, file, (flags & OpenFile.CloseOnExecFlag) != 0);
            return fd;
        }

        // O_CREAT's walk: the existing inode at `path`, or a new regular file there. A
        // dangling symlink as the last component (followed unless O_NOFOLLOW or O_EXCL) makes
        // the file its target names, walked from the link's directory, as Linux does; at most
        // MaxCreateLinks links are followed so (ELOOP).
        private static int FindOrCreate(Process process, Inode start, byte* path, int length, int flags, uint mode, int links, out Inode node)
        {
            node = null;
            int error = PathWalk.LookupParent(start, path, length, out Inode dir, out int nameAt, out int nameLength,
                out PathWalk.LastKind kind, out bool trailingSlash);
            if (error != 0)
                return error;
            if (kind != PathWalk.LastKind.Normal || trailingSlash)
                return -(int)Errno.EISDIR;
            if (PathWalk.Lookup(dir, path + nameAt, nameLength, false, out node) == 0)
            {
                if ((flags & Exclusive) != 0)
                    return -(int)Errno.EEXIST;
                if (!node.IsSymlink || (flags & NoFollow) != 0)
                    return 0;
                error = PathWalk.Lookup(dir, path + nameAt, nameLength, true, out Inode followed);
                if (error != -(int)Errno.ENOENT)
                {
                    node = followed;
                    return error;
                }
                if (++links > MaxCreateLinks)
                    return -(int)Errno.ELOOP;
                byte[] target = node.Target;
                fixed (byte* bytes = target)
                    return FindOrCreate(process, dir, bytes, target.Length, flags, mode, links, out node);
            }
            if (dir.IsProc)
                return -(int)Errno.EACCES;
            if (dir.Links == 0)
                return -(int)Errno.ENOENT;
            node = FileSystem.Create(dir, path + nameAt, nameLength, Inode.Regular | (mode & ModeBits & ~process.Umask));
            return 0;
        }

        // An open file description for `node` as open's `flags` ask, or -errno.
        private static int OpenInode(Process process, Inode node, int flags, out OpenFile file)
        {
            file = null;
            bool readOnly = (flags & OpenFile.AccessModeMask) == OpenFile.ReadOnly;
            if (node.IsSymlink)
                return -(int)Errno.ELOOP;
            if (node.IsDirectory && ((flags & Create) != 0 || !readOnly))
                return -(int)Errno.EISDIR;
            if ((flags & DirectoryOnly) != 0 && !node.IsDirectory)
                return -(int)Errno.ENOTDIR;
            if (node.IsProc && !node.IsDirectory)
            {
                if (!readOnly)
                    return -(int)Errno.EACCES;
                fixed (byte* procPath = node.ProcPath)
                    file = OpenFile.Generating(node, ProcFiles.Open(procPath, node.ProcPath.Length, process));
                return 0;
            }
            if (node.Type == Inode.CharDevice && DeviceFiles.IsTerminal(node.Device))
            {
                int terminal = TerminalIoctls.OpenDevice(process, node.Device == DeviceFiles.Tty);
                if (terminal != 0)
                    return terminal;
                file = OpenFile.Console(node);
                return 0;
            }
            if (node.IsFifo)
                return Fifo.Open(node, flags, out file);
            if (!HasDriver(node))
                return -(int)Errno.ENXIO;
            if ((flags & Truncate) != 0 && node.IsRegular && node.Size != 0)
                FileContents.Resize(node, 0);
            file = OpenFile.OfInode(node);
            return 0;
        }

        // Whether something serves `node`'s contents: false for a character device of a
        // number DeviceFiles does not know, any block device and a socket (Linux's
        // chrdev_open, blkdev_open and no_open give ENXIO).
        private static bool HasDriver(Inode node)
        {
            if (node.Type == Inode.CharDevice)
                return DeviceFiles.Exists(node.Device);
            return node.Type != Inode.BlockDevice && node.Type != Inode.Socket;
        }
    }
}
