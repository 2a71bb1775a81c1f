using Cowbird.Kernel.Memory;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Stats;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Fs
{
    // The three /proc files, in Linux's formats, captured when opened:
    //   /proc/meminfo    "MemTotal:       131072 kB" (label padded to 16 columns, value right-aligned)
    //   /proc/vmstat     "pgfault 1234" one counter a line (pgcowfault is Cowbird's own)
    //   /proc/self/maps  "00400000-00401000 r-xp 00000000 00:00 0" + [heap]/[stack] names
    // Swap figures come from the swap space attached to the memory manager (0 without swap).
    public static class ProcFiles
    {
        private const int MapsNameColumn = 73;

        // A /proc file's text, or null when `path` is not one.
        public static unsafe TextBuilder Capture(byte* path, int length, Process process)
        {
            if (Is(path, length, "/proc/meminfo"))
                return MemInfo();
            if (Is(path, length, "/proc/vmstat"))
                return VmStatText();
            if (Is(path, length, "/proc/self/maps"))
                return Maps(process);
            return null;
        }

        // True when `path` names a directory /proc provides.
        public static unsafe bool IsDirectory(byte* path, int length)
        {
            return Is(path, length, "/proc") || Is(path, length, "/proc/") || Is(path, length, "/proc/self")
                || Is(path, length, "/proc/self/");
        }

        private static unsafe bool Is(byte* path, int length, string name)
        {
            if (length != name.Length)
                return false;
            for (int i = 0; i < length; i++)
                if (path[i] != name[i])
                    return false;
            return true;
        }

        private static TextBuilder MemInfo()
        {
            VmStat stat = KernelMemory.Manager.Stat;
            TextBuilder text = new TextBuilder();
            ulong kbPerFrame = Page.Size / 1024;
            Field(text, "MemTotal:", stat.TotalFrames * kbPerFrame);
            Field(text, "MemFree:", stat.FreeFrames * kbPerFrame);
            Field(text, "MemAvailable:", stat.FreeFrames * kbPerFrame);
            Field(text, "SwapTotal:", stat.SwapTotal * kbPerFrame);
            Field(text, "SwapFree:", stat.SwapFree * kbPerFrame);
            return text;
        }

        private static void Field(TextBuilder text, string label, ulong kb)
        {
            text.Append(label);
            text.AppendDecimal(kb, 16 - label.Length + 8);
            text.Append(" kB\n");
        }

        private static TextBuilder VmStatText()
        {
            VmStat stat = KernelMemory.Manager.Stat;
            TextBuilder text = new TextBuilder();
            Counter(text, "nr_free_pages ", stat.FreeFrames);
            Counter(text, "pgfault ", stat.PgFault);
            Counter(text, "pswpin ", stat.PswpIn);
            Counter(text, "pswpout ", stat.PswpOut);
            Counter(text, "pgcowfault ", stat.PgCowFault);
            return text;
        }

        private static void Counter(TextBuilder text, string name, ulong value)
        {
            text.Append(name);
            text.AppendDecimal(value, 0);
            text.Append((byte)'\n');
        }

        private static TextBuilder Maps(Process process)
        {
            TextBuilder text = new TextBuilder();
            for (Vma vma = process.Space.Vmas.First; vma != null; vma = vma.Next)
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
            return text;
        }
    }
}
