namespace Cowbird.Mm.Swap
{
    // All swap areas, indexed by the type number stored in swap entries (Linux's
    // swap_info[] array), plus the one swap cache they share and the swap counters.
    // Everything above the swap layer (reclaim, the fault handler, teardown) talks to
    // this class in terms of SwapEntry; the protocol is in SwapMap.cs, and SwapState.cs
    // does the frame side (swap cache membership, swap-in with read-ahead, freeing entries).
    // The kernel creates one at boot and hands it to the MM:
    //   var swap = new SwapSpace(frames.EndFrame);        // cache sized by frame numbers
    //   swap.SwapOn(ataSwapPartition, scratchPage, out type, out status);
    //   memoryManager.AttachSwap(swap);
    public sealed class SwapSpace
    {
        readonly SwapDevice[] devices = new SwapDevice[SwapEntry.MaxTypes];
        public readonly SwapCache Cache;

        public ulong PswpIn;     // pages read from swap (Linux vmstat pswpin)
        public ulong PswpOut;    // pages written to swap (Linux vmstat pswpout)
        // Device requests that read or wrote those pages, one per run of consecutive slots
        // (Cowbird's vmstat swap_read_commands / swap_write_commands): pages per command
        // above 1 shows the batching at work.
        public ulong ReadCommands;
        public ulong WriteCommands;

        // A swap space whose cache can hold one entry per frame of RAM.
        public SwapSpace(ulong frameCount)
        {
            Cache = new SwapCache(frameCount);
        }

        // Linux swapon: validates `device`'s header (read through `scratch`, PageSize
        // bytes) and activates it under the lowest free type number. Returns 0 with `type`
        // set; EINVAL with `status` saying what is wrong with the header (or for a null
        // device or buffer); EIO if page 0 could not be read; ENOSPC if all MaxTypes types
        // are in use.
        public unsafe int SwapOn(BlockDevice device, byte* scratch, out int type, out SwapHeaderStatus status)
        {
            type = -1;
            status = SwapHeaderStatus.Valid;
            if (device == null || scratch == null)
                return -(int)Errno.EINVAL;
            int freeType = 0;
            while (freeType < devices.Length && devices[freeType] != null)
                freeType++;
            if (freeType == devices.Length)
                return -(int)Errno.ENOSPC;
            SwapDevice opened;
            status = SwapDevice.Open(freeType, device, scratch, out opened);
            if (status == SwapHeaderStatus.ReadFailed)
                return -(int)Errno.EIO;
            if (status != SwapHeaderStatus.Valid)
                return -(int)Errno.EINVAL;
            devices[freeType] = opened;
            type = freeType;
            return 0;
        }

        // Linux swapoff, simplified: deactivates `type` if none of its slots is in use
        // (Cowbird does not page everything back in). ENODEV if not active, EBUSY if used.
        public int SwapOff(int type)
        {
            SwapDevice device = DeviceOf(type);
            if (device == null)
                return -(int)Errno.ENODEV;
            if (device.Map.FreeSlots != device.Map.TotalSlots)
                return -(int)Errno.EBUSY;
            devices[type] = null;
            return 0;
        }

        // The active device with type number `type`, or null.
        public SwapDevice DeviceOf(int type)
        {
            if (type < 0 || type >= devices.Length)
                return null;
            return devices[type];
        }

        // Slots that can hold pages, over all active devices (meminfo SwapTotal in pages).
        public ulong TotalSlots
        {
            get
            {
                ulong total = 0;
                for (int t = 0; t < devices.Length; t++)
                    if (devices[t] != null)
                        total += devices[t].Map.TotalSlots;
                return total;
            }
        }

        // Free slots over all active devices (meminfo SwapFree in pages).
        public ulong FreeSlots
        {
            get
            {
                ulong free = 0;
                for (int t = 0; t < devices.Length; t++)
                    if (devices[t] != null)
                        free += devices[t].Map.FreeSlots;
                return free;
            }
        }

        // Linux get_swap_page: a fresh entry on the lowest-numbered device with room,
        // marked HasCache with count 0 (next: SwapCache.Add, then Duplicate per PTE).
        // Returns 0 and the entry, or ENOSPC (entry invalid) when every device is full.
        public int AllocateEntry(out SwapEntry entry)
        {
            entry = new SwapEntry(0, 0);
            for (int t = 0; t < devices.Length; t++)
            {
                ulong slot;
                if (devices[t] != null && devices[t].Map.AllocateSlot(out slot) == 0)
                {
                    entry = new SwapEntry(t, slot);
                    return 0;
                }
            }
            return -(int)Errno.ENOSPC;
        }

        // AllocateEntry for page `index` of a group that wants consecutive slots (a
        // shared object, Eric Biederman, 1998): `preferred` itself when its device exists and its slot
        // is free (SwapMap.AllocateSlotAt); else slot index mod ClusterSize of a wholly free
        // cluster (SwapMap.AllocateSlotInFreeCluster), opening room for the group's other
        // pages; else any slot. An invalid `preferred` (slot 0) means no preference.
        public int AllocateGroupedEntry(SwapEntry preferred, ulong index, out SwapEntry entry)
        {
            if (preferred.IsValid && preferred.Type < devices.Length && devices[preferred.Type] != null
                && devices[preferred.Type].Map.AllocateSlotAt(preferred.Slot) == 0)
            {
                entry = preferred;
                return 0;
            }
            for (int t = 0; t < devices.Length; t++)
            {
                ulong slot;
                if (devices[t] != null && devices[t].Map.AllocateSlotInFreeCluster(index % SwapMap.ClusterSize, out slot) == 0)
                {
                    entry = new SwapEntry(t, slot);
                    return 0;
                }
            }
            return AllocateEntry(out entry);
        }

