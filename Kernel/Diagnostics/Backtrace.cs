using Cowbird.Kernel.Arch.X64;

namespace Cowbird.Kernel.Diagnostics
{
    // A frame-pointer walk. ILC compiles every non-leaf method with an rbp frame
    // (push rbp ... lea rbp, [rsp + n]), so rbp points at the saved caller rbp
    // and the return address sits just above it:
    //   [rbp]     caller's rbp       [rbp + 8] return address into the caller
    // A leaf method may skip the frame; then its caller is missing from the walk.
    // Every rbp is checked to lie inside a known kernel stack (KernelStacks) and
    // to grow, so a corrupt chain ends the walk instead of faulting.
    public static unsafe class Backtrace
    {
        private const int MaxFrames = 16;

        // Steps from frame pointer `rbp` to the caller's frame: the return address
        // into the caller and the caller's rbp. False at the end of the chain.
        public static bool NextFrame(ref ulong rbp, out ulong returnAddress)
        {
            returnAddress = 0;
            if ((rbp & 7) != 0 || KernelStacks.Containing(rbp, 16) == null)
                return false;
            ulong callerRbp = *(ulong*)rbp;
            returnAddress = *(ulong*)(rbp + 8);
            if (!KernelSymbols.IsCode(returnAddress - 1))
                return false;
            rbp = callerRbp > rbp ? callerRbp : 0;   // frames grow towards higher addresses
            return true;
        }

        // The first return address on the chain from `rbp` whose method does not
        // start with one of the mangled `skippedPrefixes` (0 when there is none).
        public static ulong FirstCallerOutside(ulong rbp, string[] skippedPrefixes)
        {
            while (NextFrame(ref rbp, out ulong returnAddress))
            {
                if (!KernelSymbols.Lookup(returnAddress - 1, out byte* name, out _))
                    return 0;
                if (!StartsWithAny(name, skippedPrefixes))
                    return returnAddress;
            }
            return 0;
        }

        private static bool StartsWithAny(byte* name, string[] prefixes)
        {
            for (int i = 0; i < prefixes.Length; i++)
                if (SymbolName.StartsWith(name, prefixes[i]))
                    return true;
            return false;
        }

        // Prints "backtrace:" and one line per frame, starting with `rip` (where the
        // fault happened; 0 to leave it out) and then the chain from `rbp`. Runs of
        // frames in the same method (deep recursion) are shown as one line.
        public static void Print(ulong rip, ulong rbp)
        {
            KernelConsole.WriteLine("backtrace (frame-pointer walk):");
            byte* previous = null;
            int printed = 0;
            if (rip != 0)
            {
                PrintFrame(rip, rip);
                previous = FunctionName(rip);
                printed++;
            }
            ulong repeats = 0;
            while (printed < MaxFrames && NextFrame(ref rbp, out ulong returnAddress))
            {
                byte* name = FunctionName(returnAddress - 1);
                if (name != null && name == previous)
                {
                    repeats++;
                    continue;
                }
                PrintRepeats(repeats);
                repeats = 0;
                PrintFrame(returnAddress, returnAddress - 1);
                previous = name;
                printed++;
            }
            PrintRepeats(repeats);
        }

        private static byte* FunctionName(ulong address) => KernelSymbols.Lookup(address, out byte* name, out _) ? name : null;

        // One line: the address, then the method containing `lookupAddress`
        // (for a return address that is the byte before it: the call instruction).
        private static void PrintFrame(ulong address, ulong lookupAddress)
        {
            KernelConsole.Write("  ");
            KernelConsole.WriteHex(address);
            KernelConsole.Write(' ');
            KernelSymbols.WriteLocation(lookupAddress);
            KernelConsole.Write('\n');
        }

        private static void PrintRepeats(ulong repeats)
        {
            if (repeats == 0)
                return;
            KernelConsole.Write("  ... ");
            KernelConsole.WriteDecimal(repeats);
            KernelConsole.WriteLine(" more frames in the same method");
        }
    }
}
