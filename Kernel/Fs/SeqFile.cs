namespace Cowbird.Kernel.Fs
{
    // The reading side of a generated file (Linux: seq_file's seq_read). It keeps a
    // buffer of text not yet handed to the reader and refills it from its SeqSource a
    // batch of whole records at a time, up to about a page, so memory stays bounded
    // whatever the file's total length.
    //
    // Reads are sequential: each read continues where the previous one stopped (the
    // buffer keeps a record's unread tail), and the end of the records is end of file.
    public sealed class SeqFile
    {
        // Refill target: records are added until the buffer holds this many bytes.
        private const int BatchBytes = 4096;

        private readonly SeqSource source;
        private readonly TextBuilder buffer = new TextBuilder();
        private int consumed;
        private ulong cursor;
        private bool ended;

        public SeqFile(SeqSource from)
        {
            source = from;
        }

        // Copies up to `count` bytes of the file's next text to `destination`. Returns the
        // number copied; 0 means end of file.
        public unsafe int Read(byte* destination, int count)
        {
            if (consumed == buffer.Length)
                Refill();
            int n = buffer.Length - consumed;
            if (n > count)
                n = count;
            for (int i = 0; i < n; i++)
                destination[i] = buffer.Bytes[consumed + i];
            consumed += n;
            return n;
        }

        // Starts the file again from its first record (lseek to 0).
        public void Rewind()
        {
            buffer.Length = 0;
            consumed = 0;
            cursor = 0;
            ended = false;
        }

        // Undoes the last Read's hand-over of its last `count` bytes (the reader could not
        // take them), so the next Read returns them again.
        public void GiveBack(int count)
        {
            consumed -= count;
        }

        // Replaces the consumed buffer with the next batch of records.
        private void Refill()
        {
            buffer.Length = 0;
            consumed = 0;
            while (!ended && buffer.Length < BatchBytes)
            {
                ulong next;
                if (!source.Show(cursor, buffer, out next))
                    ended = true;
                else
                    cursor = next;
            }
        }
    }
}
