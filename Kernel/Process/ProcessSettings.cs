namespace Cowbird.Kernel.Processes
{
    // A process's settings that only system calls read back or that act at one moment
    // (personality, ioprio_set and prctl change them), with what fork and execve do to each,
    // as Linux does it:
    //   Personality         personality(2); fork keeps it, execve clears READ_IMPLIES_EXEC
    //   IoPriority          ioprio_set(2) (0: none set; ProcessSettingSyscalls); fork and
    //                       execve keep it
    //   ParentDeathSignal   PR_SET_PDEATHSIG: sent to the process when its parent exits;
    //                       a fork child starts without one
    //   Dumpable            PR_SET_DUMPABLE (0 or 1); fork keeps it, execve sets 1
    //   NoNewPrivileges     PR_SET_NO_NEW_PRIVS, set once for good; fork and execve keep it
    //   KeepCapabilities    PR_SET_KEEPCAPS; fork keeps it, execve clears it
    //   TimerSlack          PR_SET_TIMERSLACK in ns; fork keeps it and makes it the child's
    //                       default, which PR_SET_TIMERSLACK 0 goes back to
    // Cowbird has no core dumps, set-user-ID programs or timer coalescing: these are kept and
    // reported so that programs that set and check them see Linux's answers.
    public sealed class ProcessSettings
    {
        public const uint ReadImpliesExec = 0x0400000;
        // Linux's default timer slack for a process (50 us).
        public const ulong DefaultTimerSlack = 50000;

        public uint Personality;
        public int IoPriority;
        public int ParentDeathSignal;
        public int Dumpable = 1;
        public bool NoNewPrivileges;
        public bool KeepCapabilities;
        public ulong TimerSlack = DefaultTimerSlack;
        public ulong DefaultSlack = DefaultTimerSlack;

        // The settings a fork child starts with.
        public ProcessSettings ForChild()
        {
            ProcessSettings child = new ProcessSettings();
            child.Personality = Personality;
            child.IoPriority = IoPriority;
            child.Dumpable = Dumpable;
            child.NoNewPrivileges = NoNewPrivileges;
            child.KeepCapabilities = KeepCapabilities;
            child.TimerSlack = TimerSlack;
            child.DefaultSlack = TimerSlack;
            return child;
        }

        // What execve changes.
        public void OnExec()
        {
            Personality &= ~ReadImpliesExec;
            Dumpable = 1;
            KeepCapabilities = false;
        }
    }
}
