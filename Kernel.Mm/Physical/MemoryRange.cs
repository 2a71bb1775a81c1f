namespace Cowbird.Mm.Physical
{
    // One usable range of physical RAM from the boot memory map: [Base, Base + Length).
    public struct MemoryRange
    {
        public ulong Base;
        public ulong Length;

        public MemoryRange(ulong baseAddress, ulong length)
        {
            Base = baseAddress;
            Length = length;
        }
    }
}
