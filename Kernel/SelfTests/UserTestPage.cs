using Cowbird.Kernel.Memory;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.SelfTests
{
    // A user page for the SMAP and SMEP self-tests, which run in the kernel with no
    // process: a fresh address space holding one private anonymous read-write-execute
    // page, loaded into CR3. Its first byte is written the legitimate way, through
    // UserMemory (the direct map); the tests then touch the page directly, as a buggy
    // kernel would.
    internal static unsafe class UserTestPage
    {
        // Maps the page with `firstByte` at its start and returns its user address;
        // 0 when there is no memory for it.
        public static ulong Map(byte firstByte)
        {
            AddressSpace space = AddressSpace.Create(KernelMemory.Manager);
            if (space == null)
                return 0;
            long address = space.Mmap(0, Page.Size, Protection.All, MapFlags.Private | MapFlags.Anonymous);
            if (address < 0 || UserMemory.CopyToUser(space, (ulong)address, &firstByte, 1) != Errno.None)
                return 0;
            space.Activate();
            return (ulong)address;
        }
    }
}
