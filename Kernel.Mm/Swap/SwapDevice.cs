namespace Cowbird.Mm.Swap
{
    // One active swap area (Linux swap_info_struct): the block device, its validated
    // header and the SwapMap of its slots. Slot n is page n of the device; slot 0 is the
    // header page and is never read or written through here.
    public sealed class SwapDevice
    {
        public readonly int Type;
        public readonly BlockDevice Device;
        public readonly SwapHeader Header;
        public readonly SwapMap Map;

        SwapDevice(int type, BlockDevice device, SwapHeader header)
        {
            Type = type;
            Device = device;
            Header = header;
            Map = new SwapMap(header.SlotCount, header.BadPages);
        }

        // Linux swapon's read_swap_header: reads page 0 of `device` into `scratch`
        // (PageSize bytes) and validates it. On Valid, `opened` is the device as swap type
        // `type`; otherwise it is null and the status says why (ReadFailed for an I/O error).
        public static unsafe SwapHeaderStatus Open(int type, BlockDevice device, byte* scratch, out SwapDevice opened)
        {
            opened = null;
            if (device == null || type < 0 || type >= SwapEntry.MaxTypes)
                Mm.Panic("SwapDevice.Open: no device or type out of range");
            if (device.PageCount < 2)
                return SwapHeaderStatus.DeviceTooSmall;
            if (device.ReadPage(0, scratch) != 0)
                return SwapHeaderStatus.ReadFailed;
            SwapHeader header;
            SwapHeaderStatus status = SwapHeader.Parse(scratch, device.PageCount, out header);
            if (status == SwapHeaderStatus.Valid)
                opened = new SwapDevice(type, device, header);
            return status;
        }

        // Writes pages[0..count) to slots firstSlot .. firstSlot + count - 1 in one device
        // request. Every slot must be allocated (count > 0 or HasCache): writing a free slot
        // would be lost, so it is EINVAL like an unusable slot (nothing is written).
        // Returns 0 or the device's errno.
        public unsafe int WriteSlots(ulong firstSlot, byte** pages, uint count)
        {
            if (!AllAllocated(firstSlot, count))
                return -(int)Errno.EINVAL;
            return Device.WritePages(firstSlot, pages, count);
        }

        // Reads slots firstSlot .. firstSlot + count - 1 into pages[0..count) in one device
        // request. Every slot must be allocated. Returns 0 or the device's errno (EIO: the
        // caller must map none of the pages).
        public unsafe int ReadSlots(ulong firstSlot, byte** pages, uint count)
        {
            if (!AllAllocated(firstSlot, count))
                return -(int)Errno.EINVAL;
            return Device.ReadPages(firstSlot, pages, count);
        }

        // True when count > 0 and every slot of the run is usable and allocated.
        bool AllAllocated(ulong firstSlot, uint count)
        {
            if (count == 0)
                return false;
            for (ulong slot = firstSlot; slot < firstSlot + count; slot++)
                if (!Map.IsUsable(slot) || Map.IsFree(slot))
                    return false;
            return true;
        }
    }
}
