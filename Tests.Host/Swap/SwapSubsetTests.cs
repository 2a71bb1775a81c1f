using System;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;

namespace Cowbird.Tests.Host.Swap
{
    // Kernel.Mm/Swap is compiled into the kernel with a minimal corelib: its sources must
    // stay inside the C# subset both builds accept (briefing). This catches the common slips.
    public class SwapSubsetTests
    {
        static string SwapSourceDirectory()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "Kernel.Mm", "Swap");
                if (Directory.Exists(candidate))
                    return candidate;
            }
            throw new DirectoryNotFoundException("Kernel.Mm/Swap not found above " + AppContext.BaseDirectory);
        }

        static readonly (string pattern, string why)[] Forbidden =
        {
            (@"^\s*using\s+System", "no BCL namespaces"),
            (@"\bSystem\.", "no BCL types"),
            (@"\bthrow\b|\btry\b|\bcatch\b", "no exceptions: return an errno or panic"),
            (@"\$""", "no string interpolation"),
            (@"\bstring\.|String\.", "no string formatting"),
            (@"\bMath\.|\bArray\.|\bSpan<|\bList<|\bDictionary<|\bConsole\b|\bDebug\.", "no BCL helpers"),
            (@"=\s*\{|\]\s*\{", "no array initializers (need RuntimeHelpers.InitializeArray)"),
            (@"\basync\b|\bawait\b|ThreadStatic", "no async or thread statics"),
        };

        [Fact]
        public void Swap_sources_stay_inside_the_kernel_csharp_subset()
        {
            var files = Directory.GetFiles(SwapSourceDirectory(), "*.cs");
            Assert.NotEmpty(files);
            foreach (var file in files)
            {
                var lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                {
                    string code = Regex.Replace(lines[i], @"//.*$", "");
                    code = Regex.Replace(code, @"""[^""]*""", "\"\"");
                    foreach (var (pattern, why) in Forbidden)
                        Assert.False(Regex.IsMatch(code, pattern),
                            $"{Path.GetFileName(file)}:{i + 1}: {why}: {lines[i].Trim()}");
                }
            }
        }
    }
}
