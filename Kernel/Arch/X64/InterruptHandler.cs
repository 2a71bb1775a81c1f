namespace Cowbird.Kernel.Arch.X64
{
    // Something that handles one interrupt vector (registered with
    // Interrupts.Register or Interrupts.RegisterIrq). Handle runs with interrupts
    // disabled, on the interrupted stack (or on the gate's IST stack); it may
    // read and change the saved state in `frame`. For IRQs the dispatcher sends
    // the end-of-interrupt after Handle returns.
    public abstract unsafe class InterruptHandler
    {
        public abstract void Handle(TrapFrame* frame);
    }
}
