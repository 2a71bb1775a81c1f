namespace Cowbird.Mm.Vm
{
    // vm.overcommit_memory (Linux: OVERCOMMIT_GUESS, OVERCOMMIT_ALWAYS, OVERCOMMIT_NEVER):
    // how CommitAccounting answers a request for commitment.
    public enum OvercommitMode
    {
        // Refuse only a single request larger than all RAM and swap (the default).
        Heuristic = 0,
        // Never refuse.
        Always = 1,
        // Refuse once the total commitment would reach CommitLimit.
        Never = 2,
    }
}
