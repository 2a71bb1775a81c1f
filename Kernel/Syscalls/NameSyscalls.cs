using Cowbird.Kernel.Fs.Vfs;
using Cowbird.Kernel.Processes;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Kernel.Syscalls
{
    // The calls that add, remove and read names (fs/namei.c): unlink/unlinkat, rmdir,
    // rename/renameat/renameat2, link/linkat, symlink/symlinkat, readlink/readlinkat.
    // Each walks to the directory of the last component (PathWalk.LookupParent) and acts on
    // the name there; /proc's names cannot change (EPERM to remove, ENOENT to create, EXDEV
    // to move across).
    public static unsafe class NameSyscalls
    {
        private const int RenameNoReplace = 1, RenameExchange = 2, RenameWhiteout = 4;

        // Copies the path at `address` and walks to the directory of its last component:
        // 0 with the directory, the component's name, its kind and whether a slash ended
        // the path; or -errno.
        public static int ParentOf(Process process, int dirfd, ulong address, out Inode dir, out byte[] name,
            out PathWalk.LastKind kind, out bool trailingSlash)
        {
            dir = null;
            name = null;
            kind = PathWalk.LastKind.Normal;
            trailingSlash = false;
            byte* path = stackalloc byte[PathWalk.MaxPath];
            int length = PathArguments.CopyNonEmpty(process, address, path);
            if (length < 0)
                return length;
            int nameAt = 0, nameLength = 0;
            int error = PathArguments.Start(process, dirfd, path, length, out Inode start);
            if (error == 0)
                error = PathWalk.LookupParent(start, path, length, out dir, out nameAt, out nameLength, out kind, out trailingSlash);
            if (error != 0)
                return error;
            name = new byte[nameLength];
            for (int i = 0; i < nameLength; i++)
                name[i] = path[nameAt + i];
            return 0;
        }

        // Whether `dir` has an entry `name` (any type, a dangling symlink too).
        public static bool Exists(Inode dir, byte* name, int length) => Find(dir, name, length) != null;

        // The inode `name` in `dir`, not followed, or null.
        private static Inode Find(Inode dir, byte* name, int length) =>
            PathWalk.Lookup(dir, name, length, false, out Inode node) == 0 ? node : null;

        // Whether a new name may go into `dir`: 0, or ENOENT in /proc and in a removed directory.
        public static int CheckCreate(Inode dir) => dir.IsProc || dir.Links == 0 ? -(int)Errno.ENOENT : 0;

        public static long Unlink(Process process, ulong pathAddress) => Unlinkat(process, PathArguments.AtFdCwd, pathAddress, 0);

        public static long Rmdir(Process process, ulong pathAddress) =>
            Unlinkat(process, PathArguments.AtFdCwd, pathAddress, PathArguments.AtRemoveDir);

        // unlinkat(dirfd, path, flags): flags other than AT_REMOVEDIR are EINVAL; with it, rmdir.
        public static long Unlinkat(Process process, int dirfd, ulong pathAddress, int flags)
        {
            if ((flags & ~PathArguments.AtRemoveDir) != 0)
                return -(long)Errno.EINVAL;
            int error = ParentOf(process, dirfd, pathAddress, out Inode dir, out byte[] name, out PathWalk.LastKind kind, out bool slash);
            if (error != 0)
                return error;
            fixed (byte* bytes = name)
                return (flags & PathArguments.AtRemoveDir) != 0 ? RemoveDirectory(dir, bytes, name.Length, kind)
                    : RemoveFile(dir, bytes, name.Length, kind, slash);
        }

        // unlink: EISDIR for "/", ".", ".." and directories; a name followed by a slash is
        // ENOENT when missing, EISDIR for a directory, ENOTDIR otherwise.
        private static int RemoveFile(Inode dir, byte* name, int length, PathWalk.LastKind kind, bool slash)
        {
            if (kind != PathWalk.LastKind.Normal)
                return -(int)Errno.EISDIR;
            Inode node = Find(dir, name, length);
            if (node == null)
                return -(int)Errno.ENOENT;
            if (node.IsDirectory)
                return -(int)Errno.EISDIR;
            if (slash)
                return -(int)Errno.ENOTDIR;
            if (dir.IsProc)
                return -(int)Errno.EPERM;
            Directory.Remove(dir, Directory.Find(dir, name, length));
            node.Unlinked();
            return 0;
        }

        // rmdir: EINVAL for ".", ENOTEMPTY for "..", EBUSY for "/" and the /proc mount point;
        // ENOENT, ENOTDIR, ENOTEMPTY for the directory itself.
        private static int RemoveDirectory(Inode dir, byte* name, int length, PathWalk.LastKind kind)
        {
            if (kind == PathWalk.LastKind.Dot)
                return -(int)Errno.EINVAL;
            if (kind == PathWalk.LastKind.DotDot)
                return -(int)Errno.ENOTEMPTY;
            if (kind == PathWalk.LastKind.Root)
                return -(int)Errno.EBUSY;
            Inode node = Find(dir, name, length);
            if (node == null)
                return -(int)Errno.ENOENT;
            if (!node.IsDirectory)
                return -(int)Errno.ENOTDIR;
            if (dir.IsProc)
                return -(int)Errno.EPERM;
            if (node.IsProc)
                return -(int)Errno.EBUSY;
            if (node.Entries != null)
                return -(int)Errno.ENOTEMPTY;
            Directory.Remove(dir, Directory.Find(dir, name, length));
            node.Links = 1;
            node.Unlinked();
            return 0;
        }

        public static long Rename(Process process, ulong oldAddress, ulong newAddress) =>
            Renameat2(process, PathArguments.AtFdCwd, oldAddress, PathArguments.AtFdCwd, newAddress, 0);

        public static long Renameat(Process process, int oldDirfd, ulong oldAddress, int newDirfd, ulong newAddress) =>
            Renameat2(process, oldDirfd, oldAddress, newDirfd, newAddress, 0);

        // renameat2 with flags 0, RENAME_NOREPLACE or RENAME_EXCHANGE (RENAME_WHITEOUT, which
        // tmpfs has, is EINVAL here). Linux's order: flags (unknown ones, or EXCHANGE with
        // another, EINVAL), both walks, "/", "." and ".." are EBUSY, then the source must
        // exist, then the checks of CheckRename or CheckExchange.
        public static long Renameat2(Process process, int oldDirfd, ulong oldAddress, int newDirfd, ulong newAddress, uint flags)
        {
            if ((flags & ~(uint)(RenameNoReplace | RenameExchange | RenameWhiteout)) != 0 || (flags & RenameWhiteout) != 0
                || flags == (RenameNoReplace | RenameExchange))
                return -(long)Errno.EINVAL;
            int error = ParentOf(process, oldDirfd, oldAddress, out Inode oldDir, out byte[] oldName, out PathWalk.LastKind oldKind, out bool oldSlash);
            if (error != 0)
                return error;
            error = ParentOf(process, newDirfd, newAddress, out Inode newDir, out byte[] newName, out PathWalk.LastKind newKind, out bool newSlash);
            if (error != 0)
                return error;
            if (oldKind != PathWalk.LastKind.Normal || newKind != PathWalk.LastKind.Normal)
                return -(long)Errno.EBUSY;
            fixed (byte* oldBytes = oldName)
            fixed (byte* newBytes = newName)
            {
                Inode source = Find(oldDir, oldBytes, oldName.Length);
                if (source == null)
                    return -(long)Errno.ENOENT;
                Inode target = Find(newDir, newBytes, newName.Length);
                if ((flags & RenameExchange) != 0)
                {
                    error = CheckExchange(oldDir, source, oldSlash, newDir, target, newSlash);
                    if (error == 0 && source != target)
                        Exchange(oldDir, oldBytes, oldName.Length, newDir, newBytes, newName.Length);
                    return error;
                }
                error = CheckRename(oldDir, source, oldSlash, newDir, target, newSlash, flags);
                if (error != 0 || source == target)
                    return error;
                if (target != null)
                {
                    Directory.Remove(newDir, Directory.Find(newDir, newBytes, newName.Length));
                    if (target.IsDirectory)
                        target.Links = 1;
                    target.Unlinked();
                }
                Directory.Remove(oldDir, Directory.Find(oldDir, oldBytes, oldName.Length));
                Directory.Add(newDir, newBytes, newName.Length, source);
                source.Changed();
            }
            return 0;
        }

        // The checks of a rename of `source` (in `oldDir`) over `target` (in `newDir`, null
        // when absent), as Linux's do_renameat2 and vfs_rename make them.
        private static int CheckRename(Inode oldDir, Inode source, bool oldSlash, Inode newDir, Inode target, bool newSlash, uint flags)
        {
            if (!source.IsDirectory && (oldSlash || newSlash))
                return -(int)Errno.ENOTDIR;
            if (target != null && (flags & RenameNoReplace) != 0)
                return -(int)Errno.EEXIST;
            int error = CheckMove(oldDir, source, newDir);
            if (error != 0)
                return error;
            if (target == null)
                return CheckCreate(newDir);
            if (target == source)
                return 0;
            if (target.IsDirectory && Directory.IsAncestor(target, oldDir))
                return -(int)Errno.ENOTEMPTY;
            if (source.IsDirectory && !target.IsDirectory)
                return -(int)Errno.ENOTDIR;
            if (!source.IsDirectory && target.IsDirectory)
                return -(int)Errno.EISDIR;
            return target.IsDirectory && target.Entries != null ? -(int)Errno.ENOTEMPTY : 0;
        }

        // The checks of RENAME_EXCHANGE of `source` (in `oldDir`) and `target` (in `newDir`):
        // the target must exist (ENOENT); a trailing slash on a name that is no directory is
        // ENOTDIR; neither may move into itself (EINVAL); types and contents do not matter.
        private static int CheckExchange(Inode oldDir, Inode source, bool oldSlash, Inode newDir, Inode target, bool newSlash)
        {
            if (target == null)
                return -(int)Errno.ENOENT;
            if (!source.IsDirectory && oldSlash || !target.IsDirectory && newSlash)
                return -(int)Errno.ENOTDIR;
            int error = CheckMove(oldDir, source, newDir);
            if (error != 0 || source == target)
                return error;
            return target.IsDirectory && Directory.IsAncestor(target, oldDir) ? -(int)Errno.EINVAL : 0;
        }

        // What any move of `source` from `oldDir` to `newDir` needs: both outside /proc (EPERM
        // inside it, EXDEV across), and a directory not moving below itself (EINVAL).
        private static int CheckMove(Inode oldDir, Inode source, Inode newDir)
        {
            if (oldDir.IsProc != newDir.IsProc || oldDir.IsProc)
                return oldDir.IsProc && newDir.IsProc ? -(int)Errno.EPERM : -(int)Errno.EXDEV;
            return source.IsDirectory && Directory.IsAncestor(source, newDir) ? -(int)Errno.EINVAL : 0;
        }

        // Swaps what the names `oldName` in `oldDir` and `newName` in `newDir` refer to.
        private static void Exchange(Inode oldDir, byte* oldName, int oldLength, Inode newDir, byte* newName, int newLength)
        {
            DirEntry first = Directory.Find(oldDir, oldName, oldLength);
            DirEntry second = Directory.Find(newDir, newName, newLength);
            Directory.Exchange(oldDir, first, newDir, second);
            first.Node.Changed();
            second.Node.Changed();
        }

        public static long Link(Process process, ulong oldAddress, ulong newAddress) =>
            Linkat(process, PathArguments.AtFdCwd, oldAddress, PathArguments.AtFdCwd, newAddress, 0);

        // linkat(olddirfd, old, newdirfd, new, flags): flags other than AT_SYMLINK_FOLLOW and
        // AT_EMPTY_PATH are EINVAL; the old name is not followed unless asked; a directory is
        // EPERM; the new name is EEXIST when present (or ".", "..", "/").
        public static long Linkat(Process process, int oldDirfd, ulong oldAddress, int newDirfd, ulong newAddress, int flags)
        {
            if ((flags & ~(PathArguments.AtSymlinkFollow | PathArguments.AtEmptyPath)) != 0)
                return -(long)Errno.EINVAL;
            int error = PathArguments.Lookup(process, oldDirfd, oldAddress, (flags & PathArguments.AtSymlinkFollow) != 0, out Inode source);
            if (error != 0)
                return error;
            error = ParentOf(process, newDirfd, newAddress, out Inode dir, out byte[] name, out PathWalk.LastKind kind, out bool slash);
            if (error != 0)
                return error;
            fixed (byte* bytes = name)
            {
                if (kind != PathWalk.LastKind.Normal || Exists(dir, bytes, name.Length))
                    return -(long)Errno.EEXIST;
                if (slash)
                    return -(long)Errno.ENOENT;
                error = CheckCreate(dir);
                if (error != 0)
                    return error;
                if (source.IsDirectory)
                    return -(long)Errno.EPERM;
                if (source.IsProc)
                    return -(int)Errno.EXDEV;
                Directory.Add(dir, bytes, name.Length, source);
                source.Links++;
                source.Changed();
            }
            return 0;
        }

        public static long Symlink(Process process, ulong targetAddress, ulong linkAddress) =>
            Symlinkat(process, targetAddress, PathArguments.AtFdCwd, linkAddress);

        // symlinkat(target, newdirfd, linkpath): an empty target is ENOENT; the new name is
        // EEXIST when present. The link's mode is 0777, its size the target's length.
        public static long Symlinkat(Process process, ulong targetAddress, int dirfd, ulong linkAddress)
        {
            byte* target = stackalloc byte[PathWalk.MaxPath];
            int targetLength = PathArguments.CopyNonEmpty(process, targetAddress, target);
            if (targetLength < 0)
                return targetLength;
            int error = ParentOf(process, dirfd, linkAddress, out Inode dir, out byte[] name, out PathWalk.LastKind kind, out bool slash);
            if (error != 0)
                return error;
            fixed (byte* bytes = name)
            {
                if (kind != PathWalk.LastKind.Normal || Exists(dir, bytes, name.Length))
                    return -(long)Errno.EEXIST;
                if (slash)
                    return -(long)Errno.ENOENT;
                error = CheckCreate(dir);
                if (error != 0)
                    return error;
                Inode link = FileSystem.Create(dir, bytes, name.Length, Inode.Symlink | 0x1FF);
                link.Target = new byte[targetLength];
                for (int i = 0; i < targetLength; i++)
                    link.Target[i] = target[i];
            }
            return 0;
        }

        public static long Readlink(Process process, ulong pathAddress, ulong buffer, long size) =>
            Readlinkat(process, PathArguments.AtFdCwd, pathAddress, buffer, size);

        // readlinkat(dirfd, path, buffer, size): EINVAL for size <= 0 and for a file that is
        // not a symlink; else the target's first `size` bytes, without a NUL, and their count.
        public static long Readlinkat(Process process, int dirfd, ulong pathAddress, ulong buffer, long size)
        {
            if (size <= 0)
                return -(long)Errno.EINVAL;
            int error = PathArguments.Lookup(process, dirfd, pathAddress, false, out Inode node);
            if (error != 0)
                return error;
            if (!node.IsSymlink)
                return -(long)Errno.EINVAL;
            ulong count = (ulong)node.Target.Length < (ulong)size ? (ulong)node.Target.Length : (ulong)size;
            fixed (byte* target = node.Target)
                if (UserMemory.CopyToUser(process.Space, buffer, target, count) != Errno.None)
                    return -(long)Errno.EFAULT;
            return (long)count;
        }
    }
}
