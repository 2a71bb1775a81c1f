using Cowbird.Kernel.Fs;
using Cowbird.Kernel.Processes;
using Cowbird.Kernel.Tty;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // ioctl(fd, request, arg) and the opening of /dev/tty and /dev/console. Only the console's
    // terminal answers ioctls (Linux: drivers/tty/tty_io.c tty_ioctl, tty_ioctl.c, n_tty.c),
    // with Linux's order of checks; any other file, and the console when it is raw, gets
    // ENOTTY, as a pipe or a regular file does (musl's isatty asks TIOCGWINSZ).
    //
    // Requests that change the terminal (TCSETS*, TIOCSPGRP, TCFLSH, TCSBRK) first pass the
    // job-control check (Terminal.CheckForeground with SIGTTOU). TIOCGPGRP, TIOCSPGRP and
    // TIOCGSID need the terminal to be the caller's controlling terminal (ENOTTY otherwise).
    public static unsafe class TerminalIoctls
    {
        private const uint Tcgets = 0x5401, Tcsets = 0x5402, Tcsetsw = 0x5403, Tcsetsf = 0x5404, Tcsbrk = 0x5409,
            Tcflsh = 0x540B, Tiocsctty = 0x540E, Tiocgpgrp = 0x540F, Tiocspgrp = 0x5410, Tiocgwinsz = 0x5413,
            Tiocswinsz = 0x5414, Fionread = 0x541B, Tiocnotty = 0x5422, Tiocgsid = 0x5429;
        private const ulong TcInputFlush = 0, TcBothFlush = 2;

        public static long Ioctl(Process process, int fd, uint request, ulong arg)
        {
            OpenFile file = process.Files.Get(fd);
            if (file == null)
                return -(long)Errno.EBADF;
            Terminal terminal = Terminal.Console;
            if (!file.IsConsole || terminal == null)
                return -(int)Errno.ENOTTY;
            switch (request)
            {
                case Tcgets:
                    Termios settings = terminal.Settings;
                    return Put(process, arg, &settings, Termios.Size);
                case Tcsets:
                case Tcsetsw:
                case Tcsetsf:
                    return SetTermios(process, terminal, arg, request == Tcsetsf);
                case Tiocgwinsz:
                    WindowSize window = terminal.Window;
                    return Put(process, arg, &window, WindowSize.Size);
                case Tiocswinsz:
                    return SetWindowSize(process, terminal, arg);
                case Tiocgpgrp:
                    return terminal.Controls(process) ? PutInt(process, arg, terminal.ForegroundGroup) : -(int)Errno.ENOTTY;
                case Tiocspgrp:
                    return SetForegroundGroup(process, terminal, arg);
                case Tiocgsid:
                    return terminal.Controls(process) ? PutInt(process, arg, terminal.Session) : -(int)Errno.ENOTTY;
                case Tiocsctty:
                    return MakeControlling(process, terminal, arg);
                case Tiocnotty:
                    return GiveUp(process, terminal);
                case Fionread:
                    return PutInt(process, arg, terminal.Line.Available());
                case Tcflsh:
                    return Flush(process, terminal, arg);
                case Tcsbrk:
                    // Output is written synchronously: it has drained already (tcdrain).
                    return terminal.CheckForeground(process, Signal.SIGTTOU);
                default:
                    return -(int)Errno.ENOTTY;
            }
        }

        // open() of /dev/tty (`controllingTty`: the caller's controlling terminal, ENXIO
        // without one, as with a raw console) or /dev/console (always there): 0, or -errno.
        public static int OpenDevice(Process process, bool controllingTty)
        {
            Terminal terminal = Terminal.Console;
            if (!controllingTty)
                return 0;
            return terminal != null && terminal.Controls(process) ? 0 : -(int)Errno.ENXIO;
        }

        // TCSETS, TCSETSW, TCSETSF: the job-control check, then the new settings are read
        // (EFAULT) and take effect; TCSETSF first discards pending input.
        private static long SetTermios(Process process, Terminal terminal, ulong arg, bool flush)
        {
            int check = terminal.CheckForeground(process, Signal.SIGTTOU);
            if (check != 0)
                return check;
            Termios settings;
            if (UserMemory.CopyFromUser(process.Space, (byte*)&settings, arg, Termios.Size) != Errno.None)
                return -(long)Errno.EFAULT;
            if (flush)
                terminal.Line.Flush();
            Termios before = terminal.Settings;
            terminal.Settings = settings;
            terminal.Line.SettingsChanged(before);
            return 0;
        }

        // TIOCSWINSZ: a new size; the foreground group gets SIGWINCH when it differs.
        private static long SetWindowSize(Process process, Terminal terminal, ulong arg)
        {
            WindowSize size;
            if (UserMemory.CopyFromUser(process.Space, (byte*)&size, arg, WindowSize.Size) != Errno.None)
                return -(long)Errno.EFAULT;
            if (size.SameAs(terminal.Window))
                return 0;
            terminal.Window = size;
            terminal.SignalForeground(Signal.SIGWINCH);
            return 0;
        }

        // TIOCSPGRP (tcsetpgrp), as Linux's tiocspgrp: the job-control check (its EIO becomes
        // ENOTTY), EFAULT, EINVAL for a negative group, ENOTTY unless this is the caller's
        // controlling terminal, ESRCH for no such group, EPERM for a group of another session.
        private static long SetForegroundGroup(Process process, Terminal terminal, ulong arg)
        {
            int check = terminal.CheckForeground(process, Signal.SIGTTOU);
            if (check == -(int)Errno.EIO)
                return -(int)Errno.ENOTTY;
            if (check != 0)
                return check;
            int group;
            if (UserMemory.CopyFromUser(process.Space, (byte*)&group, arg, 4) != Errno.None)
                return -(long)Errno.EFAULT;
            if (group < 0)
                return -(long)Errno.EINVAL;
            if (!terminal.Controls(process))
                return -(int)Errno.ENOTTY;
            if (!ProcessGroups.GroupExists(group))
                return -(int)Errno.ESRCH;
            if (!ProcessGroups.AnyInGroup(group, process.Session))
                return -(long)Errno.EPERM;
            terminal.ForegroundGroup = group;
            return 0;
        }

        // TIOCSCTTY: a session leader without a controlling terminal takes this one. EPERM
        // for others, and when the terminal controls another session, unless arg is 1 (every
        // Cowbird process has CAP_SYS_ADMIN), which takes it from that session.
        private static long MakeControlling(Process process, Terminal terminal, ulong arg)
        {
            if (ProcessGroups.IsSessionLeader(process) && terminal.Session == process.Session && terminal.Session != 0)
                return 0;
            if (!ProcessGroups.IsSessionLeader(process) || process.HasTerminal)
                return -(long)Errno.EPERM;
            if (terminal.Session != 0)
            {
                if (arg != 1)
                    return -(long)Errno.EPERM;
                terminal.Release();
            }
            terminal.Control(process);
            return 0;
        }

        // TIOCNOTTY: the caller gives up its controlling terminal; a session leader gives it
        // up for its whole session (its foreground group gets SIGHUP and SIGCONT).
        private static long GiveUp(Process process, Terminal terminal)
        {
            if (!terminal.Controls(process))
                return -(int)Errno.ENOTTY;
            if (ProcessGroups.IsSessionLeader(process))
                terminal.SessionLeaderExits(process);
            else
                process.HasTerminal = false;
            return 0;
        }

        // TCFLSH: the job-control check, then TCIFLUSH or TCIOFLUSH discard pending input
        // (output is never pending); another selector is EINVAL.
        private static long Flush(Process process, Terminal terminal, ulong arg)
        {
            int check = terminal.CheckForeground(process, Signal.SIGTTOU);
            if (check != 0)
                return check;
            if (arg > TcBothFlush)
                return -(long)Errno.EINVAL;
            if (arg == TcInputFlush || arg == TcBothFlush)
                terminal.Line.Flush();
            return 0;
        }

        private static long Put(Process process, ulong address, void* value, int size)
        {
            return UserMemory.CopyToUser(process.Space, address, (byte*)value, (ulong)size) == Errno.None ? 0 : -(long)Errno.EFAULT;
        }

        private static long PutInt(Process process, ulong address, int value) => Put(process, address, &value, 4);
    }
}
