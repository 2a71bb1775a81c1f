using System;
using System.Collections.Generic;
using System.Linq;

namespace Cowbird.Tests.User
{
    /// <summary>
    /// Runs a program of User/out on Cowbird under QEMU through the runner (README, "Running one program"):
    /// `./build.sh run --mem M --swap S --timeout T -- User/out/NAME ARGS...` from the repository root,
    /// with the spec's KernelArgs in COWBIRD_KERNEL_ARGS (empty: the default command line).
    /// The program becomes pid 1 as /bin/NAME with argv[0] = NAME; the runner's stdout is the
    /// program's, its exit status the program's (128+N for signal N, 125 kernel panic, 124 timeout).
    /// CowbirdProgramTests runs every program through it; ProgramTableTests checks the command line.
    /// </summary>
    public sealed class CowbirdRunner : ProgramRunner
    {
        /// <summary>Seconds QEMU gets beyond the program's own limit before the host gives up.</summary>
        private const int HostGraceSeconds = 60;

        public override string Name => "cowbird";

        public override IReadOnlyList<string> ArgumentsFor(ProgramSpec spec) => spec.CowbirdArgs;

        /// <summary>The reverse-mapping design the kernel boots with (`--rmap NAME`), or null
        /// for the kernel's default.</summary>
        private readonly string _rmap;

        /// <summary>The anonymous page offsets (`--rmap-offsets MODE`: linear or reserve), or
        /// null for the kernel's default.</summary>
        private readonly string _offsets;

        /// <summary>False: anon_vma_chain without its reuse of idle anon_vmas (`--rmap-reuse 0`).</summary>
        private readonly bool _reuse;

        public CowbirdRunner(string rmap = null, string offsets = null, bool reuse = true)
        {
            _rmap = rmap;
            _offsets = offsets;
            _reuse = reuse;
        }

        /// <summary>The arguments of build.sh that run spec's program with args on Cowbird
        /// (under reverse-mapping design `rmap` when it is not null).</summary>
        public static IReadOnlyList<string> BuildShArguments(ProgramSpec spec, IReadOnlyList<string> args, string rmap = null,
                                                             string offsets = null, bool reuse = true)
        {
            var list = new List<string> { "run", "--mem", spec.MemMb.ToString(), "--timeout", spec.TimeoutSeconds.ToString() };
            if (spec.SwapMb > 0)
                list.AddRange(new[] { "--swap", spec.SwapMb.ToString() });
            if (rmap != null)
                list.AddRange(new[] { "--rmap", rmap });
            if (offsets != null)
                list.AddRange(new[] { "--rmap-offsets", offsets });
            if (!reuse)
                list.AddRange(new[] { "--rmap-reuse", "0" });
            list.Add("--");
            list.Add(UserPrograms.PathOf(spec.Name));
            list.AddRange(args);
            return list;
        }

        public override RunResult Run(ProgramSpec spec, IReadOnlyList<string> args, string stdin = null)
        {
            var command = new[] { System.IO.Path.Combine(UserPrograms.RepositoryRoot, "build.sh") }
                .Concat(BuildShArguments(spec, args, _rmap, _offsets, _reuse)).ToList();
            var environment = new Dictionary<string, string> { ["COWBIRD_KERNEL_ARGS"] = spec.KernelArgs };
            return ProcessRunner.Run(Name, "bash", command, stdin,
                TimeSpan.FromSeconds(spec.TimeoutSeconds + HostGraceSeconds), UserPrograms.RepositoryRoot, environment);
        }
    }
}
