using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace Cowbird.Tests.Boot
{
    // The initrd as a Multiboot2 module: GRUB (`module2 /boot/initrd.cpio` after
    // `multiboot2 /boot/kernel.elf`) hands it over, the kernel finds etc/init.argv and
    // runs the program as pid 1 (here without console=raw: program output and kernel
    // log share COM1), and pid 1's exit powers off with the success status.
    public sealed class ProcessGrubTests
    {
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void InitrdModuleThroughGrubRunsPid1(bool uefi)
        {
            string root = Path.Combine(Path.GetTempPath(), "cowbird-iso-initrd-" + Guid.NewGuid().ToString("N"));
            try
            {
                string iso = BuildIso(root, "forkdemo");
                BootResult result = Qemu.BootIso(stopMarker: null, uefi ? Qemu.UefiFirmware : null, isoPath: iso);
                Assert.True(result.ExitCode == KernelExit.Success, result.ToString());
                Assert.Contains("boot: multiboot2", result.Serial);
                Assert.Contains("init: starting /bin/forkdemo as pid 1", result.Serial);
                // Not raw: the console sends a program's "\n" as "\r\n".
                Assert.Contains("forkdemo: I am pid 1, my parent is pid 0\r\n", File.ReadAllText(result.SerialLogPath));
                Assert.Contains("reaped child 2 (pid 4): exit 12", result.Serial);
                Assert.Contains("COWBIRD-EXIT status=0", result.Serial);
            }
            finally
            {
                if (Directory.Exists(root))
                    Directory.Delete(root, recursive: true);
            }
        }

        // An ISO booting iso/kernel.elf with an initrd holding User/out/<program> as init.
        private static string BuildIso(string root, string program)
        {
            string boot = Path.Combine(root, "isoroot", "boot");
            Directory.CreateDirectory(Path.Combine(boot, "grub"));
            File.Copy(Repository.KernelElf, Path.Combine(boot, "kernel.elf"));
            Directory.CreateDirectory(Path.Combine(Repository.Root, "User", "out"));
            // The same lock as the runner's (build.sh): User/build.sh must not run twice at once.
            Run("flock", Path.Combine(Repository.Root, "User", "out", ".build-lock"), Path.Combine(Repository.Root, "User", "build.sh"));
            Run(Path.Combine(Repository.Root, "Kernel", "Build", "mkinitrd.sh"), Path.Combine(boot, "initrd.cpio"),
                "--init", program, "--", Path.Combine(Repository.Root, "User", "out", program));
            File.WriteAllText(Path.Combine(boot, "grub", "grub.cfg"),
                "set timeout=0\nset default=0\nmenuentry \"Cowbird\" {\n" +
                "    multiboot2 /boot/kernel.elf\n    module2 /boot/initrd.cpio\n    boot\n}\n");
            string iso = Path.Combine(root, "cowbird.iso");
            Run("grub-mkrescue", "-o", iso, Path.Combine(root, "isoroot"));
            return iso;
        }

        private static void Run(string file, params string[] args)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in args)
                start.ArgumentList.Add(a);
            using Process process = Process.Start(start);
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{file} failed: {output}");
        }
    }
}
