using System;
using System.Diagnostics;
using System.IO;

namespace Cowbird.Tests.Boot
{
    // Builds a GRUB ISO like iso/cowbird.iso (same kernel.elf, initrd and grub.cfg) but
    // with a kernel command line, so a self-test can run through GRUB's multiboot2, and
    // GRUB commands of the test's own before the default entry's kernel line (a video mode).
    public static class GrubIso
    {
        private const string KernelLine = "multiboot2 /boot/kernel.elf";

        // Returns the path of a new ISO booting iso/kernel.elf with `commandLine`, after `grubCommands`.
        public static string Build(string commandLine, string grubCommands = "")
        {
            string root = Path.Combine(Path.GetTempPath(), "cowbird-iso-" + Guid.NewGuid().ToString("N"));
            string isoRoot = Path.Combine(root, "isoroot");
            Directory.CreateDirectory(Path.Combine(isoRoot, "boot", "grub"));
            File.Copy(Repository.KernelElf, Path.Combine(isoRoot, "boot", "kernel.elf"));
            File.Copy(Repository.IsoInitrd, Path.Combine(isoRoot, "boot", "initrd.cpio"));
            string config = File.ReadAllText(Path.Combine(Repository.Root, "Kernel", "Boot", "grub.cfg"));
            if (!config.Contains(KernelLine))
                throw new InvalidOperationException($"Kernel/Boot/grub.cfg has no \"{KernelLine}\" line");
            // Only the first (default) entry's kernel line gets the command line and the commands.
            int at = config.IndexOf(KernelLine, StringComparison.Ordinal);
            config = config.Insert(at + KernelLine.Length, " " + commandLine).Insert(at, grubCommands + "\n    ");
            File.WriteAllText(Path.Combine(isoRoot, "boot", "grub", "grub.cfg"), config);

            string iso = Path.Combine(root, "cowbird.iso");
            var start = new ProcessStartInfo("grub-mkrescue") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-o");
            start.ArgumentList.Add(iso);
            start.ArgumentList.Add(isoRoot);
            using Process process = Process.Start(start);
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException("grub-mkrescue failed: " + errors);
            return iso;
        }
    }
}