        // SwapMap.AllocateRange on the lowest-numbered device with a run of `n` free slots:
        // entries first .. first + n - 1 (same type, consecutive slots), each count 1.
        // Returns 0, EINVAL for n == 0, or ENOSPC (entry invalid).
        public int AllocateRange(ulong n, out SwapEntry first)
        {
            first = new SwapEntry(0, 0);
            if (n == 0)
                return -(int)Errno.EINVAL;
            for (int t = 0; t < devices.Length; t++)
            {
                ulong slot;
                if (devices[t] != null && devices[t].Map.AllocateRange(n, out slot) == 0)
                {
                    first = new SwapEntry(t, slot);
                    return 0;
                }
            }
            return -(int)Errno.ENOSPC;
        }

        // SwapMap.Duplicate for `entry`'s device; ENODEV/EINVAL for an entry naming no slot.
        public int Duplicate(SwapEntry entry)
        {
            SwapMap map = MapOf(entry);
            return map == null ? -(int)Errno.EINVAL : map.Duplicate(entry.Slot);
        }

        // SwapMap.Free for `entry`'s device (count--; frees the slot at count 0 without cache).
        public int Free(SwapEntry entry)
        {
            SwapMap map = MapOf(entry);
            return map == null ? -(int)Errno.EINVAL : map.Free(entry.Slot);
        }

        // SwapMap.PrepareCache for `entry`'s device (claim the right to read it in).
        public int PrepareCache(SwapEntry entry)
        {
            SwapMap map = MapOf(entry);
            return map == null ? -(int)Errno.EINVAL : map.PrepareCache(entry.Slot);
        }

        // SwapMap.ClearCache for `entry`'s device (the page left the swap cache).
        public int ClearCache(SwapEntry entry)
        {
            SwapMap map = MapOf(entry);
            return map == null ? -(int)Errno.EINVAL : map.ClearCache(entry.Slot);
        }

        // Use count of `entry` (0 if it names no usable slot).
        public uint Count(SwapEntry entry)
        {
            SwapMap map = MapOf(entry);
            return map == null ? 0 : map.Count(entry.Slot);
        }

        // HasCache flag of `entry` (false if it names no usable slot).
        public bool HasCache(SwapEntry entry)
        {
            SwapMap map = MapOf(entry);
            return map != null && map.HasCache(entry.Slot);
        }

        // Writes `page` (PageSize bytes) to `entry`'s slot: WritePages with a run of one.
        public unsafe int WritePage(SwapEntry entry, byte* page)
        {
            return WritePages(entry, &page, 1);
        }

        // Reads `entry`'s slot into `page` (PageSize bytes): ReadPages with a run of one.
        public unsafe int ReadPage(SwapEntry entry, byte* page)
        {
            return ReadPages(entry, &page, 1);
        }

        // Writes pages[0..count) to the run of slots starting at `first` (same device,
        // consecutive slots) in one device request; counts pswpout per page and one write
        // command on success. Returns 0, EINVAL for a run naming a slot that is not
        // allocated, or the device's errno.
        public unsafe int WritePages(SwapEntry first, byte** pages, uint count)
        {
            SwapDevice device = DeviceOf(first.Type);
            if (device == null)
                return -(int)Errno.EINVAL;
            int result = device.WriteSlots(first.Slot, pages, count);
            if (result == 0)
            {
                PswpOut += count;
                WriteCommands++;
            }
            return result;
        }

        // Reads the run of slots starting at `first` into pages[0..count) in one device
        // request; counts pswpin per page and one read command on success. Returns 0,
        // EINVAL for a run naming a slot that is not allocated, or the device's errno.
        public unsafe int ReadPages(SwapEntry first, byte** pages, uint count)
        {
            SwapDevice device = DeviceOf(first.Type);
            if (device == null)
                return -(int)Errno.EINVAL;
            int result = device.ReadSlots(first.Slot, pages, count);
            if (result == 0)
            {
                PswpIn += count;
                ReadCommands++;
            }
            return result;
        }

        // SwapReadAhead.Window on `entry`'s device: fills `slots` with slot numbers of
        // that device (the faulting one first). Returns their number or an errno.
        public int ReadAheadWindow(SwapEntry entry, uint window, ulong[] slots)
        {
            SwapMap map = MapOf(entry);
            return map == null ? -(int)Errno.EINVAL : SwapReadAhead.Window(map, entry.Slot, window, slots);
        }

        // The SwapMap of `entry`'s device, or null when the type is not active.
        SwapMap MapOf(SwapEntry entry)
        {
            SwapDevice device = DeviceOf(entry.Type);
            return device == null ? null : device.Map;
        }
    }
}
