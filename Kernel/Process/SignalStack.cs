using Cowbird.Mm;

namespace Cowbird.Kernel.Processes
{
    // A process's alternate signal stack (sigaltstack(2); Linux: task->sas_ss_sp,
    // sas_ss_size, sas_ss_flags and kernel/signal.c do_sigaltstack). Handlers with
    // SA_ONSTACK run on it (SignalFrame) unless the interrupted code is on it already.
    // Rules, as Linux's:
    //   - Flags keeps the flags sigaltstack was given, SS_ONSTACK and SS_AUTODISARM
    //     included; a handler's uc_stack shows them as they are. A size of 0 means
    //     disabled (no stack: SS_DISABLE).
    //   - "On the stack" is sp inside (Base, Base + Size], except with SS_AUTODISARM, where
    //     the process is never taken to be on it (a handler may leave it by siglongjmp).
    //   - SS_AUTODISARM disarms the stack as a handler starts on it; rt_sigreturn rearms it
    //     from the handler's uc_stack.
    //   - fork copies it, execve disables it.
    public sealed class SignalStack
    {
        public const int SsOnStack = 1, SsDisable = 2;
        public const uint SsAutoDisarm = 0x80000000;
        // MINSIGSTKSZ on x86-64: a smaller stack is ENOMEM.
        public const ulong MinimumSize = 2048;

        public ulong Base;
        public ulong Size;
        public int Flags = SsDisable;

        // A copy for a forked child.
        public SignalStack Copy()
        {
            SignalStack copy = new SignalStack();
            copy.Base = Base;
            copy.Size = Size;
            copy.Flags = Flags;
            return copy;
        }

        // No stack (Linux's sas_ss_reset): at execve, and when SS_AUTODISARM fires.
        public void Reset()
        {
            Base = 0;
            Size = 0;
            Flags = SsDisable;
        }

        // Whether `sp` lies on the stack, SS_AUTODISARM aside (__on_sig_stack).
        public bool Contains(ulong sp) => sp > Base && sp - Base <= Size;

        // Whether a process with stack pointer `sp` runs on the stack (on_sig_stack).
        public bool IsOn(ulong sp) => ((uint)Flags & SsAutoDisarm) == 0 && Contains(sp);

        // What sigaltstack reads back in ss_flags for `sp` (sas_ss_flags plus the flag bits):
        // SS_DISABLE, SS_ONSTACK or 0, with SS_AUTODISARM if it was given.
        public int ReadBackFlags(ulong sp)
        {
            int state = Size == 0 ? SsDisable : IsOn(sp) ? SsOnStack : 0;
            return state | (int)((uint)Flags & SsAutoDisarm);
        }

        // Whether a handler with SA_ONSTACK would switch to this stack from `sp` (armed,
        // and not on it yet).
        public bool Available(ulong sp) => Size != 0 && !IsOn(sp);

        // sigaltstack's change from a process at `sp` (do_sigaltstack): EPERM while on the
        // stack, EINVAL for a mode other than 0, SS_ONSTACK and SS_DISABLE (SS_AUTODISARM
        // aside), ENOMEM for an enabled stack under MinimumSize; SS_DISABLE drops base and
        // size. A request equal to the stack as it is succeeds before those checks but the
        // first. 0 or the positive errno, and nothing changes on an error.
        public int Change(ulong sp, ulong newBase, int newFlags, ulong newSize)
        {
            if (IsOn(sp))
                return (int)Errno.EPERM;
            int mode = (int)((uint)newFlags & ~SsAutoDisarm);
            if (mode != SsDisable && mode != SsOnStack && mode != 0)
                return (int)Errno.EINVAL;
            if (newBase == Base && newSize == Size && newFlags == Flags)
                return 0;
            if (mode == SsDisable)
            {
                newBase = 0;
                newSize = 0;
            }
            else if (newSize < MinimumSize)
                return (int)Errno.ENOMEM;
            Base = newBase;
            Size = newSize;
            Flags = newFlags;
            return 0;
        }
    }
}
