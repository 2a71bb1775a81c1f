namespace Cowbird.Mm.Vm
{
    // Outcome of FaultHandler.Handle. The #PF entry resumes the faulting instruction on
    // Handled; the process layer turns the others into SIGSEGV (with si_code SEGV_MAPERR
    // or SEGV_ACCERR) or into an out-of-memory kill.
    public enum FaultResult
    {
        // The PTE now allows the access: retry the instruction.
        Handled,
        // No VMA covers the address (SIGSEGV, SEGV_MAPERR).
        SegvMapErr,
        // A VMA covers it but forbids this access (SIGSEGV, SEGV_ACCERR).
        SegvAccErr,
        // A frame (page or page table) was needed and none was free, even after reclaim.
        OutOfMemory,
        // The page's swap slot could not be read (an I/O error): the kernel sends SIGBUS
        // (Linux: VM_FAULT_SIGBUS from do_swap_page). The PTE still holds the swap entry,
        // so a retry reads again.
        SigBus,
        // The page lies past the end of its shared object (a mapping mremap grew beyond
        // it): SIGBUS, as Linux's shmem_fault gives beyond i_size.
        SigBusPastObject,
    }
}
