using Cowbird.Kernel.Fs.Vfs;

namespace Cowbird.Kernel.Processes
{
    // "#!" scripts (Linux: fs/binfmt_script.c). A file starting with "#!" names its
    // interpreter in its first line, read from the file's first Size bytes (zeros past its
    // end): spaces and tabs skipped, the interpreter runs up to the next space, tab or end
    // of line, and the rest of the line, trimmed, is one optional argument. A line longer
    // than Size bytes is cut there, unless the interpreter's name itself does not end
    // inside it (ENOEXEC). The interpreter runs with argv
    //   interpreter [argument] script-path argv[1] ...
    // (the script's argv[0] is dropped).
    public static unsafe class ScriptLine
    {
        // Linux's BINPRM_BUF_SIZE: the bytes of the file the line is looked for in.
        public const int Size = 256;

        // Reads the start of `file` into `line` (Size bytes) and finds the interpreter and
        // argument there: 1 for a script (with where they lie in `line`; argLength 0 when
        // none), 0 when the file is no script, -1 when its "#!" line names no interpreter.
        public static int Parse(Inode file, byte* line, out int nameAt, out int nameLength, out int argAt, out int argLength)
        {
            nameAt = nameLength = argAt = argLength = 0;
            ulong have = file.Size < Size ? file.Size : Size;
            for (int i = 0; i < Size; i++)
                line[i] = 0;
            file.Pages.Read(0, line, have);
            if (have < 2 || line[0] != '#' || line[1] != '!')
                return 0;
            int end = 2;
            while (end < Size && line[end] != '\n')
                end++;
            if (end == Size)
            {
                int first = SkipSpaces(line, 2, Size - 1);
                if (first == Size - 1 || Terminator(line, first, Size - 1) == Size - 1)
                    return -1;
                end = Size - 1;
            }
            while (end > 2 && IsSpace(line[end - 1]))
                end--;
            nameAt = SkipSpaces(line, 2, end);
            if (nameAt == end)
                return -1;
            int separator = Terminator(line, nameAt, end);
            nameLength = separator - nameAt;
            if (separator < end && line[separator] != 0)
            {
                argAt = SkipSpaces(line, separator, end);
                argLength = end - argAt;
            }
            return 1;
        }

        // The interpreter's argv: `interpreter`, `argument` (when argLength > 0), `path`,
        // then argv without its first string.
        public static ArgumentList Arguments(ArgumentList argv, byte* interpreter, int interpreterLength,
            byte* argument, int argLength, byte* path, int pathLength)
        {
            int firstLength = argv.Count > 0 ? argv.LengthAt(0) + 1 : 0;
            int bytes = argv.Length - firstLength + interpreterLength + 1 + argLength + 1 + pathLength + 1;
            ArgumentList result = new ArgumentList(bytes, argv.Count + 2);
            result.Add(interpreter, interpreterLength);
            if (argLength > 0)
                result.Add(argument, argLength);
            result.Add(path, pathLength);
            fixed (byte* strings = argv.Bytes)
                for (int i = 1; i < argv.Count; i++)
                {
                    int offset = argv.OffsetOf(i);
                    result.Add(strings + offset, argv.LengthAt(offset));
                }
            return result;
        }

        private static bool IsSpace(byte c) => c == ' ' || c == '\t';

        // The first index in [from, end) that is no space or tab, or `end`.
        private static int SkipSpaces(byte* line, int from, int end)
        {
            while (from < end && IsSpace(line[from]))
                from++;
            return from;
        }

        // The first index in [from, end) holding a space, tab or NUL, or `end`.
        private static int Terminator(byte* line, int from, int end)
        {
            while (from < end && !IsSpace(line[from]) && line[from] != 0)
                from++;
            return from;
        }
    }
}
