using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // prctl (Linux: kernel/sys.c and security/commoncap.c), the options programs use, each
    // as Linux 6.1 answers root; other options are EINVAL, as Linux answers options it does
    // not know:
    //   PR_SET_NAME, PR_GET_NAME          the process name /proc/<pid>/stat and status show
    //                                     (busybox names each applet it runs this way)
    //   PR_SET_PDEATHSIG, PR_GET_PDEATHSIG  the signal sent when the parent exits (0..64)
    //   PR_SET_DUMPABLE, PR_GET_DUMPABLE  0 or 1 (2, "root only", is EINVAL here as on Linux)
    //   PR_SET_KEEPCAPS, PR_GET_KEEPCAPS  0 or 1
    //   PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS  set once (arg2 1, the others 0)
    //   PR_SET_TIMERSLACK, PR_GET_TIMERSLACK  ns; 0 goes back to the default
    //   PR_CAPBSET_READ                   1 for each capability up to CAP_LAST_CAP (root has
    //                                     all), EINVAL past it
    //   PR_GET_SECCOMP                    0: no seccomp filter
    // The settings live in Process.Settings (ProcessSettings says what fork and execve do).
    public static unsafe class PrctlSyscalls
    {
        private const int PrSetPdeathsig = 1, PrGetPdeathsig = 2, PrGetDumpable = 3, PrSetDumpable = 4,
            PrGetKeepcaps = 7, PrSetKeepcaps = 8, PrSetName = 15, PrGetName = 16, PrGetSeccomp = 21,
            PrCapbsetRead = 23, PrSetTimerslack = 29, PrGetTimerslack = 30, PrSetNoNewPrivs = 38, PrGetNoNewPrivs = 39;
        // CAP_CHECKPOINT_RESTORE, the last capability Linux 6.1 knows.
        private const ulong LastCapability = 40;

        public static long Prctl(Process process, int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5)
        {
            ProcessSettings settings = process.Settings;
            switch (option)
            {
                case PrSetName: return SetName(process, arg2);
                case PrGetName: return GetName(process, arg2);
                case PrSetPdeathsig:
                    if (arg2 > Signal.Count)
                        return -(long)Errno.EINVAL;
                    settings.ParentDeathSignal = (int)arg2;
                    return 0;
                case PrGetPdeathsig: return PutInt(process, arg2, settings.ParentDeathSignal);
                case PrGetDumpable: return settings.Dumpable;
                case PrSetDumpable:
                    if (arg2 > 1)
                        return -(long)Errno.EINVAL;
                    settings.Dumpable = (int)arg2;
                    return 0;
                case PrGetKeepcaps: return settings.KeepCapabilities ? 1 : 0;
                case PrSetKeepcaps:
                    if (arg2 > 1)
                        return -(long)Errno.EINVAL;
                    settings.KeepCapabilities = arg2 == 1;
                    return 0;
                case PrGetSeccomp: return 0;
                case PrCapbsetRead: return arg2 <= LastCapability ? 1 : -(long)Errno.EINVAL;
                case PrSetTimerslack:
                    settings.TimerSlack = arg2 == 0 ? settings.DefaultSlack : arg2;
                    return 0;
                case PrGetTimerslack: return (long)settings.TimerSlack;
                case PrSetNoNewPrivs:
                    if (arg2 != 1 || arg3 != 0 || arg4 != 0 || arg5 != 0)
                        return -(long)Errno.EINVAL;
                    settings.NoNewPrivileges = true;
                    return 0;
                case PrGetNoNewPrivs:
                    if (arg2 != 0 || arg3 != 0 || arg4 != 0 || arg5 != 0)
                        return -(long)Errno.EINVAL;
                    return settings.NoNewPrivileges ? 1 : 0;
                default: return -(long)Errno.EINVAL;
            }
        }

        // Writes the int `value` at `address`: 0, or EFAULT.
        private static long PutInt(Process process, ulong address, int value)
        {
            if (UserMemory.CopyToUser(process.Space, address, (byte*)&value, sizeof(int)) != Errno.None)
                return -(long)Errno.EFAULT;
            return 0;
        }

        // PR_SET_NAME: the first 15 bytes of the string (strncpy_from_user of
        // TASK_COMM_LEN - 1), EFAULT when they cannot be read before its end.
        private static long SetName(Process process, ulong address)
        {
            byte* name = stackalloc byte[Process.MaxNameBytes];
            int length = UserStrings.Copy(process.Space, address, name, Process.MaxNameBytes - 1);
            if (length == -(int)Errno.ENAMETOOLONG)
                length = Process.MaxNameBytes - 1;
            else if (length < 0)
                return -(long)Errno.EFAULT;
            process.SetNameBytes(name, length);
            return 0;
        }

        // PR_GET_NAME: all 16 bytes of the name, NUL-padded.
        private static long GetName(Process process, ulong address)
        {
            byte* name = stackalloc byte[Process.MaxNameBytes];
            for (int i = 0; i < Process.MaxNameBytes; i++)
                name[i] = process.Name[i];
            if (UserMemory.CopyToUser(process.Space, address, name, Process.MaxNameBytes) != Errno.None)
                return -(long)Errno.EFAULT;
            return 0;
        }
    }
}
