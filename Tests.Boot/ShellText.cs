namespace Cowbird.Tests.Boot
{
    // What the default system's shells print, for tests that wait for them.
    public static class ShellText
    {
        // The banner busybox ash (pid 1 of the default system) writes when it starts.
        public const string AshGreeting = "built-in shell (ash)";

        // Ash's prompt in root's home directory: the PS1 of User/rootfs/etc/profile.
        public const string AshPrompt = "cowbird:~# ";

        // The first line the project's shell (User/sh.c, /bin/cbsh) writes when it starts.
        public const string Greeting = "Cowbird sh - type help";
    }
}
