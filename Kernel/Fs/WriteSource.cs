using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Fs
{
    // Where the bytes of a write come from: a process's memory (write, writev, pwrite64:
    // copied through UserMemory, so a bad address is EFAULT and never a kernel fault) or a
    // kernel buffer (sendfile's page of its input file). The write paths of RAM files,
    // pipes and the console take one, so the same code moves both kinds of bytes.
    public readonly unsafe struct WriteSource
    {
        private readonly AddressSpace space;
        private readonly ulong userAddress;
        private readonly byte* kernelBytes;

        private WriteSource(AddressSpace space, ulong userAddress, byte* kernelBytes)
        {
            this.space = space;
            this.userAddress = userAddress;
            this.kernelBytes = kernelBytes;
        }

        // The user's bytes from `address` on, in `space`.
        public static WriteSource User(AddressSpace space, ulong address) => new WriteSource(space, address, null);

        // Kernel bytes from `bytes` on.
        public static WriteSource Kernel(byte* bytes) => new WriteSource(null, 0, bytes);

        // Whether every byte of [at, at + length) (length > 0) of the source can be read;
        // the user's pages are faulted in.
        public bool IsReadable(ulong at, ulong length)
        {
            if (kernelBytes != null)
                return true;
            ulong address = userAddress + at;
            for (ulong page = Page.AlignDown(address); page < address + length; page += Page.Size)
                if (UserMemory.FaultIn(space, page, false) != Errno.None)
                    return false;
            return true;
        }

        // Copies [at, at + length) of the source to `target`: Errno.None, or the user copy's
        // error (EFAULT, ENOMEM, EIO).
        public Errno CopyTo(byte* target, ulong at, ulong length)
        {
            if (kernelBytes == null)
                return UserMemory.CopyFromUser(space, target, userAddress + at, length);
            for (ulong i = 0; i < length; i++)
                target[i] = kernelBytes[at + i];
            return Errno.None;
        }
    }
}
