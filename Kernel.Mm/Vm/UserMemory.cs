using Cowbird.Mm.Paging;
using Cowbird.Mm.Platform;

namespace Cowbird.Mm.Vm
{
    // The one way kernel code reads or writes a process's memory (Linux: copy_to_user /
    // copy_from_user / get_user_pages). It never dereferences a user address: it finds
    // the frame in the page table, faulting it in first through FaultHandler exactly as a
    // user access would, and copies through the PhysicalMemory seam (the direct map).
    //
    // Rule (Dirty COW, CVE-2016-5195): a kernel write must break copy-on-write before it
    // writes, and must never write into a frame that is still shared. So a write first
    // requires a present *writable* PTE, raising a write fault when there is none; a
    // read-only VMA therefore gives EFAULT, never a write into the shared page.
    public static unsafe class UserMemory
    {
        // Faults one access may take: swap-in, then copy-on-write (which pins the page it
        // copies, so reclaim cannot undo the swap-in meanwhile), with room for retries
        // (Linux's fault path also just returns and lets the access fault again).
        const int MaxFaultsPerPage = 8;

        // Copies `length` bytes from kernel memory at `source` to `userAddress` in `space`.
        // Errno.None, EFAULT (unmapped or not writable), ENOMEM (no frame for a fault and
        // the MemoryManager's OutOfMemoryHandler could not free one), or
        // EIO (a swapped-out page could not be read back; a user access would get SIGBUS).
        public static Errno CopyToUser(AddressSpace space, ulong userAddress, byte* source, ulong length)
        {
            return Copy(space, userAddress, source, length, true);
        }

        // Copies `length` bytes from `userAddress` in `space` to kernel memory at
        // `destination`. Errno.None, EFAULT (unmapped or PROT_NONE), ENOMEM, or EIO.
        public static Errno CopyFromUser(AddressSpace space, byte* destination, ulong userAddress, ulong length)
        {
            return Copy(space, userAddress, destination, length, false);
        }

        // Faults the page holding `userAddress` in as a user read (or write, breaking
        // copy-on-write) would (Linux: faultin_page, for MADV_POPULATE_*). Errno.None,
        // EFAULT, ENOMEM or EIO, as for a copy.
        public static Errno FaultIn(AddressSpace space, ulong userAddress, bool write)
        {
            if (userAddress >= PageTable.UserEnd)
                return Errno.EFAULT;
            ulong physical;
            return MakeAccessible(space, userAddress, write, out physical);
        }

        // Page by page: make the page accessible, then copy the part of it in range.
        static Errno Copy(AddressSpace space, ulong userAddress, byte* kernelBuffer, ulong length, bool toUser)
        {
            if (userAddress + length < userAddress || userAddress + length > PageTable.UserEnd)
                return Errno.EFAULT;
            ulong done = 0;
            while (done < length)
            {
                ulong address = userAddress + done;
                ulong chunk = Page.Size - (address & Page.OffsetMask);
                if (chunk > length - done)
                    chunk = length - done;
                ulong physical;
                Errno error = MakeAccessible(space, address, toUser, out physical);
                if (error != Errno.None)
                    return error;
                byte* user = space.Manager.Physical.Pointer(physical, chunk);
                for (ulong i = 0; i < chunk; i++)
                {
                    if (toUser)
                        user[i] = kernelBuffer[done + i];
                    else
                        kernelBuffer[done + i] = user[i];
                }
                done += chunk;
            }
            return Errno.None;
        }

        // Resolves `address` to a physical address the kernel may read (or write, when
        // `write`), faulting the page in (demand-zero, swap-in, or breaking COW) first when
        // its PTE does not allow it. A write under a shared last-level table faults too, as
        // the CPU would through its read-only PD entry, so the table is unshared first.
        static Errno MakeAccessible(AddressSpace space, ulong address, bool write, out ulong physical)
        {
            physical = 0;
            Pte pte = space.PageTable.Lookup(Page.AlignDown(address));
            // Like the CPU, retry until the PTE allows the access: a write to a swapped
            // page takes two faults (swap-in maps it read-only while others share it,
            // then copy-on-write). Memory so tight that reclaim takes the page back
            // between every fault and the next look is the user's doing, not a kernel
            // bug: after MaxFaultsPerPage such faults the copy fails with ENOMEM. A fault
            // that found no memory at all goes to the OutOfMemoryHandler, as a user
            // access would go to the OOM killer, and is retried without counting.
            int faults = 0;
            while (!Allows(pte, write) || (write && space.PageTable.IsSharedAt(address)))
            {
                if (faults == MaxFaultsPerPage)
                    return Errno.ENOMEM;
                ulong errorCode = write ? FaultErrorCode.Write : 0;
                if (pte.IsPresent)
                    errorCode |= FaultErrorCode.Present;
                FaultResult result = FaultHandler.Handle(space, address, errorCode);
                if (result == FaultResult.OutOfMemory)
                {
                    OutOfMemoryHandler oom = space.Manager.OutOfMemory;
                    if (oom == null || !oom.FreeMemory())
                        return Errno.ENOMEM;
                }
                else if (result == FaultResult.SigBus)
                    return Errno.EIO;
                else if (result != FaultResult.Handled)
                    return Errno.EFAULT;
                else
                    faults++;
                pte = space.PageTable.Lookup(Page.AlignDown(address));
            }
            physical = Page.FrameToAddress(pte.Frame) | (address & Page.OffsetMask);
            return Errno.None;
        }

        // True when a present user PTE permits the access.
        static bool Allows(Pte pte, bool write)
        {
            return pte.IsPresent && pte.IsUser && (!write || pte.IsWritable);
        }
    }
}
