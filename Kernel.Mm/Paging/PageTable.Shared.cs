using Cowbird.Mm.Physical;

namespace Cowbird.Mm.Paging
{
    // Last-level tables shared copy-on-write between address spaces (On-demand-fork,
    // Zhao et al., EuroSys 2021): fork gives the child the parent's last-level tables (the
    // 512 leaf entries covering 2 MiB) instead of copying them. Both PD entries name the
    // same table frame with Writable clear, so the CPU faults on any write through either
    // space, and the table frame's RefCount counts the PD entries naming it (its sharers).
    // AddressSpace.SharedTables.cs decides when to share and how to unshare; this file
    // keeps the entries.
    //
    // Rules:
    //   - A PD entry without Writable (SharedTableFlags) names a shared table. A table with
    //     RefCount > 1 is named only by such entries. RefCount 1 under such an entry means
    //     the other sharers are gone: the next change takes the table over (TakeOver
    //     makes the entry writable again), nothing is copied.
    //   - A leaf entry of a shared table stands for every sharer: it holds one MapCount and
    //     one RefCount of its frame (or one count of its swap slot), however many spaces
    //     share the table. The number of address spaces mapping a page is the sum, over the
    //     entries holding it, of their table's RefCount (Sharers).
    //   - Nothing rewrites a leaf of a table with RefCount > 1 (Replace panics) but
    //     reclaim, which changes the entry for all sharers at once (WriteShared, then the
    //     caller invalidates every sharer's TLB entry), and the table's copy-on-write,
    //     which write-protects its private writable pages (WriteShared: every sharer
    //     reaches them through a read-only PD entry, so no TLB entry allows a write).
    public sealed partial class PageTable
    {
        // A PD entry naming a shared last-level table: TableFlags without Writable.
        public const ulong SharedTableFlags = Pte.Present | Pte.User;
        // Bytes one last-level table maps (2 MiB), and the "no table" answer of NextTable.
        public const ulong TableSpan = 1UL << (Page.Shift + 9);
        public const ulong NoTable = ulong.MaxValue;

        // Physical address of the PD entry covering `virtualAddress`, or 0 when the PDPT
        // or PD on the way is missing.
        public ulong FindTableEntry(ulong virtualAddress)
        {
            return Descend(virtualAddress, 1, false);
        }

        // The leaf entry for `virtualAddress` below the PD entry at `entryAddress` (from
        // FindTableEntry): EnsurePte without its walk when the last-level table is there,
        // and EnsurePte itself when it is not. 0 only when out of frames.
        public ulong EnsurePteBelow(ulong entryAddress, ulong virtualAddress)
        {
            if (entryAddress == 0)
                return EnsurePte(virtualAddress);
            Pte entry = Read(entryAddress);
            if (!entry.IsPresent)
                return EnsurePte(virtualAddress);
            return Page.FrameToAddress(entry.Frame) + (ulong)IndexAt(virtualAddress, 0) * 8;
        }

        // True when the last-level table covering `virtualAddress` is shared (its PD entry
        // is read-only), whether or not its other sharers are still there.
        public bool IsSharedAt(ulong virtualAddress)
        {
            ulong entryAddress = FindTableEntry(virtualAddress);
            return entryAddress != 0 && NamesSharedTable(entryAddress);
        }

        // True when the PD entry at `entryAddress` (from FindTableEntry) names a shared
        // last-level table: IsSharedAt without a second walk.
        public bool NamesSharedTable(ulong entryAddress)
        {
            return IsSharedEntry(1, Read(entryAddress));
        }

        // Sharers of the last-level table whose leaf entry is at `pteAddress`: the number
        // of address spaces that entry maps its page for.
        public int Sharers(ulong pteAddress)
        {
            return mm.Frames.Frame(Page.AddressToFrame(pteAddress)).RefCount;
        }

        // Base address of the first last-level table at or after the one covering `start`
        // and below `end` (only shared ones when `sharedOnly`), or NoTable. Missing upper
        // tables are skipped in one step.
        public ulong NextTable(ulong start, ulong end, bool sharedOnly)
        {
            if (start >= end)
                return NoTable;
            return FindTable(Root, Levels - 1, 0, start, end, sharedOnly);
        }

