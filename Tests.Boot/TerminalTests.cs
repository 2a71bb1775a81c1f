using Xunit;

namespace Cowbird.Tests.Boot
{
    // The console is a terminal with Linux's line discipline, and the shell does job control:
    // keys typed through QMP (the PS/2 keyboard) are edited, echoed and turned into signals by
    // the kernel, and what the terminal echoes comes back on the serial line ("\r\n" read as
    // "\n"). Each test boots the ISO (BIOS) into busybox ash and starts the project's shell,
    // cbsh, whose job control and `tty` helper the tests drive.
    public sealed class TerminalTests
    {
        // Backspace erases a character, Ctrl-W a word and Ctrl-U the line, with "\b \b" per
        // column (ECHOE, ECHOKE); the shell gets only the edited line.
        [Fact]
        public void BackspaceCtrlWAndCtrlUEditTheLine()
        {
            using var machine = new InteractiveQemu("terminal-editing");
            int at = machine.WaitForShell();

            machine.Type("abc");
            machine.Qmp.SendKey("ctrl", "u");
            machine.Type("helx");
            machine.Qmp.SendKey("backspace");
            machine.Type("p\n");
            at = machine.WaitForSerial("abc\b \b\b \b\b \bhelx\b \bp\nCowbird sh. Builtins: help, exit [N], jobs", at);
            at = machine.WaitForPrompt(at);

            machine.Type("tty two words");
            machine.Qmp.SendKey("ctrl", "w");
            machine.Qmp.SendKey("ctrl", "w");
            machine.Type("--no-echo\n");
            at = machine.WaitForSerial("tty two words\b \b\b \b\b \b\b \b\b \b\b \b\b \b\b \b\b \b--no-echo\npassword: ", at);
            machine.Type("x\n");
            machine.WaitForSerial("got: x", at);
        }

        // Ctrl-C kills the program in the foreground (SIGINT to its group, echoed ^C) and the
        // shell prompts again; Ctrl-Z stops it (SIGTSTP), `jobs` lists it, `fg` continues it.
        // At the prompt, Ctrl-C drops the line being typed and the shell stays.
        [Fact]
        public void CtrlCKillsTheForegroundProgramAndCtrlZStopsIt()
        {
            using var machine = new InteractiveQemu("terminal-signals");
            int at = machine.WaitForShell();

            at = StartSleeper(machine, at);
            at = InterruptForeground(machine, at);

            at = StartSleeper(machine, at);
            machine.Qmp.SendKey("ctrl", "z");
            at = machine.WaitForSerial("^Z\n[1]+ Stopped  tty\n", at);
            at = machine.WaitForPrompt(at);
            machine.Type("jobs\n");
            at = machine.WaitForSerial("[1] Stopped  tty\n", at);
            at = machine.WaitForPrompt(at);
            machine.Type("fg\n");
            at = machine.WaitForSerial("fg\ntty\n", at);
            at = InterruptForeground(machine, at);

            machine.Type("abc");
            machine.Qmp.SendKey("ctrl", "c");
            at = machine.WaitForSerial("abc^C\n$ ", at);
            machine.Type("help\n");
            machine.WaitForSerial("Cowbird sh. Builtins", at);
        }

        // Types `tty --sleep` and waits until it says "sleeping": it runs in the foreground.
        // Returns the index past that.
        private static int StartSleeper(InteractiveQemu machine, int at)
        {
            machine.Type("tty --sleep\n");
            return machine.WaitForSerial("sleeping\n", at);
        }

        // Ctrl-C for the sleeping `tty` in the foreground: the terminal echoes ^C, SIGINT kills
        // it, the shell says so and prompts again. Returns the index past the prompt.
        private static int InterruptForeground(InteractiveQemu machine, int at)
        {
            machine.Qmp.SendKey("ctrl", "c");
            at = machine.WaitForSerial("^C\n[tty: killed by signal 2, SIGINT]\n", at);
            return machine.WaitForPrompt(at);
        }

