using System;
using System.Diagnostics;
using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace Cowbird.Tests.Boot
{
    // Runtime/ is the system module: it must not depend on the kernel (Cowbird.Kernel)
    // or on the VM core (Cowbird.Mm). The kernel's build compiles all three into one
    // assembly, so the compiler cannot catch such a reference there; this test compiles
    // Runtime/ alone, with the kernel build's no-BCL settings, and fails on any use of a
    // type that lives outside it.
    public class RuntimeIndependenceTests
    {
        private readonly ITestOutputHelper log;

        public RuntimeIndependenceTests(ITestOutputHelper log) => this.log = log;

        [Fact]
        public void RuntimeCompilesWithoutTheKernelOrKernelMm()
        {
            (int exitCode, string output) = CompileRuntime(extraSource: null);
            log.WriteLine(output);
            Assert.True(exitCode == 0, "Runtime/ does not compile alone:\n" + output);
        }

        // The check can fail: a runtime file naming a kernel type breaks the compile.
        [Fact]
        public void ARuntimeFileUsingAKernelTypeIsCaught()
        {
            const string source =
                "namespace Cowbird.Runtime { internal static class UsesKernel {\n" +
                "    static void F() { Kernel.Panic.Halt(\"x\"); } } }\n";
            (int exitCode, string output) = CompileRuntime(source);
            log.WriteLine(output);
            Assert.NotEqual(0, exitCode);
            Assert.Contains("UsesKernel.cs", output);
        }

        // Builds Runtime/**/*.cs (and `extraSource`, when given, as one more file) as a
        // library in a scratch directory. Returns dotnet build's exit code and output.
        private static (int, string) CompileRuntime(string extraSource)
        {
            string dir = Directory.CreateTempSubdirectory("cowbird-runtime-alone-").FullName;
            try
            {
                string runtime = Path.Combine(Repository.Root, "Runtime");
                string extra = "";
                if (extraSource != null)
                {
                    File.WriteAllText(Path.Combine(dir, "UsesKernel.cs"), extraSource);
                    extra = "    <Compile Include=\"UsesKernel.cs\" />\n";
                }
                File.WriteAllText(Path.Combine(dir, "RuntimeAlone.csproj"),
                    "<Project Sdk=\"Microsoft.NET.Sdk\">\n" +
                    "  <PropertyGroup>\n" +
                    "    <TargetFramework>net10.0</TargetFramework>\n" +
                    "    <OutputType>Library</OutputType>\n" +
                    "    <NoStdLib>true</NoStdLib>\n" +
                    "    <NoCompilerStandardLib>true</NoCompilerStandardLib>\n" +
                    "    <DisableImplicitFrameworkReferences>true</DisableImplicitFrameworkReferences>\n" +
                    "    <RuntimeMetadataVersion>v4.0.30319</RuntimeMetadataVersion>\n" +
                    "    <GenerateAssemblyInfo>false</GenerateAssemblyInfo>\n" +
                    "    <GenerateTargetFrameworkAttribute>false</GenerateTargetFrameworkAttribute>\n" +
                    "    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>\n" +
                    "    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>\n" +
                    "    <NoWarn>$(NoWarn);CS8500;CS0169</NoWarn>\n" +
                    "  </PropertyGroup>\n" +
                    "  <ItemGroup>\n" +
                    $"    <Compile Include=\"{runtime}/**/*.cs\" Exclude=\"{runtime}/bin/**;{runtime}/obj/**\" />\n" +
                    extra +
                    "  </ItemGroup>\n" +
                    "</Project>\n");
                var start = new ProcessStartInfo("dotnet")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    WorkingDirectory = dir,
                };
                foreach (string arg in new[] { "build", "-nologo", "-v", "q", "RuntimeAlone.csproj" })
                    start.ArgumentList.Add(arg);
                using Process process = Process.Start(start);
                var stderr = process.StandardError.ReadToEndAsync();
                string stdout = process.StandardOutput.ReadToEnd();
                if (!process.WaitForExit((int)TimeSpan.FromMinutes(5).TotalMilliseconds))
                {
                    process.Kill(entireProcessTree: true);
                    return (-1, "dotnet build timed out\n" + stdout);
                }
                return (process.ExitCode, stdout + stderr.Result);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
