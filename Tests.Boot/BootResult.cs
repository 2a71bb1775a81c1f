namespace Cowbird.Tests.Boot
{
    // What one QEMU boot produced.
    public sealed class BootResult
    {
        public BootResult(int exitCode, bool timedOut, bool stoppedAtMarker, string serial, string serialLogPath)
        {
            ExitCode = exitCode;
            TimedOut = timedOut;
            StoppedAtMarker = stoppedAtMarker;
            Serial = serial;
            SerialLogPath = serialLogPath;
        }

        // QEMU's exit status (see KernelExit); meaningless when TimedOut or StoppedAtMarker.
        public int ExitCode { get; }

        // QEMU was killed because the time limit passed.
        public bool TimedOut { get; }

        // QEMU was killed on purpose because the serial log showed the awaited text.
        public bool StoppedAtMarker { get; }

        // Everything the kernel wrote to COM1.
        public string Serial { get; }

        // Where the serial log is kept for a human to read after a failure.
        public string SerialLogPath { get; }

        public override string ToString() =>
            $"exit status {ExitCode}{(TimedOut ? " (timed out)" : "")}, serial log {SerialLogPath}:\n{Serial}";
    }
}
