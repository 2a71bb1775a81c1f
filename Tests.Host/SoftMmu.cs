using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Platform;
using Cowbird.Mm.Vm;

namespace Cowbird.Tests.Host
{
    // Kind of user access the SoftMmu performs.
    public enum AccessKind { Read, Write, Fetch }

    // Thrown when a user access ends in SIGSEGV or out-of-memory instead of succeeding.
    public sealed class UserFaultException : System.Exception
    {
        public readonly FaultResult Result;
        public readonly ulong Address;

        public UserFaultException(FaultResult result, ulong address)
            : base(result + " at 0x" + address.ToString("x"))
        {
            Result = result;
            Address = address;
        }
    }

    // A software model of the x86-64 MMU for user-mode accesses, walking the real page
    // tables the MM wrote into host RAM, as the CPU does:
    //   - 4-level walk; Present, Writable and User must be set at every level, NoExecute
    //     at any level forbids fetches (EFER.NXE on);
    //   - sets Accessed in every entry it walks and Dirty in the leaf on a write;
    //   - caches translations in a TLB that is only refreshed by a walk, dropped only by
    //     the MM's InvalidatePage/FlushAll (through the Tlb seam) or by a fault at that
    //     address. One TLB per PML4, as with PCIDs: switching address spaces flushes
    //     nothing, so a missed invalidation in any address space stays visible;
    //   - on a fault, builds the x86 error code (P, W, U, I), calls
    //     FaultHandler.Handle and retries, like the #PF handler returning with iret.
    public sealed unsafe class SoftMmu
    {
        // What one TLB entry caches: the frame and the permissions of the walk.
        struct TlbEntry
        {
            public ulong Frame;
            public bool Writable;
            public bool NoExecute;
            public bool Dirty;
        }

        // The seams the MemoryManager is built with.
        public readonly Tlb Tlb;
        public readonly AddressSpaceSwitcher Switcher;

        readonly PhysicalMemory ram;
        readonly Dictionary<(ulong Root, ulong Page), TlbEntry> tlb = new Dictionary<(ulong, ulong), TlbEntry>();
        ulong cr3;
        AddressSpace current;

        public ulong Invalidations { get; private set; }
        public ulong Walks { get; private set; }
        // Error codes of every fault raised, in order (tests read the bits).
        public readonly List<ulong> FaultErrorCodes = new List<ulong>();

        public SoftMmu(PhysicalMemory physicalMemory)
        {
            ram = physicalMemory;
            Tlb = new SoftTlb(this);
            Switcher = new SoftSwitcher(this);
        }

        public ulong Cr3 { get { return cr3; } }
        public int TlbEntryCount { get { return tlb.Count; } }

        // Runs subsequent accesses in `space` (loads its PML4 through the MM's switch seam).
        public void Enter(AddressSpace space)
        {
            current = space;
            space.Activate();
            if (cr3 != space.PageTable.Root)
                throw new System.InvalidOperationException("Activate did not load the address space's PML4");
        }

        public byte ReadByte(ulong address) { return *Access(address, AccessKind.Read); }
        public void WriteByte(ulong address, byte value) { *Access(address, AccessKind.Write) = value; }
        public byte FetchByte(ulong address) { return *Access(address, AccessKind.Fetch); }

        // 8-byte accesses must not cross a page (tests keep them aligned).
        public ulong ReadU64(ulong address) { return *(ulong*)Access(CheckAligned(address), AccessKind.Read); }
        public void WriteU64(ulong address, ulong value) { *(ulong*)Access(CheckAligned(address), AccessKind.Write) = value; }

        // Performs the translation for one access, faulting as needed; the outcome
        // (Handled = the access went through) instead of an exception.
        public FaultResult TryAccess(ulong address, AccessKind kind)
        {
            ulong physical;
            return Translate(address, kind, out physical);
        }

