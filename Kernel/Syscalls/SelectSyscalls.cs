using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // select and pselect6 (Linux: fs/select.c core_sys_select, do_select) on poll's readiness
    // (PollSyscalls.Readiness) and wait. An fd_set is a bit array in 64-bit words, bit fd % 64
    // of word fd / 64. In Linux's order:
    //   - nfds < 0 is EINVAL; a larger nfds than the descriptor table's size
    //     (FileTable.Capacity) is cut to it;
    //   - the read, write and exception sets are read whole (EFAULT; a NULL set is empty);
    //   - a set bit for a closed fd is EBADF;
    //   - then the sets are checked until an fd is ready, the deadline passes or a signal
    //     comes (EINTR), and written back with only the ready fds' bits (all clear on a
    //     timeout; nothing is written after EINTR).
    // The sets are handled a batch of words at a time from a stack buffer, so a large nfds
    // costs no kernel memory.
    public static unsafe class SelectSyscalls
    {
        private const int BitsPerWord = 64;
        // Words of each set handled at a time.
        private const int Batch = 16;
        private const int Sets = 3;

        // select(nfds, readfds, writefds, exceptfds, timeout): the number of bits set in the
        // sets written back, 0 on timeout, or -errno. The timeout is a struct timeval (NULL:
        // none), read first (EFAULT, EINVAL); the time left is written back to it.
        public static long Select(Process process, int count, ulong readSet, ulong writeSet, ulong exceptSet, ulong timeoutAddress)
        {
            long error = PollSyscalls.ReadTimeout(process, timeoutAddress, true, out ulong deadline);
            if (error != 0)
                return error;
            long result = SelectUntil(process, count, readSet, writeSet, exceptSet, deadline);
            PollSyscalls.WriteTimeLeft(process, timeoutAddress, deadline, true);
            return result;
        }

        // pselect6(nfds, readfds, writefds, exceptfds, timeout, sig): select with a struct
        // timespec timeout and, when sig points to { const sigset_t *mask; size_t size }, a
        // signal mask in force during the call. Linux's order: sig is read (EFAULT), the
        // timeout read and checked, the mask set (SignalWaitSyscalls.SetTemporaryMask), then
        // select's checks.
        public static long Pselect6(Process process, int count, ulong readSet, ulong writeSet, ulong exceptSet,
            ulong timeoutAddress, ulong maskArgument)
        {
            ulong* pack = stackalloc ulong[2];
            pack[0] = 0;
            pack[1] = 0;
            if (maskArgument != 0 && UserMemory.CopyFromUser(process.Space, (byte*)pack, maskArgument, 16) != Errno.None)
                return -(long)Errno.EFAULT;
            long error = PollSyscalls.ReadTimeout(process, timeoutAddress, false, out ulong deadline);
            if (error == 0)
                error = SignalWaitSyscalls.SetTemporaryMask(process, pack[0], pack[1]);
            if (error != 0)
                return error;
            long result = SelectUntil(process, count, readSet, writeSet, exceptSet, deadline);
            PollSyscalls.WriteTimeLeft(process, timeoutAddress, deadline, false);
            return SignalWaitSyscalls.EndTemporaryMask(process, result);
        }

        // select's work until `deadline` (Clock.Monotonic ns, or PollSyscalls.Never).
        private static long SelectUntil(Process process, int count, ulong readSet, ulong writeSet, ulong exceptSet, ulong deadline)
        {
            if (count < 0)
                return -(long)Errno.EINVAL;
            if (count > process.Files.Capacity)
                count = process.Files.Capacity;
            ulong* sets = stackalloc ulong[Sets];
            sets[0] = readSet;
            sets[1] = writeSet;
            sets[2] = exceptSet;
            long checkedSets = CheckOpen(process, count, sets);
            if (checkedSets != 0)
                return checkedSets;
            while (true)
            {
                long ready = Scan(process, count, sets, false);
                long step = ready != 0 ? 0 : PollSyscalls.WaitStep(process, deadline);
                if (step <= 0)
                    return step < 0 ? step : Scan(process, count, sets, true);
            }
        }

        // Reads every set in full (-EFAULT for one that cannot be read), then -EBADF if a bit
        // below `count` names a closed fd; 0 when neither.
        private static long CheckOpen(Process process, int count, ulong* sets)
        {
            ulong* words = stackalloc ulong[Sets * Batch];
            bool closedFd = false;
            for (int first = 0; first < count; first += Batch * BitsPerWord)
            {
                int n = WordsFrom(first, count);
                if (!ReadBatch(process, sets, first, n, words))
                    return -(long)Errno.EFAULT;
                for (int w = 0; w < n; w++)
                {
                    ulong all = (words[w] | words[Batch + w] | words[2 * Batch + w]) & ValidBits(first + w * BitsPerWord, count);
                    for (int bit = 0; all != 0 && bit < BitsPerWord; bit++)
                        if ((all & 1UL << bit) != 0 && process.Files.Get(first + w * BitsPerWord + bit) == null)
                            closedFd = true;
                }
            }
            return closedFd ? -(long)Errno.EBADF : 0;
        }

        // Checks every fd the sets name: the number of bits the result sets have. With
        // `writeBack`, stores the result sets over the caller's (-EFAULT if it cannot).
        private static long Scan(Process process, int count, ulong* sets, bool writeBack)
        {
            ulong* words = stackalloc ulong[Sets * Batch];
            long ready = 0;
            for (int first = 0; first < count; first += Batch * BitsPerWord)
            {
                int n = WordsFrom(first, count);
                if (!ReadBatch(process, sets, first, n, words))
                    return -(long)Errno.EFAULT;
                for (int w = 0; w < n; w++)
                    ready += ScanWord(process, first + w * BitsPerWord, count, words + w);
                if (writeBack && !WriteBatch(process, sets, first, n, words))
                    return -(long)Errno.EFAULT;
            }
            return ready;
        }

        // Replaces one word of each set (words[0], words[Batch], words[2 * Batch]), for fds
        // `firstFd`.. below `count`, with the bits of the fds ready for it; the number of
        // bits left set.
        private static long ScanWord(Process process, int firstFd, int count, ulong* words)
        {
            ulong valid = ValidBits(firstFd, count);
            ulong read = words[0] & valid, write = words[Batch] & valid, except = words[2 * Batch] & valid;
            ulong all = read | write | except;
            words[0] = words[Batch] = words[2 * Batch] = 0;
            long ready = 0;
            for (int bit = 0; all != 0 && bit < BitsPerWord; bit++)
            {
                ulong mask = 1UL << bit;
                if ((all & mask) == 0)
                    continue;
                OpenFile file = process.Files.Get(firstFd + bit);
                short events = file == null ? (short)0 : PollSyscalls.Readiness(file);
                ready += Report(events, PollSyscalls.ReadSet, read, mask, words);
                ready += Report(events, PollSyscalls.WriteSet, write, mask, words + Batch);
                ready += Report(events, PollSyscalls.ExceptSet, except, mask, words + 2 * Batch);
            }
            return ready;
        }

        // Sets `mask` in *result when the fd was asked about in `asked` and `events` has a bit
        // of `wanted`; 1 if it did.
        private static long Report(short events, short wanted, ulong asked, ulong mask, ulong* result)
        {
            if ((asked & mask) == 0 || (events & wanted) == 0)
                return 0;
            *result |= mask;
            return 1;
        }

        // The bits of the word holding fds `firstFd`.. that name fds below `count`.
        private static ulong ValidBits(int firstFd, int count)
        {
            int bits = count - firstFd;
            return bits >= BitsPerWord ? ulong.MaxValue : (1UL << bits) - 1;
        }

        // The words of a batch starting at fd `first` that hold fds below `count`.
        private static int WordsFrom(int first, int count)
        {
            int words = (count - first + BitsPerWord - 1) / BitsPerWord;
            return words < Batch ? words : Batch;
        }

        // Reads `n` words of each set from fd `first` on into words (a NULL set reads as
        // zeros). False when a set cannot be read.
        private static bool ReadBatch(Process process, ulong* sets, int first, int n, ulong* words)
        {
            for (int s = 0; s < Sets; s++)
            {
                ulong* batch = words + s * Batch;
                for (int w = 0; w < n; w++)
                    batch[w] = 0;
                if (sets[s] != 0 && UserMemory.CopyFromUser(process.Space, (byte*)batch, sets[s] + (ulong)first / 8, (ulong)n * 8) != Errno.None)
                    return false;
            }
            return true;
        }

        // Writes `n` words of each non-NULL set from fd `first` on. False when one cannot be
        // written.
        private static bool WriteBatch(Process process, ulong* sets, int first, int n, ulong* words)
        {
            for (int s = 0; s < Sets; s++)
                if (sets[s] != 0 && UserMemory.CopyToUser(process.Space, sets[s] + (ulong)first / 8, (byte*)(words + s * Batch), (ulong)n * 8) != Errno.None)
                    return false;
            return true;
        }
    }
}
