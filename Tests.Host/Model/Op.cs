using System.Collections.Generic;
using Cowbird.Mm.Vm;

namespace Cowbird.Tests.Host.Model
{
    // One random operation, drawn up front so a failing sequence can be replayed and
    // shrunk. Pid is taken modulo the live process count, Page/Count are clamped to the
    // window when applied, so any subsequence of a valid sequence is valid too (what
    // the shrinker relies on). ToString is C# that rebuilds the op, for replay tests.
    public readonly struct Op
    {
        public readonly OpKind Kind;
        public readonly int Pid, Page, Count, Prot, NewCount, Mode, Dest, BrkPages, AnyPage;
        public readonly bool Shared;
        public readonly byte Value;

        public Op(OpKind kind, int pid = 0, int page = 0, int count = 1, int prot = 0, bool shared = false,
                  int newCount = 1, int mode = 0, int dest = 0, int brkPages = 0, int anyPage = 0, byte value = 0)
        {
            Kind = kind; Pid = pid; Page = page; Count = count; Prot = prot; Shared = shared; NewCount = newCount;
            Mode = mode; Dest = dest; BrkPages = brkPages; AnyPage = anyPage; Value = value;
        }

        // The protections an op can ask for (Prot indexes this table).
        public static readonly Protection[] Prots =
            { Protection.None, Protection.Read, Protection.Read | Protection.Write, Protection.Read | Protection.Exec,
              Protection.All };

        // A random op of a kind drawn from `mix`.
        public static Op Random(System.Random r, IReadOnlyList<OpKind> mix)
        {
            OpKind kind = mix[r.Next(mix.Count)];
            return new Op(kind, pid: r.Next(ModelProcess.MaxPids), page: r.Next(ModelProcess.WindowPages),
                          count: 1 + r.Next(4), prot: r.Next(Prots.Length), shared: r.Next(3) == 0,
                          newCount: 1 + r.Next(4), mode: r.Next(3), dest: r.Next(ModelProcess.WindowPages),
                          brkPages: r.Next(ModelProcess.HeapPages + 1), anyPage: r.Next(ModelProcess.Pages),
                          value: (byte)r.Next(1, 256));
        }

        // `count` random ops from `seed`: the same seed always gives the same sequence.
        public static List<Op> Sequence(int seed, int count, IReadOnlyList<OpKind> mix)
        {
            var random = new System.Random(seed);
            var ops = new List<Op>(count);
            for (int i = 0; i < count; i++)
                ops.Add(Random(random, mix));
            return ops;
        }

        public override string ToString()
        {
            return $"new Op(OpKind.{Kind}, pid: {Pid}, page: {Page}, count: {Count}, prot: {Prot}, shared: {(Shared ? "true" : "false")}, "
                   + $"newCount: {NewCount}, mode: {Mode}, dest: {Dest}, brkPages: {BrkPages}, anyPage: {AnyPage}, value: {Value}),";
        }
    }
}
