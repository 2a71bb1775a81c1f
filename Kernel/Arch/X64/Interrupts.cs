using System.Runtime;
using System.Runtime.CompilerServices;
using Cowbird.Kernel.Diagnostics;

namespace Cowbird.Kernel.Arch.X64
{
    // The one C# entry for every interrupt and exception: TrapEntry.S saves the
    // machine state as a TrapFrame and calls Dispatch, which finds the vector's
    // InterruptHandler. A vector with no handler is a bug: an exception becomes
    // a panic naming the fault and the C# method (FaultReport), anything else a
    // panic naming the vector.
    //
    // Processes plug in here: Process/PageFaultHandler registers vector 14 (it asks
    // Kernel.Mm's FaultHandler and kills a user process instead of panicking),
    // Process/UserExceptionHandler the other exceptions a user program can raise,
    // and the drivers their IRQs. The syscall entry (SyscallSetup, syscall/sysret,
    // separate from the IDT) builds the same TrapFrame.
    public static unsafe class Interrupts
    {
        // One handler per vector; null = no handler.
        private static readonly InterruptHandler[] s_handlers = new InterruptHandler[Idt.VectorCount];

        // Runs after every interrupt or exception that came from ring 3, once the
        // handler (and EOI) are done: the scheduler preempts and delivers kills here.
        private static InterruptHandler s_userReturn;
        // Runs first on every interrupt or exception that came from ring 3, before its
        // handler: the process's user time ends here (CpuAccounting).
        private static InterruptHandler s_userEntry;

        [RuntimeImport("trap_set_dispatch_ready")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern void SetDispatchReady(bool ready);

        // Sets up the GDT with its TSS, the kernel stacks, the IDT and the PIC
        // (all IRQs masked), then sends traps here instead of to the boot stub's
        // early_trap. Interrupts stay disabled until the caller enables them.
        public static void Initialize()
        {
            Gdt.Initialize();
            KernelStacks.Initialize(Gdt.TaskState);
            Idt.Initialize();
            Pic8259.Initialize();
            SetDispatchReady(true);
        }

        // Makes `handler` handle `vector`; a vector has at most one handler.
        public static void Register(int vector, InterruptHandler handler)
        {
            if (vector < 0 || vector >= Idt.VectorCount || handler == null)
                Panic.Halt("Interrupts.Register: bad vector or null handler");
            if (s_handlers[vector] != null)
                Panic.Halt("Interrupts.Register: vector already has a handler");
            s_handlers[vector] = handler;
        }

        // Makes `handler` handle hardware interrupt line `irq` and unmasks the line.
        public static void RegisterIrq(int irq, InterruptHandler handler)
        {
            if (irq < 0 || irq >= Pic8259.IrqCount)
                Panic.Halt("Interrupts.RegisterIrq: no such IRQ line");
            Register(Pic8259.IrqBase + irq, handler);
            Pic8259.Unmask(irq);
        }

        // Whether hardware interrupt line `irq` exists and has no handler yet (a driver of a
        // PCI device checks the line the firmware gave it before taking it).
        public static bool IrqIsFree(int irq) =>
            irq >= 0 && irq < Pic8259.IrqCount && irq != Pic8259.CascadeIrq && s_handlers[Pic8259.IrqBase + irq] == null;

        // Makes `handler` run before every return to ring 3 from an interrupt.
        public static void SetUserReturnHandler(InterruptHandler handler) => s_userReturn = handler;

        // Makes `handler` run first on every interrupt from ring 3.
        public static void SetUserEntryHandler(InterruptHandler handler) => s_userEntry = handler;

        // Called by trap_common with interrupts disabled.
        [RuntimeExport("trap_dispatch")]
        private static void Dispatch(TrapFrame* frame)
        {
            int vector = (int)frame->Vector;
            bool isIrq = vector >= Pic8259.IrqBase && vector < Pic8259.IrqBase + Pic8259.IrqCount;
            int irq = vector - Pic8259.IrqBase;
            if (isIrq && Pic8259.IsSpurious(irq))
                return;
            if (frame->FromUserMode && s_userEntry != null)
                s_userEntry.Handle(frame);
            InterruptHandler handler = s_handlers[vector];
            if (handler == null)
                FaultReport.Panic(frame);
            handler.Handle(frame);
            if (isIrq)
                Pic8259.EndOfInterrupt(irq);
            if (frame->FromUserMode && s_userReturn != null)
                s_userReturn.Handle(frame);
        }
    }
}
