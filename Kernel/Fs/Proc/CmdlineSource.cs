using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Fs.Proc
{
    // /proc/<pid>/cmdline: the argument strings exactly as they lie in the process's memory
    // (each NUL-terminated), read a page at a time as the reader asks (Linux's
    // get_mm_cmdline reading arg_start..arg_end with access_remote_vm). A zombie, or a
    // process that exec'd since the open, gives an empty file; a page that cannot be read
    // ends the text there.
    public sealed unsafe class CmdlineSource : SeqSource
    {
        private readonly Process process;
        private readonly AddressSpace space;
        private readonly ulong start, end;

        public CmdlineSource(Process owner)
        {
            process = owner;
            space = owner.Space;
            start = owner.ArgStart;
            end = owner.ArgEnd;
        }

        // The cursor is the offset into the strings; each record is the rest of one page.
        public override bool Show(ulong cursor, TextBuilder text, out ulong next)
        {
            next = cursor;
            ulong at = start + cursor;
            if (space == null || process.Space != space || at >= end)
                return false;
            ulong piece = Page.Size - (at & Page.OffsetMask);
            if (piece > end - at)
                piece = end - at;
            byte* bytes = stackalloc byte[(int)Page.Size];
            if (UserMemory.CopyFromUser(space, bytes, at, piece) != Errno.None)
                return false;
            for (ulong i = 0; i < piece; i++)
                text.Append(bytes[i]);
            next = cursor + piece;
            return true;
        }
    }
}
