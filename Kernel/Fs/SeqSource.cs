namespace Cowbird.Kernel.Fs
{
    // Where a generated file's text comes from, one record at a time (Linux: the
    // seq_operations of a seq_file). A record is a short run of text, usually one line.
    // The text is never built whole: SeqFile asks for records as the reader consumes
    // them, so a file describing 60,000 VMAs costs one page of kernel memory, not megabytes.
    //
    // Contract: Show(cursor, text, out next) appends the record at `cursor` to `text` and
    // sets `next` to the cursor of the record after it; it returns false (appending
    // nothing) when there is no record at or after `cursor`. Cursor 0 is the first record.
    // A cursor is the source's own resumption point (for /proc/self/maps, the address the
    // next VMA ends after, as Linux's m_start uses last_addr), so records generated later
    // reflect the state at that time, as on Linux.
    public abstract class SeqSource
    {
        public abstract bool Show(ulong cursor, TextBuilder text, out ulong next);
    }
}
