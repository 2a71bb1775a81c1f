using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Drivers.Ahci;
using Cowbird.Mm;
using Cowbird.Mm.Swap;

namespace Cowbird.Kernel.Swap
{
    // Swap discovery at boot (Linux: what `swapon` in an init script would do).
    // The kernel probes the AHCI (SATA) disks, then the IDE disks, and swaps to the
    // first one whose page 0 is a valid Linux swap header written by mkswap; every
    // other disk is listed and left alone. Both drivers are used through one interface,
    // DiskBlockDevice. The chosen swap space is attached to the memory manager
    // (MemoryManager.AttachSwap), so from then on every user-page allocation below the
    // low watermark reclaims: LRU pages are unmapped through the rmap and written to this
    // disk (synchronously, with interrupts off: AhciPort, AtaChannel). With no such disk there is
    // no swap (Space stays null): reclaim can then free nothing, and memory exhaustion
    // kills a process instead (OomKiller).
    //
    // What the rest of the kernel uses:
    //   KernelSwap.Space   the SwapSpace (swap_info[] + swap cache + pswpin/pswpout), or null
    //   KernelSwap.Device  the active SwapDevice (type Space's first), or null
    //   KernelSwap.TotalBytes / FreeBytes   /proc/meminfo SwapTotal / SwapFree (0 without swap)
    public static unsafe class KernelSwap
    {
        // A swap area may have at most this many slots per frame of RAM. Each slot costs
        // 4 bytes of SwapMap in the kernel heap, so the map stays under 1/64 of RAM;
        // a larger area is refused with a clear line instead of exhausting the heap.
        public const ulong MaxSlotsPerFrame = 16;

        private static SwapSpace s_space;
        private static SwapDevice s_device;
        private static DiskBlockDevice s_disk;
        private static bool s_initialized;

        public static SwapSpace Space => s_space;

        public static SwapDevice Device => s_device;

        // The disk swap is on, or null.
        public static DiskBlockDevice Disk => s_disk;

        // True when swap is on the IDE disk `disk` (self-tests leave that one alone).
        public static bool IsSwapDisk(AtaDisk disk)
        {
            var ata = s_disk as AtaBlockDevice;
            return ata != null && ata.Disk == disk;
        }

        // meminfo SwapTotal in bytes: the slots that can hold pages.
        public static ulong TotalBytes => s_space == null ? 0 : s_space.TotalSlots * BlockDevice.PageSize;

        // meminfo SwapFree in bytes.
        public static ulong FreeBytes => s_space == null ? 0 : s_space.FreeSlots * BlockDevice.PageSize;

        // Probes the AHCI and ATA disks, turns swap on for the first one with a valid header and
        // attaches it to `manager`. The frame allocator's usable frames size the swap cache
        // and bound the slot map. Logs one "swap:" line per disk, and "swap: none" when no
        // disk carries a header. Call once, at boot, after the MemoryManager exists.
        public static void Initialize(MemoryManager manager)
        {
            if (s_initialized || manager == null)
                Panic.Halt("KernelSwap.Initialize: called twice, or before the memory manager");
            s_initialized = true;
            ulong frameCount = manager.Frames.TotalFrames;
            DiskBlockDevice[] disks = Candidates();
            byte[] scratch = new byte[BlockDevice.PageSize];
            fixed (byte* page = scratch)
            {
                for (int i = 0; i < disks.Length; i++)
                {
                    if (s_space != null)
                        LogIgnored(disks[i], "swap is already on another disk");
                    else
                        TrySwapOn(disks[i], frameCount, page);
                }
            }
            if (s_space == null)
                KernelConsole.WriteLine("swap: none");
            else
                manager.AttachSwap(s_space);
        }

        // Every disk the drivers found, AHCI ports first, then IDE positions.
        private static DiskBlockDevice[] Candidates()
        {
            AhciDisk[] sata = AhciController.Probe();
            AtaDisk[] ide = AtaBus.Probe();
            DiskBlockDevice[] disks = new DiskBlockDevice[sata.Length + ide.Length];
            for (int i = 0; i < sata.Length; i++)
                disks[i] = new AhciBlockDevice(sata[i]);
            for (int i = 0; i < ide.Length; i++)
                disks[sata.Length + i] = new AtaBlockDevice(ide[i], flushWrites: false);
            return disks;
        }

