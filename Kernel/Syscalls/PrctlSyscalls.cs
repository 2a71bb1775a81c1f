using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // prctl (Linux: kernel/sys.c): the process name that /proc/<pid>/stat and status show
    // (busybox names each applet it runs this way). Other options are EINVAL, as Linux
    // answers options it does not know.
    public static unsafe class PrctlSyscalls
    {
        private const int PrSetName = 15, PrGetName = 16;

        public static long Prctl(Process process, int option, ulong argument)
        {
            switch (option)
            {
                case PrSetName: return SetName(process, argument);
                case PrGetName: return GetName(process, argument);
                default: return -(long)Errno.EINVAL;
            }
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
