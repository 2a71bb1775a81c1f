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
    }
}
