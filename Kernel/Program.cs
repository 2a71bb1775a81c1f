namespace Cowbird.Kernel
{
    // ILC compiles an executable only when it has a Main. The kernel's real entry
    // is KernelMain.Start (`kmain`), called by the boot stub; this Main is never called.
    internal static class Program
    {
        private static void Main() => Panic.Halt("Program.Main: not an entry point; the boot stub calls kmain");
    }
}
