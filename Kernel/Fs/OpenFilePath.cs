using Cowbird.Kernel.Fs.Vfs;

namespace Cowbird.Kernel.Fs
{
    // What the link /proc/<pid>/fd/<n> names for an open file (Linux: d_path of the file, or
    // the pseudo file's name):
    //   a RAM file, directory, device or FIFO   the path of the name that last named its inode
    //                                           (Inode.NamedIn and NamedBy), " (deleted)" after
    //                                           once no name is left
    //   a /proc file or directory               its /proc path
    //   a pipe end                              "pipe:[N]", N the pipe's st_ino
    //   the console of the first fds            "/dev/console", where Linux's init opens them
    // A file with several hard links shows the name it was given last, not necessarily the
    // one it was opened by.
    public static class OpenFilePath
    {
        private const string Deleted = " (deleted)";

        // The link's target for `file`.
        public static byte[] Of(OpenFile file)
        {
            TextBuilder text = new TextBuilder();
            Inode node = file.Node;
            if (file.Pipe != null && node == null)
            {
                text.Append("pipe:[");
                text.AppendDecimal(file.Pipe.Number, 0);
                text.Append("]");
            }
            else if (node == null)
                text.Append("/dev/console");
            else if (node.IsProc)
                return node.ProcPath;
            else if (node.NamedIn == null)
                text.Append("/");
            else
                AppendNamePath(text, node);
            return text.ToArray();
        }

        // "<directory>/<name>" of the name that last named `node`, " (deleted)" when it has none.
        private static void AppendNamePath(TextBuilder text, Inode node)
        {
            byte[] dir = DirectoryPath.Of(node.NamedIn);
            if (dir != null && dir.Length > 1)
                for (int i = 0; i < dir.Length; i++)
                    text.Append(dir[i]);
            text.Append((byte)'/');
            byte[] name = node.NamedBy.Name;
            for (int i = 0; i < name.Length; i++)
                text.Append(name[i]);
            if (node.Links == 0)
                text.Append(Deleted);
        }
    }
}
