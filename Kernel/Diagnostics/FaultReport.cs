using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Memory;
using Cowbird.Mm.Paging;
using Cowbird.Mm.Vm;

using Cowbird.Mm;

namespace Cowbird.Kernel.Diagnostics
{
    // Turns an exception (or an interrupt nobody handles) into a panic report:
    //   PANIC: page fault (null dereference) at 0x... in Cowbird.Kernel.SelfTests.X.Run+0x1c
    //     faulting address 0x..., error code 0x... (read, page not present, kernel mode)
    //     registers ...
    //   backtrace (frame-pointer walk): ...
    // then stops the machine with ExitStatus.Panic. A page fault on a present page
    // names the protection it broke (MemoryProtection.cs), e.g.
    //   PANIC: page fault (write to read-only kernel text: W^X) at ...
    // The error-code bits are Kernel.Mm's FaultErrorCode, the one definition.
    public static unsafe class FaultReport
    {
        // Reports the trap in `frame` and stops. Never returns.
        public static void Panic(TrapFrame* frame)
        {
            ulong cr2 = Cpu.ReadCr2();
            Kernel.Panic.Begin();
            KernelConsole.Write("\nPANIC: ");
            WriteFaultName(frame, cr2);
            KernelConsole.Write(" at ");
            KernelConsole.WriteHex(frame->Rip);
            KernelConsole.Write(" in ");
            WriteFaultingMethod(frame);
            KernelConsole.Write('\n');
            WriteDetails(frame, cr2);
            WriteRegisters(frame);
            Backtrace.Print(frame->Rip, frame->Rsp, frame->Rbp);
            Kernel.Panic.End();
        }

        // "page fault (null dereference)", "double fault (kernel stack overflow ...)",
        // "unexpected interrupt vector 0x41", ...
        private static void WriteFaultName(TrapFrame* frame, ulong cr2)
        {
            ulong vector = frame->Vector;
            string name = ExceptionVector.Name(vector);
            if (name == null)
            {
                bool isIrq = vector >= Pic8259.IrqBase && vector < Pic8259.IrqBase + Pic8259.IrqCount;
                KernelConsole.Write(isIrq ? "unexpected IRQ " : "unexpected interrupt vector 0x");
                if (isIrq)
                    KernelConsole.WriteDecimal(vector - Pic8259.IrqBase);
                else
                    KernelConsole.WriteHexCompact(vector);
                return;
            }
            KernelConsole.Write(name);
            KernelStack overflowed = OverflowedStack(frame, cr2);
            if (overflowed != null)
            {
                KernelConsole.Write(" (kernel stack overflow: ");
                KernelConsole.Write(overflowed.Name);
                KernelConsole.Write(" guard page hit)");
            }
            else if (vector == ExceptionVector.PageFault && cr2 < Page.Size)
                KernelConsole.Write(" (null dereference)");
            else if (vector == ExceptionVector.PageFault && IsProtectionFault(frame->ErrorCode))
                WriteBrokenProtection(frame->ErrorCode, cr2);
            else if (vector == ExceptionVector.PageFault && frame->Rip == cr2)
                KernelConsole.Write(" (jump to an unmapped address)");
        }

        // A kernel-mode access to a present page that its protection forbade.
        private static bool IsProtectionFault(ulong error)
        {
            const ulong presentOrUser = FaultErrorCode.Present | FaultErrorCode.User;
            return (error & presentOrUser) == FaultErrorCode.Present;
        }

        // " (<what>: <protection>)" for a protection fault: a user address means SMEP
        // (instruction fetch) or SMAP (read or write) when they are on, else an NX or
        // read-only user page; a kernel address means W^X (fetch from a no-execute
        // page, write to text) or another read-only page.
        private static void WriteBrokenProtection(ulong error, ulong cr2)
        {
            bool userAddress = cr2 < PageTable.UserEnd;
            if ((error & FaultErrorCode.ReservedBit) != 0)
                KernelConsole.Write(" (reserved bit set in a page-table entry: corrupt page tables)");
            else if ((error & FaultErrorCode.ProtectionKey) != 0)
                KernelConsole.Write(" (access denied by a protection key)");
            else if ((error & FaultErrorCode.InstructionFetch) != 0 && userAddress)
                KernelConsole.Write(MemoryProtection.Smep ? " (kernel execution of user memory: SMEP)" : " (execution of no-execute user memory)");
            else if (userAddress)
                KernelConsole.Write(MemoryProtection.Smap ? " (kernel access to user memory: SMAP)" : " (kernel write to read-only user memory)");
            else if ((error & FaultErrorCode.InstructionFetch) != 0)
            {
                KernelConsole.Write(" (execution of no-execute ");
                KernelConsole.Write(RegionName(cr2));
                KernelConsole.Write(": W^X)");
            }
            else if (KernelImage.IsText(cr2))
                KernelConsole.Write(" (write to read-only kernel text: W^X)");
            else
            {
                KernelConsole.Write(" (write to read-only ");
                KernelConsole.Write(RegionName(cr2));
                KernelConsole.Write(')');
            }
        }