        // Host pointer to the byte `address` translates to for `kind`; throws
        // UserFaultException when the MM refuses the access.
        public byte* Access(ulong address, AccessKind kind)
        {
            ulong physical;
            FaultResult result = Translate(address, kind, out physical);
            if (result != FaultResult.Handled)
                throw new UserFaultException(result, address);
            return ram.Pointer(physical, 1);
        }

        // Every cached translation that is MORE permissive than (or maps another frame
        // than) the page tables now say: each is a missed TLB invalidation. A less
        // permissive stale entry is allowed: it only causes a spurious fault.
        public List<string> StaleEntries()
        {
            var stale = new List<string>();
            foreach (var pair in tlb)
            {
                ulong virtualAddress = pair.Key.Page << Page.Shift;
                ulong frame;
                bool writable, noExecute, user;
                bool present = WalkWithoutSideEffects(pair.Key.Root, virtualAddress, out frame, out writable, out noExecute, out user);
                TlbEntry entry = pair.Value;
                if (!present || !user || frame != entry.Frame || (entry.Writable && !writable) || (!entry.NoExecute && noExecute))
                    stale.Add("stale TLB entry: root 0x" + pair.Key.Root.ToString("x") + " va 0x" + virtualAddress.ToString("x"));
            }
            return stale;
        }

        static ulong CheckAligned(ulong address)
        {
            if ((address & 7) != 0)
                throw new System.ArgumentException("8-byte accesses must be 8-byte aligned");
            return address;
        }

        // TLB lookup, then page walk, then fault handling with retries.
        FaultResult Translate(ulong address, AccessKind kind, out ulong physical)
        {
            if (current == null)
                throw new System.InvalidOperationException("SoftMmu: no address space entered");
            if (address >= PageTable.UserEnd)
                throw new System.ArgumentException("SoftMmu models user accesses below the canonical hole only");
            for (int attempt = 0; attempt < 4; attempt++)
            {
                ulong errorCode;
                if (TryTranslate(address, kind, out physical, out errorCode))
                    return FaultResult.Handled;
                FaultErrorCodes.Add(errorCode);
                FaultResult result = FaultHandler.Handle(current, address, errorCode);
                if (result != FaultResult.Handled)
                    return result;
            }
            throw new System.InvalidOperationException("SoftMmu: fault handler reported Handled but the access still faults");
        }

        // One translation attempt: TLB hit, or a walk that fills the TLB. False with the
        // x86 error code when the access faults.
        bool TryTranslate(ulong address, AccessKind kind, out ulong physical, out ulong errorCode)
        {
            physical = 0;
            var key = (cr3, address >> Page.Shift);
            TlbEntry entry;
            if (tlb.TryGetValue(key, out entry))
            {
                if (Permits(entry, kind))
                {
                    // A write through a clean entry makes the CPU walk again to set Dirty.
                    if (kind != AccessKind.Write || entry.Dirty)
                    {
                        physical = (entry.Frame << Page.Shift) | (address & Page.OffsetMask);
                        errorCode = 0;
                        return true;
                    }
                }
                else
                {
                    // The CPU may fault straight from the TLB; the fault drops the entry.
                    tlb.Remove(key);
                    errorCode = ErrorCodeFor(kind) | FaultErrorCode.Present;
                    return false;
                }
            }
            return Walk(address, kind, out physical, out errorCode);
        }

