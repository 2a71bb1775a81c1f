namespace Cowbird.Mm.Platform
{
    // Seam: what Mm.Panic does. The kernel prints the message on the console and halts
    // (it never returns); the host test double throws an exception.
    public abstract class PanicHandler
    {
        public abstract void Panic(string message);
    }
}
