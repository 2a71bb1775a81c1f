namespace Cowbird.Mm.Swap
{
    // Receives invariant violations (a double free, a corrupted count). It must not return:
    // the kernel halts, the host tests throw.
    public abstract class PanicSink
    {
        public abstract void Panic(string message);
    }

    // The swap subsystem's panic entry point: SwapPanic.Panic("SwapMap.Free: count already zero").
    // The kernel (or Mm.Panic once the pieces are joined) installs the sink at boot.
    public static class SwapPanic
    {
        public static PanicSink Sink;

        // Reports a broken invariant; never returns normally. With no sink installed
        // there is nobody to tell, so the CPU spins here (visible in a debugger).
        public static void Panic(string message)
        {
            if (Sink != null)
                Sink.Panic(message);
            while (true)
            {
            }
        }
    }
}
