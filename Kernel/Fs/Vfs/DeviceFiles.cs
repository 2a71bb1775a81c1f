namespace Cowbird.Kernel.Fs.Vfs
{
    // The character devices of /dev, with Linux's numbers (Documentation/admin-guide/devices.txt):
    //   null    1:3  reads end of file, writes vanish
    //   zero    1:5  reads zeros, writes vanish
    //   full    1:7  reads zeros, writes fail with ENOSPC
    //   random  1:8  reads random bytes (RandomSource, as getrandom), writes are accepted
    //   urandom 1:9  the same: Linux 5.6 on never blocks either once its pool is ready
    //   tty     5:0  the caller's controlling terminal (the console)
    //   console 5:1  the console
    public static class DeviceFiles
    {
        // st_rdev as Linux's old_encode_dev writes small numbers: major << 8 | minor.
        public const uint Null = 0x103, Zero = 0x105, Full = 0x107, Random = 0x108, Urandom = 0x109, Tty = 0x500,
            Console = 0x501;
        private const uint ReadWriteAll = 0x1B6;    // 0666
        private const uint OwnerReadWrite = 0x180;  // 0600

        // Whether `device` is one of these, so that a character device node of its number
        // (mknod) opens; another number has no driver (ENXIO, as Linux's chrdev_open).
        public static bool Exists(uint device) =>
            device == Null || device == Zero || device == Full || IsRandom(device) || IsTerminal(device);

        // Whether `device` hands out random bytes (random or urandom).
        public static bool IsRandom(uint device) => device == Random || device == Urandom;

        // Whether `device` is the console (tty or console), which the terminal code serves.
        public static bool IsTerminal(uint device) => device == Tty || device == Console;

        // Fills `dev` with the device files.
        public static void Populate(Inode dev)
        {
            Add(dev, "null", Null, ReadWriteAll);
            Add(dev, "zero", Zero, ReadWriteAll);
            Add(dev, "full", Full, ReadWriteAll);
            Add(dev, "random", Random, ReadWriteAll);
            Add(dev, "urandom", Urandom, ReadWriteAll);
            Add(dev, "tty", Tty, ReadWriteAll);
            Add(dev, "console", Console, OwnerReadWrite);
        }

        private static void Add(Inode dev, string name, uint device, uint permissions)
        {
            Inode node = new Inode(Inode.CharDevice | permissions, FileSystem.NextNumber());
            node.Device = device;
            FileSystem.AddNew(dev, name, node);
        }

        // What read() of `count` bytes gives from `device` (null, zero or full; the random
        // devices are read through RandomSyscalls): the count of zero bytes to hand over, 0 for
        // end of file.
        public static ulong ReadLength(uint device, ulong count) => device == Null ? 0 : count;

        // What write() of `count` bytes to `device` (null, zero, full, random or urandom) returns.
        public static long Write(uint device, ulong count) => device == Full ? -(long)Mm.Errno.ENOSPC : (long)count;
    }
}
