using Cowbird.Kernel.Boot;
using Cowbird.Runtime;

namespace Cowbird.Kernel.SelfTests
{
    // Delegates: to instance and static methods, lambdas capturing locals (a
    // closure object), a generic delegate, multicast delegates (+= and -=), and
    // a delegate whose target object is reachable only through the delegate
    // across collections.
    public sealed class RuntimeDelegateSelfTest : SelfTest
    {
        public override string Name => "runtime-delegates";

        private delegate long Transform(long value);
        private delegate TResult Map<TInput, TResult>(TInput input);
        private delegate void Notify(int value);

        private static int s_log;

        private static void LogTimesTen(int value) { s_log = s_log * 10 + value; }

        private sealed class Multiplier
        {
            private readonly long _factor;
            public Multiplier(long factor) { _factor = factor; }
            public long Apply(long value) => value * _factor;
        }

        private static Transform s_kept;
        private static Multiplier s_garbage;

        private static long Negate(long value) => -value;

        public override bool Run(BootInfo bootInfo)
        {
            Transform times3 = new Multiplier(3).Apply;
            Transform negate = Negate;
            bool ok = Check(times3(14) == 42 && negate(5) == -5, "delegates to an instance and a static method");

            long offset = 1000;
            int calls = 0;
            Transform shift = value => { calls++; return value + offset; };
            offset = 2000;
            ok &= Check(shift(1) == 2001 && shift(2) == 2002 && calls == 2, "a lambda capturing (and updating) locals");

            Map<string, int> length = text => text.Length;
            Map<int, string> describe = number => number > 0 ? "positive" : "not positive";
            ok &= Check(length("cowbird") == 7 && describe(3) == "positive", "generic delegates over reference and value types");

            int seen = 0;
            Notify notify = LogTimesTen;
            notify += value => seen += value;
            notify += LogTimesTen;
            s_log = 0;
            notify(3);
            ok &= Check(s_log == 33 && seen == 3, "a multicast delegate calls its three targets in order");
            notify -= LogTimesTen;
            s_log = 0;
            notify(4);
            ok &= Check(s_log == 4 && seen == 7, "-= removes the last occurrence only");
            Transform combined = times3;
            combined += negate;
            ok &= Check(combined(7) == -7, "a multicast delegate returns the last target's result");

            s_kept = new Multiplier(7).Apply;
            for (int round = 0; round < 2; round++)
            {
                Gc.Collect();
                ulong objects = Gc.GetStatistics().HeapBytes / 32 + 1000;
                for (ulong i = 0; i < objects; i++)
                    s_garbage = new Multiplier(-1);
            }
            s_garbage = null;
            ok &= Check(s_kept(6) == 42, "a delegate keeps its target object alive across collections");
            return ok;
        }
    }
}
