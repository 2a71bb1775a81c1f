using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Mm;

namespace Cowbird.Kernel.Syscalls
{
    // What stat and statx tell about a file, gathered once for both formats: from an inode,
    // or, for a pipe or the console of fds 0-2 (no inode), what Linux shows for those. st_dev
    // tells the file systems apart: the RAM file system, /proc, and pipes. st_blksize is a
    // page; st_blocks counts the 512-byte units of the frames a RAM file holds.
    public struct FileStatus
    {
        public const ulong RamFsDevice = 2, ProcDevice = 4, PipeDevice = 0xd;
        private const uint PipeMode = Inode.Fifo | 0x180;               // prw-------
        private const uint ConsoleMode = Inode.CharDevice | 0x180;      // crw-------

        public ulong Device, Number, Links, RDevice, Size, Blocks;
        public uint Mode, Uid, Gid;
        // Nanoseconds since the Unix epoch.
        public ulong AccessTime, ModifyTime, ChangeTime;

        // The status of `node`, or without one, of the pipe or console `file`.
        public static FileStatus Of(Inode node, OpenFile file)
        {
            FileStatus status = default;
            if (node == null)
            {
                status.Device = file.Pipe != null ? PipeDevice : RamFsDevice;
                status.Number = file.Pipe != null ? file.Pipe.Number : 0;
                status.Links = 1;
                status.Mode = file.Pipe != null ? PipeMode : ConsoleMode;
                status.RDevice = file.Pipe != null ? 0 : DeviceFiles.Console;
                return status;
            }
            status.Device = node.IsProc ? ProcDevice : RamFsDevice;
            status.Number = node.Number;
            status.Links = (ulong)node.Links;
            status.Mode = node.Mode;
            status.Uid = node.Uid;
            status.Gid = node.Gid;
            status.RDevice = node.Device;
            // A RAM link's size is its target's length; /proc's links say 0, as on Linux.
            status.Size = node.IsSymlink && !node.IsProc ? (ulong)node.Target.Length : node.Size;
            status.Blocks = node.Pages != null ? node.Pages.FrameCount * (Page.Size / 512) : 0;
            status.AccessTime = node.AccessTime;
            status.ModifyTime = node.ModifyTime;
            status.ChangeTime = node.ChangeTime;
            return status;
        }

        // Linux's new_encode_dev: the major and minor of a device number as st_dev and
        // st_rdev hold them.
        public static uint Major(ulong device) => (uint)((device >> 8) & 0xfff);
        public static uint Minor(ulong device) => (uint)((device & 0xff) | ((device >> 12) & 0xfff00));
    }
}
