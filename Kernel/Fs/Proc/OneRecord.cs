namespace Cowbird.Kernel.Fs.Proc
{
    // Writes a /proc file's whole text.
    public delegate void RecordWriter(TextBuilder text);

    // A file whose whole text is one record, written by `show` at the first read.
    public sealed class OneRecord : SeqSource
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
}
