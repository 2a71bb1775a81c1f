using System.Collections.Generic;

namespace Cowbird.Tests.User
{
    /// <summary>
    /// Runs one program of User/out on some kernel and returns how it ended. The host's Linux is one
    /// kernel (HostLinuxRunner); Cowbird under QEMU (`./build.sh run --mem M --swap S -- program args`)
    /// is the other (CowbirdRunner). Tests are written against this class, so the same checks and
    /// the same programs run on both, and outputs can be compared (TestOutput.Verdicts).
    /// </summary>
    public abstract class ProgramRunner
    {
        /// <summary>A short name for messages ("host-linux", "cowbird").</summary>
        public abstract string Name { get; }

        /// <summary>The arguments this kernel gives the program (from the program table).</summary>
        public abstract IReadOnlyList<string> ArgumentsFor(ProgramSpec spec);

        /// <summary>Runs spec's program with args, feeding stdin (null = empty input), within the
        /// spec's time limit. Never throws for a failing program; only for a missing one.</summary>
        public abstract RunResult Run(ProgramSpec spec, IReadOnlyList<string> args, string stdin = null);

        /// <summary>Runs spec's program with this kernel's arguments from the table.</summary>
        public RunResult Run(ProgramSpec spec) => Run(spec, ArgumentsFor(spec));
    }
}
