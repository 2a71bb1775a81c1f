using System.Runtime;
using System.Runtime.CompilerServices;

namespace Cowbird.Kernel.Diagnostics
{
    // Address -> name for the kernel's own code, like Linux's kallsyms. The build
    // links the kernel twice (Kernel.csproj, target LinkKernel): the first link's
    // `nm -n` output becomes a sorted table (Kernel/Build/kallsyms.sh) that the
    // second link places after all code and data, so no code address moves (the
    // build checks this). The table works the same under QEMU -kernel and GRUB,
    // as it is part of the loaded image. Layout:
    //   ulong count;
    //   count x { ulong address; uint size; uint nameOffset; }   sorted by address
    //   NUL-terminated names (ILC's mangled names; SymbolName makes them readable)
    // A size of 0 (assembly labels) means "up to the next symbol".
    public static unsafe class KernelSymbols
    {
        // Written by the build (kallsyms.sh), only read here.
#pragma warning disable CS0649
        private struct Entry
        {
            public ulong Address;
            public uint Size;
            public uint NameOffset;
        }
#pragma warning restore CS0649

        // Marks the end of the code (linker.ld); addresses from here on have no symbol.
        private const string EndOfCode = "__text_end";

        [RuntimeImport("kallsyms_table_address")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern ulong* TableAddress();

        private static ulong Count => *TableAddress();

        private static Entry* Entries => (Entry*)(TableAddress() + 1);

        private static byte* Names => (byte*)(Entries + Count);

        // Finds the function containing `address`: its mangled name (NUL-terminated)
        // and the offset of `address` in it. False when no symbol covers it.
        public static bool Lookup(ulong address, out byte* name, out ulong offset)
        {
            name = null;
            offset = 0;
            ulong count = Count;
            Entry* entries = Entries;
            if (count == 0 || address < entries[0].Address)
                return false;
            ulong low = 0, high = count;            // invariant: entries[low].Address <= address
            while (high - low > 1)
            {
                ulong middle = low + (high - low) / 2;
                if (entries[middle].Address <= address)
                    low = middle;
                else
                    high = middle;
            }
            Entry* entry = entries + low;
            if (entry->Size != 0 && address - entry->Address >= entry->Size)
                return false;
            name = Names + entry->NameOffset;
            if (SymbolName.IsExactly(name, EndOfCode))
                return false;
            offset = address - entry->Address;
            return true;
        }

        // True when `address` lies inside a known function.
        public static bool IsCode(ulong address) => Lookup(address, out _, out _);

        // Writes `Name+0xoffset` for `address`, or `?` when no symbol covers it.
        public static void WriteLocation(ulong address) => WriteLocation(address, address);

        // Writes the location of a return address: the method is the one holding the
        // call (the byte before; a call can be a method's last instruction), the
        // offset is the return address's own, as gdb and Linux print it.
        public static void WriteReturnLocation(ulong returnAddress) => WriteLocation(returnAddress - 1, returnAddress);

        private static void WriteLocation(ulong lookupAddress, ulong address)
        {
            if (!Lookup(lookupAddress, out byte* name, out ulong offset))
            {
                KernelConsole.Write('?');
                return;
            }
            SymbolName.Write(name);
            KernelConsole.Write("+0x");
            KernelConsole.WriteHexCompact(offset + (address - lookupAddress));
        }
    }
}
