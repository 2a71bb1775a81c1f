using Cowbird.Kernel.Arch.X64;

namespace Cowbird.Kernel.Diagnostics
{
    // Backtraces, two ways at once (as Linux's x86 unwinder without ORC does):
    //
    //   Frame-pointer walk: most ILC methods keep an rbp frame
    //   (push rbp ... lea rbp, [rsp + n]), so rbp points at the caller's saved
    //   rbp and the return address sits just above it:
    //     [rbp]     caller's rbp       [rbp + 8] return address into the caller
    //   But RyuJIT omits the frame in small methods (even non-leaf ones, e.g. a
    //   recursive one that only pushes rbx), and those callers drop out of the chain.
    //
    //   Stack scan: every word from rsp up to the top of the stack that looks like
    //   a return address - it points into a known function, right after a call
    //   instruction - is printed. A word the frame chain also reached is certain;
    //   any other may be a stale value and is marked "?" (a guess).
    //
    // Every address is checked against the kernel stacks (KernelStacks) before it
    // is read, so a corrupt stack ends the backtrace instead of faulting.
    public static unsafe class Backtrace
    {
        private const int MaxLines = 24;

        private const byte CallRelative = 0xE8;        // call rel32
        private const byte CallIndirect = 0xFF;        // call r/m64 when ModRM.reg = 2
        private const byte ModRmRegMask = 0x38, ModRmRegCall = 0x10;

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

        // The first return address on the frame chain from `rbp` whose method does
        // not start with one of the mangled `skippedPrefixes` (0 when there is none).
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

        // True when `address` is in a function and the bytes before it are a call.
        private static bool IsReturnAddress(ulong address)
        {
            if (!KernelSymbols.IsCode(address - 1))
                return false;
            byte* code = (byte*)address;
            return code[-5] == CallRelative
                || (code[-2] == CallIndirect && (code[-1] & ModRmRegMask) == ModRmRegCall)   // call reg, call [reg]
                || (code[-3] == CallIndirect && (code[-2] & ModRmRegMask) == ModRmRegCall)   // call [reg + disp8]
                || (code[-6] == CallIndirect && (code[-5] & ModRmRegMask) == ModRmRegCall);  // call [rip + disp32]
        }

        // Prints "backtrace:" and one line per frame: `rip` first (where the fault
        // happened; 0 to leave it out), then the return addresses found scanning
        // the stack upwards from `rsp`, checked against the frame chain from `rbp`.
        // Runs of the same method (deep recursion) are shown as one line.
        public static void Print(ulong rip, ulong rsp, ulong rbp)
        {
            KernelConsole.WriteLine("backtrace (stack scan; '?' = not on the frame-pointer chain, may be stale):");
            byte* previous = null;
            int lines = 0;
            if (rip != 0)
            {
                PrintFrame(rip, false, true);
                previous = FunctionName(rip);
                lines++;
            }
            rsp &= ~7UL;
            KernelStack stack = KernelStacks.Containing(rsp, 8);
            if (stack == null)
            {
                KernelConsole.WriteLine("  (rsp is on no known kernel stack)");
                return;
            }
            ulong repeats = 0;
            for (ulong slot = rsp; slot + 8 <= stack.Top && lines < MaxLines; slot += 8)
            {
                while (rbp != 0 && rbp + 8 < slot)
                    rbp = StepChain(rbp);
                bool onChain = rbp != 0 && rbp + 8 == slot;
                ulong value = *(ulong*)slot;
                if (!IsReturnAddress(value))
                    continue;
                if (onChain)
                    rbp = StepChain(rbp);
                byte* name = FunctionName(value - 1);
                if (name == previous)
                {
                    repeats++;
                    continue;
                }
                PrintRepeats(repeats);
                repeats = 0;
                PrintFrame(value, true, onChain);
                previous = name;
                lines++;
            }
            PrintRepeats(repeats);
        }

        // The next rbp on the chain, or 0 at its end.
        private static ulong StepChain(ulong rbp) => NextFrame(ref rbp, out _) ? rbp : 0;

        private static byte* FunctionName(ulong address) => KernelSymbols.Lookup(address, out byte* name, out _) ? name : null;

        // One line: the address and its method; `?` first when it is a guess.
        private static void PrintFrame(ulong address, bool isReturnAddress, bool certain)
        {
            KernelConsole.Write(certain ? "  " : "  ? ");
            KernelConsole.WriteHex(address);
            KernelConsole.Write(' ');
            if (isReturnAddress)
                KernelSymbols.WriteReturnLocation(address);
            else
                KernelSymbols.WriteLocation(address);
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
