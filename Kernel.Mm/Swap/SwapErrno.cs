namespace Cowbird.Mm.Swap
{
    // Linux errno values the swap subsystem returns, as negative ints (0 = success).
    // Kept local to Swap/ so this folder builds on its own; the values are Linux's,
    // so they map one-to-one onto the kernel-wide Errno when the pieces are joined.
    public static class SwapErrno
    {
        public const int Ok = 0;
        public const int ENOENT = -2;    // slot not in use / entry not cached
        public const int EIO = -5;       // the block device failed
        public const int ENOMEM = -12;   // a fixed-size table (swap cache, use count) is full
        public const int EBUSY = -16;    // swapoff of a device that still holds pages
        public const int EEXIST = -17;   // already cached (someone else is reading the slot)
        public const int ENODEV = -19;   // no swap device with that type
        public const int EINVAL = -22;   // bad argument: slot out of range, bad header, ...
        public const int ENOSPC = -28;   // no free swap slot
    }
}
