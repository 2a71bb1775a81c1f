using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace Cowbird.Tests.Boot
{
    // Boots the kernel under QEMU (TCG, `-cpu max`: KVM cannot run this kernel
    // here) with COM1 going to a log file and the isa-debug-exit device present.
    public static class Qemu
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

        // GRUB boots (and OVMF's start) take much longer under TCG than `-kernel`, the more so
        // on a machine busy with other QEMUs: this limit only catches a hung boot.
        public static readonly TimeSpan IsoTimeout = TimeSpan.FromSeconds(180);
        public const string DefaultMemory = "256M";

        // UEFI firmware for x86-64 from Debian's ovmf package.
        public const string UefiFirmware = "/usr/share/ovmf/OVMF.fd";

        private static readonly object LogNameLock = new object();
        private static int s_bootNumber;

        // Boots iso/kernel.elf directly (Multiboot1) with `commandLine` as the kernel command line.
        // With `stopMarker`, QEMU is stopped as soon as the serial log contains it.
        // Each of `drives` is attached as `-drive <value>` (e.g. an IDE disk image);
        // `machine` holds further QEMU arguments as they are (e.g. -M q35, -device ahci).
        public static BootResult BootKernel(string commandLine, string memory = DefaultMemory, TimeSpan? timeout = null, string stopMarker = null, IEnumerable<string> drives = null, IEnumerable<string> machine = null)
        {
            var arguments = WithDrives(new List<string>
            {
                "-kernel", Repository.KernelElf,
                "-append", commandLine,
                "-m", memory,
            }, drives);
            arguments.AddRange(machine ?? Array.Empty<string>());
            return Run(commandLine.Length == 0 ? "idle" : commandLine, arguments, stopMarker, timeout ?? DefaultTimeout);
        }

        // Boots iso/cowbird.iso (or `isoPath`) through GRUB (BIOS, or UEFI with `uefiFirmware`);
        // stops QEMU as soon as the serial log contains `stopMarker`, when given.
        public static BootResult BootIso(string stopMarker, string uefiFirmware = null, TimeSpan? timeout = null, string isoPath = null, IEnumerable<string> drives = null)
        {
            var arguments = WithDrives(new List<string> { "-cdrom", isoPath ?? Repository.KernelIso, "-m", DefaultMemory }, drives);
            if (uefiFirmware != null)
                arguments.AddRange(new[] { "-bios", uefiFirmware });
            return Run(uefiFirmware == null ? "iso-bios" : "iso-uefi", arguments, stopMarker, timeout ?? IsoTimeout);
        }

        private static List<string> WithDrives(List<string> arguments, IEnumerable<string> drives)
        {
            foreach (string drive in drives ?? Array.Empty<string>())
                arguments.AddRange(new[] { "-drive", drive });
            return arguments;
        }

        private static string LogName(string label)
        {
            string safe = string.Concat(Array.ConvertAll(label.ToCharArray(), c => char.IsLetterOrDigit(c) ? c : '_'));
            lock (LogNameLock)
                return $"{++s_bootNumber:D2}-{safe}.log";
        }

        // A fresh (deleted) serial log path in the tests' boot-logs directory, named after `label`.
        public static string NewLogPath(string label)
        {
            string logDirectory = Path.Combine(AppContext.BaseDirectory, "boot-logs");
            Directory.CreateDirectory(logDirectory);
            string logPath = Path.Combine(logDirectory, LogName(label));
            File.Delete(logPath);
            return logPath;
        }

        // QEMU, with no window, COM1 into `logPath`, the exit device, and `machineArguments`
        // (what to boot and how); stdin, stdout and stderr redirected.
        public static Process Start(string logPath, IEnumerable<string> machineArguments)
        {
            var start = new ProcessStartInfo("qemu-system-x86_64")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[]
            {
                "-cpu", "max", "-accel", "tcg", "-display", "none", "-no-reboot", "-monitor", "none",
                "-serial", "file:" + logPath,
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            })
                start.ArgumentList.Add(argument);
            foreach (string argument in machineArguments)
                start.ArgumentList.Add(argument);
            return StartQemu(start);
        }

        private static BootResult Run(string label, List<string> machineArguments, string stopMarker, TimeSpan timeout)
        {
            string logPath = NewLogPath(label);
            using Process qemu = Start(logPath, machineArguments);
            qemu.StandardInput.Close();
            var stopwatch = Stopwatch.StartNew();
            bool timedOut = false, stoppedAtMarker = false;
            while (!qemu.WaitForExit(100))
            {
                if (stopMarker != null && ReadLog(logPath).Contains(stopMarker))
                {
                    stoppedAtMarker = true;
                    break;
                }
                if (stopwatch.Elapsed > timeout)
                {
                    timedOut = true;
                    break;
                }
            }
            if (timedOut || stoppedAtMarker)
            {
                qemu.Kill(entireProcessTree: true);
                qemu.WaitForExit();
            }
            string qemuErrors = qemu.StandardError.ReadToEnd();
            string serial = ReadLog(logPath);
            if (!timedOut && !stoppedAtMarker && qemu.ExitCode == 1 && qemuErrors.Length > 0)
                throw new InvalidOperationException($"QEMU failed to start the machine: {qemuErrors}");
            return new BootResult(timedOut || stoppedAtMarker ? -1 : qemu.ExitCode, timedOut, stoppedAtMarker, serial, logPath);
        }

        private static Process StartQemu(ProcessStartInfo start)
        {
            try
            {
                return Process.Start(start);
            }
            catch (Win32Exception e)
            {
                throw new InvalidOperationException(
                    "qemu-system-x86_64 is not installed: run ./build.sh setup (Debian package qemu-system-x86)", e);
            }
        }

        // The serial log so far ("\r\n" read as "\n"); empty before QEMU created it.
        public static string ReadLog(string path)
        {
            if (!File.Exists(path))
                return "";
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Replace("\r\n", "\n");
        }
    }
}