        // Job control as on Linux (`tty --jobs`, which passes on a Linux terminal too): a
        // background job that reads gets SIGTTIN, one that writes with TOSTOP, changes the
        // settings or the foreground group gets SIGTTOU, EIO or success when it ignores them;
        // tcsetpgrp's errors.
        [Fact]
        public void BackgroundJobsGetSigttinAndSigttou()
        {
            using var machine = new InteractiveQemu("terminal-jobs");
            int at = machine.WaitForShell();

            machine.Type("tty --jobs\n");
            int done = machine.WaitForSerial("DONE tty-jobs: ", at);
            int end = machine.WaitForSerial("\n", done);
            string output = machine.Serial.Substring(at, end - at);
            Assert.DoesNotContain("FAIL", output);
            Assert.Matches(@"DONE tty-jobs: \d+ passed, 0 failed", output);
            Assert.Contains("PASS a background read stops its group with SIGTTIN", output);
        }

        // With IEXTEN, Ctrl-R reprints the line being typed on a new line, and Ctrl-V makes the
        // next key literal: Ctrl-C then reaches the program as a byte instead of sending SIGINT.
        // With IXON, Ctrl-S holds a program's output (the shell's) until Ctrl-Q; what is typed
        // is still echoed.
        [Fact]
        public void CtrlRReprintsCtrlVQuotesAndCtrlSHoldsOutput()
        {
            using var machine = new InteractiveQemu("terminal-extensions");
            int at = machine.WaitForShell();

            machine.Type("tty --no");
            machine.Qmp.SendKey("ctrl", "r");
            machine.Type("-echo\n");
            at = machine.WaitForSerial("tty --no^R\ntty --no-echo\npassword: ", at);
            machine.Type("a");
            machine.Qmp.SendKey("ctrl", "v");
            machine.Qmp.SendKey("ctrl", "c");
            machine.Type("b\n");
            at = machine.WaitForSerial("got: a\u0003b\n", at);
            at = machine.WaitForPrompt(at);

            machine.Qmp.SendKey("ctrl", "s");
            machine.Type("help\n");
            at = machine.WaitForSerial("help\n", at);
            System.Threading.Thread.Sleep(1000);
            Assert.DoesNotContain("Builtins", machine.Serial.Substring(at));
            machine.Qmp.SendKey("ctrl", "q");
            machine.WaitForSerial("Cowbird sh. Builtins", at);
        }

        // A program that turns ECHO off reads what is typed without it being echoed; without
        // ICANON a key is read at once, without Enter. Ctrl-D at an empty prompt is end of
        // input: cbsh ends and ash (pid 1) prompts again; Ctrl-D at its prompt ends it with
        // status 0, which powers the machine off.
        [Fact]
        public void NoEchoReadsAndCtrlDAtAnEmptyPrompt()
        {
            using var machine = new InteractiveQemu("terminal-no-echo");
            int at = machine.WaitForShell();

            machine.Type("tty --no-echo\n");
            at = machine.WaitForSerial("password: ", at);
            machine.Type("hidden\n");
            int got = machine.WaitForSerial("got: hidden\n", at);
            Assert.DoesNotContain("hidden", machine.Serial.Substring(at, got - at - "hidden\n".Length));
            at = machine.WaitForPrompt(got);

            machine.Type("tty --key\n");
            at = machine.WaitForSerial("key: ", at);
            machine.Type("q");
            at = machine.WaitForSerial("key: 1 byte(s), first 0x71\n", at);
            at = machine.WaitForPrompt(at);

            machine.Qmp.SendKey("ctrl", "d");
            at = machine.WaitForAshPrompt(at);
            machine.Qmp.SendKey("ctrl", "d");
            machine.WaitForSerial("COWBIRD-EXIT status=0", at);
        }
    }
}
