using Cowbird.Kernel.Drivers;
using Cowbird.Kernel.Processes;
using Cowbird.Kernel.Syscalls;
using Cowbird.Mm;

namespace Cowbird.Kernel.Tty
{
    // The console as a terminal (Linux: struct tty_struct): its settings, its window size,
    // its line discipline, and which session it is the controlling terminal of, with that
    // session's foreground process group. There is one, made at boot unless the console is
    // raw (`console=raw`: then the console is a plain byte stream, as a pipe is).
    //
    // Job control (Linux's __tty_check_change): a process of the terminal's session outside
    // the foreground group that reads gets SIGTTIN for its group; one that writes with TOSTOP,
    // or changes the settings or the foreground group, gets SIGTTOU. A blocked or ignored
    // SIGTTOU lets the call go on; a blocked or ignored SIGTTIN, or an orphaned group (nobody
    // would continue it), makes the call fail with EIO.
    public sealed class Terminal
    {
        private static Terminal s_console;

        public Termios Settings = Termios.Default();
        public WindowSize Window;
        // The session this is the controlling terminal of (0: none) and its foreground group.
        public int Session;
        public int ForegroundGroup;
        public readonly LineDiscipline Line;
        // VSTOP stopped the output (IXON) until VSTART, or any key with IXANY (Linux:
        // tty->flow.stopped): programs' writes wait; kernel messages and echoes still go out.
        public bool OutputStopped { get; private set; }

        private Terminal()
        {
            Line = new LineDiscipline(this);
            Window.Rows = (ushort)Screen.Rows;
            Window.Columns = (ushort)Screen.Columns;
        }

        // The console's terminal, or null when the console is raw.
        public static Terminal Console => s_console;

        public static void Initialize()
        {
            s_console = new Terminal();
        }

        // Makes this the controlling terminal of `leader`'s session (a session leader),
        // with the leader's group in the foreground (Linux's __proc_set_tty).
        public void Control(Process leader)
        {
            Session = leader.Session;
            ForegroundGroup = leader.ProcessGroup;
            leader.HasTerminal = true;
        }

        // Whether this is `process`'s controlling terminal.
        public bool Controls(Process process) => process.HasTerminal && Session != 0 && Session == process.Session;

        // VSTOP (Linux's stop_tty).
        public void StopOutput() => OutputStopped = true;

        // VSTART, or any key with IXANY (start_tty): waiting writers go on.
        public void StartOutput()
        {
            OutputStopped = false;
            Scheduler.WakeAll(WaitReason.ConsoleOutput, this);
        }

        // Before a program writes: waits while the output is stopped. 0, or -EINTR when a
        // signal that is caught or fatal ends the wait.
        public int WaitForOutput()
        {
            while (OutputStopped)
                if (!Scheduler.SleepOn(WaitReason.ConsoleOutput, this))
                    return -(int)Errno.EINTR;
            return 0;
        }

        // Sends `signal` to the foreground group, if there is one (VINTR, VQUIT, VSUSP, a resize).
        public void SignalForeground(int signal)
        {
            if (ForegroundGroup != 0)
                SignalSyscalls.SendToGroup(ForegroundGroup, signal, 0);
        }

        // The job-control check before `process` reads (SIGTTIN) or writes or changes the
        // terminal (SIGTTOU): 0 when it may go on, -EIO, or -EINTR when the signal sent to
        // its group is caught or fatal. A stop signal stops the process here; once continued
        // it checks again.
        public int CheckForeground(Process process, int signal)
        {
            while (Controls(process) && ForegroundGroup != 0 && ForegroundGroup != process.ProcessGroup)
            {
                bool ignored = (process.SignalMask & Signal.Bit(signal)) != 0
                    || process.SignalActions[signal].Handler == Signal.SigIgn;
                if (ignored)
                    return signal == Signal.SIGTTIN ? -(int)Errno.EIO : 0;
                if (ProcessGroups.IsOrphaned(process.ProcessGroup))
                    return -(int)Errno.EIO;
                SignalSyscalls.SendToGroup(process.ProcessGroup, signal, 0);
                if (SignalDelivery.HandlePending(process, false))
                    return -(int)Errno.EINTR;
            }
            return 0;
        }

        // The session leader `leader` exits (Linux's disassociate_ctty): the foreground
        // group gets SIGHUP and SIGCONT, and the terminal belongs to no session any more.
        public void SessionLeaderExits(Process leader)
        {
            if (!Controls(leader))
                return;
            SignalForeground(Signal.SIGHUP);
            SignalForeground(Signal.SIGCONT);
            Release();
        }

        // The terminal stops being the controlling terminal of its session (Linux's
        // session_clear_tty): no process of the session has it any more.
        public void Release()
        {
            for (int i = 0; i < ProcessTable.MaxThreads; i++)
            {
                Process process = ProcessTable.At(i);
                if (process != null && process.Session == Session)
                    process.HasTerminal = false;
            }
            Session = 0;
            ForegroundGroup = 0;
        }
    }
}
