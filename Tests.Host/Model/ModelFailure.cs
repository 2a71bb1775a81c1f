namespace Cowbird.Tests.Host.Model
{
    // Where and why a model run failed: the index of the failing op (Ops.Count when the
    // final content or leak check failed) and the exception text with the last log lines.
    public sealed class ModelFailure
    {
        public int Step;
        public string Message;
    }
}
