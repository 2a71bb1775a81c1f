using System.Text.RegularExpressions;
using Xunit;

namespace Cowbird.Tests.Boot
{
    // The default system (the ISO, BIOS) boots into busybox ash as pid 1, interactive on the
    // console, with busybox's applets linked in /bin: commands typed through QMP (the PS/2
    // keyboard) run applets, pipelines and job control, and their output comes back on the
    // serial line ("\r\n" read as "\n").
    public sealed class DefaultShellTests
    {
        [Fact]
        public void AshIsPid1AndRunsTheAppletsLinkedInBin()
        {
            using var machine = new InteractiveQemu("default-ash");
            int at = machine.WaitForAsh();

            string output = Run(machine, "echo $0 $$", ref at);
            Assert.Matches(@"(?m)^sh 1$", output);

            output = Run(machine, "ls -l /bin/ls /bin/sh /bin/tty", ref at);
            Assert.Matches(@"/bin/ls -> busybox\n", output);
            Assert.Matches(@"/bin/sh -> busybox\n", output);
            Assert.Matches(@"-rwxr-xr-x .* /bin/tty\n", output);      // Cowbird's tty, not the applet

            output = Run(machine, "id", ref at);
            Assert.Contains("uid=0(root) gid=0(root)", output);

            output = Run(machine, "ps | grep sh", ref at);
            Assert.Matches(@"(?m)^ +1 root +sh -l$", output);

            output = Run(machine, "free", ref at);
            Assert.Matches(@"(?m)^Mem: +\d+ +\d+ +\d+ ", output);
        }

        // Ctrl-C kills the program in the foreground, `sleep 100` (SIGINT: ash's `$?` says
        // 128 + 2), and ash prompts again at once. The child says "sleeping" first, so the key
        // is pressed once it runs in the foreground group.
        [Fact]
        public void CtrlCKillsAForegroundSleepAndAshPromptsAgain()
        {
            using var machine = new InteractiveQemu("default-ash-ctrl-c");
            int at = machine.WaitForAsh();

            machine.Type("sh -c 'echo sleeping; exec sleep 100'\n");
            at = machine.WaitForSerial("\nsleeping\n", at);
            machine.Qmp.SendKey("ctrl", "c");
            at = machine.WaitForSerial("^C", at);
            at = machine.WaitForAshPrompt(at);

            string status = Run(machine, "echo $?", ref at);
            Assert.Matches(@"(?m)^130$", status);
        }

        // Ash's job control: Ctrl-Z stops the foreground job (SIGTSTP to its group), `jobs`
        // lists it, `fg` gives it the terminal and continues it (its SIGCONT trap says so, after
        // ash made its group the foreground one), and Ctrl-C then kills it.
        [Fact]
        public void CtrlZStopsAJobAndFgContinuesIt()
        {
            using var machine = new InteractiveQemu("default-ash-ctrl-z");
            int at = machine.WaitForAsh();

            machine.Type("sh -c 'trap \"echo continued\" cont; echo sleeping; while true; do sleep 1; done'\n");
            at = machine.WaitForSerial("\nsleeping\n", at);
            machine.Qmp.SendKey("ctrl", "z");
            at = machine.WaitForSerial("Stopped", at);
            at = machine.WaitForAshPrompt(at);

            string jobs = Run(machine, "jobs", ref at);
            Assert.Matches(@"\[1\]\+ +Stopped +sh -c", jobs);

            machine.Type("fg\n");
            at = machine.WaitForSerial("\ncontinued\n", at);
            machine.Qmp.SendKey("ctrl", "c");
            at = machine.WaitForAshPrompt(machine.WaitForSerial("^C", at));
            Assert.Matches(@"(?m)^130$", Run(machine, "echo $?", ref at));
        }

        // Types `command` and Enter at ash's prompt; returns what the serial line shows up to
        // the next prompt, and moves `at` past it.
        private static string Run(InteractiveQemu machine, string command, ref int at)
        {
            machine.Type(command + "\n");
            int start = machine.WaitForSerial(command + "\n", at);
            at = machine.WaitForAshPrompt(start);
            return machine.Serial.Substring(start, at - start);
        }
    }
}
