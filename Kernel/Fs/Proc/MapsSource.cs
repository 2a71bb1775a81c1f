using Cowbird.Kernel.Processes;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Fs.Proc
{
    // /proc/<pid>/maps: "00400000-00401000 r-xp 00000000 00:00 0" + [heap]/[stack] names,
    // one record per VMA, so a process with tens of thousands of VMAs is described a page
    // at a time. The cursor is the end of the last VMA shown, so each batch finds its first
    // VMA in the tree (O(log n)) and sees the VMAs as they are at that moment. The address
    // space is the one at open: after the process exits or execs, the file ends (Linux: the
    // mm taken at open has no users left).
    public sealed class MapsSource : SeqSource
    {
        private const int NameColumn = 73;

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
            Line(text, vma);
            next = vma.End;
            return true;
        }

        // One line for `vma`.
        private void Line(TextBuilder text, Vma vma)
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
                text.PadTo(lineStart, NameColumn);
                text.Append(name);
            }
            text.Append((byte)'\n');
        }
    }
}
