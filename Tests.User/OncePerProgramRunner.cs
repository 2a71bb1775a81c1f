using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace Cowbird.Tests.User
{
    /// <summary>
    /// A runner that runs each program at most once per test run with the same arguments and no
    /// input, and hands every later caller the same RunResult. Several checks look at one Cowbird
    /// run (the program passes; its verdicts equal the host's) without booting QEMU again for each:
    /// a Cowbird run of swap_fork takes tens of seconds, the host's a second. Runs with input
    /// (stdin) are never shared.
    /// </summary>
    public sealed class OncePerProgramRunner : ProgramRunner
    {
        private readonly ProgramRunner inner;
        private readonly ConcurrentDictionary<string, Lazy<RunResult>> runs = new();

        public OncePerProgramRunner(ProgramRunner inner) => this.inner = inner;

        public override string Name => inner.Name;

        public override IReadOnlyList<string> ArgumentsFor(ProgramSpec spec) => inner.ArgumentsFor(spec);

        public override RunResult Run(ProgramSpec spec, IReadOnlyList<string> args, string stdin = null)
        {
            if (stdin != null)
                return inner.Run(spec, args, stdin);
            string key = spec.Name + "\0" + string.Join("\0", args);
            return runs.GetOrAdd(key, _ => new Lazy<RunResult>(() => inner.Run(spec, args))).Value;
        }
    }
}
