namespace Cowbird.Kernel.Fs
{
    // Paths as open() and execve() copy them from user memory: bytes and a length, no NUL.
    public static unsafe class PathName
    {
        // Whether `path` (`length` bytes) is exactly `name`.
        public static bool Is(byte* path, int length, string name)
        {
            if (length != name.Length)
                return false;
            for (int i = 0; i < length; i++)
                if (path[i] != name[i])
                    return false;
            return true;
        }

        // The index of the entry of `names` that `path` is exactly, or -1.
        public static int IndexIn(string[] names, byte* path, int length)
        {
            for (int i = 0; i < names.Length; i++)
                if (Is(path, length, names[i]))
                    return i;
            return -1;
        }
    }
}
