namespace Cowbird.Tests.Boot
{
    // What User/sh.c prints, for tests that wait for the shell.
    public static class ShellText
    {
        // The first line the shell writes when it starts.
        public const string Greeting = "Cowbird sh - type help";
    }
}
