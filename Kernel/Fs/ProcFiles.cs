using Cowbird.Kernel.Memory;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Stats;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Fs
{
    // The /proc files, in Linux's formats, generated as they are read (SeqFile):
    //   /proc/meminfo    "MemTotal:       131072 kB" (label padded to 16 columns, value right-aligned;
    //                    Linux's order: MemTotal ... SwapFree, Shmem, PageTables, CommitLimit,
    //                    Committed_AS; Cached and Shmem are the RAM file system's pages)
    //   /proc/vmstat     "pgfault 1234" one counter a line (pgcowfault, pgzeropage, the
    //                    read faults that mapped the zero page; rmap_objects and
    //                    rmap_bytes, the reverse map's live metadata; pt_share,
    //                    pt_unshare_copy, pt_unshare_takeover, the last-level page tables
    //                    fork shared and later unshared, are Cowbird's own)
    //   /proc/self/maps  "00400000-00401000 r-xp 00000000 00:00 0" + [heap]/[stack] names,
    //                    one record per VMA, so a process with tens of thousands of VMAs
    //                    is described a page at a time
    //   /proc/sys/vm/overcommit_memory, /proc/sys/vm/overcommit_ratio   "0\n" (read-only here)
    //   /proc/sys/kernel/threads-max   "1006\n", the most processes fork allows (read-only here)
    // meminfo and vmstat are one record each: their figures are taken together, at the
    // first read. Swap figures come from the swap space attached to the memory manager
    // (0 without swap).
    public static class ProcFiles
    {
        private const int MapsNameColumn = 73;

        // The files, by the index Open switches on.
        private static readonly string[] FileNames =
        {
            "/proc/meminfo", "/proc/vmstat", "/proc/self/maps", "/proc/sys/vm/overcommit_memory",
            "/proc/sys/vm/overcommit_ratio", "/proc/sys/kernel/threads-max",
        };

        // The source of a /proc file's text, or null when `path` is not one.
        public static unsafe SeqSource Open(byte* path, int length, Process process)
        {
            switch (FileIndex(path, length))
            {
                case 0: return new OneRecord(MemInfo);
                case 1: return new OneRecord(VmStatText);
                case 2: return new MapsSource(process);
                case 3: return new OneRecord(OvercommitMemory);
                case 4: return new OneRecord(OvercommitRatio);
                case 5: return new OneRecord(ThreadsMax);
                default: return null;
            }
        }

        // True when `path` names a /proc file (not a directory).
        public static unsafe bool IsFile(byte* path, int length) => FileIndex(path, length) >= 0;

        private static unsafe int FileIndex(byte* path, int length)
        {
            for (int i = 0; i < FileNames.Length; i++)
                if (Is(path, length, FileNames[i]))
                    return i;
            return -1;
        }

        // True when `path` names a directory /proc provides.
        public static unsafe bool IsDirectory(byte* path, int length)
        {
            return Is(path, length, "/proc") || Is(path, length, "/proc/") || Is(path, length, "/proc/self")
                || Is(path, length, "/proc/self/") || Is(path, length, "/proc/sys") || Is(path, length, "/proc/sys/")
                || Is(path, length, "/proc/sys/vm") || Is(path, length, "/proc/sys/vm/")
                || Is(path, length, "/proc/sys/kernel") || Is(path, length, "/proc/sys/kernel/");
        }

        private static unsafe bool Is(byte* path, int length, string name) => PathName.Is(path, length, name);

        // The name of entry `index` (0 = the first) of the /proc directory `dirPath`, copied
        // to `nameOut` (at most `capacity` bytes): its length, or -1 past the last entry. The
        // entries are the next components of the files below `dirPath`, each once, in the
        // order of FileNames; an entry with more path after it is a directory.
        public static unsafe int ListEntry(byte* dirPath, int dirLength, int index, byte* nameOut, int capacity, out bool isDirectory)
        {
            isDirectory = false;
            int found = 0;
            for (int i = 0; i < FileNames.Length; i++)
            {
                int start, end;
                if (!ChildOf(FileNames[i], dirPath, dirLength, out start, out end) || SeenBefore(i, dirPath, dirLength, start, end))
                    continue;
                if (found++ < index)
                    continue;
                int length = end - start < capacity ? end - start : capacity;
                for (int k = 0; k < length; k++)
                    nameOut[k] = (byte)FileNames[i][start + k];
                isDirectory = end < FileNames[i].Length;
                return length;
            }
            return -1;
        }

        // Whether `file` lies below `dirPath`; the next component is file[start, end).
        private static unsafe bool ChildOf(string file, byte* dirPath, int dirLength, out int start, out int end)
        {
            start = dirLength + 1;
            end = start;
            if (file.Length <= start || file[dirLength] != '/')
                return false;
            for (int k = 0; k < dirLength; k++)
                if (file[k] != dirPath[k])
                    return false;
            while (end < file.Length && file[end] != '/')
                end++;
            return true;
        }

        // Whether a file before FileNames[index] has the same next component below `dirPath`.
        private static unsafe bool SeenBefore(int index, byte* dirPath, int dirLength, int start, int end)
        {
            for (int j = 0; j < index; j++)
            {
                int otherStart, otherEnd;
                if (!ChildOf(FileNames[j], dirPath, dirLength, out otherStart, out otherEnd) || otherEnd - otherStart != end - start)
                    continue;
                bool same = true;
                for (int k = start; k < end && same; k++)
                    same = FileNames[j][k] == FileNames[index][k];
                if (same)
                    return true;
            }
            return false;
        }

        private static void MemInfo(TextBuilder text)
        {
            VmStat stat = KernelMemory.Manager.Stat;
            ulong kbPerFrame = Page.Size / 1024;
            Field(text, "MemTotal:", stat.TotalFrames * kbPerFrame);
            Field(text, "MemFree:", stat.FreeFrames * kbPerFrame);
            Field(text, "MemAvailable:", stat.FreeFrames * kbPerFrame);
            Field(text, "Cached:", stat.ShmemPages * kbPerFrame);
            Field(text, "SwapTotal:", stat.SwapTotal * kbPerFrame);
            Field(text, "SwapFree:", stat.SwapFree * kbPerFrame);
            Field(text, "Shmem:", stat.ShmemPages * kbPerFrame);
            Field(text, "PageTables:", stat.PageTablePages * kbPerFrame);
            CommitAccounting commit = KernelMemory.Manager.Commit;
            Field(text, "CommitLimit:", commit.CommitLimit * kbPerFrame);
            Field(text, "Committed_AS:", commit.Committed * kbPerFrame);
        }

        private static void OvercommitMemory(TextBuilder text)
        {
            Number(text, (ulong)KernelMemory.Manager.Commit.Mode);
        }

        private static void OvercommitRatio(TextBuilder text)
        {
            Number(text, KernelMemory.Manager.Commit.Ratio);
        }

        private static void ThreadsMax(TextBuilder text)
        {
            Number(text, (ulong)ProcessTable.MaxThreads);
        }

        // A sysctl file's text: one number and a newline.
        private static void Number(TextBuilder text, ulong value)
        {
            text.AppendDecimal(value, 0);
            text.Append((byte)'\n');
        }

        private static void Field(TextBuilder text, string label, ulong kb)
        {
            text.Append(label);
            text.AppendDecimal(kb, 16 - label.Length + 8);
            text.Append(" kB\n");
        }

        private static void VmStatText(TextBuilder text)
        {
            VmStat stat = KernelMemory.Manager.Stat;
            Counter(text, "nr_free_pages ", stat.FreeFrames);
            Counter(text, "pgfault ", stat.PgFault);
            Counter(text, "pswpin ", stat.PswpIn);
            Counter(text, "pswpout ", stat.PswpOut);
            Counter(text, "swap_read_commands ", stat.SwapReadCommands);
            Counter(text, "swap_write_commands ", stat.SwapWriteCommands);
            Counter(text, "pgcowfault ", stat.PgCowFault);
            Counter(text, "pgzeropage ", stat.ZeroPageFault);
            Counter(text, "rmap_objects ", (ulong)KernelMemory.Manager.Rmap.MetadataObjects);
            Counter(text, "rmap_bytes ", (ulong)KernelMemory.Manager.Rmap.MetadataBytes);
            Counter(text, "pt_share ", stat.PageTablesShared);
            Counter(text, "pt_unshare_copy ", stat.PageTablesCopied);
            Counter(text, "pt_unshare_takeover ", stat.PageTablesTakenOver);
        }

        private static void Counter(TextBuilder text, string name, ulong value)
        {
            text.Append(name);
            text.AppendDecimal(value, 0);
            text.Append((byte)'\n');
        }

        // One line of /proc/self/maps for `vma` of `process`.
        private static void MapsLine(TextBuilder text, Vma vma, Process process)
        {
            int lineStart = text.Length;
            text.AppendHex(vma.Start, 8);
            text.Append((byte)'-');
            text.AppendHex(vma.End, 8);
            text.Append((byte)' ');
            text.Append((byte)((vma.Prot & Protection.Read) != 0 ? 'r' : '-'));
            text.Append((byte)((vma.Prot & Protection.Write) != 0 ? 'w' : '-'));
            text.Append((byte)((vma.Prot & Protection.Exec) != 0 ? 'x' : '-'));
            text.Append((byte)(vma.IsShared ? 's' : 'p'));
            text.Append(" 00000000 00:00 0 ");
            string name = (vma.Flags & VmaFlags.Heap) != 0 ? "[heap]"
                : vma.Start <= process.StackStart && process.StackStart < vma.End ? "[stack]" : null;
            if (name != null)
            {
                text.PadTo(lineStart, MapsNameColumn);
                text.Append(name);
            }
            text.Append((byte)'\n');
        }

        private delegate void RecordWriter(TextBuilder text);

        // A file whose whole text is one record, written by `show` at the first read.
        private sealed class OneRecord : SeqSource
        {
            private readonly RecordWriter show;

            public OneRecord(RecordWriter writer)
            {
                show = writer;
            }

            public override bool Show(ulong cursor, TextBuilder text, out ulong next)
            {
                next = 1;
                if (cursor != 0)
                    return false;
                show(text);
                return true;
            }
        }

        // /proc/self/maps of the process that opened it: one record per VMA; the cursor is
        // the end of the last VMA shown, so each batch finds its first VMA in the tree
        // (O(log n)) and sees the VMAs as they are at that moment. The address space is
        // the one at open: after the process exits or execs, the file ends (Linux: the
        // mm taken at open has no users left).
        private sealed class MapsSource : SeqSource
        {
            private readonly Process process;
            private readonly AddressSpace space;

            public MapsSource(Process owner)
            {
                process = owner;
                space = owner.Space;
            }

            public override bool Show(ulong cursor, TextBuilder text, out ulong next)
            {
                next = cursor;
                if (process.Space != space || space == null)
                    return false;
                Vma vma = space.Vmas.FindFirstEndingAfter(cursor);
                if (vma == null)
                    return false;
                MapsLine(text, vma, process);
                next = vma.End;
                return true;
            }
        }
    }
}
