using Cowbird.Mm;
using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Boot;
using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Memory;
using Cowbird.Kernel.Swap;
using Cowbird.Mm.Swap;

namespace Cowbird.Kernel.SelfTests
{
    // Swap on the disk boot discovery chose: the header read again through the driver
    // agrees with the active SwapDevice (slot count = last_page - bad pages, all free,
    // meminfo totals), then SlotCount pages go through the real swap path: slots from
    // the allocator (never a bad one), pattern written with SwapSpace.WritePage, read
    // back with ReadPage (pswpout/pswpin counted), slots released, free count restored;
    // then a run of RunPages consecutive slots, longer than one command of either driver
    // (32 pages on IDE, 120 on AHCI), written with one WritePages and read back with one
    // ReadPages into frames in another order, so each page must land in its own slot and
    // come back into its own frame.
    // The host test checks the image file at the logged slots ("ataswap: wrote slot N").
    public sealed unsafe class AtaSwapSelfTest : SelfTest
    {
        private const int SlotCount = 64;
        private const uint RunPages = 130;

        public override string Name => "ataswap";

        public override bool Run(BootInfo bootInfo)
        {
            SwapSpace space = KernelSwap.Space;
            if (!Check(space != null && KernelSwap.Device != null && KernelSwap.Disk != null, "boot found a swap disk"))
                return false;
            SwapDevice device = KernelSwap.Device;
            byte[] buffer = new byte[BlockDevice.PageSize];
            bool ok = true;
            fixed (byte* page = buffer)
            {
                ok &= Check(HeaderAgrees(device, page), "page 0 read again through the driver parses to the active header");
                ulong expectedSlots = device.Header.LastPage - DistinctCount(device.Header.BadPages);
                KernelConsole.Write("  ataswap: last_page ");
                KernelConsole.WriteDecimal(device.Header.LastPage);
                KernelConsole.Write(", bad pages ");
                KernelConsole.WriteDecimal((ulong)device.Header.BadPages.Length);
                KernelConsole.Write(", slots ");
                KernelConsole.WriteDecimal(space.TotalSlots);
                KernelConsole.Write('\n');
                ok &= Check(space.TotalSlots == expectedSlots, "slots = last_page - bad pages");
                ok &= Check(space.FreeSlots == space.TotalSlots, "every slot is free");
                ok &= Check(KernelSwap.TotalBytes == space.TotalSlots * BlockDevice.PageSize &&
                            KernelSwap.FreeBytes == KernelSwap.TotalBytes, "SwapTotal/SwapFree in bytes");
                ok &= Check(RoundTrip(space, device, page), "64 pages written to fresh slots and read back");
                ok &= Check(RunRoundTrip(space), "a run of 130 slots written and read back, one request each way");
                ok &= Check(space.FreeSlots == space.TotalSlots, "every slot is free again");
            }
            return ok;
        }

        // Reads page 0 again through the swap disk's driver and compares the parsed header.
        private static bool HeaderAgrees(SwapDevice device, byte* page)
        {
            DiskBlockDevice disk = KernelSwap.Disk;
            if (disk.ReadPage(0, page) != 0)
                return false;
            SwapHeaderStatus status = SwapHeader.Parse(page, disk.PageCount, out SwapHeader header);
            return status == SwapHeaderStatus.Valid && header.LastPage == device.Header.LastPage &&
                   header.BadPages.Length == device.Header.BadPages.Length;
        }

        // Allocates, writes, reads back and releases SlotCount swap slots.
        private static bool RoundTrip(SwapSpace space, SwapDevice device, byte* page)
        {
            SwapEntry[] entries = new SwapEntry[SlotCount];
            ulong pswpOut = space.PswpOut, pswpIn = space.PswpIn;
            bool ok = true;
            for (int i = 0; i < SlotCount; i++)
            {
                if (space.AllocateEntry(out entries[i]) != 0 || IsBad(device, entries[i].Slot))
                    return false;
                AtaIoSelfTest.FillPattern(page, entries[i].Slot);
                ok &= space.WritePage(entries[i], page) == 0;
                KernelConsole.Write("  ataswap: wrote slot ");
                KernelConsole.WriteDecimal(entries[i].Slot);
                KernelConsole.Write('\n');
            }
            for (int i = 0; i < SlotCount; i++)
            {
                for (int b = 0; b < BlockDevice.PageSize; b++)
                    page[b] = 0;
                ok &= space.ReadPage(entries[i], page) == 0 && AtaIoSelfTest.HasPattern(page, entries[i].Slot);
            }
            ok &= space.PswpOut == pswpOut + SlotCount && space.PswpIn == pswpIn + SlotCount;
            for (int i = 0; i < SlotCount; i++)
                ok &= space.ClearCache(entries[i]) == 0;
            // A released slot is free: reading it through swap is refused.
            ok &= space.ReadPage(entries[0], page) == -(int)Errno.EINVAL;
            return ok;
        }

        // Writes RunPages consecutive fresh slots from RunPages frames in one request, reads
        // them back in one request with the frames rotated by 7, checks each page, and
        // releases slots and frames.
        private static bool RunRoundTrip(SwapSpace space)
        {
            ulong* frames = stackalloc ulong[(int)RunPages];
            byte** pages = stackalloc byte*[(int)RunPages];
            if (space.AllocateRange(RunPages, out SwapEntry first) != 0)
                return false;
            uint allocated = 0;
            while (allocated < RunPages && (frames[allocated] = KernelMemory.AllocateKernelFrame(mayReclaim: false)) != 0)
                allocated++;
            bool ok = allocated == RunPages;
            if (ok)
            {
                for (uint i = 0; i < RunPages; i++)
                {
                    pages[i] = KernelLayout.PhysicalToVirtual(frames[i] << Page.Shift);
                    AtaIoSelfTest.FillPattern(pages[i], first.Slot + i);
                }
                ok &= space.WritePages(first, pages, RunPages) == 0;
                for (uint i = 0; i < RunPages; i++)
                {
                    pages[i] = KernelLayout.PhysicalToVirtual(frames[(i + 7) % RunPages] << Page.Shift);
                    for (int b = 0; b < BlockDevice.PageSize; b++)
                        pages[i][b] = 0;
                }
                ok &= space.ReadPages(first, pages, RunPages) == 0;
                for (uint i = 0; i < RunPages; i++)
                    ok &= AtaIoSelfTest.HasPattern(pages[i], first.Slot + i);
            }
            for (uint i = 0; i < allocated; i++)
                KernelMemory.FreeKernelFrame(frames[i]);
            for (uint i = 0; i < RunPages; i++)
                ok &= space.Free(new SwapEntry(first.Type, first.Slot + i)) == 0;
            return ok;
        }

        private static bool IsBad(SwapDevice device, ulong slot)
        {
            uint[] bad = device.Header.BadPages;
            for (int i = 0; i < bad.Length; i++)
                if (bad[i] == slot)
                    return true;
            return false;
        }

        private static ulong DistinctCount(uint[] values)
        {
            ulong distinct = 0;
            for (int i = 0; i < values.Length; i++)
            {
                bool seen = false;
                for (int j = 0; j < i && !seen; j++)
                    seen = values[j] == values[i];
                if (!seen)
                    distinct++;
            }
            return distinct;
        }
    }
}
