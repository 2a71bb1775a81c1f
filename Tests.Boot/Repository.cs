using System;
using System.IO;

namespace Cowbird.Tests.Boot
{
    // Locates the repository and the kernel build outputs the boot tests use.
    public static class Repository
    {
        public static readonly string Root = FindRoot();

        public static string KernelElf => RequireBuildOutput("kernel.elf");

        public static string KernelIso => RequireBuildOutput("cowbird.iso");

        // The ISO's initrd (the default system), as the kernel build (Release) packed it.
        public static string IsoInitrd => RequireNativeOutput(Path.Combine("isoroot", "boot", "initrd.cpio"));

        // The framebuffer console's font as the kernel build converted it (Kernel/Build/console-font.sh).
        public static string ConsoleFont => RequireNativeOutput("console-font.bin");

        private static string RequireNativeOutput(string relativePath)
        {
            string path = Path.Combine(Root, "Kernel", "obj", "native", "Release", relativePath);
            if (!File.Exists(path))
                throw new FileNotFoundException($"{path} is missing: build the kernel first (dotnet build Kernel -c Release).", path);
            return path;
        }

        // The repository root is the first directory above the test binaries holding Cowbird.sln.
        private static string FindRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, "Cowbird.sln")))
                    return directory.FullName;
            throw new InvalidOperationException("Cowbird.sln not found above " + AppContext.BaseDirectory);
        }

        private static string RequireBuildOutput(string fileName)
        {
            string path = Path.Combine(Root, "iso", fileName);
            if (!File.Exists(path))
                throw new FileNotFoundException(
                    $"{path} is missing: build the kernel first (./build.sh iso, or dotnet build Kernel).", path);
            return path;
        }
    }
}
