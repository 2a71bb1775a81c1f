using Cowbird.Kernel.Processes;
using Cowbird.Mm;

namespace Cowbird.Kernel.Fs
{
    // flock's advisory locks (Linux: fs/locks.c, flock_lock_inode), whole-file and shared or
    // exclusive. A lock belongs to an open file description, so fork and dup share it, and
    // it is let go by LOCK_UN or when the description's last descriptor is closed; it lies
    // on what the file is: its inode, or for pipe() ends and the console of fds 0-2, the
    // pipe or the console. Two locks on one target conflict when they belong to different
    // descriptions and one of them is exclusive. As Linux:
    //   - asking for the lock the description holds does nothing;
    //   - changing its kind drops the old lock first, then takes the new one: a conversion
    //     that must wait or fails (EWOULDBLOCK) has lost the old one;
    //   - a waiter sleeps on the target until a lock there goes, then tries again; a signal
    //     ends the wait with EINTR (restarted under SA_RESTART).
    // The locks of the whole system are one list: few are held at once.
    public static class FileLocks
    {
        // One lock held: by which description, on what, of which kind.
        private sealed class Held
        {
            public OpenFile Owner;
            public object Target;
            public bool Exclusive;
            public Held Next;
        }

        // Stands for the console of fds 0-2, which has neither inode nor pipe.
        private static readonly object ConsoleTarget = new object();
        private static Held s_locks;

        // Takes a shared or `exclusive` lock for `file`, sleeping while another description
        // holds a conflicting one when `wait`: 0, -EWOULDBLOCK (EAGAIN) without `wait`, or
        // -EINTR.
        public static int Lock(OpenFile file, bool exclusive, bool wait)
        {
            object target = TargetOf(file);
            while (true)
            {
                Held own = Find(file);
                if (own != null)
                {
                    if (own.Exclusive == exclusive)
                        return 0;
                    Remove(own);
                }
                if (!Conflicts(target, file, exclusive))
                {
                    s_locks = new Held { Owner = file, Target = target, Exclusive = exclusive, Next = s_locks };
                    return 0;
                }
                if (!wait)
                    return -(int)Errno.EAGAIN;
                if (!Scheduler.SleepOn(WaitReason.FileLock, target))
                    return -(int)Errno.EINTR;
            }
        }

        // Lets go of `file`'s lock, if it holds one (LOCK_UN, and the last close).
        public static void Unlock(OpenFile file)
        {
            Held own = Find(file);
            if (own != null)
                Remove(own);
        }

        private static object TargetOf(OpenFile file) => file.Node ?? file.Pipe ?? ConsoleTarget;

        private static Held Find(OpenFile file)
        {
            for (Held held = s_locks; held != null; held = held.Next)
                if (held.Owner == file)
                    return held;
            return null;
        }

        // Whether another description holds a lock on `target` that a shared or `exclusive`
        // lock of `file` cannot live with.
        private static bool Conflicts(object target, OpenFile file, bool exclusive)
        {
            for (Held held = s_locks; held != null; held = held.Next)
                if (held.Target == target && held.Owner != file && (exclusive || held.Exclusive))
                    return true;
            return false;
        }

        // Takes `gone` off the list and wakes the waiters on its target to try again.
        private static void Remove(Held gone)
        {
            if (s_locks == gone)
                s_locks = gone.Next;
            else
            {
                Held before = s_locks;
                while (before.Next != gone)
                    before = before.Next;
                before.Next = gone.Next;
            }
            Scheduler.WakeAll(WaitReason.FileLock, gone.Target);
        }
    }
}
