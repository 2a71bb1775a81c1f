using Cowbird.Kernel.Arch.X64;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Processes
{
    // The frame a signal handler runs on, laid out as Linux x86-64's struct rt_sigframe
    // (arch/x86/include/asm/sigframe.h), so libc's restorers and programs that read the
    // ucontext work unchanged:
    //
    //   frame + 0     pretcode      sa_restorer: the handler's `ret` goes there, which calls
    //                               rt_sigreturn
    //   frame + 8     ucontext      uc_flags, uc_link, uc_stack (SS_DISABLE: no sigaltstack),
    //                               uc_mcontext (struct sigcontext: r8..r15, rdi, rsi, rbp,
    //                               rbx, rdx, rax, rcx, rsp, rip, eflags, cs/gs/fs/ss, err,
    //                               trapno, oldmask, cr2, fpstate), uc_sigmask
    //   frame + 312   siginfo       128 bytes: signo, errno, code, then pid/uid or addr
    //   fpstate       the 512-byte fxsave image, 64-byte aligned above the frame
    //
    // Below the interrupted rsp Linux skips the 128-byte red zone, then places the FP state,
    // then the frame, with rsp + 8 a multiple of 16 at handler entry (as after a call).
    // A handler with SA_ONSTACK starts instead from the top of the alternate signal stack
    // (SignalStack) when one is armed and the process is not on it yet; a frame that would
    // not fit on the alternate stack, entered or nested, is a bad stack (Linux's
    // get_sigframe). uc_stack holds the alternate stack as sigaltstack set it, and
    // rt_sigreturn sets it back from there (restore_altstack), errors ignored.
    public static unsafe class SignalFrame
    {
        private const ulong RedZone = 128;
        // sizeof(siginfo_t).
        private const ulong InfoSize = 128;
        private const ulong FrameSize = 440;
        private const int UContext = 8, Stack = UContext + 16, MContext = UContext + 40,
            SigMask = UContext + 296, SigInfo = 312;
        // Offsets in struct sigcontext, in 8-byte words: r8..r15 are 0..7, then these.
        private const int ScRdi = 8, ScRsi = 9, ScRbp = 10, ScRbx = 11, ScRdx = 12, ScRax = 13,
            ScRcx = 14, ScRsp = 15, ScRip = 16, ScEflags = 17, ScSegments = 18, ScErr = 19,
            ScTrapno = 20, ScOldmask = 21, ScCr2 = 22, ScFpstate = 23;
        private const ulong SaOnStack = 0x08000000;
        // UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS (no xsave state, so no UC_FP_XSTATE).
        private const ulong UcFlags = 2 | 4;
        // The rflags bits rt_sigreturn takes from the frame (Linux's FIX_EFLAGS: AC OF DF TF SF
        // ZF AF PF CF RF); the others (IF, IOPL, ...) stay the kernel's choice.
        private const ulong FixFlags = 0x40000 | 0x800 | 0x400 | 0x100 | 0x80 | 0x40 | 0x10 | 0x4 | 0x1 | 0x10000;
        // DF, RF and TF are cleared for the handler.
        private const ulong HandlerClearedFlags = 0x400 | 0x10000 | 0x100;
        private const int MxcsrOffset = 24;
        private const ulong SoftwareReservedOffset = 464;

        // What a handler's siginfo says about its signal (signo is the signal itself).
        public struct Info
        {
            public int Code;          // SI_USER (0) for kill, SEGV_MAPERR/ACCERR, ...
            public int SenderPid;     // kill's sender (SI_USER)
            public ulong Address;     // the fault address (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP)
            public bool IsFault;
            public bool IsChild;      // SIGCHLD: SenderPid is the child, with these:
            public int Status;        //   its exit code, or the signal that killed, stopped or continued it
            public ulong UserTicks;   //   its user and system time, in clock ticks
            public ulong SystemTicks;
            public bool IsTimer;      // a POSIX timer's signal (SI_TIMER), with:
            public int TimerId;       //   the timer's id (si_timerid)
            public int Overrun;       //   expiries missed (si_overrun)
            public ulong Value;       //   sigev_value (si_value)
            public int TimerPrivate;  //   the timer's setting it came from (PosixTimer.Requeue)
        }

        // Pushes a frame for `signal` under the current user stack and points the registers at
        // `action`'s handler, whose FP state starts fresh. False when the frame cannot be
        // written (a bad stack: the caller forces SIGSEGV). A stack that wraps below 0 gives
        // kernel-half addresses, which the copy refuses.
        public static bool Push(Process process, int signal, SignalAction action, Info info, ulong oldMask)
        {
            TrapFrame* regs = process.Frame;
            SignalStack altStack = process.AltStack;
            bool nested = altStack.IsOn(regs->Rsp);
            ulong sp = regs->Rsp - RedZone;
            bool entering = (action.Flags & SaOnStack) != 0 && altStack.Available(sp);
            if (entering)
                sp = altStack.Base + altStack.Size;
            ulong fpstate = (sp - FxSave.AreaSize) & ~63UL;
            ulong frame = ((fpstate - FrameSize + 8) & ~15UL) - 8;
            if ((nested || entering) && !altStack.Contains(frame))
                return false;
            byte* buffer = stackalloc byte[(int)FrameSize];
            for (int i = 0; i < (int)FrameSize; i++)
                buffer[i] = 0;
            *(ulong*)buffer = action.Restorer;
            *(ulong*)(buffer + UContext) = UcFlags;
            *(ulong*)(buffer + Stack) = altStack.Base;
            *(int*)(buffer + Stack + 8) = altStack.Flags;
            *(ulong*)(buffer + Stack + 16) = altStack.Size;
            SaveRegisters((ulong*)(buffer + MContext), regs, info, oldMask, fpstate);
            *(ulong*)(buffer + SigMask) = oldMask;
            WriteInfo(buffer + SigInfo, signal, info);
            byte* fx = stackalloc byte[(int)FxSave.AreaSize];
            FxSave.SaveX87(process.FxSaveArea);
            FxSave.Copy(fx, process.FxSaveArea);
            for (ulong i = SoftwareReservedOffset; i < FxSave.AreaSize; i++)
                fx[i] = 0;
            if (UserMemory.CopyToUser(process.Space, fpstate, fx, FxSave.AreaSize) != Errno.None
                || UserMemory.CopyToUser(process.Space, frame, buffer, FrameSize) != Errno.None)
                return false;
            regs->Rdi = (ulong)signal;
            regs->Rsi = frame + SigInfo;
            regs->Rdx = frame + UContext;
            regs->Rax = 0;
            regs->Rsp = frame;
            regs->Rip = action.Handler;
            regs->Rflags &= ~HandlerClearedFlags;
            regs->Rcx = regs->Rip;
            regs->R11 = regs->Rflags;
            FxSave.Reset(process.FxSaveArea);
            FxSave.LoadX87(process.FxSaveArea);
            return true;
        }

        // rt_sigreturn: restores the registers, FP state and mask saved by Push from the frame
        // at rsp - 8 (the handler's `ret` popped pretcode). The restored rax, or -1 with
        // `bad` set when the frame cannot be read or names a non-canonical rip or rsp (the
        // caller kills with SIGSEGV).
        public static long Return(Process process, out bool bad)
        {
            TrapFrame* regs = process.Frame;
            ulong frame = regs->Rsp - 8;
            byte* buffer = stackalloc byte[(int)FrameSize];
            bad = UserMemory.CopyFromUser(process.Space, buffer, frame, FrameSize) != Errno.None;
            if (bad)
                return -1;
            ulong* sc = (ulong*)(buffer + MContext);
            // iretq faults in ring 0 on a non-canonical rip; Linux turns that fault into
            // SIGSEGV for the process, and so does this check (rsp too, to be safe).
            bad = !IsCanonical(sc[ScRip]) || !IsCanonical(sc[ScRsp]);
            if (bad)
                return -1;
            ulong fpstate = sc[ScFpstate];
            if (fpstate != 0)
            {
                byte* fx = stackalloc byte[(int)FxSave.AreaSize];
                bad = UserMemory.CopyFromUser(process.Space, fx, fpstate, FxSave.AreaSize) != Errno.None;
                if (bad)
                    return -1;
                *(uint*)(fx + MxcsrOffset) &= FxSave.MxcsrValidBits;
                FxSave.Copy(process.FxSaveArea, fx);
            }
            else
                FxSave.Reset(process.FxSaveArea);
            FxSave.LoadX87(process.FxSaveArea);
            RestoreRegisters(regs, sc);
            process.SignalMask = *(ulong*)(buffer + SigMask) & ~Signal.KernelOnly;
            process.AltStack.Change(regs->Rsp, *(ulong*)(buffer + Stack), *(int*)(buffer + Stack + 8),
                *(ulong*)(buffer + Stack + 16));
            return (long)sc[ScRax];
        }

        private static bool IsCanonical(ulong address) =>
            address < Cowbird.Mm.Paging.PageTable.UserEnd || address >= ~(Cowbird.Mm.Paging.PageTable.UserEnd - 1);

        private static void SaveRegisters(ulong* sc, TrapFrame* regs, Info info, ulong oldMask, ulong fpstate)
        {
            sc[0] = regs->R8; sc[1] = regs->R9; sc[2] = regs->R10; sc[3] = regs->R11;
            sc[4] = regs->R12; sc[5] = regs->R13; sc[6] = regs->R14; sc[7] = regs->R15;
            sc[ScRdi] = regs->Rdi; sc[ScRsi] = regs->Rsi; sc[ScRbp] = regs->Rbp; sc[ScRbx] = regs->Rbx;
            sc[ScRdx] = regs->Rdx; sc[ScRax] = regs->Rax; sc[ScRcx] = regs->Rcx; sc[ScRsp] = regs->Rsp;
            sc[ScRip] = regs->Rip; sc[ScEflags] = regs->Rflags;
            sc[ScSegments] = (ulong)Gdt.UserCodeSelector | (ulong)Gdt.UserDataSelector << 48;
            if (info.IsFault)
            {
                sc[ScErr] = regs->ErrorCode;
                sc[ScTrapno] = regs->Vector;
                sc[ScCr2] = info.Address;
            }
            sc[ScOldmask] = oldMask;
            sc[ScFpstate] = fpstate;
        }

        private static void RestoreRegisters(TrapFrame* regs, ulong* sc)
        {
            regs->R8 = sc[0]; regs->R9 = sc[1]; regs->R10 = sc[2]; regs->R11 = sc[3];
            regs->R12 = sc[4]; regs->R13 = sc[5]; regs->R14 = sc[6]; regs->R15 = sc[7];
            regs->Rdi = sc[ScRdi]; regs->Rsi = sc[ScRsi]; regs->Rbp = sc[ScRbp]; regs->Rbx = sc[ScRbx];
            regs->Rdx = sc[ScRdx]; regs->Rax = sc[ScRax]; regs->Rcx = sc[ScRcx]; regs->Rsp = sc[ScRsp];
            regs->Rip = sc[ScRip];
            regs->Rflags = (regs->Rflags & ~FixFlags) | (sc[ScEflags] & FixFlags);
            regs->Cs = Gdt.UserCodeSelector;
            regs->Ss = Gdt.UserDataSelector;
        }

        // Writes the siginfo_t a handler would get for `signal` to user address `target`
        // (rt_sigtimedwait hands it over instead of a handler). False for a bad address.
        public static bool CopyInfoToUser(Process process, ulong target, int signal, Info info)
        {
            byte* buffer = stackalloc byte[(int)InfoSize];
            for (int i = 0; i < (int)InfoSize; i++)
                buffer[i] = 0;
            WriteInfo(buffer, signal, info);
            return UserMemory.CopyToUser(process.Space, target, buffer, InfoSize) == Errno.None;
        }

        // siginfo_t: si_signo, si_errno, si_code, then (offset 16) si_pid and si_uid (0) for
        // kill, followed for SIGCHLD by si_status (24), si_utime (32) and si_stime (40); or
        // si_addr for a fault; or si_timerid, si_overrun (20) and si_value (24) for a timer.
        private static void WriteInfo(byte* si, int signal, Info info)
        {
            *(int*)si = signal;
            *(int*)(si + 8) = info.Code;
            if (info.IsFault)
            {
                *(ulong*)(si + 16) = info.Address;
                return;
            }
            if (info.IsTimer)
            {
                *(int*)(si + 16) = info.TimerId;
                *(int*)(si + 20) = info.Overrun;
                *(ulong*)(si + 24) = info.Value;
                return;
            }
            *(int*)(si + 16) = info.SenderPid;
            if (info.IsChild)
            {
                *(int*)(si + 24) = info.Status;
                *(ulong*)(si + 32) = info.UserTicks;
                *(ulong*)(si + 40) = info.SystemTicks;
            }
        }
    }
}