        // Validates `disk`'s header and, when it is valid, makes it the swap device.
        private static void TrySwapOn(DiskBlockDevice disk, ulong frameCount, byte* scratch)
        {
            SwapHeaderStatus status = ReadHeader(disk, scratch, out SwapHeader header);
            if (status != SwapHeaderStatus.Valid)
            {
                LogRefused(disk, status);
                return;
            }
            if (header.SlotCount > MaxSlotsPerFrame * frameCount)
            {
                LogTooLarge(disk, header.SlotCount, frameCount);
                return;
            }
            var space = new SwapSpace(frameCount);
            int result = space.SwapOn(disk, scratch, out int type, out status);
            if (result != 0)
            {
                LogRefused(disk, status);
                return;
            }
            s_space = space;
            s_device = space.DeviceOf(type);
            s_disk = disk;
            LogActive(disk, s_device, type);
        }

        // Reads page 0 of `device` and parses it (no SwapSpace needed yet).
        private static SwapHeaderStatus ReadHeader(BlockDevice device, byte* scratch, out SwapHeader header)
        {
            header = null;
            if (device.PageCount < 2)
                return SwapHeaderStatus.DeviceTooSmall;
            if (device.ReadPage(0, scratch) != 0)
                return SwapHeaderStatus.ReadFailed;
            return SwapHeader.Parse(scratch, device.PageCount, out header);
        }

        // "swap: on primary master "QEMU HARDDISK": 64 MiB area, 16383 slots (63 MiB), 0 bad pages, type 0"
        private static void LogActive(DiskBlockDevice disk, SwapDevice device, int type)
        {
            WriteDisk(disk);
            KernelConsole.Write(": swap on, ");
            KernelConsole.WriteDecimal(device.Header.SlotCount * BlockDevice.PageSize >> 20);
            KernelConsole.Write(" MiB area, ");
            KernelConsole.WriteDecimal(device.Map.TotalSlots);
            KernelConsole.Write(" slots (");
            KernelConsole.WriteDecimal(device.Map.TotalSlots * BlockDevice.PageSize >> 20);
            KernelConsole.Write(" MiB), ");
            KernelConsole.WriteDecimal((ulong)device.Header.BadPages.Length);
            KernelConsole.Write(" bad pages, type ");
            KernelConsole.WriteDecimal((ulong)type);
            KernelConsole.Write('\n');
        }

        // "swap: primary slave "QEMU HARDDISK": no swap header (...), ignored"
        private static void LogRefused(DiskBlockDevice disk, SwapHeaderStatus status)
        {
            WriteDisk(disk);
            if (status == SwapHeaderStatus.NoMagic)
                KernelConsole.Write(": no swap header (");
            else if (status == SwapHeaderStatus.ReadFailed)
                KernelConsole.Write(": swap header unreadable (");
            else
                KernelConsole.Write(": invalid swap header (");
            KernelConsole.Write(SwapHeaderStatusText.Name(status));
            KernelConsole.Write(": ");
            KernelConsole.Write(SwapHeaderStatusText.Reason(status));
            KernelConsole.WriteLine("), ignored");
        }

        // "swap: ... swap area too large (4194304 slots, at most 16 per frame of RAM = 262144), ignored"
        private static void LogTooLarge(DiskBlockDevice disk, ulong slots, ulong frameCount)
        {
            WriteDisk(disk);
            KernelConsole.Write(": swap area too large for this machine (");
            KernelConsole.WriteDecimal(slots);
            KernelConsole.Write(" slots, at most 16 per frame of RAM = ");
            KernelConsole.WriteDecimal(MaxSlotsPerFrame * frameCount);
            KernelConsole.WriteLine("), ignored");
        }

        private static void LogIgnored(DiskBlockDevice disk, string why)
        {
            WriteDisk(disk);
            KernelConsole.Write(": ");
            KernelConsole.Write(why);
            KernelConsole.WriteLine(", ignored");
        }

        private static void WriteDisk(DiskBlockDevice disk)
        {
            KernelConsole.Write("swap: ");
            disk.WriteName();
        }
    }
}
