namespace Cowbird.Mm.Vm
{
    // msync's flags argument (Linux MS_* values).
    // Bit flags: combine with |.
    public enum SyncFlags
    {
        None = 0,
        // Schedule the write-back and return (not with Sync).
        Async = 1,
        // Drop other cached copies of the range; refused (EBUSY) on locked memory.
        Invalidate = 2,
        // Write the range back before returning (not with Async).
        Sync = 4,
    }
}