        // What a kernel address belongs to, for a protection-fault report.
        private static string RegionName(ulong address)
        {
            KernelStack stack = KernelStacks.Containing(address, 1);
            if (stack != null)
                return stack.Name;
            if (KernelStackArea.Contains(address))
                return "process kernel stack";
            if (KernelImage.IsText(address))
                return "kernel text";
            if (KernelImage.IsRodata(address))
                return "kernel rodata";
            if (address >= KernelLayout.KernelVirtualBase)
                return "kernel data";
            if (address >= KernelLayout.DirectMapBase && address - KernelLayout.DirectMapBase < KernelLayout.DirectMapSize)
                return "direct map";
            return "kernel memory";
        }

        // The stack whose guard page this fault hit, or null. A page fault reports
        // the address in CR2; a double fault caused by the #PF that could not push
        // its frame leaves CR2 set as well, and its saved rsp is near the guard page.
        private static KernelStack OverflowedStack(TrapFrame* frame, ulong cr2)
        {
            if (frame->Vector != ExceptionVector.PageFault && frame->Vector != ExceptionVector.DoubleFault)
                return null;
            KernelStack stack = KernelStacks.WithGuardPageAt(cr2);
            if (stack == null && frame->Vector == ExceptionVector.DoubleFault)
                stack = KernelStacks.WithGuardPageAt(frame->Rsp - 8);
            return stack;
        }

        // The C# method at rip. An assembly helper (no C# name) is a leaf that
        // pushed nothing, so its return address at [rsp] names its C# caller; so
        // does a call to an address outside the code (a no-execute page, user memory),
        // which faults before the callee pushes anything.
        private static void WriteFaultingMethod(TrapFrame* frame)
        {
            KernelSymbols.WriteLocation(frame->Rip);
            if (KernelSymbols.Lookup(frame->Rip, out byte* name, out _) && SymbolName.StartsWith(name, "kernel_"))
                return;
            if (KernelStacks.Containing(frame->Rsp, 8) == null)
                return;
            ulong returnAddress = *(ulong*)frame->Rsp;
            if (!KernelSymbols.IsCode(returnAddress - 1))
                return;
            KernelConsole.Write(", called from ");
            KernelSymbols.WriteReturnLocation(returnAddress);
        }

        // The fault's error code, and for page faults the address and what the access was.
        private static void WriteDetails(TrapFrame* frame, ulong cr2)
        {
            if (frame->Vector == ExceptionVector.PageFault)
            {
                ulong error = frame->ErrorCode;
                KernelConsole.Write("  faulting address ");
                KernelConsole.WriteHex(cr2);
                KernelConsole.Write(", error code 0x");
                KernelConsole.WriteHexCompact(error);
                WriteErrorCodeBits(error);
            }
            else if (frame->Vector == ExceptionVector.DoubleFault)
            {
                KernelConsole.Write("  last page-fault address (cr2) ");
                KernelConsole.WriteHex(cr2);
                KernelConsole.Write('\n');
            }
            else if (frame->ErrorCode != 0)
            {
                KernelConsole.Write("  error code 0x");
                KernelConsole.WriteHexCompact(frame->ErrorCode);
                KernelConsole.Write('\n');
            }
        }

        // Decodes a page-fault error code: "(read, page not present, kernel mode)",
        // then ", reserved bit" and ", protection key" when those bits are set.
        private static void WriteErrorCodeBits(ulong error)
        {
            KernelConsole.Write((error & FaultErrorCode.InstructionFetch) != 0 ? " (instruction fetch" : (error & FaultErrorCode.Write) != 0 ? " (write" : " (read");
            KernelConsole.Write((error & FaultErrorCode.Present) != 0 ? ", protection violation" : ", page not present");
            KernelConsole.Write((error & FaultErrorCode.User) != 0 ? ", user mode" : ", kernel mode");
            if ((error & FaultErrorCode.ReservedBit) != 0)
                KernelConsole.Write(", reserved bit");
            if ((error & FaultErrorCode.ProtectionKey) != 0)
                KernelConsole.Write(", protection key");
            KernelConsole.WriteLine(")");
        }

        private static void WriteRegisters(TrapFrame* frame)
        {
            WriteRegister("  rax", frame->Rax); WriteRegister(" rbx", frame->Rbx); WriteRegister(" rcx", frame->Rcx); KernelConsole.Write('\n');
            WriteRegister("  rdx", frame->Rdx); WriteRegister(" rsi", frame->Rsi); WriteRegister(" rdi", frame->Rdi); KernelConsole.Write('\n');
            WriteRegister("  rsp", frame->Rsp); WriteRegister(" rbp", frame->Rbp); WriteRegister(" rflags", frame->Rflags); KernelConsole.Write('\n');
        }

        private static void WriteRegister(string name, ulong value)
        {
            KernelConsole.Write(name);
            KernelConsole.Write('=');
            KernelConsole.WriteHex(value);
        }
    }
}
