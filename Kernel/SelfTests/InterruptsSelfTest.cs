using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Boot;
using Cowbird.Kernel.Drivers;

namespace Cowbird.Kernel.SelfTests
{
    // The interrupt path: the PIT's IRQ 0 arrives and Ticks advances; a handler
    // registered for a software vector runs, sees its vector in the trap frame,
    // and a register it changes in the frame is what the interrupted code gets back.
    public sealed class InterruptsSelfTest : SelfTest
    {
        public override string Name => "interrupts";

        private const ulong ValueFromHandler = 0xC0B1BD;

        private sealed unsafe class RecordingHandler : InterruptHandler
        {
            public int Calls;
            public ulong SeenVector;
            public bool SeenKernelMode;

            public override void Handle(TrapFrame* frame)
            {
                Calls++;
                SeenVector = frame->Vector;
                SeenKernelMode = !frame->FromUserMode;
                frame->Rax = ValueFromHandler;
            }
        }

        public override bool Run(BootInfo bootInfo)
        {
            ulong before = PitTimer.Ticks;
            PitTimer.WaitTicks(10);
            ulong after = PitTimer.Ticks;
            bool ok = Check(after >= before + 10, "the timer interrupt advanced the tick count by 10");

            RecordingHandler handler = new RecordingHandler();
            Interrupts.Register(FaultTriggers.SoftwareInterruptVector, handler);
            ulong returned = FaultTriggers.RaiseSoftwareInterrupt();
            ok &= Check(handler.Calls == 1, "int 0x42 reached its registered handler once");
            ok &= Check(handler.SeenVector == FaultTriggers.SoftwareInterruptVector && handler.SeenKernelMode, "the trap frame holds the vector and a ring-0 code segment");
            ok &= Check(returned == ValueFromHandler, "rax changed in the trap frame is what the interrupted code sees");
            ok &= Check(PitTimer.Ticks >= after, "ticks still advance after the software interrupt");
            return ok;
        }
    }
}
