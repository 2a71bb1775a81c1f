using System;
using System.Collections.Generic;
using System.IO;

namespace Cowbird.Tests.User
{
    /// <summary>Runs a program of User/out directly on the host's Linux, as argv[0] = its full path.
    /// The programs must behave the same here as on Cowbird; only INFO lines may differ.</summary>
    public sealed class HostLinuxRunner : ProgramRunner
    {
        public override string Name => "host-linux";

        public override IReadOnlyList<string> ArgumentsFor(ProgramSpec spec) => spec.HostArgs;

        public override RunResult Run(ProgramSpec spec, IReadOnlyList<string> args, string stdin = null)
        {
            string path = UserPrograms.PathOf(spec.Name);
            if (!File.Exists(path))
                throw new FileNotFoundException($"{path} was not built by User/build.sh");
            return ProcessRunner.Run(Name, path, args, stdin, TimeSpan.FromSeconds(spec.TimeoutSeconds), UserPrograms.OutDirectory);
        }
    }
}
