using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // clone and vfork as fork with extras (Linux: kernel/fork.c sys_clone, kernel_clone,
    // copy_process). Cowbird has no threads: every child gets its own copy of the address
    // space, files, signal actions and limits, and reports its exit with SIGCHLD. So clone
    // takes what glibc's and musl's fork pass (SIGCHLD with CLONE_CHILD_SETTID,
    // CLONE_CHILD_CLEARTID, CLONE_PARENT_SETTID), a new stack and TLS, and flags that
    // change nothing without a tracer; sharing flags (CLONE_VM, CLONE_FILES, CLONE_FS,
    // CLONE_SIGHAND, CLONE_THREAD, ...), CLONE_PARENT, namespaces and other exit signals
    // get EINVAL. Every combination copy_process itself rejects with EINVAL (CLONE_THREAD
    // without CLONE_SIGHAND, CLONE_SIGHAND without CLONE_VM, CLONE_NEWNS with CLONE_FS,
    // CLONE_PARENT from init, ...) holds one of those flags, so the one check gives
    // Linux's answer for them too.
    public static unsafe class CloneSyscalls
    {
        private const uint ExitSignalMask = 0xff;                       // CSIGNAL
        private const uint ClonePtrace = 0x2000, CloneVfork = 0x4000, CloneSettls = 0x80000,
            CloneParentSettid = 0x100000, CloneChildCleartid = 0x200000, CloneDetached = 0x400000,
            CloneUntraced = 0x800000, CloneChildSettid = 0x1000000;

        // What a copy of the process can honour: tid reports, TLS, and the tracing and
        // vfork flags (without a tracer, and with a private copy of memory, they change
        // nothing a child can observe).
        private const uint Supported = CloneSettls | CloneParentSettid | CloneChildCleartid | CloneChildSettid
            | ClonePtrace | CloneUntraced | CloneDetached | CloneVfork;

        // clone(flags, newsp, parent_tid, child_tid, tls), x86-64's argument order. Only
        // the low 32 bits of flags count (legacy clone reads them as an int). The child's
        // pid, or -errno.
        public static long Clone(Process process, ulong flagsArgument, ulong stack, ulong parentTid, ulong childTid, ulong tls)
        {
            uint flags = (uint)flagsArgument & ~ExitSignalMask;
            uint exitSignal = (uint)flagsArgument & ExitSignalMask;
            if ((flags & ~Supported) != 0 || exitSignal != Signal.SIGCHLD)
                return -(long)Errno.EINVAL;
            int pid = ProcessLifecycle.Fork(process, out Process child);
            if (pid < 0)
                return pid;
            if (stack != 0)
                child.Frame->Rsp = stack;
            if ((flags & CloneSettls) != 0)
                child.FsBase = tls;
            if ((flags & CloneChildCleartid) != 0)
                child.ClearChildTid = childTid;
            // Like Linux, the tid writes' faults are ignored: the child exists either way.
            if ((flags & CloneChildSettid) != 0)
                UserMemory.CopyToUser(child.Space, childTid, (byte*)&pid, sizeof(int));
            if ((flags & CloneParentSettid) != 0)
                UserMemory.CopyToUser(process.Space, parentTid, (byte*)&pid, sizeof(int));
            return pid;
        }

        // vfork(): Cowbird's is fork. The child gets its own copy of memory, which is more
        // than POSIX promises a vfork child, and the parent runs on at once.
        public static long Vfork(Process process) => ProcessLifecycle.Fork(process);
    }
}
