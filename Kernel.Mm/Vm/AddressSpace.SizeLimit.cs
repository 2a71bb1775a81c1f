namespace Cowbird.Mm.Vm
{
    // RLIMIT_AS (Linux: may_expand_vm in mm/mmap.c): the mappings of a space may not add up
    // to more than SizeLimit bytes (in whole pages). mmap (MAP_FIXED counts only the part
    // it does not replace), brk, mremap growth (MREMAP_DONTUNMAP: the whole new range) and
    // stack growth ask MayExpand first and fail with ENOMEM (the stack's fault is SIGSEGV);
    // nothing else grows a space. Lowering the limit below the current size keeps every
    // mapping and refuses growth from then on.
    public sealed partial class AddressSpace
    {
        // The largest total size of the mappings, in bytes (RLIMIT_AS's soft value; the
        // kernel sets it from the process's limit at exec and setrlimit). Fork copies it.
        public ulong SizeLimit = ulong.MaxValue;

        // Whether `bytes` more of mappings stay within SizeLimit.
        bool MayExpand(ulong bytes)
        {
            ulong limitPages = SizeLimit >> Page.Shift;
            ulong pages = bytes >> Page.Shift;
            return Vmas.TotalPages <= limitPages && pages <= limitPages - Vmas.TotalPages;
        }

        // The bytes of [start, end) that mappings cover (Linux: count_vma_pages_range).
        ulong MappedBytesIn(ulong start, ulong end)
        {
            ulong bytes = 0;
            for (Vma vma = Vmas.FindFirstEndingAfter(start); vma != null && vma.Start < end; vma = vma.Next)
                bytes += (vma.End < end ? vma.End : end) - (vma.Start > start ? vma.Start : start);
            return bytes;
        }
    }
}
