using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace Cowbird.Tests.Boot
{
    // A QEMU machine a test talks to while it runs: booted from iso/cowbird.iso or `isoPath`
    // (BIOS, or UEFI with `uefiFirmware`), COM1 into a log file, and a QMP socket to press keys and take
    // screenshots. Dispose stops QEMU.
    public sealed class InteractiveQemu : IDisposable
    {
        private readonly Process _qemu;
        private readonly string _socketPath;
        private readonly DateTime _deadline;

        public QmpClient Qmp { get; }

        public string SerialLogPath { get; }

        // Boots the ISO; every wait of this machine ends at the latest `timeout` after the start.
        public InteractiveQemu(string label, string uefiFirmware = null, string isoPath = null, TimeSpan? timeout = null)
        {
            _deadline = DateTime.UtcNow + (timeout ?? Qemu.IsoTimeout);
            SerialLogPath = Qemu.NewLogPath(label);
            _socketPath = Path.Combine(Path.GetTempPath(), "cowbird-qmp-" + Guid.NewGuid().ToString("N")[..12] + ".sock");
            var arguments = new System.Collections.Generic.List<string>
            {
                "-cdrom", isoPath ?? Repository.KernelIso, "-m", Qemu.DefaultMemory,
                "-qmp", $"unix:{_socketPath},server=on,wait=off",
            };
            if (uefiFirmware != null)
                arguments.AddRange(new[] { "-bios", uefiFirmware });
            _qemu = Qemu.Start(SerialLogPath, arguments);
            _qemu.StandardInput.Close();
            Qmp = QmpClient.Connect(_socketPath, _deadline);
        }

        // Everything COM1 received so far ("\r\n" read as "\n").
        public string Serial => Qemu.ReadLog(SerialLogPath);

        // Waits until the serial log, from character `from` on, contains `text`; returns the index
        // just past it. Throws when the machine's time is up or QEMU ended.
        public int WaitForSerial(string text, int from = 0)
        {
            while (true)
            {
                string serial = Serial;
                int at = from <= serial.Length ? serial.IndexOf(text, from, StringComparison.Ordinal) : -1;
                if (at >= 0)
                    return at + text.Length;
                if (_qemu.HasExited)
                    throw new InvalidOperationException($"QEMU ended (status {_qemu.ExitCode}) before \"{text}\" appeared. Serial log {SerialLogPath}:\n{serial}");
                if (DateTime.UtcNow > _deadline)
                    throw new TimeoutException($"\"{text}\" did not appear on the serial line. Serial log {SerialLogPath}:\n{serial}");
                Thread.Sleep(100);
            }
        }

        // Types `text` on the keyboard (US layout), one key press per character: lower-case
        // letters, digits, space, '\n' (Enter) and the signs - / . ; ' " $ | ?.
        public void Type(string text)
        {
            foreach (char c in text)
            {
                switch (c)
                {
                    case '$': Qmp.SendKey("shift", "4"); break;
                    case '|': Qmp.SendKey("shift", "backslash"); break;
                    case '?': Qmp.SendKey("shift", "slash"); break;
                    case '"': Qmp.SendKey("shift", "apostrophe"); break;
                    default:
                        Qmp.SendKey(c switch { ' ' => "spc", '-' => "minus", '/' => "slash", '.' => "dot", ';' => "semicolon", '\'' => "apostrophe", '\n' => "ret", _ => c.ToString() });
                        break;
                }
            }
        }

        // Waits for the project's shell's prompt from character `from` of the serial log on;
        // returns the index just past it.
        public int WaitForPrompt(int from = 0) => WaitForSerial("$ ", from);

        // Waits for busybox ash's prompt from character `from` on; returns the index past it.
        public int WaitForAshPrompt(int from = 0) => WaitForSerial(ShellText.AshPrompt, from);

        // Boots into the default system, busybox ash (pid 1): waits for its greeting and first
        // prompt; returns the index past it.
        public int WaitForAsh() => WaitForAshPrompt(WaitForSerial(ShellText.AshGreeting));

        // Boots into ash, starts the project's shell from it (`cbsh`) and waits for its greeting
        // and first prompt; returns the index past it.
        public int WaitForShell()
        {
            int at = WaitForAsh();
            Type("cbsh\n");
            return WaitForPrompt(WaitForSerial(ShellText.Greeting, at));
        }

        public void Dispose()
        {
            Qmp.Dispose();
            if (!_qemu.HasExited)
            {
                _qemu.Kill(entireProcessTree: true);
                _qemu.WaitForExit();
            }
            _qemu.Dispose();
            File.Delete(_socketPath);
        }
    }
}
