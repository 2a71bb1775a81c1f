using Cowbird.Kernel.Arch.X64;
using Cowbird.Kernel.Boot;
using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Tty;

namespace Cowbird.Kernel.Processes
{
    // Builds the file tree (the initrd unpacked into it), then chooses and starts pid 1:
    //   - `etc/init.argv` (argv strings, each NUL-terminated; the runner writes it):
    //     run /bin/<argv[0]> with exactly that argv;
    //   - else the interactive default system's shell: on the console's terminal /bin/sh -l,
    //     busybox ash as a login shell (it reads /etc/profile); with a raw console, which
    //     neither echoes nor edits, /bin/cbsh -e, the project's shell, which does both itself;
    //   - else say so and idle.
    public static unsafe class InitProcess
    {
        // Room for the default command, "cbsh -e".
        private const int DefaultArgvBytes = 16;

        // Starts pid 1 and the scheduler (never returns), or returns when there is nothing to run.
        public static void Run(BootInfo bootInfo)
        {
            if (bootInfo.InitrdEnd > bootInfo.InitrdStart)
                Initrd.Initialize(KernelLayout.PhysicalToVirtual(bootInfo.InitrdStart), bootInfo.InitrdEnd - bootInfo.InitrdStart);
            FileSystem.Initialize();
            if (!Initrd.IsPresent)
            {
                KernelConsole.WriteLine("init: no initrd (boot module): no programs to run");
                return;
            }
            Inode argvFile = Find("/etc/init.argv");
            bool fromArgvFile = argvFile != null && argvFile.IsRegular;
            int size = fromArgvFile ? (int)argvFile.Size : 0;
            ArgumentList argv = new ArgumentList(fromArgvFile ? size : DefaultArgvBytes, fromArgvFile ? size : 2);
            if (fromArgvFile)
                AddStrings(argv, argvFile, size);
            else if (Terminal.Console != null && Find("/bin/sh") != null)
            {
                Add(argv, "sh");
                Add(argv, "-l");
            }
            else if (Terminal.Console == null && Find("/bin/cbsh") != null)
            {
                Add(argv, "cbsh");
                Add(argv, "-e");
            }
            if (argv.Count == 0)
            {
                KernelConsole.WriteLine(Terminal.Console != null
                    ? "init: the initrd has neither etc/init.argv nor bin/sh: nothing to run"
                    : "init: the initrd has neither etc/init.argv nor bin/cbsh: nothing to run");
                return;
            }
            byte* path = stackalloc byte[4096];
            int length = 0;
            const string bin = "/bin/";
            for (int i = 0; i < bin.Length; i++)
                path[length++] = (byte)bin[i];
            int nameLength = argv.LengthAt(0);
            for (int i = 0; i < nameLength && length < 4095; i++)
                path[length++] = argv.Bytes[i];
            int error = ProcessLifecycle.StartInit(path, length, argv);
            if (error != 0)
            {
                KernelConsole.Write("init: cannot start ");
                KernelConsole.WriteAscii(path, length);
                KernelConsole.Write(": error ");
                KernelConsole.WriteDecimal((ulong)(-error));
                KernelConsole.Write('\n');
                if (fromArgvFile)
                {
                    KernelConsole.WriteLine("COWBIRD-EXIT status=127");
                    Drivers.QemuDebugExit.Exit(Drivers.ExitStatus.Success);
                }
                return;
            }
            KernelConsole.Write("init: starting ");
            KernelConsole.WriteAscii(path, length);
            KernelConsole.WriteLine(" as pid 1");
            Cpu.DisableInterrupts();
            Scheduler.Start();
        }

        // The inode at the absolute `name`, or null.
        private static Inode Find(string name)
        {
            byte* path = stackalloc byte[64];
            for (int i = 0; i < name.Length; i++)
                path[i] = (byte)name[i];
            return PathWalk.Lookup(FileSystem.Root, path, name.Length, true, out Inode node) == 0 ? node : null;
        }

        // Adds the NUL-terminated strings of the file `strings` (`size` bytes) to `list`.
        private static void AddStrings(ArgumentList list, Inode strings, int size)
        {
            byte[] bytes = new byte[size];
            fixed (byte* data = bytes)
            {
                strings.Pages.Read(0, data, (ulong)size);
                int start = 0;
                for (int i = 0; i < size; i++)
                {
                    if (data[i] != 0)
                        continue;
                    list.Add(data + start, i - start);
                    start = i + 1;
                }
            }
        }

        private static void Add(ArgumentList list, string text)
        {
            byte* bytes = stackalloc byte[64];
            for (int i = 0; i < text.Length; i++)
                bytes[i] = (byte)text[i];
            list.Add(bytes, text.Length);
        }
    }
}