        // Fork: makes the last-level table covering `virtualAddress` (which must exist here)
        // shared with `child`, whose PD entry there must be empty. Both entries become
        // read-only; the caller flushes this space's TLB afterwards (its cached
        // translations may still allow writes). ENOMEM when the child's upper tables
        // cannot be allocated.
        public Errno ShareInto(PageTable child, ulong virtualAddress)
        {
            ulong childEntry = child.Descend(virtualAddress, 1, true);
            if (childEntry == 0)
                return Errno.ENOMEM;
            ulong entryAddress = FindTableEntry(virtualAddress);
            Pte entry = Read(entryAddress);
            Pte shared = Pte.Map(entry.Frame, SharedTableFlags);
            mm.Physical.WriteU64(entryAddress, shared.Raw);
            mm.Physical.WriteU64(childEntry, shared.Raw);
            mm.Frames.Get(entry.Frame);
            child.TablePages++;
            return Errno.None;
        }

        // The table named by the shared PD entry at `entryAddress` has no other sharer
        // left: this space owns it again and may write through it.
        public void TakeOver(ulong entryAddress)
        {
            Pte entry = Read(entryAddress);
            if (mm.Frames.Frame(entry.Frame).RefCount != 1)
                Mm.Panic("PageTable.TakeOver: the table still has other sharers");
            mm.Physical.WriteU64(entryAddress, Pte.Map(entry.Frame, Pte.TableFlags).Raw);
        }

        // Points the shared PD entry at `entryAddress` to `copy` (a private copy of its
        // table, from AllocTablePage) and drops this space's share of the old table.
        public void ReplaceSharedTable(ulong entryAddress, ulong copy)
        {
            Pte entry = Read(entryAddress);
            mm.Physical.WriteU64(entryAddress, Pte.Map(Page.AddressToFrame(copy), Pte.TableFlags).Raw);
            mm.Frames.Put(entry.Frame);
            mm.Tlb.FlushAll(Root);
        }

        // Exit: forgets the shared table named by the PD entry at `entryAddress`, which
        // has other sharers, without touching its entries.
        public void DropSharedTable(ulong entryAddress)
        {
            Pte entry = Read(entryAddress);
            if (mm.Frames.Frame(entry.Frame).RefCount < 2)
                Mm.Panic("PageTable.DropSharedTable: the last sharer must free the table's pages");
            mm.Physical.WriteU64(entryAddress, 0);
            mm.Frames.Put(entry.Frame);
            TablePages--;
        }

        // Writes `value` into the leaf entry at `pteAddress` of a shared table, for every
        // sharer at once. Invalidates no TLB entry: see the rules at the top.
        public void WriteShared(ulong pteAddress, Pte value)
        {
            mm.Physical.WriteU64(pteAddress, value.Raw);
        }

        // True when `entry`, read at `level`, names a shared last-level table.
        static bool IsSharedEntry(int level, Pte entry)
        {
            return level == 1 && entry.IsPresent && !entry.IsWritable;
        }

        // True when the table frame `pfn` has more than one sharer.
        bool IsSharedTableFrame(ulong pfn)
        {
            return mm.Frames.Frame(pfn).RefCount > 1;
        }

        // NextTable below the `level` table at `table` (covering addresses from `tableBase`).
        ulong FindTable(ulong table, int level, ulong tableBase, ulong start, ulong end, bool sharedOnly)
        {
            ulong span = SpanOf(level);
            int limit = level == Levels - 1 ? KernelHalfFirstEntry : EntriesPerTable;
            int first = start <= tableBase ? 0 : (int)((start - tableBase) / span);
            for (int i = first; i < limit; i++)
            {
                ulong entryBase = tableBase + (ulong)i * span;
                if (entryBase >= end)
                    break;
                Pte entry = Read(table + (ulong)i * 8);
                if (!entry.IsPresent)
                    continue;
                if (level == 1)
                {
                    if (!sharedOnly || IsSharedEntry(level, entry))
                        return entryBase;
                    continue;
                }
                ulong found = FindTable(Page.FrameToAddress(entry.Frame), level - 1, entryBase, start, end, sharedOnly);
                if (found != NoTable)
                    return found;
            }
            return NoTable;
        }
    }
}
