using System.Collections.Generic;

namespace Cowbird.Tests.User
{
    /// <summary>What a program in User/ is: a test (PASS/FAIL lines, exit 0 = all passed),
    /// a demo (prints figures, exit 0 = its own sanity check held) or the interactive shell.</summary>
    public enum ProgramKind { Test, Demo, Shell }

    /// <summary>
    /// One program of User/out and what it needs to run: guest RAM and swap on Cowbird
    /// (`./build.sh run --mem MemMb --swap SwapMb`), a time limit, and its arguments on each kernel.
    /// Arguments differ only where a check is meaningful on one kernel alone (e.g. MemFree within 1%
    /// after 1000 forks is asserted on Cowbird; on the shared host MemFree moves with everything else).
    /// KernelArgs are added to Cowbird's command line (COWBIRD_KERNEL_ARGS of `./build.sh run`), e.g.
    /// `sysctl.vm.overcommit_memory=2` to boot in strict overcommit mode.
    /// </summary>
    public sealed record ProgramSpec(
        string Name,
        ProgramKind Kind,
        int MemMb,
        int SwapMb,
        int TimeoutSeconds,
        IReadOnlyList<string> HostArgs,
        IReadOnlyList<string> CowbirdArgs,
        string Purpose,
        string KernelArgs = "")
    {
        public override string ToString() => Name;
    }
}
