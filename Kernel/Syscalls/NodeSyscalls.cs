using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Syscalls
{
    // mknod and mknodat (fs/namei.c do_mknodat): a new regular file, FIFO, socket, or
    // character or block device node, of the mode's permission bits & ~umask. Linux's order:
    //   - the type (the mode is a umode_t: its low 16 bits): a directory is EPERM, a type
    //     that is none of those (a symlink, 0x3000...) EINVAL; type 0 means a regular file;
    //   - the path and the walk to its directory (EFAULT, ENOENT, ENOTDIR, ...);
    //   - "/", "." or ".." as the last component, or an existing name, EEXIST;
    //   - a missing name followed by a slash, ENOENT (a directory was asked for);
    //   - a removed directory or /proc, ENOENT.
    // A device node keeps the number (st_rdev); what opening one does is OpenSyscalls'.
    public static unsafe class NodeSyscalls
    {
        private const uint UmodeMask = 0xFFFF;

        public static long Mknod(Process process, ulong pathAddress, uint mode, uint device) =>
            Mknodat(process, PathArguments.AtFdCwd, pathAddress, mode, device);

        public static long Mknodat(Process process, int dirfd, ulong pathAddress, uint mode, uint device)
        {
            mode &= UmodeMask;
            int error = CheckType(mode & Inode.TypeMask);
            if (error != 0)
                return error;
            error = NameSyscalls.ParentOf(process, dirfd, pathAddress, out Inode dir, out byte[] name, out PathWalk.LastKind kind, out bool slash);
            if (error != 0)
                return error;
            if (kind != PathWalk.LastKind.Normal)
                return -(long)Errno.EEXIST;
            fixed (byte* bytes = name)
            {
                if (NameSyscalls.Exists(dir, bytes, name.Length))
                    return -(long)Errno.EEXIST;
                if (slash)
                    return -(long)Errno.ENOENT;
                error = NameSyscalls.CheckCreate(dir);
                if (error != 0)
                    return error;
                uint type = (mode & Inode.TypeMask) == 0 ? Inode.Regular : mode & Inode.TypeMask;
                Inode node = FileSystem.Create(dir, bytes, name.Length, type | (mode & Inode.PermissionMask & ~process.Umask));
                if (type == Inode.CharDevice || type == Inode.BlockDevice)
                    node.Device = device;
            }
            return 0;
        }

        // Linux's may_mknod: 0 for the types mknod makes, EPERM for a directory, else EINVAL.
        private static int CheckType(uint type)
        {
            switch (type)
            {
                case 0:
                case Inode.Regular:
                case Inode.CharDevice:
                case Inode.BlockDevice:
                case Inode.Fifo:
                case Inode.Socket:
                    return 0;
                case Inode.DirectoryType:
                    return -(int)Errno.EPERM;
                default:
                    return -(int)Errno.EINVAL;
            }
        }
    }
}
