using Cowbird.Kernel.Processes;

namespace Cowbird.Kernel.Fs.Proc
{
    // /proc/<pid>/limits: a header and one row a resource limit, as Linux's proc_pid_limits
    // prints them: "%-25s %-20s %-20s %-10s\n", the values in decimal or "unlimited", and no
    // unit (the line ending after the hard limit's column) for nice and realtime priority.
    public static class LimitsText
    {
        // Columns where the soft value, the hard value and the unit start.
        private const int SoftColumn = 26, HardColumn = 47, UnitColumn = 68, LineEnd = 78;

        // By resource number (ResourceLimits): the row's name and unit (null: none).
        private static readonly string[] s_names =
        {
            "Max cpu time", "Max file size", "Max data size", "Max stack size", "Max core file size",
            "Max resident set", "Max processes", "Max open files", "Max locked memory", "Max address space",
            "Max file locks", "Max pending signals", "Max msgqueue size", "Max nice priority",
            "Max realtime priority", "Max realtime timeout",
        };
        private static readonly string[] s_units =
        {
            "seconds", "bytes", "bytes", "bytes", "bytes", "bytes", "processes", "files", "bytes", "bytes",
            "locks", "signals", "bytes", null, null, "us",
        };

        // Writes the file for `limits`.
        public static void Write(TextBuilder text, ResourceLimits limits)
        {
            Row(text, "Limit", "Soft Limit", "Hard Limit", "Units");
            for (int i = 0; i < ResourceLimits.Count; i++)
            {
                int start = text.Length;
                text.Append(s_names[i]);
                text.PadTo(start, SoftColumn);
                Value(text, limits.Soft(i));
                text.PadTo(start, HardColumn);
                Value(text, limits.Hard(i));
                text.PadTo(start, UnitColumn);
                if (s_units[i] != null)
                {
                    text.Append(s_units[i]);
                    text.PadTo(start, LineEnd);
                }
                text.Append((byte)'\n');
            }
        }

        private static void Row(TextBuilder text, string name, string soft, string hard, string unit)
        {
            int start = text.Length;
            text.Append(name);
            text.PadTo(start, SoftColumn);
            text.Append(soft);
            text.PadTo(start, HardColumn);
            text.Append(hard);
            text.PadTo(start, UnitColumn);
            text.Append(unit);
            text.PadTo(start, LineEnd);
            text.Append((byte)'\n');
        }

        private static void Value(TextBuilder text, ulong value)
        {
            if (value == ResourceLimits.Infinity)
                text.Append("unlimited");
            else
                text.AppendDecimal(value, 0);
        }
    }
}
