using Cowbird.Mm.Platform;

namespace Cowbird.Tests.Host
{
    // Thrown by Mm.Panic on the host so a test can see (or expect) a broken invariant.
    public sealed class MmPanicException : System.Exception
    {
        public MmPanicException(string message) : base(message) { }
    }

    // The host's panic seam: throw instead of halting.
    public sealed class HostPanicHandler : PanicHandler
    {
        public static readonly HostPanicHandler Instance = new HostPanicHandler();

        public override void Panic(string message)
        {
            throw new MmPanicException(message);
        }

        // Installs the throwing handler (idempotent; every test machine calls it).
        public static void Install()
        {
            Cowbird.Mm.Mm.SetPanicHandler(Instance);
        }
    }
}
