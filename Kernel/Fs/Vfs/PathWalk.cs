using Cowbird.Kernel.Syscalls;
using Cowbird.Mm;

namespace Cowbird.Kernel.Fs.Vfs
{
    // The one path walker (Linux: fs/namei.c), for every call that takes a path. A path is
    // absolute (from the root) or relative to a start directory (the cwd or a dirfd).
    // Components are separated by any number of slashes; "." stays, ".." goes to the
    // parent (the root's parent is the root). Symlinks met inside the path are always
    // followed, the last component's only when asked or when a slash follows it; at most
    // MaxLinks links in one walk, else ELOOP. Errors as Linux's:
    //   ENOENT        an empty path, a missing component, an empty symlink target;
    //   ENOTDIR       a component other than the last is not a directory, or the last is
    //                 followed by a slash and is not one;
    //   ENAMETOOLONG  a component longer than MaxName (the whole path's limit, PATH_MAX,
    //                 is the caller's copy: UserStrings).
    // The root user searches every directory, so no permission is checked on the way.
    public static unsafe class PathWalk
    {
        public const int MaxName = 255;
        public const int MaxPath = 4096;
        private const int MaxLinks = 40;

        // What the last component of a path is (Linux's LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT).
        public enum LastKind { Normal, Root, Dot, DotDot }

        // The inode `path` names, walked from `start`; a last symlink is followed when
        // `followLast`. 0, or -errno.
        public static int Lookup(Inode start, byte* path, int length, bool followLast, out Inode node)
        {
            int links = 0;
            return Walk(start, path, length, followLast, ref links, out node);
        }

        // For the calls that make or remove a name: the directory holding the last component
        // of `path` (walked from `start`, symlinks followed), where the component's name
        // starts and how long it is, what kind it is, and whether slashes follow it.
        // 0, or -errno (ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP from the directory's walk).
        public static int LookupParent(Inode start, byte* path, int length, out Inode dir, out int nameAt,
            out int nameLength, out LastKind kind, out bool trailingSlash)
        {
            dir = null;
            nameAt = 0;
            nameLength = 0;
            kind = LastKind.Normal;
            trailingSlash = false;
            if (length == 0)
                return -(int)Errno.ENOENT;
            int end = length;
            while (end > 0 && path[end - 1] == '/')
                end--;
            trailingSlash = end < length;
            int at = end;
            while (at > 0 && path[at - 1] != '/')
                at--;
            nameAt = at;
            nameLength = end - at;
            kind = KindOf(path + at, nameLength);
            if (at == 0)
                dir = path[0] == '/' ? FileSystem.Root : start;
            else
            {
                int error = Lookup(start, path, at, true, out dir);
                if (error != 0)
                    return error;
            }
            if (!dir.IsDirectory)
                return -(int)Errno.ENOTDIR;
            return nameLength > MaxName ? -(int)Errno.ENAMETOOLONG : 0;
        }

        // The kind of a last component `name` (`length` bytes; 0 is the root's).
        private static LastKind KindOf(byte* name, int length)
        {
            if (length == 0)
                return LastKind.Root;
            if (length == 1 && name[0] == '.')
                return LastKind.Dot;
            return length == 2 && name[0] == '.' && name[1] == '.' ? LastKind.DotDot : LastKind.Normal;
        }

        private static int Walk(Inode start, byte* path, int length, bool followLast, ref int links, out Inode node)
        {
            node = null;
            if (length == 0)
                return -(int)Errno.ENOENT;
            Inode dir = path[0] == '/' ? FileSystem.Root : start;
            int at = 0;
            while (true)
            {
                while (at < length && path[at] == '/')
                    at++;
                if (at == length)
                {
                    node = dir;
                    return 0;
                }
                int end = at;
                while (end < length && path[end] != '/')
                    end++;
                int next = end;
                while (next < length && path[next] == '/')
                    next++;
                bool last = next == length;
                bool slash = end < length;
                if (end - at > MaxName)
                    return -(int)Errno.ENAMETOOLONG;
                Inode child = Step(dir, path + at, end - at);
                if (child == null)
                    return -(int)Errno.ENOENT;
                if (child.IsSymlink && (!last || followLast || slash))
                {
                    int error = Follow(dir, child, ref links, out child);
                    if (error != 0)
                        return error;
                }
                if (slash && !child.IsDirectory)
                    return -(int)Errno.ENOTDIR;
                if (last)
                {
                    node = child;
                    return 0;
                }
                dir = child;
                at = end;
            }
        }

        // The inode the symlink `link` in `dir` leads to (its target walked from `dir`,
        // its last symlink followed too).
        private static int Follow(Inode dir, Inode link, ref int links, out Inode node)
        {
            node = null;
            if (++links > MaxLinks)
                return -(int)Errno.ELOOP;
            fixed (byte* target = link.Target)
                return Walk(dir, target, link.Target.Length, true, ref links, out node);
        }

        // One step from the directory `dir` to its entry `name`: ".", "..", a /proc name,
        // or a name of the RAM directory. Null when there is none.
        private static Inode Step(Inode dir, byte* name, int length)
        {
            LastKind kind = KindOf(name, length);
            if (kind == LastKind.Dot)
                return dir;
            if (kind == LastKind.DotDot)
                return dir.Parent ?? dir;
            if (dir.IsProc)
                return ProcMount.Lookup(dir, name, length);
            DirEntry entry = Directory.Find(dir, name, length);
            return entry != null ? entry.Node : null;
        }
    }
}
