using System;
using System.Collections.Generic;
using System.Linq;

namespace Cowbird.Tests.User
{
    /// <summary>
    /// Runs a program on the host's Linux the way Cowbird's runner starts it: as pid 1 (of a new PID
    /// namespace, with its own /proc), as /bin/NAME (User/out bind-mounted over /bin in a private
    /// mount namespace) with argv[0] = NAME, in the root folder. So what only pid 1 meets (orphans
    /// adopted by the program itself) and the /bin/NAME paths are tried before Cowbird exists.
    /// Needs util-linux's unshare. Root makes the PID and mount namespaces directly; anyone else
    /// needs a user namespace first (on by default in Debian 12). Root does not ask for a user
    /// namespace, because a host may refuse those even to root while it allows the other two.
    /// </summary>
    public sealed class HostPid1Runner : ProgramRunner
    {
        /// <summary>Runs after the namespaces exist: mount the programs over /bin, exec as pid 1.</summary>
        private const string MountAndExec = "mount --bind \"$1\" /bin && exec -a \"$2\" \"/bin/$2\" \"${@:3}\"";

        public override string Name => "host-linux-pid1";

        public override IReadOnlyList<string> ArgumentsFor(ProgramSpec spec) => spec.HostArgs;

        public override RunResult Run(ProgramSpec spec, IReadOnlyList<string> args, string stdin = null)
        {
            UserPrograms.EnsureBuilt();
            var command = new List<string>();
            if (!Environment.IsPrivilegedProcess)
                command.AddRange(new[] { "--user", "--map-root-user" });
            command.AddRange(new[]
            {
                "--pid", "--fork", "--mount-proc",
                "bash", "-c", MountAndExec, "unshare-bash", UserPrograms.OutDirectory, spec.Name,
            });
            command.AddRange(args);
            return ProcessRunner.Run(Name, "unshare", command, stdin, TimeSpan.FromSeconds(spec.TimeoutSeconds), "/");
        }
    }
}
