using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Fs.Proc
{
    // /proc/<pid>/cmdline and /proc/<pid>/environ: the argument or environment strings
    // exactly as they lie in the process's memory (each NUL-terminated), read a page at a time
    // as the reader asks (Linux's get_mm_cmdline and environ_read, reading arg_start..arg_end
    // or env_start..env_end with access_remote_vm). A zombie, or a process that exec'd since
    // the open, gives an empty file; a page that cannot be read ends the text there.
    public sealed unsafe class StringAreaSource : SeqSource
    {
        private readonly Process process;
        private readonly AddressSpace space;
        private readonly ulong start, end;

        // The strings of `owner` in [areaStart, areaEnd) of its memory.
        public StringAreaSource(Process owner, ulong areaStart, ulong areaEnd)
        {
            process = owner;
            space = owner.Space;
            start = areaStart;
            end = areaEnd;
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
