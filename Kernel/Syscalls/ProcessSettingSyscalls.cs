using Cowbird.Kernel.Processes;

namespace Cowbird.Kernel.Syscalls
{
    // personality (Linux: kernel/exec_domain.c): the execution domain and its flags, which
    // Cowbird keeps and reports (it has no other domains, and no address randomisation for
    // ADDR_NO_RANDOMIZE to turn off). 0xffffffff only asks.
    public static class ProcessSettingSyscalls
    {
        private const uint QueryOnly = 0xffffffff;

        // personality(persona): the previous value; sets `persona` unless it is 0xffffffff.
        public static long Personality(Process process, uint persona)
        {
            uint old = process.Settings.Personality;
            if (persona != QueryOnly)
                process.Settings.Personality = persona;
            return old;
        }
    }
}
