using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Memory;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Stats;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // statfs(path, buffer) and fstatfs(fd, buffer): x86-64's struct statfs (120 bytes) for
    // the file system holding a file, what df shows. The RAM file system says it is tmpfs
    // (TMPFS_MAGIC) whose size is all of RAM: f_blocks the frames the allocator manages,
    // f_bfree and f_bavail the free ones (its files' frames are taken from the same
    // pool), no inode limit (f_files and f_ffree 0, as tmpfs with nr_inodes=0). /proc
    // (PROC_SUPER_MAGIC) and pipes (PIPEFS_MAGIC) have no blocks, as Linux's simple_statfs.
    // Errors: the walk's (statfs follows symlinks), EBADF, EFAULT for the buffer.
    public static unsafe class StatfsSyscalls
    {
        private const int StatfsSize = 120;
        private const ulong TmpfsMagic = 0x01021994, ProcMagic = 0x9fa0, PipefsMagic = 0x50495045;
        private const ulong NameMax = 255;
        // ST_VALID | ST_RELATIME: the mount flags of "rw,relatime" (/proc/mounts).
        private const ulong MountFlags = 0x20 | 0x1000;

        public static long Statfs(Process process, ulong pathAddress, ulong buffer)
        {
            int error = PathArguments.Lookup(process, PathArguments.AtFdCwd, pathAddress, true, out Inode node);
            return error != 0 ? error : CopyOut(process, buffer, node.IsProc ? ProcMagic : TmpfsMagic);
        }

        public static long Fstatfs(Process process, int fd, ulong buffer)
        {
            OpenFile file = process.Files.Get(fd);
            if (file == null)
                return -(long)Errno.EBADF;
            ulong magic = file.Node == null ? (file.Pipe != null ? PipefsMagic : TmpfsMagic) : file.Node.IsProc ? ProcMagic : TmpfsMagic;
            return CopyOut(process, buffer, magic);
        }

        // struct statfs: f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree,
        // f_fsid (two ints, 0), f_namelen, f_frsize, f_flags, f_spare[4].
        private static long CopyOut(Process process, ulong buffer, ulong magic)
        {
            ulong* statfs = stackalloc ulong[StatfsSize / 8];
            for (int i = 0; i < StatfsSize / 8; i++)
                statfs[i] = 0;
            statfs[0] = magic;
            statfs[1] = Page.Size;
            if (magic == TmpfsMagic)
            {
                VmStat stat = KernelMemory.Manager.Stat;
                statfs[2] = stat.TotalFrames;
                statfs[3] = stat.FreeFrames;
                statfs[4] = stat.FreeFrames;
            }
            statfs[8] = NameMax;
            statfs[9] = Page.Size;
            statfs[10] = MountFlags;
            return UserMemory.CopyToUser(process.Space, buffer, (byte*)statfs, StatfsSize) == Errno.None ? 0 : -(long)Errno.EFAULT;
        }
    }
}
