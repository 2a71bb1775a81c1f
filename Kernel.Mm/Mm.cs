using Cowbird.Mm.Platform;

namespace Cowbird.Mm
{
    // The one place Kernel.Mm reports a broken invariant. Kernel.Mm never throws: a bug
    // in the MM (double free, a PTE pointing at a free frame, ...) is a panic, and bad input
    // from user space is an Errno. The kernel installs a handler that prints and halts;
    // the host tests install one that throws, so a test sees the panic.
    public static class Mm
    {
        static PanicHandler handler;

        // Installs the handler every later Panic goes to. Call once at boot (or test start).
        public static void SetPanicHandler(PanicHandler panicHandler)
        {
            handler = panicHandler;
        }

        // Stops on a broken invariant. Messages start with the function's name:
        // Mm.Panic("FrameAllocator.Free: double free").
        public static void Panic(string message)
        {
            if (handler != null)
                handler.Panic(message);
            // No handler (or one that returned): spin forever rather than run on corrupt state.
            while (true) { }
        }
    }
}