        // The page walk from CR3, setting Accessed/Dirty bits and caching the result.
        bool Walk(ulong address, AccessKind kind, out ulong physical, out ulong errorCode)
        {
            Walks++;
            physical = 0;
            var entryAddresses = new ulong[PageTable.Levels];
            ulong table = cr3;
            bool writable = true, user = true, noExecute = false;
            Pte entry = Pte.NoneEntry;
            for (int level = PageTable.Levels - 1; level >= 0; level--)
            {
                ulong entryAddress = table + (ulong)PageTable.IndexAt(address, level) * 8;
                entry = new Pte(ram.ReadU64(entryAddress));
                if (!entry.IsPresent)
                {
                    tlb.Remove((cr3, address >> Page.Shift));
                    errorCode = ErrorCodeFor(kind);
                    return false;
                }
                if (level > 0 && (entry.Raw & Pte.PageSize) != 0)
                    throw new System.InvalidOperationException("SoftMmu: large pages are not used in the user half");
                entryAddresses[PageTable.Levels - 1 - level] = entryAddress;
                writable &= entry.IsWritable;
                user &= entry.IsUser;
                noExecute |= entry.IsNoExecute;
                table = Page.FrameToAddress(entry.Frame);
            }
            var walked = new TlbEntry { Frame = entry.Frame, Writable = writable, NoExecute = noExecute };
            if (!user || !Permits(walked, kind))
            {
                tlb.Remove((cr3, address >> Page.Shift));
                errorCode = ErrorCodeFor(kind) | FaultErrorCode.Present;
                return false;
            }
            foreach (ulong entryAddress in entryAddresses)
                ram.WriteU64(entryAddress, ram.ReadU64(entryAddress) | Pte.Accessed);
            ulong leafAddress = entryAddresses[PageTable.Levels - 1];
            if (kind == AccessKind.Write)
                ram.WriteU64(leafAddress, ram.ReadU64(leafAddress) | Pte.Dirty);
            walked.Dirty = new Pte(ram.ReadU64(leafAddress)).IsDirty;
            tlb[(cr3, address >> Page.Shift)] = walked;
            physical = (entry.Frame << Page.Shift) | (address & Page.OffsetMask);
            errorCode = 0;
            return true;
        }

        // Reads the translation of `virtualAddress` under `root` without touching A/D bits.
        bool WalkWithoutSideEffects(ulong root, ulong virtualAddress, out ulong frame, out bool writable, out bool noExecute, out bool user)
        {
            ulong table = root;
            writable = true; user = true; noExecute = false; frame = 0;
            for (int level = PageTable.Levels - 1; level >= 0; level--)
            {
                var entry = new Pte(ram.ReadU64(table + (ulong)PageTable.IndexAt(virtualAddress, level) * 8));
                if (!entry.IsPresent)
                    return false;
                writable &= entry.IsWritable;
                user &= entry.IsUser;
                noExecute |= entry.IsNoExecute;
                table = Page.FrameToAddress(entry.Frame);
                frame = entry.Frame;
            }
            return true;
        }

        static bool Permits(TlbEntry entry, AccessKind kind)
        {
            if (kind == AccessKind.Write) return entry.Writable;
            if (kind == AccessKind.Fetch) return !entry.NoExecute;
            return true;
        }

        static ulong ErrorCodeFor(AccessKind kind)
        {
            ulong code = FaultErrorCode.User;
            if (kind == AccessKind.Write) code |= FaultErrorCode.Write;
            if (kind == AccessKind.Fetch) code |= FaultErrorCode.InstructionFetch;
            return code;
        }

        void InvalidatePage(ulong root, ulong virtualAddress)
        {
            Invalidations++;
            tlb.Remove((root, virtualAddress >> Page.Shift));
        }

        void FlushAll(ulong root)
        {
            Invalidations++;
            var doomed = new List<(ulong, ulong)>();
            foreach (var key in tlb.Keys)
                if (key.Root == root)
                    doomed.Add(key);
            foreach (var key in doomed)
                tlb.Remove(key);
        }

        // The Tlb seam, answered by this MMU.
        sealed class SoftTlb : Tlb
        {
            readonly SoftMmu mmu;
            public SoftTlb(SoftMmu owner) { mmu = owner; }
            public override void InvalidatePage(ulong pml4, ulong virtualAddress) { mmu.InvalidatePage(pml4, virtualAddress); }
            public override void FlushAll(ulong pml4) { mmu.FlushAll(pml4); }
        }

        // The address-space switch seam: loads "CR3".
        sealed class SoftSwitcher : AddressSpaceSwitcher
        {
            readonly SoftMmu mmu;
            public SoftSwitcher(SoftMmu owner) { mmu = owner; }
            public override void SwitchTo(ulong pml4) { mmu.cr3 = pml4; }
        }
    }
}
